import type { Micros } from './types.js';

/** Options for `formatMicros`. */
export type FormatMicrosOptions = {
  micros: Micros;
  /**
   * - `exact`: plain dollars with 6 decimals and no symbol (`0.166667`, `-1.000000`): exact, for CSV.
   * - `display`: `$0.1667`, `$12.3000`: 4 decimals under $100 (sub-cent compute costs stay visible and columns
   *   line up), `$1,234.57` with 2 decimals from $100 up.
   */
  style: 'exact' | 'display';
};

/**
 * Formats integer micro-dollars as dollars without going through floating point, so an exact
 * amount prints exactly.
 *
 * @example
 * formatMicros({ micros: 166_667, style: 'exact' }); // '0.166667'
 * formatMicros({ micros: 1_200_000, style: 'display' }); // '$1.2000'
 */
export function formatMicros(options: FormatMicrosOptions): string {
  const { micros, style } = options;
  const sign = micros < 0 ? '-' : '';
  const abs = Math.abs(Math.round(micros));
  const dollars = Math.floor(abs / 1_000_000);
  if (style === 'exact') return `${sign}${dollars}.${String(abs % 1_000_000).padStart(6, '0')}`;
  // Rounds half up, in integers.
  const decimals = dollars >= 100 ? 2 : 4;
  const unit = 10 ** (6 - decimals);
  const scaled = Math.round(abs / unit);
  const whole = Math.floor(scaled / 10 ** decimals);
  return `${sign}$${whole.toLocaleString('en-US')}.${String(scaled % 10 ** decimals).padStart(decimals, '0')}`;
}
