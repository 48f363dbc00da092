import { createHash } from 'node:crypto';
import { realpath } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { RenderError } from '../errors/index.js';
import { pathExists } from '../fs/index.js';
import { isInside } from './is-inside.js';
import { resolveConfinedPath } from './resolve-confined-path.js';
import { sendFile } from './send-file.js';

/** Served by the render pages' server on top of the shared table (ES modules a template may load). */
const EXTRA_CONTENT_TYPES: Readonly<Record<string, string>> = { '.mjs': 'text/javascript; charset=utf-8' };

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
  /**
   * The local file this server serves at `url` (an absolute URL on `origin`), with the same confinement as a request:
   * `path` is null when the URL is not this server's, names no mount, or leads out of its mounted folder.
   * `exists` is false when the URL names a place inside a mount where no file is (then `path` is where it would be).
   * Lets Node read what the page only knows by URL (a template's audio).
   */
  resolveUrl(url: string): Promise<ResolvedUrl>;
  /** Stops listening and closes open connections. */
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** What `FileServer.resolveUrl` found. */
export type ResolvedUrl = { path: string | null; exists: boolean };

type Mount = { root: string; realRoot: Promise<string> | null; file: string | null };

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

  async resolveUrl(url: string): Promise<ResolvedUrl> {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return { path: null, exists: false };
    }
    if (parsed.origin !== this.origin) return { path: null, exists: false };
    const rawPath = parsed.pathname;
    if (rawPath.split('/').some((part) => part === '..' || part === '.')) return { path: null, exists: false };
    const found = await this.#resolve(rawPath, true);
    return found ?? { path: null, exists: false };
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

  /**
   * Finds the mount with the longest prefix matching the URL path and returns the file it names, or null.
   * With `report`, a candidate inside a mount that does not exist comes back as `{ path: candidate, exists: false }`.
   */
  async #resolve(urlPath: string): Promise<string | null>;
  async #resolve(urlPath: string, report: true): Promise<ResolvedUrl | null>;
  async #resolve(urlPath: string, report = false): Promise<string | ResolvedUrl | null> {
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
      const inside = mount.file !== null ? candidate === mount.file && rest.length === 1 : isInside(mount.root, candidate);
      if (!inside) return null;
      const real = await this.#confine(mount, candidate);
      if (!report) return real;
      if (real !== null) return { path: real, exists: true };
      // Missing, or a link out of the root: only a missing file is reported by name.
      return (await pathExists(candidate)) ? null : { path: candidate, exists: false };
    }
    return null;
  }

  /** Follows symlinks and checks the real file is still inside the mount's real root (a mounted file may be a link). */
  async #confine(mount: Mount, candidate: string): Promise<string | null> {
    if (mount.file !== null) return realpath(candidate).catch(() => null);
    return resolveConfinedPath({
      file: candidate,
      realRoot: () => {
        mount.realRoot ??= realpath(mount.root);
        return mount.realRoot.catch(() => {
          // Not cached: the root may appear later.
          mount.realRoot = null;
          return null;
        });
      },
    });
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
    if (file === null) {
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found');
      return;
    }
    await sendFile({ request, response, file, headers: { 'access-control-allow-origin': '*' }, contentTypes: EXTRA_CONTENT_TYPES });
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
