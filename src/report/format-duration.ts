/** Options for `formatDuration`. */
export type FormatDurationOptions = {
  /** Seconds, or null when unknown. */
  seconds: number | null;
};

/**
 * A duration for people: `42.0 s`, `3 min 5 s`, `2 h 7 min`; `–` when unknown.
 *
 * @example
 * formatDuration({ seconds: 185 }); // '3 min 5 s'
 */
export function formatDuration(options: FormatDurationOptions): string {
  const { seconds } = options;
  if (seconds === null) return '–';
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const minutes = Math.floor(seconds / 60);
  return minutes < 60 ? `${minutes} min ${Math.round(seconds % 60)} s` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}
