/** Options for `toRowId`. */
export type ToRowIdOptions = {
  /** The dataset row key. */
  rowKey: string;
  /** The template variant (`*` for a row skipped before variants were chosen). */
  variant: string;
};

/**
 * The id of one row × variant in a report (`ReportRow.id`), also the key of the `thumbnails` map
 * of `writeHtmlReport`. Row keys come from the dataset and may contain anything, so the two parts
 * are joined with U+001F (the ASCII unit separator), which the planner never puts in a variant name.
 *
 * @example
 * thumbnails.set(toRowId({ rowKey: 'cust-42', variant: '16x9' }), 'thumbs/cust-42.jpg');
 */
export function toRowId(options: ToRowIdOptions): string {
  return `${options.rowKey}\u001f${options.variant}`;
}
