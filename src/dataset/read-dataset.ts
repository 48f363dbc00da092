import { stat } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError, DatasetError, throwIfAborted } from '../errors/index.js';
import { isTemplateDefinition } from '../template/index.js';
import { createRowContext, type RowContext } from './create-row-context.js';
import { mapColumns } from './map-columns.js';
import { DEFAULT_MAX_RECORD_CHARS, readCsvRecords } from './read-csv-records.js';
import { readJsonRecords } from './read-json-records.js';
import { rowKey } from './row-key.js';
import { shortenValue } from './shorten-value.js';
import type { ColumnMapping, DatasetFormat, RawRecord, ReadDatasetOptions, ReadDatasetResult, RecordSource, RowProblem, RowResult } from './types.js';
import { validateRow } from './validate-row.js';

const FORMATS: readonly DatasetFormat[] = ['csv', 'tsv', 'json', 'ndjson'];
const EXTENSIONS: Readonly<Record<string, DatasetFormat>> = { '.csv': 'csv', '.tsv': 'tsv', '.json': 'json', '.ndjson': 'ndjson', '.jsonl': 'ndjson' };

function checkOptions(options: ReadDatasetOptions): void {
  if (typeof options.file !== 'string' || options.file === '') throw new ConfigError('options.file must be the path of a dataset file.', { code: 'RW_CONFIG_INVALID' });
  if (!isTemplateDefinition(options.template)) throw new ConfigError('options.template must be a template made with defineTemplate().', { code: 'RW_CONFIG_INVALID' });
  if (options.format != null && !FORMATS.includes(options.format)) {
    throw new ConfigError(`options.format must be one of ${FORMATS.join(', ')}, got ${JSON.stringify(options.format)}.`, { code: 'RW_CONFIG_INVALID' });
  }
  if (options.map != null) {
    if (typeof options.map !== 'object' || Object.values(options.map).some((slot) => typeof slot !== 'string')) {
      throw new ConfigError('options.map must map column names to slot names, e.g. { "Full Name": "name" }.', { code: 'RW_CONFIG_INVALID' });
    }
  }
  if (options.assetsDir != null && (typeof options.assetsDir !== 'string' || options.assetsDir === '')) {
    throw new ConfigError('options.assetsDir must be the path of a folder (relative image paths in the dataset resolve from it).', { code: 'RW_CONFIG_INVALID' });
  }
  if (options.allowedImageRoots != null && (!Array.isArray(options.allowedImageRoots) || options.allowedImageRoots.some((root) => typeof root !== 'string'))) {
    throw new ConfigError('options.allowedImageRoots must be a list of folder paths.', { code: 'RW_CONFIG_INVALID' });
  }
  if (options.maxRecordChars !== undefined && !(Number.isInteger(options.maxRecordChars) && options.maxRecordChars > 0)) {
    throw new ConfigError(`options.maxRecordChars must be a positive integer, got ${String(options.maxRecordChars)}.`, { code: 'RW_CONFIG_INVALID' });
  }
}

function formatOf(file: string, fileLabel: string): DatasetFormat {
  const format = EXTENSIONS[path.extname(file).toLowerCase()];
  if (!format) {
    throw new DatasetError(`Cannot tell the format of ${fileLabel} from its extension. Use .csv, .tsv, .json, .ndjson or .jsonl, or pass the format explicitly.`, {
      code: 'RW_DATASET_FORMAT',
    });
  }
  return format;
}

async function checkFile(file: string): Promise<void> {
  let info;
  try {
    info = await stat(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new DatasetError(`Dataset file not found: ${file}. Check the path and the file name.`, { code: 'RW_DATASET_NOT_FOUND', cause: error });
    }
    throw new DatasetError(`Cannot read ${file} (${(error as Error).message}).`, { code: 'RW_DATASET_UNREADABLE', cause: error });
  }
  if (!info.isFile()) {
    throw new DatasetError(`${file} is not a file. Point to a .csv, .tsv, .json, .ndjson or .jsonl file.`, { code: 'RW_DATASET_UNREADABLE' });
  }
}

