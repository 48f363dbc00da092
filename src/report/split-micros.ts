import type { Micros } from './types.js';

/** Options for `splitMicros`. */
export type SplitMicrosOptions = {
  /** The integer amount to split (micro-dollars); may be negative (a refund). */
  totalMicros: Micros;
  /** One non-negative integer weight per part; at least one must be positive. */
  weights: readonly number[];
};

/**
 * Splits an integer amount into integer parts proportional to `weights` so that the parts add up
 * to the amount exactly (the largest-remainder method): each part gets the floor of its exact
 * quota, and the micro-dollars left over go one each to the parts with the largest fractional
 * remainders, earlier parts first on ties. With equal weights, $1.00 over 3 rows is
 * 333,334 + 333,333 + 333,333 micros.
 *
 * @example
 * splitMicros({ totalMicros: 1_000_000, weights: [1, 1, 1] }); // [333334, 333333, 333333]
 */
export function splitMicros(options: SplitMicrosOptions): Micros[] {
  const { totalMicros, weights } = options;
  if (!Number.isSafeInteger(totalMicros)) throw new RangeError(`splitMicros: options.totalMicros must be a safe integer, got ${totalMicros}.`);
  if (weights.some((w) => !Number.isSafeInteger(w) || w < 0)) {
    throw new RangeError(`splitMicros: options.weights must be non-negative integers, got [${weights.join(', ')}].`);
  }
  const weightSum = weights.reduce((a, b) => a + b, 0);
  if (weightSum === 0) throw new RangeError('splitMicros: options.weights must contain a positive weight.');
  const sign = totalMicros < 0 ? -1n : 1n;
  const total = BigInt(Math.abs(totalMicros));
  const sum = BigInt(weightSum);
  // BigInt keeps total × weight exact beyond 2^53.
  const parts = weights.map((w, index) => {
    const exact = total * BigInt(w);
    return { index, floor: exact / sum, remainder: exact % sum };
  });
  let left = total - parts.reduce((a, p) => a + p.floor, 0n);
  const byRemainder = [...parts].sort((a, b) => (a.remainder === b.remainder ? a.index - b.index : a.remainder > b.remainder ? -1 : 1));
  for (const part of byRemainder) {
    if (left === 0n) break;
    part.floor += 1n;
    left -= 1n;
  }
  return parts.map((p) => Number(sign * p.floor));
}
