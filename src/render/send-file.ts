import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { contentTypeOf } from './content-type-of.js';

/** Options for `sendFile`. */
export type SendFileOptions = {
  request: IncomingMessage;
  response: ServerResponse;
  /** Absolute path, already checked to be servable (see `resolveConfinedPath`). */
  file: string;
  /** Headers added to every 200, 206 and 416 answer (CORS, caching, `nosniff`); none by default. */
  headers?: Readonly<Record<string, string>>;
  /** Extra content types by extension, see `contentTypeOf`; none by default. */
  contentTypes?: Readonly<Record<string, string>>;
};

/** Parses `bytes=a-b` against a file size; null when unsatisfiable, 'all' when absent or multi-range (served whole). */
function parseRange(header: string | undefined, size: number): { start: number; end: number } | null | 'all' {
  if (!header) return 'all';
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match) return 'all';
  const [, from = '', to = ''] = match;
  if (from === '' && to === '') return 'all';
  let start: number;
  let end: number;
  if (from === '') {
    // Suffix range: the last N bytes.
    const length = Number(to);
    if (length === 0) return null;
    start = Math.max(0, size - length);
    end = size - 1;
  } else {
    start = Number(from);
    end = to === '' ? size - 1 : Math.min(Number(to), size - 1);
  }
  if (start >= size || start > end) return null;
  return { start, end };
}

/**
 * Answers a GET or HEAD with one file, read-only: content type by extension, HTTP Range (a `<video>` seeks through
 * ranges; an unsatisfiable range is a 416), 404 when the file is missing or not a regular file. The caller checks
 * the method and that the file may be served.
 *
 * @example
 * await sendFile({ request, response, file: '/work/demo/outputs/ada.mp4', headers: { 'cache-control': 'no-cache' } });
 * @see serveFiles
 */
export async function sendFile(options: SendFileOptions): Promise<void> {
  const { request, response, file } = options;
  const info = await stat(file).catch(() => null);
  if (!info?.isFile()) {
    response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found');
    return;
  }
  const headers: Record<string, string> = {
    'content-type': contentTypeOf({ file, ...(options.contentTypes ? { contentTypes: options.contentTypes } : {}) }),
    'accept-ranges': 'bytes',
    'last-modified': info.mtime.toUTCString(),
    ...options.headers,
  };
  const range = parseRange(request.headers.range, info.size);
  if (range === null) {
    response.writeHead(416, { ...headers, 'content-range': `bytes */${info.size}` }).end();
    return;
  }
  const { start, end } = range === 'all' ? { start: 0, end: info.size - 1 } : range;
  const length = info.size === 0 ? 0 : end - start + 1;
  response.writeHead(range === 'all' ? 200 : 206, {
    ...headers,
    'content-length': String(length),
    ...(range === 'all' ? {} : { 'content-range': `bytes ${start}-${end}/${info.size}` }),
  });
  if (request.method === 'HEAD' || length === 0) {
    response.end();
    return;
  }
  const stream = createReadStream(file, { start, end });
  stream.on('error', () => response.destroy());
  stream.pipe(response);
}
