import type { Micros } from './types.js';

/** Options for `formatMicros`. */
export type FormatMicrosOptions = {
  micros: Micros;
  /**
   * - `exact`: plain dollars with 6 decimals and no symbol (`0.166667`, `-1.000000`): exact, for CSV.
   * - `display`: `$1.20`, or 4 decimals when the amount is not a whole number of cents (`$0.1667`).
   */
  style: 'exact' | 'display';
};

/**
 * Formats integer micro-dollars as dollars without going through floating point, so an exact
 * amount prints exactly.
 *
 * @example
 * formatMicros({ micros: 166_667, style: 'exact' }); // '0.166667'
 * formatMicros({ micros: 1_200_000, style: 'display' }); // '$1.20'
 */
export function formatMicros(options: FormatMicrosOptions): string {
  const { micros, style } = options;
  const sign = micros < 0 ? '-' : '';
  const abs = Math.abs(Math.round(micros));
  const dollars = Math.floor(abs / 1_000_000);
  const fraction = String(abs % 1_000_000).padStart(6, '0');
  if (style === 'exact') return `${sign}${dollars}.${fraction}`;
  // Display rounds to 4 decimals (half up), unless the amount is whole cents.
  if (abs % 10_000 === 0) return `${sign}$${dollars.toLocaleString('en-US')}.${fraction.slice(0, 2)}`;
  const tenThousandths = Math.round(abs / 100);
  return `${sign}$${Math.floor(tenThousandths / 10_000).toLocaleString('en-US')}.${String(tenThousandths % 10_000).padStart(4, '0')}`;
}
