/** Small number helpers shared by the benchmarks (`bench/*.ts`). */

/** `value` rounded to `digits` decimals, as a number (for JSON output). */
export const round = (value: number, digits = 1): number => Number(value.toFixed(digits));

/** Median of `values` (the mean of the two middle ones for an even count); NaN when there are none. */
export const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length === 0 ? Number.NaN : sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** Sum of `values`. */
export const sum = (values: number[]): number => values.reduce((a, b) => a + b, 0);

/** Arithmetic mean of `values`; NaN when there are none. */
export const mean = (values: number[]): number => sum(values) / values.length;

/** Bytes as whole MiB. */
export const mb = (bytes: number): number => round(bytes / 2 ** 20, 0);
