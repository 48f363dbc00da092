import Papa from 'papaparse';
import { DatasetError } from '../errors/index.js';
import { readTextChunks } from './read-text-chunks.js';
import type { RawRecord, RecordSource } from './types.js';

/** Options of `readCsvRecords`. */
export type ReadCsvRecordsOptions = {
  /** Absolute path of the file. */
  file: string;
  /** File name used in messages. */
  fileLabel: string;
  /** Fixed delimiter (`'\t'` for .tsv); `null` detects `,` `;` or tab from the first rows. */
  delimiter?: string | null;
  /** A row longer than this many characters is refused (usually a quote that is never closed). */
  maxRecordChars?: number;
  /** Stops reading between chunks. */
  signal?: AbortSignal | null;
};

/** Longest accepted CSV row, in characters (Excel caps a cell at 32,767). */
export const DEFAULT_MAX_RECORD_CHARS = 1024 * 1024;

/** Delimiters tried when none is given, in papaparse's tie-break order. */
const DELIMITERS_TO_GUESS = [',', ';', '\t'];
/** Characters looked at to guess the delimiter and line ending. */
const SNIFF_CHARS = 64 * 1024;

/**
 * papaparse's core parser (`Papa.Parser`, exported but not in @types/papaparse). Called with
 * `ignoreLastRow` it parses every complete row of the text and reports in `meta.cursor` where
 * the unfinished last row starts, which is how papaparse's own ChunkStreamer streams.
 *
 * We drive it ourselves instead of `Papa.parse(stream)` because, in papaparse 5.7, the
 * readable-stream streamer cannot pause the file stream (`ChunkStreamer.prototype.pause` does
 * not exist, so the whole file is queued in memory when the consumer is slow) and the
 * `NODE_STREAM_INPUT` duplex drops parse errors (an unclosed quote would go unnoticed).
 */
type CoreParser = {
  parse(input: string, baseIndex: number, ignoreLastRow: boolean): {
    data: string[][];
    errors: { code: string; row?: number }[];
    meta: { cursor: number };
  };
};
type CoreParserConstructor = new (config: { delimiter: string; newline: string; quoteChar: string }) => CoreParser;
const CoreParser = (Papa as unknown as { Parser: CoreParserConstructor }).Parser;

/** A parsed CSV row and the line it starts on. */
type CsvRow = { cells: string[]; line: number; defect?: string };

/** Line breaks inside a row's cells: quoted values may span lines (`\n`, `\r\n` or `\r`). */
function countBreaks(cells: readonly string[]): number {
  let breaks = 0;
  for (const cell of cells) {
    for (let at = cell.indexOf('\n'); at !== -1; at = cell.indexOf('\n', at + 1)) breaks++;
    for (let at = cell.indexOf('\r'); at !== -1; at = cell.indexOf('\r', at + 1)) if (cell.charCodeAt(at + 1) !== 10) breaks++;
  }
  return breaks;
}

function isBlank(cells: readonly string[]): boolean {
  for (const cell of cells) if (cell.trim() !== '') return false;
  return true;
}

function describeDelimiter(delimiter: string): string {
  return delimiter === '\t' ? 'a tab' : `"${delimiter}"`;
}

/** A row with fewer values than the header: say how many, and how to keep the values in their columns. */
function shortRowDefect(values: number, columns: number, delimiter: string): string {
  const d = delimiter === '\t' ? 'a tab' : `"${delimiter}"`;
  const sample = delimiter === '\t' ? 'two tabs in a row' : `"Ada${delimiter}${delimiter}London"`;
  return (
    `this row has ${values} ${values === 1 ? 'value' : 'values'} but the header has ${columns} columns, so the values after a missing one sit in the wrong columns. ` +
    `Give every column a value, separated by ${d}; leave a cell empty with nothing between two separators (${sample}).`
  );
}

async function* parseRows(
  chunks: AsyncGenerator<string, void, undefined>,
  first: string,
  firstIsAll: boolean,
  parser: CoreParser,
  options: ReadCsvRecordsOptions,
): AsyncGenerator<CsvRow, void, undefined> {
  const maxChars = options.maxRecordChars ?? DEFAULT_MAX_RECORD_CHARS;
  let partial = '';
  let line = 1;
  let pending: string | null = first;
  let done = firstIsAll;
  try {
    while (pending !== null) {
      const text = partial + pending;
      const result = parser.parse(text, 0, !done);
      const defects = new Map<number, string>();
      let unclosedQuoteRow = -1;
      for (const error of result.errors) {
        if (error.row === undefined) continue;
        if (error.code === 'MissingQuotes' && unclosedQuoteRow === -1) unclosedQuoteRow = error.row;
        if (error.code === 'InvalidQuotes') {
          defects.set(error.row, 'a quoted value has text after its closing quote. Inside a quoted value, write a double quote as two ("").');
        }
      }
      for (let i = 0; i < result.data.length; i++) {
        const cells = result.data[i] as string[];
        const start = line;
        if (i === unclosedQuoteRow) {
          throw new DatasetError(
            `${options.fileLabel} line ${start}: a value starts with a double quote (") that is never closed, so the rest of the file would become one cell. Add the closing quote, or write a quote inside a value as two ("").`,
            { code: 'RW_DATASET_MALFORMED' },
          );
        }
        line += 1 + countBreaks(cells);
        // Blank lines (and rows of empty cells, which spreadsheets export) are not records.
        if (isBlank(cells)) continue;
        const defect = defects.get(i);
        yield defect === undefined ? { cells, line: start } : { cells, line: start, defect };
      }
      partial = text.slice(result.meta.cursor);
      if (partial.length > maxChars) {
        throw new DatasetError(
          `${options.fileLabel} line ${line}: this row is longer than ${maxChars} characters. Most likely a double quote (") is never closed; check that line.`,
          { code: 'RW_DATASET_MALFORMED' },
        );
      }
      if (done) break;
      const next = await chunks.next();
      if (next.done) {
        done = true;
        pending = '';
      } else {
        pending = next.value;
      }
    }
  } finally {
    await chunks.return();
  }
}

