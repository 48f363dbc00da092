import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { copyFile, mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { fileURLToPath } from 'node:url';
import { CancelledError, throwIfAborted } from '../errors/index.js';
import { ClipDownloadError } from './clip-errors.js';

/** Largest clip accepted: a 10 s 4K provider clip is well under this. */
export const DEFAULT_MAX_CLIP_BYTES = 512 * 1024 * 1024;
/** Time allowed for a whole download. */
export const DEFAULT_DOWNLOAD_TIMEOUT_MS = 120_000;

/** Options for `downloadClip`. */
export type DownloadClipOptions = {
  /** The provider's output URL (`https:`, `http:`, or `file:` when `allowFileUrls`). */
  url: string;
  /** Final path; the file appears there only when complete (temp name, then rename). */
  outFile: string;
  /** Size limit in bytes (default `DEFAULT_MAX_CLIP_BYTES`). */
  maxBytes?: number;
  /** Time limit for the whole download in ms (default `DEFAULT_DOWNLOAD_TIMEOUT_MS`). */
  timeoutMs?: number;
  /** Accept `file:` URLs (only the local provider's output should be). Default false. */
  allowFileUrls?: boolean;
  signal?: AbortSignal | null;
};

/** What `downloadClip` wrote. */
export type DownloadClipResult = { file: string; bytes: number };

/** The URL without query or fragment: signed URLs carry access tokens there. */
function shown(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname}`;
}

/**
 * Downloads a provider's output right away (their URLs expire): streams http(s) to disk with a
 * size limit and a timeout, or copies a `file:` URL. Throws `ClipDownloadError` (403/404/410 →
 * `RW_CLIP_DOWNLOAD_EXPIRED`) or `CancelledError`.
 *
 * @example
 * await downloadClip({ url: state.outputUrl, outFile: '/tmp/work/attempt-1.mp4' });
 */
export async function downloadClip(options: DownloadClipOptions): Promise<DownloadClipResult> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_CLIP_BYTES;
  const timeoutMs = options.timeoutMs ?? DEFAULT_DOWNLOAD_TIMEOUT_MS;
  const signal = options.signal ?? null;
  throwIfAborted(signal);
  let url: URL;
  try {
    url = new URL(options.url);
  } catch (error) {
    throw new ClipDownloadError('The provider returned an output URL that does not parse.', { code: 'RW_CLIP_DOWNLOAD_REFUSED', status: null, retryable: false, cause: error });
  }
  await mkdir(path.dirname(options.outFile), { recursive: true });
  const partFile = `${options.outFile}.${randomBytes(4).toString('hex')}.part`;

  try {
    if (url.protocol === 'file:') {
      if (!options.allowFileUrls) {
        throw new ClipDownloadError(`Refusing to read ${shown(url)}: file: URLs are only accepted from the local provider.`, {
          code: 'RW_CLIP_DOWNLOAD_REFUSED',
          status: null,
          retryable: false,
        });
      }
      const source = fileURLToPath(url);
      const size = (await stat(source)).size;
      if (size > maxBytes) {
        throw new ClipDownloadError(`${shown(url)} is ${size} bytes, over the ${maxBytes}-byte clip limit.`, { code: 'RW_CLIP_DOWNLOAD_TOO_LARGE', status: null, retryable: false });
      }
      await copyFile(source, partFile);
      await rename(partFile, options.outFile);
      return { file: options.outFile, bytes: size };
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw new ClipDownloadError(`Refusing to download ${url.protocol} URL: only https and http are allowed.`, { code: 'RW_CLIP_DOWNLOAD_REFUSED', status: null, retryable: false });
    }

    const timeout = AbortSignal.timeout(timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    let response: Response;
    try {
      response = await fetch(url, { signal: combined, redirect: 'follow' });
    } catch (error) {
      throw asNetworkError(error, url, signal, timeout, timeoutMs);
    }
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined);
      const expired = response.status === 403 || response.status === 404 || response.status === 410;
      throw new ClipDownloadError(
        expired
          ? `The output URL ${shown(url)} answered ${response.status}: it has expired or was revoked.`
          : `Downloading ${shown(url)} answered ${response.status}.`,
        { code: expired ? 'RW_CLIP_DOWNLOAD_EXPIRED' : 'RW_CLIP_DOWNLOAD_FAILED', status: response.status, retryable: !expired && response.status >= 500 },
      );
    }
    const declared = Number(response.headers.get('content-length') ?? NaN);
    if (Number.isFinite(declared) && declared > maxBytes) {
      await response.body?.cancel().catch(() => undefined);
      throw new ClipDownloadError(`${shown(url)} is ${declared} bytes, over the ${maxBytes}-byte clip limit.`, { code: 'RW_CLIP_DOWNLOAD_TOO_LARGE', status: response.status, retryable: false });
    }
    if (!response.body) {
      throw new ClipDownloadError(`${shown(url)} answered ${response.status} without a body.`, { code: 'RW_CLIP_DOWNLOAD_FAILED', status: response.status, retryable: true });
    }
    let bytes = 0;
    const limiter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        bytes += chunk.length;
        if (bytes > maxBytes) {
          callback(new ClipDownloadError(`${shown(url)} is over the ${maxBytes}-byte clip limit.`, { code: 'RW_CLIP_DOWNLOAD_TOO_LARGE', status: response.status, retryable: false }));
        } else callback(null, chunk);
      },
    });
    try {
      await pipeline(Readable.fromWeb(response.body as WebReadableStream<Uint8Array>), limiter, createWriteStream(partFile), { signal: combined });
    } catch (error) {
      if (error instanceof ClipDownloadError) throw error;
      throw asNetworkError(error, url, signal, timeout, timeoutMs);
    }
    await rename(partFile, options.outFile);
    return { file: options.outFile, bytes };
  } catch (error) {
    await rm(partFile, { force: true });
    throw error;
  }
}

function asNetworkError(error: unknown, url: URL, signal: AbortSignal | null, timeout: AbortSignal, timeoutMs: number): Error {
  if (signal?.aborted) return new CancelledError(`Downloading ${shown(url)} was cancelled.`, signal.reason);
  if (timeout.aborted) {
    return new ClipDownloadError(`Downloading ${shown(url)} took longer than ${timeoutMs} ms.`, { code: 'RW_CLIP_DOWNLOAD_TIMEOUT', status: null, retryable: true, cause: error });
  }
  return new ClipDownloadError(`Downloading ${shown(url)} failed: ${(error as Error).message ?? String(error)}.`, { code: 'RW_CLIP_DOWNLOAD_FAILED', status: null, retryable: true, cause: error });
}
