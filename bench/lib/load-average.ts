import { loadavg } from 'node:os';
import { round } from './stats.js';

/** The 1, 5 and 15 minute load averages rounded to `digits` decimals, for JSON output. */
export function loadAverage(digits: number): number[] {
  return loadavg().map((l) => round(l, digits));
}

/** The 1, 5 and 15 minute load averages as text with `digits` decimals, e.g. `"0.5 0.7 0.9"`, for progress lines. */
export function formatLoadAverage(digits: number): string {
  return loadavg()
    .map((l) => l.toFixed(digits))
    .join(' ');
}
