import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP } from 'node:net';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import { ReelwrightError } from '../errors/index.js';

/** Largest remote image a row may point at. */
export const DEFAULT_MAX_REMOTE_BYTES = 20 * 1024 * 1024;
/** Time allowed for one remote fetch, connection to last byte. */
export const DEFAULT_REMOTE_TIMEOUT_MS = 15_000;

/** Options for `fetchRemoteMedia`. */
export type FetchRemoteMediaOptions = {
  url: string;
  /** Folder where fetched files are kept, named by the URL's hash (a cache across runs). */
  cacheDir: string;
  maxBytes?: number;
  timeoutMs?: number;
  /** Allow loopback and private-network addresses (off by default: rows are untrusted input). */
  allowPrivateAddresses?: boolean;
  signal?: AbortSignal | null;
};

function isPrivateAddress(address: string): boolean {
  if (isIP(address) === 6) {
    const a = address.toLowerCase();
    if (a === '::1' || a === '::') return true;
    if (a.startsWith('fc') || a.startsWith('fd') || a.startsWith('fe80')) return true;
    const mapped = a.match(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/);
    return mapped ? isPrivateAddress(mapped[1] as string) : false;
  }
  const [a, b] = address.split('.').map(Number) as [number, number];
  return (
    a === 0 ||
    a === 10 ||
    a === 127 ||
    (a === 100 && b >= 64 && b <= 127) ||
    (a === 169 && b === 254) ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    a >= 224
  );
}

function fetchError(url: string, problem: string, cause?: unknown): ReelwrightError {
  return new ReelwrightError(`Could not fetch ${url}: ${problem}`, { code: 'RW_REMOTE_MEDIA', cause });
}

/**
 * Downloads an image (or other media) a row points at, with a scheme allow-list (http/https),
 * a size limit, a time limit, and no private or loopback addresses unless allowed — checked on
 * the address actually connected to, so DNS rebinding cannot slip past. Returns the local file.
 */
export async function fetchRemoteMedia(options: FetchRemoteMediaOptions): Promise<string> {
  let parsed: URL;
  try {
    parsed = new URL(options.url);
  } catch (error) {
    throw fetchError(options.url, 'not a valid URL.', error);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw fetchError(options.url, `the scheme "${parsed.protocol}" is not allowed; use an https:// or http:// URL.`);
  }
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_REMOTE_BYTES;
  const timeoutMs = options.timeoutMs ?? DEFAULT_REMOTE_TIMEOUT_MS;
  const ext = path.extname(parsed.pathname).toLowerCase().replace(/[^.a-z0-9]/g, '').slice(0, 6);
  const file = path.join(options.cacheDir, `${createHash('sha256').update(options.url).digest('hex').slice(0, 32)}${ext}`);
  const existing = await stat(file).catch(() => null);
  if (existing?.isFile()) return file;
  await mkdir(options.cacheDir, { recursive: true });
  const tmp = `${file}.${randomBytes(4).toString('hex')}.tmp`;
  const allowPrivate = options.allowPrivateAddresses ?? false;

  const lookup = (hostname: string, opts: object, callback: (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void) => {
    dnsLookup(hostname, { ...opts, all: false }, (err, address, family) => {
      if (err) return callback(err, '', 0);
      if (!allowPrivate && isPrivateAddress(address)) {
        const denied = Object.assign(new Error(`${hostname} resolves to a private address (${address})`), { code: 'EPRIVATE' });
        return callback(denied, '', 0);
      }
      callback(null, address, family);
    });
  };
  if (!allowPrivate && isIP(parsed.hostname.replace(/^\[|\]$/g, '')) && isPrivateAddress(parsed.hostname.replace(/^\[|\]$/g, ''))) {
    throw fetchError(options.url, 'private and loopback addresses are not fetched (rows are untrusted input).');
  }

  const client = parsed.protocol === 'https:' ? https : http;
  await new Promise<void>((resolve, reject) => {
    const request = client.get(parsed, { lookup: lookup as never, timeout: timeoutMs, signal: options.signal ?? undefined }, (response) => {
      const status = response.statusCode ?? 0;
      if (status < 200 || status >= 300) {
        response.resume();
        reject(fetchError(options.url, `the server answered HTTP ${status}${status >= 300 && status < 400 ? ' (redirects are not followed)' : ''}.`));
        return;
      }
      const declared = Number(response.headers['content-length'] ?? 0);
      if (declared > maxBytes) {
        response.destroy();
        reject(fetchError(options.url, `it is ${declared} bytes, more than the ${maxBytes}-byte limit.`));
        return;
      }
      let received = 0;
      const out = createWriteStream(tmp);
      response.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (received > maxBytes) {
          response.destroy(fetchError(options.url, `it is larger than the ${maxBytes}-byte limit.`));
        }
      });
      response.on('error', (error) => {
        out.destroy();
        reject(error instanceof ReelwrightError ? error : fetchError(options.url, error.message, error));
      });
      response.pipe(out);
      out.on('finish', () => resolve());
      out.on('error', (error) => reject(fetchError(options.url, error.message, error)));
    });
    request.on('timeout', () => request.destroy(fetchError(options.url, `no complete answer within ${timeoutMs} ms.`)));
    request.on('error', (error: NodeJS.ErrnoException) => {
      if (error instanceof ReelwrightError) reject(error);
      else if (error.code === 'EPRIVATE') reject(fetchError(options.url, `${error.message}; private and loopback addresses are not fetched.`, error));
      else reject(fetchError(options.url, error.message, error));
    });
  }).catch(async (error: unknown) => {
    await rm(tmp, { force: true });
    throw error;
  });
  await rename(tmp, file);
  return file;
}
