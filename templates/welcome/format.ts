/**
 * Pure formatting helpers for the welcome template: colours and dates, done by hand so no locale,
 * time zone or ICU version can change a frame.
 */

/** An sRGB colour as 0–255 channels. */
export type Rgb = { r: number; g: number; b: number };

/** Parses `#rgb` / `#rrggbb`; anything else falls back to `fallback`. */
export function parseHex(hex: string, fallback: Rgb = { r: 79, g: 70, b: 229 }): Rgb {
  const m = /^#?([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(hex.trim());
  if (!m) return fallback;
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

/**
 * Text colour that reads on `background`: near-black on light colours (amber, yellow, mint), white on
 * everything else. The threshold sits above the pure contrast crossover (~0.18) on purpose: white on
 * saturated mid-tones (green-600, pink-500) is the brand-typical look even at slightly lower contrast.
 */
export function inkOn(background: Rgb): string {
  return luminance(background) > 0.3 ? '#0b0c16' : '#ffffff';
}

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'] as const;
/** Sakamoto's month offsets for the day-of-week formula. */
const MONTH_OFFSETS = [0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4] as const;

/**
 * `2026-03-02` → `Monday, 2 March 2026`. Returns null for anything that is not a real `YYYY-MM-DD` date.
 * Weekday by Sakamoto's method: no `Date`, no `Intl`, so no time zone can shift the day.
 */
export function formatLongDate(iso: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso.trim());
  if (!m) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const daysInMonth = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  if (daysInMonth === undefined || day < 1 || day > daysInMonth) return null;
  const y = month < 3 ? year - 1 : year;
  const weekday = (y + Math.floor(y / 4) - Math.floor(y / 100) + Math.floor(y / 400) + (MONTH_OFFSETS[month - 1] ?? 0) + day) % 7;
  return `${WEEKDAYS[weekday]}, ${day} ${MONTHS[month - 1]} ${year}`;
}

/** Up to two initials for a monogram (first letters of the first two words). */
export function initials(text: string): string {
  const words = text.trim().split(/\s+/).filter((w) => w.length > 0);
  const letters = words.slice(0, 2).map((w) => [...w][0] ?? '');
  return letters.join('').toUpperCase();
}
