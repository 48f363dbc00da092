import { InvalidArgumentError } from 'commander';

/** `--limit 10` → 10; refuses anything but a positive whole number. */
export function parsePositiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError(`expected a positive whole number, got "${value}".`);
  return n;
}

/** `--budget 12.50` → 12.5 (USD). */
export function parseUsd(value: string): number {
  const n = Number(value.replace(/^\$/, ''));
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError(`expected an amount in US dollars such as 12.50, got "${value}".`);
  return n;
}

/** `--concurrency 2` or `--concurrency 50%`. */
export function parseConcurrency(value: string): number | `${number}%` {
  if (/^\d+%$/.test(value)) return value as `${number}%`;
  return parsePositiveInt(value);
}

/** `--variants landscape,vertical` → ['landscape', 'vertical']. */
export function parseList(value: string, previous: string[] = []): string[] {
  return [...previous, ...value.split(',').map((v) => v.trim()).filter(Boolean)];
}

/** Repeatable `--map column=slot`. */
export function parseMapEntry(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const at = value.lastIndexOf('=');
  if (at <= 0 || at === value.length - 1) throw new InvalidArgumentError(`expected column=slot, got "${value}".`);
  return { ...previous, [value.slice(0, at).trim()]: value.slice(at + 1).trim() };
}

/** `--jpeg-quality 85` (1–100). */
export function parseQuality(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 100) throw new InvalidArgumentError(`expected a whole number from 1 to 100, got "${value}".`);
  return n;
}
