import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';

/** Content types by lower-case extension; anything else is `application/octet-stream`. */
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
  '.svg': 'image/svg+xml',
  '.avif': 'image/avif',
  '.mp4': 'video/mp4',
  '.m4v': 'video/mp4',
  '.webm': 'video/webm',
  '.mov': 'video/quicktime',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wav': 'audio/wav',
  '.mp3': 'audio/mpeg',
  '.m4a': 'audio/mp4',
  '.ogg': 'audio/ogg',
};

/**
 * How long a browser may keep the file.
 * - `immutable`: content-addressed (hash in the path): forever.
 * - `revalidate`: may change (an output, a dataset image): ask again each time.
 */
export type SendFileCaching = 'immutable' | 'revalidate';

/** Options of `sendFile`. */
export type SendFileOptions = {
  request: IncomingMessage;
  response: ServerResponse;
  /** Absolute path, already checked to be servable. */
  file: string;
  caching?: SendFileCaching;
};

/** Parses `bytes=a-b`; null when unsatisfiable, `all` when absent or not a single range (then served whole). */
function parseRange(header: string | undefined, size: number): { start: number; end: number } | null | 'all' {
  if (!header) return 'all';
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match) return 'all';
  const [, from = '', to = ''] = match;
  if (from === '' && to === '') return 'all';
  let start: number;
  let end: number;
  if (from === '') {
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
 * Answers a GET or HEAD with one file, read-only: content type by extension, `nosniff`, HTTP Range (a `<video>`
 * seeks through ranges), 404 when the file is missing or not a regular file.
 *
 * @example
 * await sendFile({ request, response, file: '/work/demo/outputs/ada.mp4' });
 */
export async function sendFile(options: SendFileOptions): Promise<void> {
  const { request, response, file } = options;
  const info = await stat(file).catch(() => null);
  if (!info?.isFile()) {
    response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found');
    return;
  }
  const headers: Record<string, string> = {
    'content-type': CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
    'accept-ranges': 'bytes',
    'last-modified': info.mtime.toUTCString(),
    'x-content-type-options': 'nosniff',
    'cache-control': options.caching === 'immutable' ? 'public, max-age=31536000, immutable' : 'no-cache',
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
