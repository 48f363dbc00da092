import { ConfigError } from '../../errors/index.js';

const UNITS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  min: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/**
 * Parses a human age such as `30d`, `12h`, `2w`, `90m` or `1.5d` into milliseconds.
 * Units: `ms`, `s`, `m`/`min` (minutes), `h`, `d`, `w`. A unit is required (a bare `30` is
 * ambiguous). Takes the text itself rather than an options object: it is a value parser for flags.
 *
 * @example
 * parseAge('30d'); // 2_592_000_000
 */
export function parseAge(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]+)\s*$/i.exec(text);
  const factor = match ? UNITS[(match[2] as string).toLowerCase()] : undefined;
  if (!match || factor === undefined) {
    throw new ConfigError(`Age "${text}" is not understood. Write a number and a unit: 30d, 12h, 2w, 90m (minutes), 45s.`, {
      code: 'RW_CONFIG_BAD_AGE',
    });
  }
  return Math.round(Number(match[1]) * factor);
}
