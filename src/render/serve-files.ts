import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { RenderError } from '../errors/index.js';

/** Content types by lower-case extension; anything else is served as `application/octet-stream`. */
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
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

/** Mount prefixes: letters, digits, `-`, `_`, `.`, one or more segments separated by `/`. */
const PREFIX_PATTERN = /^[A-Za-z0-9_-][A-Za-z0-9._-]*(\/[A-Za-z0-9_-][A-Za-z0-9._-]*)*$/;

/** Options for `serveFiles`. */
export type ServeFilesOptions = {
  /** Interface to listen on; defaults to `127.0.0.1` (never reachable from other machines). */
  host?: string;
};

/**
 * A loopback HTTP server that serves read-only files from mounted folders.
 * Nothing outside a mounted root is ever served: `..` segments are refused and symlinks must stay inside the root.
 */
export interface FileServer {
  /** `http://127.0.0.1:<port>`, without a trailing slash. */
  readonly origin: string;
  /**
   * Serves `dir` under `/<prefix>/` and returns that URL prefix (ending in `/`). Mounting the same prefix again with the
   * same folder is a no-op; with another folder it throws `RW_INVALID_OPTION`.
   */
  mount(prefix: string, dir: string): string;
  /** Serves one file and returns its URL. The URL depends only on the file's absolute path. */
  mountFile(file: string): string;
  /** Stops listening and closes open connections. */
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

type Mount = { root: string; realRoot: Promise<string> | null; file: string | null };

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

function isInside(root: string, target: string): boolean {
  const relative = path.relative(root, target);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

class LoopbackFileServer implements FileServer {
  readonly origin: string;
  readonly #server: Server;
  readonly #mounts = new Map<string, Mount>();
  #closing: Promise<void> | null = null;

  constructor(server: Server) {
    this.#server = server;
    const address = server.address() as AddressInfo;
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    this.origin = `http://${host}:${address.port}`;
    server.on('request', (request, response) => {
      this.#handle(request, response).catch((error: unknown) => {
        // The response may already be streaming; the best we can do is end it.
        if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
        response.end(response.headersSent ? undefined : `Internal error: ${(error as Error).message}`);
      });
    });
  }

  mount(prefix: string, dir: string): string {
    if (!PREFIX_PATTERN.test(prefix) || prefix.split('/').some((part) => part === '.' || part === '..')) {
      throw new RenderError(`mount prefix must be URL-safe path segments like "bundles/abc123", got ${JSON.stringify(prefix)}.`, {
        code: 'RW_INVALID_OPTION',
      });
    }
    const root = path.resolve(dir);
    const existing = this.#mounts.get(prefix);
    if (existing && (existing.root !== root || existing.file !== null)) {
      throw new RenderError(`mount prefix "${prefix}" already serves ${existing.root}; cannot also serve ${root}.`, { code: 'RW_INVALID_OPTION' });
    }
    if (!existing) this.#mounts.set(prefix, { root, realRoot: null, file: null });
    return `${this.origin}/${prefix}/`;
  }

  mountFile(file: string): string {
    const absolute = path.resolve(file);
    const prefix = `files/${createHash('sha256').update(absolute).digest('hex').slice(0, 16)}`;
    if (!this.#mounts.has(prefix)) this.#mounts.set(prefix, { root: path.dirname(absolute), realRoot: null, file: absolute });
    return `${this.origin}/${prefix}/${encodeURIComponent(path.basename(absolute))}`;
  }

  close(): Promise<void> {
    this.#closing ??= new Promise<void>((resolve) => {
      this.#server.close(() => resolve());
      this.#server.closeAllConnections();
    });
    return this.#closing;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  /** Finds the mount with the longest prefix matching the URL path and returns the file it names, or null. */
  async #resolve(urlPath: string): Promise<string | null> {
    let decoded: string;
    try {
      decoded = decodeURIComponent(urlPath);
    } catch {
      return null;
    }
    if (decoded.includes('\0') || decoded.includes('\\')) return null;
    const segments = decoded.split('/').filter((part) => part !== '');
    // Refuse any dot segment outright (even one that would stay inside the root): no legitimate URL has one.
    if (segments.some((part) => part === '..' || part === '.')) return null;
    for (let take = segments.length - 1; take >= 1; take--) {
      const prefix = segments.slice(0, take).join('/');
      const mount = this.#mounts.get(prefix);
      if (!mount) continue;
      const rest = segments.slice(take);
      const candidate = path.resolve(mount.root, ...rest);
      if (mount.file !== null) return candidate === mount.file && rest.length === 1 ? this.#confine(mount, candidate) : null;
      return isInside(mount.root, candidate) ? this.#confine(mount, candidate) : null;
    }
    return null;
  }

  /** Follows symlinks and checks the real file is still inside the mount's real root (a mounted file may be a link). */
  async #confine(mount: Mount, candidate: string): Promise<string | null> {
    let real: string;
    try {
      real = await realpath(candidate);
    } catch {
      return null;
    }
    if (mount.file !== null) return real;
    mount.realRoot ??= realpath(mount.root);
    let realRoot: string;
    try {
      realRoot = await mount.realRoot;
    } catch {
      mount.realRoot = null;
      return null;
    }
    return isInside(realRoot, real) ? real : null;
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    const rawPath = (request.url ?? '/').split('?')[0] ?? '/';
    // Reject traversal before any decoding, too: `%2e%2e` is decoded and checked again in #resolve.
    if (rawPath.split('/').some((part) => part === '..' || part === '.')) {
      response.writeHead(403, { 'content-type': 'text/plain; charset=utf-8' }).end('Forbidden');
      return;
    }
    const file = await this.#resolve(rawPath);
    const info = file === null ? null : await stat(file).catch(() => null);
    if (file === null || info === null || !info.isFile()) {
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found');
      return;
    }
    const type = CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
    const range = parseRange(request.headers.range, info.size);
    const headers = {
      'content-type': type,
      'accept-ranges': 'bytes',
      'last-modified': info.mtime.toUTCString(),
      'access-control-allow-origin': '*',
    };
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
}

/**
 * Starts a loopback HTTP server on an OS-assigned port that serves mounted folders and files read-only, with
 * content types and HTTP Range (the `<video>` fallback seeks through ranges). Create one per process and share it.
 *
 * @example
 * await using server = await serveFiles();
 * const base = server.mount(`bundles/${bundle.hash}`, bundle.dir);
 * await session.navigate({ url: `${base}index.html` });
 */
export async function serveFiles(options: ServeFilesOptions = {}): Promise<FileServer> {
  const host = options.host ?? '127.0.0.1';
  const server = createServer();
  // Keep-alive sockets would otherwise hold `close()` open for the keep-alive timeout.
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) =>
      reject(new RenderError(`The file server could not listen on ${host}: ${error.message}`, { code: 'RW_SERVER_FAILED', cause: error })),
    );
    server.listen({ host, port: 0 }, () => resolve());
  });
  return new LoopbackFileServer(server);
}
