import type { RowValues, Slot, TemplateDefinition } from '../template/index.js';

/**
 * Dataset file formats.
 * - `csv`: header row, then one row per video; `,` `;` or tab delimiter detected from the content.
 * - `tsv`: like `csv`, always tab-delimited.
 * - `json`: one array of objects, `[{ "name": "Ada" }, …]`.
 * - `ndjson`: one object per line (`.ndjson` or `.jsonl`).
 */
export type DatasetFormat = 'csv' | 'tsv' | 'json' | 'ndjson';

/**
 * What the dataset stage needs from a template. A `Pick`, so that a concrete
 * `TemplateDefinition<{ name: … }>` is accepted: the full type is not assignable to
 * `TemplateDefinition<SlotMap>` because `component` and `duration` take the specific props.
 */
export type DatasetTemplate = Pick<TemplateDefinition, 'id' | 'slots' | 'rowKey'>;

/** A slot read from the dataset: every kind except `broll` (generated from its prompt). */
export type DataSlot = Exclude<Slot, { kind: 'broll' }>;

/** One record as a reader found it, before mapping and coercion. */
export type RawRecord = {
  /** 1-based line in the file where the record starts (the CSV header is line 1). */
  line: number;
  /** 0-based position among the data records (blank lines do not count). */
  index: number;
  /** Cell values by file column name: strings from CSV, any JSON value from JSON/NDJSON. */
  cells: Readonly<Record<string, unknown>>;
  /**
   * Set when the reader could read the record but not make sense of it (a CSV row with more
   * cells than the header, a JSON element that is not an object): the whole row is a problem.
   */
  defect?: string;
};

/** What a reader hands to `readDataset`: the column names and the records, streamed. */
export type RecordSource = {
  /** Column names: the CSV header, or the keys of the first JSON record. */
  columns: readonly string[];
  /** The delimiter in use (CSV/TSV only). */
  delimiter: string | null;
  /** The records, read lazily. Iterating to the end closes the file. */
  records: AsyncGenerator<RawRecord, void, undefined>;
  /** Closes the file early; safe to call more than once. */
  close(): Promise<void>;
};

/**
 * How a slot found its column.
 * - `map`: an explicit override (`--map column=slot`).
 * - `exact`: the column has exactly the slot's name.
 * - `name`: the names match ignoring case, spaces, underscores and dashes.
 * - `alias`: the column matches one of the slot's declared `aliases` (same leniency).
 * - `none`: no column; the slot takes its default or stays empty (optional slots only).
 */
export type ColumnMatch = 'map' | 'exact' | 'name' | 'alias' | 'none';

/** Where one slot's values come from. */
export type SlotColumn = {
  /** The file's column name, or `null` when the slot has no column. */
  column: string | null;
  /** How the column was matched. */
  match: ColumnMatch;
};

/** The column → slot mapping of a dataset file against a template. */
export type ColumnMapping = {
  /** One entry per data slot (B-roll slots are never columns), in template order. */
  slots: Readonly<Record<string, SlotColumn>>;
  /** Columns that feed no slot. Not an error; worth telling the user (`info`). */
  unmappedColumns: readonly string[];
};

/**
 * Short ids of the rules a row can break.
 * - `required`: an empty cell for a required slot with no default.
 * - `type`: a JSON value of the wrong kind (an object or list where text was expected).
 * - `number`: not a number (`"12,50"`, `"$3"`).
 * - `integer`: a fraction where a whole number is expected.
 * - `min` / `max`: a number out of the slot's range.
 * - `minLength` / `maxLength`: text shorter or longer than allowed (in characters).
 * - `color`: not `#rgb` / `#rrggbb`.
 * - `date`: not `YYYY-MM-DD`, or a date that does not exist (2026-02-30).
 * - `choice`: not one of the slot's options.
 * - `image`: a scheme other than http(s), a missing file, a path outside the allowed folders, or a
 *   local file that is not an image (judged by its first bytes).
 * - `audio`: the same as `image` (except the content check), for an audio slot.
 * - `duplicateKey`: the row key (or, without a `rowKey`, the whole row) repeats an earlier row.
 * - `record`: the row as a whole is unreadable (too many cells, not a JSON object).
 */
