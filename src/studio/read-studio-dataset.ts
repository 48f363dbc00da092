import { formatProblem, readCsvRecords, readDataset, readJsonRecords } from '../dataset/index.js';
import type { DatasetFormat, RawRecord, RecordSource, RowProblem } from '../dataset/index.js';
import type { TemplateDefinition } from '../template/index.js';
import { toErrorInfo } from './to-error-info.js';
import type { StudioDataset, StudioProblem, StudioRow } from './types.js';

/** Rows sent to the table; the counts still cover the whole file. */
export const DEFAULT_STUDIO_MAX_ROWS = 2_000;

/** Options of `readStudioDataset`. */
export type ReadStudioDatasetOptions = {
  /** Absolute path of the dataset file. */
  file: string;
  /** How the API names the file (`datasets/welcome.csv`). */
  ref: string;
  /** The template whose slots the rows fill. */
  template: TemplateDefinition;
  /** Keep at most this many rows for the table; default `DEFAULT_STUDIO_MAX_ROWS`. */
  maxRows?: number;
  signal?: AbortSignal | null;
};

/** A cell as text for the form: JSON numbers and booleans as written, objects as JSON, absent as empty. */
function cellText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** A `RowProblem` in the API's shape, with the CLI's one-line wording. */
export function toStudioProblem(problem: RowProblem, fileLabel: string): StudioProblem {
  return { slot: problem.slot, column: problem.column, rule: problem.rule, message: problem.message, text: formatProblem(problem, fileLabel) };
}

async function openRecords(file: string, fileLabel: string, format: DatasetFormat, signal: AbortSignal | null): Promise<RecordSource> {
  return format === 'csv' || format === 'tsv'
    ? readCsvRecords({ file, fileLabel, delimiter: format === 'tsv' ? '\t' : null, signal })
    : readJsonRecords({ file, fileLabel, format, signal });
}

/**
 * Reads a dataset for the studio's table with the CLI's own rules (`readDataset`: column mapping, coercion,
 * validation, duplicate keys), and alongside each verdict the row's cells as written, by slot, so the form starts
 * from the file's text. A file-level problem (a required column missing, malformed JSON) comes back as `fileError`
 * rather than a throw.
 *
 * @example
 * const table = await readStudioDataset({ file: '/work/demo/datasets/welcome.csv', ref: 'datasets/welcome.csv', template });
 * table.rows[0]?.problems.map((p) => p.text); // ['welcome.csv line 2, column "accent": expected a colour …']
 */
export async function readStudioDataset(options: ReadStudioDatasetOptions): Promise<StudioDataset> {
  const { file, ref, template } = options;
  const maxRows = options.maxRows ?? DEFAULT_STUDIO_MAX_ROWS;
  const signal = options.signal ?? null;
  const fileLabel = file.split(/[\\/]/).pop() ?? file;
  const empty: StudioDataset = {
    ref,
    fileLabel,
    format: null,
    columns: [],
    mapping: {},
    unmappedColumns: [],
    total: 0,
    valid: 0,
    invalid: 0,
    rows: [],
    truncated: false,
    fileError: null,
  };
  let dataset: Awaited<ReturnType<typeof readDataset>>;
  try {
    dataset = await readDataset({ file, template, signal });
  } catch (error) {
    return { ...empty, fileError: toErrorInfo(error) };
  }
  const mapping: Record<string, string | null> = {};
  for (const [slot, column] of Object.entries(dataset.mapping.slots)) mapping[slot] = column.column;
  const result: StudioDataset = {
    ...empty,
    fileLabel: dataset.fileLabel,
    format: dataset.format,
    columns: [...dataset.columns],
    mapping,
    unmappedColumns: [...dataset.mapping.unmappedColumns],
  };
  // The same reader again, for the cells as written: both yield the same records in the same order.
  let raw: RecordSource | null = null;
  try {
    raw = await openRecords(dataset.file, dataset.fileLabel, dataset.format, signal);
    for await (const row of dataset.rows) {
      const next = await raw.records.next();
      const record: RawRecord | null = next.done ? null : next.value;
      result.total++;
      if (row.ok) result.valid++;
      else result.invalid++;
      if (result.rows.length >= maxRows) {
        result.truncated = true;
        continue;
      }
      const cells: Record<string, string> = {};
      for (const slot of Object.keys(mapping)) {
        const column = mapping[slot] ?? null;
        cells[slot] = record && column !== null && Object.hasOwn(record.cells, column) ? cellText(record.cells[column]) : '';
      }
      const studioRow: StudioRow = row.ok
        ? { index: row.row.index, line: row.row.line, key: row.row.key, ok: true, cells, problems: [] }
        : { index: row.index, line: row.line, key: null, ok: false, cells, problems: row.problems.map((p) => toStudioProblem(p, dataset.fileLabel)) };
      result.rows.push(studioRow);
    }
  } catch (error) {
    // Malformed content found mid-file (an unclosed quote): the rows read so far stay, the file gets the error.
    result.fileError = toErrorInfo(error);
  } finally {
    await dataset.close();
    await raw?.close();
  }
  return result;
}