/** The assets folder must be an existing folder: checked before the dataset is opened, with the fix. */
async function checkAssetsDir(dir: string): Promise<void> {
  let info;
  try {
    info = await stat(dir);
  } catch (error) {
    throw new ConfigError(
      `Assets folder not found: ${dir}. Relative image paths in the dataset resolve from it: give an existing folder (--assets-dir), or leave it out to use the dataset file's folder.`,
      { code: 'RW_CONFIG_INVALID', cause: error },
    );
  }
  if (!info.isDirectory()) {
    throw new ConfigError(`Assets folder ${dir} is not a folder. Give the folder that the dataset's relative image paths start in (--assets-dir).`, { code: 'RW_CONFIG_INVALID' });
  }
}

/** Per-row work: validate, name the row, and catch repeated keys. State lives in `seen`. */
function toResult(record: RawRecord, context: RowContext, seen: Map<string, number>): RowResult {
  const checked = validateRow({ record, context });
  const { keySlot } = context;
  const problems: RowProblem[] | null = checked.ok ? null : checked.problems;
  const keyValue = keySlot === null ? undefined : checked.values[keySlot];
  // With a rowKey, repeated keys are caught even on invalid rows (once fixed, they would clash).
  if (keySlot !== null && keyValue !== undefined) {
    const key = String(keyValue);
    const earlier = seen.get(key);
    if (earlier === undefined) seen.set(key, record.line);
    else {
      const column = context.fields.find((field) => field.slot === keySlot)?.column ?? null;
      const duplicate: RowProblem = {
        line: record.line,
        index: record.index,
        column,
        slot: keySlot,
        value: shortenValue(key),
        rule: 'duplicateKey',
        message: `${JSON.stringify(key)} is already used on line ${earlier}. Each row needs its own "${keySlot}": change one of them or remove the repeated row.`,
      };
      if (problems) problems.push(duplicate);
      else return { ok: false, line: record.line, index: record.index, problems: [duplicate] };
    }
  }
  if (problems) return { ok: false, line: record.line, index: record.index, problems };
  if (keySlot !== null && keyValue === undefined) {
    // An optional rowKey slot left empty: the row would have no name of its own.
    const column = context.fields.find((field) => field.slot === keySlot)?.column ?? null;
    const message = `this cell is empty, but "${keySlot}" names each row (it is the template's rowKey), so every row needs one.`;
    return { ok: false, line: record.line, index: record.index, problems: [{ line: record.line, index: record.index, column, slot: keySlot, value: '', rule: 'required', message }] };
  }

  const { key, hash } = rowKey({ values: checked.values, keySlot, slotOrder: context.slotOrder, imageSlots: context.imageSlots, baseDir: context.images.baseDir });
  if (keySlot === null) {
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      return {
        ok: false,
        line: record.line,
        index: record.index,
        problems: [{ line: record.line, index: record.index, column: null, slot: null, value: '', rule: 'duplicateKey', message: `this row is the same as line ${earlier}. Each row makes one video: remove the repeated row.` }],
      };
    }
    seen.set(key, record.line);
  }
  return { ok: true, row: { index: record.index, line: record.line, key, hash, values: checked.values } };
}