export type ProblemRule =
  | 'required'
  | 'type'
  | 'number'
  | 'integer'
  | 'min'
  | 'max'
  | 'minLength'
  | 'maxLength'
  | 'color'
  | 'date'
  | 'choice'
  | 'image'
  | 'audio'
  | 'duplicateKey'
  | 'record';

/** One thing wrong with one row, in words a non-programmer understands. */
export type RowProblem = {
  /** 1-based line where the row starts in the file. */
  line: number;
  /** 0-based data index of the row. */
  index: number;
  /** The file's column name; `null` when the problem is not about one column. */
  column: string | null;
  /** The slot the column feeds; `null` when the problem is not about one slot. */
  slot: string | null;
  /** The value received, shortened to about 40 characters (`…` marks a cut). */
  value: string;
  /** Short rule id, stable for reports and tests. */
  rule: ProblemRule;
  /** What is wrong and how to fix it, without the location (see `formatProblem`). */
  message: string;
};

/** A valid row, ready for planning. */
export type DatasetRow = {
  /** 0-based data index. */
  index: number;
  /** 1-based line where the row starts in the file. */
  line: number;
  /** The template's `rowKey` value, or a short stable hash of the row's values. Unique in the file. */
  key: string;
  /** sha256 (hex) of the canonical JSON of the values and the key; changes when the row changes. */
  hash: string;
  /** Coerced values by slot name; optional empty slots are absent. */
  values: RowValues;
};

/**
 * The outcome of one row.
 * - `ok: true`: the row is valid; `row` holds its values.
 * - `ok: false`: the row breaks at least one rule; `problems` lists every one found.
 */
export type RowResult =
  | { ok: true; row: DatasetRow }
  | { ok: false; line: number; index: number; problems: RowProblem[] };

/** Options of `readDataset`. */
export type ReadDatasetOptions = {
  /** Path of the dataset file (relative paths resolve from the current directory). */
  file: string;
  /** The template whose slots the rows fill (from `defineTemplate`). */
  template: DatasetTemplate;
  /**
   * Explicit column → slot overrides (`--map column=slot`); these win over name matching.
   * For JSON, the column must be a key of the first record.
   */
  map?: Readonly<Record<string, string>> | null;
  /** Overrides the format chosen from the file extension. */
  format?: DatasetFormat | null;
  /**
   * Folder (absolute, or relative to the current directory) that relative image paths resolve
   * from and must stay inside; default the dataset file's folder. `reelwright watch` passes the
   * inbox, so a file dropped there finds the images next to it although it is read from
   * `<inbox>/processing/`.
   */
  assetsDir?: string | null;
  /**
   * Extra folders (absolute, or relative to the current directory) that image paths may point
   * into. By default an image path must stay inside the dataset file's folder (or `assetsDir`).
   */
  allowedImageRoots?: readonly string[] | null;
  /** A record (CSV row, JSON element, NDJSON line) longer than this many characters is refused. */
  maxRecordChars?: number;
  /** Stops reading; iteration then rejects with `CancelledError`. */
  signal?: AbortSignal | null;
};

/** What `readDataset` returns once the header (or first record) has been checked. */
export type ReadDatasetResult = {
  /** Absolute path of the dataset file. */
  file: string;
  /** The file name used in messages (`welcome.csv`). */
  fileLabel: string;
  /** The format the file was read as. */
  format: DatasetFormat;
  /** Column names as found in the file. */
  columns: readonly string[];
  /** Which column feeds which slot. */
  mapping: ColumnMapping;
  /** The rows, validated one at a time as they are read. Iterate once. */
  rows: AsyncIterable<RowResult>;
  /** Closes the file early (not needed after iterating `rows` to the end). Safe to call twice. */
  close(): Promise<void>;
  /** Same as `close()`, for `await using dataset = await readDataset(…)`. */
  [Symbol.asyncDispose](): Promise<void>;
};
