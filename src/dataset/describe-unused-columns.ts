import { suggestColumn } from './suggest-column.js';
import type { ColumnMapping, DatasetTemplate } from './types.js';

/** Options of `describeUnusedColumns`. */
export type DescribeUnusedColumnsOptions = {
  /** The mapping `mapColumns` / `readDataset` made. */
  mapping: ColumnMapping;
  /** The template the mapping is for. */
  template: DatasetTemplate;
  /** File name used in messages. */
  fileLabel: string;
};

/**
 * One note about columns that feed no slot.
 * - `slot` set: `columns` holds one column whose name is close to `slot`, a data slot that has no column
 *   (it takes its default or stays empty): most likely a misspelling.
 * - `slot: null`: `columns` lists every other unused column, close to no slot.
 */
export type UnusedColumnNote = {
  columns: string[];
  slot: string | null;
  /** One line for the user, starting with the file name. */
  message: string;
};

/**
 * Words about the columns of a dataset that no slot reads, for `validate` (a notice) and `plan` / `render`
 * (plan warnings). A column whose name is close to a slot that got no column (an optional slot, or one
 * with a default, so nothing failed) gets its own note with the fix: `--map "backgrund=background"`
 * or renaming it; the rest are listed in one note. No notes when every column is used.
 *
 * @example
 * describeUnusedColumns({ mapping, template, fileLabel: 'people.csv' }).map((note) => note.message);
 * // ['people.csv: column "backgrund" is not used by template "card"; did you mean slot "background"? …']
 */
export function describeUnusedColumns(options: DescribeUnusedColumnsOptions): UnusedColumnNote[] {
  const { mapping, template, fileLabel } = options;
  if (mapping.unmappedColumns.length === 0) return [];
  const remaining = [...mapping.unmappedColumns];
  const notes: UnusedColumnNote[] = [];
  for (const [name, slot] of Object.entries(template.slots)) {
    if (slot.kind === 'broll' || (mapping.slots[name]?.column ?? null) !== null) continue;
    const column = suggestColumn(name, slot, remaining);
    if (column === null) continue;
    remaining.splice(remaining.indexOf(column), 1);
    const fallback = slot.default !== undefined ? 'its default' : 'no value';
    notes.push({
      columns: [column],
      slot: name,
      message:
        `${fileLabel}: column "${column}" is not used by template "${template.id}"; did you mean slot "${name}"? ` +
        `Every row gets ${fallback} for "${name}" now. Rename the column to "${name}" or pass --map "${column}=${name}".`,
    });
  }
  if (remaining.length > 0) {
    const list = remaining.map((column) => `"${column}"`).join(', ');
    notes.push({
      columns: remaining,
      slot: null,
      message: `${fileLabel}: ${remaining.length === 1 ? `column ${list} is` : `columns ${list} are`} not used by template "${template.id}".`,
    });
  }
  return notes;
}
