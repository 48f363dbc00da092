import { DatasetError } from '../errors/index.js';
import { DEFAULT_MAX_RECORD_CHARS } from './read-csv-records.js';
import { readTextChunks } from './read-text-chunks.js';
import type { RawRecord, RecordSource } from './types.js';

/** Options of `readJsonRecords`. */
export type ReadJsonRecordsOptions = {
  /** Absolute path of the file. */
  file: string;
  /** File name used in messages. */
  fileLabel: string;
  /** `json`: one array of objects; `ndjson`: one object per line. */
  format: 'json' | 'ndjson';
  /** A record longer than this many characters is refused (usually a bracket never closed). */
  maxRecordChars?: number;
  /** Stops reading between chunks. */
  signal?: AbortSignal | null;
};

/** A parsed JSON value and the line it starts on. */
type JsonElement = { value: unknown; line: number };

const SPACE = 0x20;
const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

function isSpace(c: number): boolean {
  return c === SPACE || c === LF || c === CR || c === TAB;
}

function malformed(options: ReadJsonRecordsOptions, line: number, what: string): DatasetError {
  return new DatasetError(`${options.fileLabel} line ${line}: ${what}`, { code: 'RW_DATASET_MALFORMED' });
}

/** Parses one JSON text, turning a syntax error into a message with the right line. */
function parseJson(text: string, line: number, options: ReadJsonRecordsOptions): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const raw = error instanceof Error ? error.message : String(error);
    const position = /at position (\d+)/.exec(raw);
    let at = line;
    if (position) {
      const end = Number(position[1]);
      for (let i = text.indexOf('\n'); i !== -1 && i < end; i = text.indexOf('\n', i + 1)) at++;
    }
    // V8 messages quote the input (`Unexpected token 'x', "{"a": x}" is not valid JSON`): keep the reason only.
    const reason = raw.replace(/, ".*" is not valid JSON$/s, '').replace(/ in JSON at position \d+.*$/s, '').slice(0, 120);
    throw new DatasetError(
      `${options.fileLabel} line ${at}: this is not valid JSON (${reason}). Check for a missing comma, quote or bracket on or just before that line.`,
      { code: 'RW_DATASET_MALFORMED', cause: error },
    );
  }
}

/** NDJSON: one JSON value per line; blank lines are skipped. */
async function* parseLines(chunks: AsyncGenerator<string, void, undefined>, options: ReadJsonRecordsOptions): AsyncGenerator<JsonElement, void, undefined> {
  const maxChars = options.maxRecordChars ?? DEFAULT_MAX_RECORD_CHARS;
  let pending = '';
  let line = 1;
  try {
    for await (const chunk of chunks) {
      pending += chunk;
      let start = 0;
      for (let nl = pending.indexOf('\n'); nl !== -1; nl = pending.indexOf('\n', start)) {
        const end = nl > start && pending.charCodeAt(nl - 1) === CR ? nl - 1 : nl;
        const text = pending.slice(start, end);
        if (text.trim() !== '') yield { value: parseJson(text, line, options), line };
        line++;
        start = nl + 1;
      }
      pending = pending.slice(start);
      if (pending.length > maxChars) throw malformed(options, line, `this line is longer than ${maxChars} characters. Each line must hold one JSON object.`);
    }
    if (pending.trim() !== '') yield { value: parseJson(pending, line, options), line };
  } finally {
    await chunks.return();
  }
}

/**
 * A JSON array, streamed: a small scanner finds where each top-level element starts and ends
 * (tracking strings and nesting), and only that element's text is handed to `JSON.parse`.
 */
