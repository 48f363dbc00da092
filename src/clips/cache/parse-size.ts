import { ConfigError } from '../../errors/index.js';

const UNITS: Readonly<Record<string, number>> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
  tib: 1024 ** 4,
  k: 1e3,
  m: 1e6,
  g: 1e9,
  t: 1e12,
};

/**
 * Parses a human size such as `10GB`, `1.5 GiB`, `500mb` or `2048` into bytes.
 * `KB/MB/GB/TB` (and `K/M/G/T`) are decimal (1 GB = 10⁹ bytes, like disk vendors and `du --si`);
 * `KiB/MiB/GiB/TiB` are binary; a bare number is bytes. Case and spaces do not matter.
 * Takes the text itself rather than an options object: it is a value parser for flags.
 *
 * @example
 * parseSize('10GB'); // 10_000_000_000
 */
export function parseSize(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  const factor = match ? UNITS[(match[2] || 'b').toLowerCase()] : undefined;
  if (!match || factor === undefined) {
    throw new ConfigError(`Size "${text}" is not understood. Write a number with an optional unit: 500MB, 10GB, 1.5GiB, or bytes (2048).`, {
      code: 'RW_CONFIG_BAD_SIZE',
    });
  }
  return Math.round(Number(match[1]) * factor);
}
