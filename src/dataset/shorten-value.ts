/** Values in problems and messages are cut to about this many characters. */
export const DEFAULT_SHORT_VALUE_CHARS = 40;

/**
 * Shows a received value in a problem: strings as they are, other JSON values as JSON, cut to
 * about 40 characters (whole code points, so an emoji is never split) with `…` marking the cut.
 *
 * @example
 * shortenValue('a'.repeat(70)); // 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa…'
 */
export function shortenValue(value: unknown, maxChars = DEFAULT_SHORT_VALUE_CHARS): string {
  const text = value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
  if (text.length <= maxChars) return text;
  const points = Array.from(text);
  return points.length <= maxChars ? text : `${points.slice(0, maxChars - 1).join('')}…`;
}
