/**
 * `plural(1, 'row')` → "1 row", `plural(3, 'row')` → "3 rows"; pass the plural when it is not word + "s".
 *
 * @example
 * log.info(logOptions, `${plural(t.rows, 'valid row')}, ${plural(clips, 'clip')}`);
 */
export function plural(count: number, word: string, pluralWord = `${word}s`): string {
  return `${count} ${count === 1 ? word : pluralWord}`;
}