/**
 * Opens a dataset (CSV, TSV, JSON array or NDJSON) for a template and streams its rows, each
 * coerced and validated on its own: one bad row never stops the good ones. File-level problems
 * are thrown before any row: a missing file, an unknown format, an empty file, and a required
 * slot without a column (reported once, naming every such slot, the columns found and the fix).
 * Malformed content found later (invalid JSON, a quote never closed) rejects the iteration with
 * the line number.
 *
 * Memory stays flat: the file is read in 64 KiB chunks as rows are consumed. Only the set of row
 * keys grows, to catch duplicates. Iterate `rows` once; `close()` stops early.
 *
 * JSON keys that first appear after the first record still feed slots that had no column.
 *
 * @throws DatasetError `RW_DATASET_NOT_FOUND`, `RW_DATASET_UNREADABLE`, `RW_DATASET_FORMAT`,
 *   `RW_DATASET_ENCODING`, `RW_DATASET_EMPTY`, `RW_DATASET_MALFORMED`, `RW_DATASET_MISSING_COLUMN`,
 *   `RW_DATASET_AMBIGUOUS_COLUMN`, `RW_DATASET_BAD_MAP`. ConfigError `RW_CONFIG_INVALID` for bad options.
 *   CancelledError when `signal` fires.
 * @example
 * const dataset = await readDataset({ file: 'datasets/welcome.csv', template });
 * for await (const result of dataset.rows) {
 *   if (result.ok) plan(result.row);
 *   else for (const problem of result.problems) console.error(formatProblem(problem, dataset.fileLabel));
 * }
 * @see validateDataset
 */
export async function readDataset(options: ReadDatasetOptions): Promise<ReadDatasetResult> {
  checkOptions(options);
  throwIfAborted(options.signal);
  const { template, signal = null } = options;
  const file = path.resolve(options.file);
  const fileLabel = path.basename(file);
  const format = options.format ?? formatOf(file, fileLabel);
  await checkFile(file);
  const assetsDir = options.assetsDir != null ? path.resolve(options.assetsDir) : null;
  if (assetsDir !== null) await checkAssetsDir(assetsDir);

  const maxRecordChars = options.maxRecordChars ?? DEFAULT_MAX_RECORD_CHARS;
  const source: RecordSource =
    format === 'csv' || format === 'tsv'
      ? await readCsvRecords({ file, fileLabel, delimiter: format === 'tsv' ? '\t' : null, maxRecordChars, signal })
      : await readJsonRecords({ file, fileLabel, format, maxRecordChars, signal });

  let mapping: ColumnMapping;
  let context: RowContext;
  let first: RawRecord;
  try {
    // Before any row: a required slot without a column is one file-level error.
    mapping = mapColumns({ columns: source.columns, template, map: options.map ?? null, fileLabel });
    const head = await source.records.next();
    if (head.done) {
      throw new DatasetError(`${fileLabel} has a header row but no data rows. Add one row per video below the header.`, { code: 'RW_DATASET_EMPTY' });
    }
    first = head.value;
    context = createRowContext({
      template,
      mapping,
      baseDir: assetsDir ?? path.dirname(file),
      baseLabel: assetsDir === null ? null : `the assets folder (${assetsDir})`,
      allowedImageRoots: options.allowedImageRoots ?? null,
    });
  } catch (error) {
    await source.close();
    throw error;
  }

  const isJson = format === 'json' || format === 'ndjson';
  const knownColumns = new Set(source.columns);
  const map = options.map ?? null;

  /** JSON only: a key first seen now may feed a slot that has no column yet (optional keys left out of early records). */
  function adoptNewKeys(record: RawRecord): void {
    let fresh: string[] | null = null;
    for (const key in record.cells) {
      if (!knownColumns.has(key)) {
        knownColumns.add(key);
        (fresh ??= []).push(key);
      }
    }
    if (!fresh) return;
    const extra = mapColumns({ columns: fresh, template, map, fileLabel, strict: false });
    for (const field of context.fields) {
      const found = extra.slots[field.slot]?.column;
      if (field.column === null && found) field.column = found;
    }
  }

  async function* generateRows(): AsyncGenerator<RowResult, void, undefined> {
    const seen = new Map<string, number>();
    try {
      let record = first;
      for (;;) {
        throwIfAborted(signal);
        if (isJson && record.defect === undefined) adoptNewKeys(record);
        yield toResult(record, context, seen);
        const next = await source.records.next();
        if (next.done) break;
        record = next.value;
      }
    } finally {
      await source.close();
    }
  }

  const rows = generateRows();
  const close = async (): Promise<void> => {
    await rows.return();
    await source.close();
  };
  return { file, fileLabel, format, columns: source.columns, mapping, rows, close, [Symbol.asyncDispose]: close };
}
