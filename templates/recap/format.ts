/**
 * Pure formatting helpers for the recap template. Numbers and dates are formatted by hand
 * (no `Intl`, no `toLocaleString`), so a frame never depends on the machine's locale or ICU data.
 */

/** An sRGB colour as 0–255 channels. */
export type Rgb = { r: number; g: number; b: number };

/** Parses `#rgb` / `#rrggbb`; anything else falls back to sky blue. */
export function parseHex(hex: string): Rgb {
  const m = /^#?([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(hex.trim());
  if (!m) return { r: 14, g: 165, b: 233 };
  const digits = m[1] ?? '';
  const full = digits.length === 3 ? [...digits].map((d) => d + d).join('') : digits;
  return { r: parseInt(full.slice(0, 2), 16), g: parseInt(full.slice(2, 4), 16), b: parseInt(full.slice(4, 6), 16) };
}

/** `rgba(…)` string for a colour at `alpha`. */
export function rgba({ r, g, b }: Rgb, alpha: number): string {
  return `rgba(${r},${g},${b},${alpha})`;
}

/** Mixes `a` towards `b` by `t` (0 = a, 1 = b). */
export function mix(a: Rgb, b: Rgb, t: number): Rgb {
  return { r: Math.round(a.r + (b.r - a.r) * t), g: Math.round(a.g + (b.g - a.g) * t), b: Math.round(a.b + (b.b - a.b) * t) };
}

/** WCAG relative luminance, 0 (black) – 1 (white). */
export function luminance({ r, g, b }: Rgb): number {
  const lin = (c: number) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : Math.pow((s + 0.055) / 1.055, 2.4);
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

/** `1234567.891, 2` → `1,234,567.89`. Negative numbers get a real minus sign. */
export function groupThousands(value: number, decimals = 0): string {
  const fixed = Math.abs(value).toFixed(decimals);
  const [whole = '0', fraction] = fixed.split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const sign = value < 0 && Number(fixed) !== 0 ? '−' : '';
  return `${sign}${grouped}${fraction ? `.${fraction}` : ''}`;
}

/** `950` → `950`, `12_400` → `12.4K`, `245_000` → `245K`, `3_100_000` → `3.1M`, `999_950` → `1M` (never `1000K`). */
export function formatCompact(value: number): string {
  const units: readonly [number, string][] = [
    [1e3, 'K'],
    [1e6, 'M'],
    [1e9, 'B'],
  ];
  const short = (scaled: number) => (Math.abs(scaled) < 99.95 ? scaled.toFixed(1).replace(/\.0$/, '') : Math.round(scaled).toString());
  for (let i = units.length - 1; i >= 0; i--) {
    const [size, suffix] = units[i] as [number, string];
    if (Math.abs(value) < size) continue;
    const next = units[i + 1];
    // Rounding can reach 1000 of this unit (999,950 → "1000K"): show it in the next unit instead.
    if (next && Math.abs(Number(short(value / size))) >= 1000) return `${short(value / next[0])}${next[1]}`;
    return `${short(value / size)}${suffix}`;
  }
  if (Math.abs(Math.round(value)) >= 1000) return `${short(value / 1e3)}K`;
  return groupThousands(value, 0);
}

/** Currency symbol shown before amounts. */
export const CURRENCY_SYMBOL = { USD: '$', EUR: '€', GBP: '£' } as const;

/** Whole units for amounts ≥ 1,000 (cents would be noise at that size), two decimals below. */
export function moneyDecimals(value: number): number {
  return Math.abs(value) >= 1000 || Number.isInteger(value) ? 0 : 2;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'] as const;

/** `2026-12-31` → `31 December 2026`; null for anything that is not a real `YYYY-MM-DD` date. */
export function formatDate(iso: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso.trim());
  if (!m) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const daysInMonth = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  if (daysInMonth === undefined || day < 1 || day > daysInMonth) return null;
  return `${day} ${MONTHS[month - 1]} ${year}`;
}

/** Estimated advance in em of digits and separators in DejaVu Sans Bold (digits are tabular, 0.70 em). */
export function numberEmWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += /[0-9$€£−]/.test(ch) ? 0.7 : /[.,]/.test(ch) ? 0.38 : 0.75;
  return width;
}

/**
 * Estimated advance in em of mixed text in DejaVu Sans Bold (generous, so text that "fits" really fits).
 * Wide CJK/kana/hangul glyphs count 1 em.
 */
export function textEmWidth(text: string): number {
  let width = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (code >= 0x0300 && code <= 0x036f) continue;
    if (ch === ' ') width += 0.35;
    else if ((code >= 0x2e80 && code <= 0xa4cf) || (code >= 0xac00 && code <= 0xd7a3) || (code >= 0xff00 && code <= 0xff60)) width += 1;
    else if (/[ijlrtfI.,:;'!|()\-/]/.test(ch)) width += 0.42;
    else if (/[mwMW]/.test(ch)) width += 1.05;
    else if (ch !== ch.toLowerCase()) width += 0.8;
    else width += 0.7;
  }
  return width;
}