/**
 * Streams a CSV or TSV file with papaparse: the first non-blank row is the header, each later
 * row becomes a `RawRecord` that knows the line it starts on (quoted values may span lines).
 * The UTF-8 byte-order mark is dropped; the delimiter (`,` `;` or tab) is detected from the
 * first rows unless given. Blank rows are skipped. A row with more values than the header is
 * kept with a `defect` (usually an unquoted delimiter inside a value), and so is a row with fewer
 * values (a value or a delimiter left out: the values after it would land in the wrong columns).
 *
 * Resolves once the header is read; `records` then reads the rest lazily, one 64 KiB chunk at a time.
 *
 * @throws DatasetError `RW_DATASET_EMPTY` (no header), `RW_DATASET_MALFORMED` (a quote never
 *   closed), and the file errors of `readTextChunks`.
 * @example
 * const source = await readCsvRecords({ file: '/data/welcome.csv', fileLabel: 'welcome.csv' });
 * for await (const record of source.records) console.log(record.line, record.cells);
 */
export async function readCsvRecords(options: ReadCsvRecordsOptions): Promise<RecordSource> {
  const chunks = readTextChunks(options);
  let sample = '';
  let sampleIsAll = false;
  try {
    while (sample.length < SNIFF_CHARS) {
      const next = await chunks.next();
      if (next.done) {
        sampleIsAll = true;
        break;
      }
      sample += next.value;
    }
  } catch (error) {
    await chunks.return();
    throw error;
  }
  if (sample.trim() === '') {
    await chunks.return();
    throw new DatasetError(`${options.fileLabel} is empty. A CSV file needs a header row with column names, then one row per video.`, { code: 'RW_DATASET_EMPTY' });
  }
  const sniffed = Papa.parse<string[]>(sample.slice(0, SNIFF_CHARS), {
    preview: 10,
    delimitersToGuess: DELIMITERS_TO_GUESS,
    ...(options.delimiter ? { delimiter: options.delimiter } : {}),
  });
  const delimiter = options.delimiter ?? sniffed.meta.delimiter;
  const newline = sniffed.meta.linebreak;
  const parser = new CoreParser({ delimiter, newline, quoteChar: '"' });
  const rows = parseRows(chunks, sample, sampleIsAll, parser, options);

  const head = await rows.next();
  if (head.done) throw new DatasetError(`${options.fileLabel} is empty. A CSV file needs a header row with column names, then one row per video.`, { code: 'RW_DATASET_EMPTY' });
  const columns = head.value.cells.map((name) => name.trim());

  async function* toRecords(): AsyncGenerator<RawRecord, void, undefined> {
    let index = 0;
    try {
      for await (const row of rows) {
        // A prototype-less object: a column named "__proto__" must stay an ordinary cell.
        const cells: Record<string, string> = Object.create(null) as Record<string, string>;
        const count = Math.min(row.cells.length, columns.length);
        for (let i = 0; i < count; i++) cells[columns[i] as string] = row.cells[i] as string;
        let defect = row.defect;
        if (defect === undefined && row.cells.length > columns.length && !isBlank(row.cells.slice(columns.length))) {
          defect = `this row has ${row.cells.length} values but the header has ${columns.length} columns. A value that contains ${describeDelimiter(delimiter)} must be wrapped in double quotes ("Smith, Ada").`;
        } else if (defect === undefined && row.cells.length < columns.length) {
          // One problem for the row, not "this cell is empty" for its last columns: a value missing in the middle
          // shifts the ones after it, so the empty cells are rarely where the value went missing.
          defect = shortRowDefect(row.cells.length, columns.length, delimiter);
        }
        yield defect === undefined ? { line: row.line, index: index++, cells } : { line: row.line, index: index++, cells, defect };
      }
    } finally {
      await rows.return();
    }
  }

  const records = toRecords();
  return {
    columns,
    delimiter,
    records,
    close: async () => {
      // `records` may never have started (then its finally does not run): close the rows too.
      await records.return();
      await rows.return();
    },
  };
}