async function* parseArray(chunks: AsyncGenerator<string, void, undefined>, options: ReadJsonRecordsOptions): AsyncGenerator<JsonElement, void, undefined> {
  const maxChars = options.maxRecordChars ?? DEFAULT_MAX_RECORD_CHARS;
  let phase: 'before' | 'inside' | 'after' = 'before';
  let buffer = '';
  let pos = 0;
  let line = 1;
  let depth = 0;
  let inString = false;
  let escaped = false;
  let start = -1;
  let startLine = 0;
  let afterComma = false;
  try {
    for await (const chunk of chunks) {
      buffer += chunk;
      for (; pos < buffer.length; pos++) {
        const c = buffer.charCodeAt(pos);
        if (c === LF) line++;
        if (inString) {
          if (escaped) escaped = false;
          else if (c === BACKSLASH) escaped = true;
          else if (c === QUOTE) inString = false;
          continue;
        }
        if (phase === 'before') {
          if (isSpace(c)) continue;
          if (c === OPEN_BRACKET) {
            phase = 'inside';
            continue;
          }
          throw malformed(
            options,
            line,
            c === OPEN_BRACE
              ? 'expected a JSON array of rows, [ {…}, {…} ], but the file starts with "{". If the file has one object per line, name it .ndjson or .jsonl.'
              : 'expected a JSON array of rows, [ {…}, {…} ], but the file does not start with "[".',
          );
        }
        if (phase === 'after') {
          if (isSpace(c)) continue;
          throw malformed(options, line, 'there is more text after the closing "]" of the array. Put every row inside the one array.');
        }
        if (start === -1) {
          if (isSpace(c)) continue;
          if (c === CLOSE_BRACKET) {
            if (afterComma) throw malformed(options, line, 'there is a comma before the closing "]". Remove the last comma.');
            phase = 'after';
            continue;
          }
          if (c === COMMA) throw malformed(options, line, 'there are two commas in a row (or a comma right after "["). Remove the extra comma.');
          start = pos;
          startLine = line;
          afterComma = false;
        }
        if (c === QUOTE) inString = true;
        else if (c === OPEN_BRACE || c === OPEN_BRACKET) depth++;
        else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
          if (depth > 0) depth--;
          else if (c === CLOSE_BRACKET) {
            yield { value: parseJson(buffer.slice(start, pos), startLine, options), line: startLine };
            start = -1;
            phase = 'after';
          } else throw malformed(options, line, 'there is a "}" without a matching "{".');
        } else if (c === COMMA && depth === 0) {
          yield { value: parseJson(buffer.slice(start, pos), startLine, options), line: startLine };
          start = -1;
          afterComma = true;
        }
      }
      // Keep only the unfinished element; everything before it has been handed out.
      if (start === -1) {
        buffer = '';
        pos = 0;
      } else {
        if (pos - start > maxChars) throw malformed(options, startLine, `this row is longer than ${maxChars} characters. Most likely a bracket or quote is never closed.`);
        buffer = buffer.slice(start);
        pos -= start;
        start = 0;
      }
    }
    if (phase === 'before') return;
    if (phase === 'inside') {
      throw malformed(options, line, inString ? 'the file ends inside a text value: a double quote (") is never closed.' : 'the file ends before the closing "]" of the array.');
    }
  } finally {
    await chunks.return();
  }
}

function describeJson(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'string' ? 'a text' : `a ${typeof value}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Streams a JSON array (`[{…}, {…}]`) or NDJSON (one object per line) file as `RawRecord`s,
 * each with the line it starts on. Neither format is read whole: NDJSON is split on newlines,
 * a JSON array is cut into elements by a small scanner and each element parsed on its own.
 *
 * `columns` are the keys of the first record; later records may add keys (read-dataset maps
 * those too). A later element that is not an object is kept with a `defect`.
 *
 * @throws DatasetError `RW_DATASET_EMPTY` (no records), `RW_DATASET_MALFORMED` (invalid JSON,
 *   with the line; or a first record that is not an object), and the file errors of `readTextChunks`.
 * @example
 * const source = await readJsonRecords({ file: '/data/rows.ndjson', fileLabel: 'rows.ndjson', format: 'ndjson' });
 */
export async function readJsonRecords(options: ReadJsonRecordsOptions): Promise<RecordSource> {
  const chunks = readTextChunks(options);
  const elements = options.format === 'ndjson' ? parseLines(chunks, options) : parseArray(chunks, options);
  const head = await elements.next();
  if (head.done) {
    const shape = options.format === 'ndjson' ? 'one JSON object per line' : 'a JSON array of objects, [ {…}, {…} ]';
    throw new DatasetError(`${options.fileLabel} has no rows. It should hold ${shape}, one per video.`, { code: 'RW_DATASET_EMPTY' });
  }
  const first = head.value;
  if (!isRecord(first.value)) {
    await elements.return();
    const hint = options.format === 'ndjson' && Array.isArray(first.value) ? ' For a file holding one JSON array, use the .json extension.' : '';
    throw malformed(options, first.line, `expected each row to be an object like {"name": "Ada"}, got ${describeJson(first.value)}.${hint}`);
  }
  const columns = Object.keys(first.value);

  async function* toRecords(): AsyncGenerator<RawRecord, void, undefined> {
    let index = 0;
    try {
      yield { line: first.line, index: index++, cells: first.value as Record<string, unknown> };
      for await (const element of elements) {
        if (isRecord(element.value)) {
          yield { line: element.line, index: index++, cells: element.value };
        } else {
          yield { line: element.line, index: index++, cells: {}, defect: `expected an object like {"name": "Ada"}, got ${describeJson(element.value)}.` };
        }
      }
    } finally {
      await elements.return();
    }
  }

  const records = toRecords();
  return {
    columns,
    delimiter: null,
    records,
    close: async () => {
      await records.return();
      await elements.return();
    },
  };
}
