import type { Micros } from './types.js';

/**
 * A journaled dollar amount (SQLite REAL) as integer micro-dollars, rounded to the nearest one.
 * Every amount enters report arithmetic through here, once per attempt, so that all later sums are exact.
 *
 * @example
 * usdToMicros(0.1234567); // 123457
 */
// One positional value instead of an options object: a unit conversion, called once per amount.
export function usdToMicros(usd: number): Micros {
  return Math.round(usd * 1_000_000);
}
