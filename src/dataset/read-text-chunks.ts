import { createReadStream } from 'node:fs';
import { DatasetError, ReelwrightError, throwIfAborted } from '../errors/index.js';

/** Options of `readTextChunks`. */
export type ReadTextChunksOptions = {
  /** Absolute path of the file. */
  file: string;
  /** File name used in messages. */
  fileLabel: string;
  /** Stops reading between chunks. */
  signal?: AbortSignal | null;
};

/** Bytes read per chunk; memory per open dataset stays around this size plus one record. */
export const DEFAULT_CHUNK_BYTES = 64 * 1024;

function fileError(error: unknown, options: ReadTextChunksOptions): DatasetError {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code === 'ENOENT') {
    return new DatasetError(`Dataset file not found: ${options.file}. Check the path and the file name.`, { code: 'RW_DATASET_NOT_FOUND', cause: error });
  }
  if (code === 'EISDIR') {
    return new DatasetError(`${options.file} is a folder, not a dataset file. Point to a .csv, .tsv, .json, .ndjson or .jsonl file inside it.`, { code: 'RW_DATASET_UNREADABLE', cause: error });
  }
  const detail = error instanceof Error ? error.message : String(error);
  return new DatasetError(`Cannot read ${options.file} (${detail}). Check that the file exists and that you may read it.`, { code: 'RW_DATASET_UNREADABLE', cause: error });
}

function countNewlines(bytes: Uint8Array, end = bytes.length): number {
  let count = 0;
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, end);
  for (let at = buffer.indexOf(0x0a); at !== -1; at = buffer.indexOf(0x0a, at + 1)) count++;
  return count;
}

/**
 * Reads a file as UTF-8 text, one chunk at a time, with backpressure: the next chunk is read
 * only when the consumer asks for it. A UTF-8 byte-order mark is dropped; bytes that are not
 * UTF-8 (a file saved as Windows-1252 or UTF-16) stop the read with `RW_DATASET_ENCODING`
 * naming the line, instead of turning names into `�` in every video.
 *
 * @throws DatasetError `RW_DATASET_NOT_FOUND`, `RW_DATASET_UNREADABLE`, `RW_DATASET_ENCODING`.
 */
export async function* readTextChunks(options: ReadTextChunksOptions): AsyncGenerator<string, void, undefined> {
  // fatal: a wrong encoding must be reported, not silently replaced. ignoreBOM false drops the BOM.
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
  const stream = createReadStream(options.file, { highWaterMark: DEFAULT_CHUNK_BYTES });
  let linesBefore = 0;
  let first = true;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      throwIfAborted(options.signal);
      if (first) {
        first = false;
        if (chunk.length >= 2 && ((chunk[0] === 0xff && chunk[1] === 0xfe) || (chunk[0] === 0xfe && chunk[1] === 0xff))) {
          throw new DatasetError(`${options.fileLabel} is saved as UTF-16 text. Save it as UTF-8 (in Excel: Save As › "CSV UTF-8") and try again.`, { code: 'RW_DATASET_ENCODING' });
        }
      }
      let text: string;
      try {
        text = decoder.decode(chunk, { stream: true });
      } catch (error) {
        const valid = chunk.toString('utf8');
        const badAt = valid.indexOf('\ufffd');
        const line = linesBefore + 1 + (badAt === -1 ? 0 : countNewlines(chunk, Buffer.byteLength(valid.slice(0, badAt))));
        throw new DatasetError(
          `${options.fileLabel} line ${line} is not valid UTF-8 text. Save the file as UTF-8 (in Excel: Save As › "CSV UTF-8") and try again.`,
          { code: 'RW_DATASET_ENCODING', cause: error },
        );
      }
      linesBefore += countNewlines(chunk);
      if (text.length > 0) yield text;
    }
    throwIfAborted(options.signal);
    const rest = decoder.decode();
    if (rest.length > 0) yield rest;
  } catch (error) {
    if (error instanceof ReelwrightError) throw error;
    if (error instanceof TypeError && (error as { code?: unknown }).code === 'ERR_ENCODING_INVALID_ENCODED_DATA') {
      throw new DatasetError(`${options.fileLabel} ends in the middle of a UTF-8 character. Save the file as UTF-8 and try again.`, { code: 'RW_DATASET_ENCODING', cause: error });
    }
    throw fileError(error, options);
  } finally {
    stream.destroy();
  }
}
