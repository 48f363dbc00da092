import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { setTimeout as delay } from 'node:timers/promises';
import type { RunSummary } from '../run/index.js';
import { DELIVERY_HEADER, SIGNATURE_HEADER, signNotification, TIMESTAMP_HEADER } from './sign-notification.js';

/** Attempts in total (first try + retries). */
export const DEFAULT_NOTIFY_ATTEMPTS = 4;
/** Delay before the first retry; doubles on each further retry (1 s, 2 s, 4 s). */
export const DEFAULT_NOTIFY_BASE_DELAY_MS = 1_000;
/** Cap on one retry delay, including a server's `Retry-After`. */
export const DEFAULT_NOTIFY_MAX_DELAY_MS = 30_000;
/** Time limit of one attempt (connect, send, response headers). */
export const DEFAULT_NOTIFY_TIMEOUT_MS = 10_000;

/** `reelwright/<version>`, sent as `User-Agent`. */
export const NOTIFY_USER_AGENT = `reelwright/${(createRequire(import.meta.url)('../../package.json') as { version: string }).version}`;

/** Options for `sendNotification`. */
export type SendNotificationOptions = {
  /** `http:` or `https:` URL to POST to (`--notify`). */
  url: string;
  /** The run summary; sent as the JSON body. */
  summary: RunSummary;
  /** Shared secret; when set, the request carries `X-Reelwright-Signature` and `X-Reelwright-Timestamp`. */
  secret?: string | null;
  /** Attempts in total, >= 1. Default `DEFAULT_NOTIFY_ATTEMPTS`. */
  attempts?: number;
  /** First retry delay in ms, doubled per retry. Default `DEFAULT_NOTIFY_BASE_DELAY_MS`. */
  baseDelayMs?: number;
  /** Time limit of one attempt in ms. Default `DEFAULT_NOTIFY_TIMEOUT_MS`. */
  timeoutMs?: number;
  /** Stops sending (and waiting to retry). */
  signal?: AbortSignal | null;
};

/** What happened to a notification. Never thrown: a failed notification must not fail the run. */
export type SendNotificationResult = {
  /** True when the receiver answered 2xx. */
  ok: boolean;
  /** Requests made (0 when the options were unusable). */
  attempts: number;
  /** HTTP status of the last response, or null when none arrived. */
  status: number | null;
  /** Why it failed (last attempt), or null when `ok`. Names the URL's origin only: paths often hold tokens. */
  error: { code: string; message: string } | null;
  /** The `X-Reelwright-Delivery` id, the same on every attempt. */
  deliveryId: string;
};

type Attempt = { ok: true; status: number } | { ok: false; status: number | null; code: string; message: string; retryable: boolean; retryAfterMs: number | null };

function retryAfterMs(header: string | null, nowMs: number): number | null {
  if (!header) return null;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? null : Math.max(0, date - nowMs);
}

function describeCause(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message;
}

async function attemptOnce(url: URL, body: string, headers: Record<string, string>, timeoutMs: number, signal: AbortSignal | null): Promise<Attempt> {
  const timeout = AbortSignal.timeout(timeoutMs);
  const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
  let response: Response;
  try {
    // Redirects are not followed: the summary (and its signature) should go where the operator pointed, nowhere else.
    response = await fetch(url, { method: 'POST', body, headers, redirect: 'manual', signal: combined });
  } catch (error) {
    if (signal?.aborted) return { ok: false, status: null, code: 'RW_CANCELLED', message: 'the notification was cancelled', retryable: false, retryAfterMs: null };
    if (timeout.aborted) {
      return { ok: false, status: null, code: 'RW_NOTIFY_TIMEOUT', message: `${url.origin} did not answer within ${timeoutMs} ms`, retryable: true, retryAfterMs: null };
    }
    return { ok: false, status: null, code: 'RW_NOTIFY_NETWORK', message: `could not reach ${url.origin} (${describeCause(error)})`, retryable: true, retryAfterMs: null };
  }
  // The body is not needed; cancelling it frees the connection.
  await response.body?.cancel().catch(() => undefined);
  if (response.status >= 200 && response.status < 300) return { ok: true, status: response.status };
  const retryable = response.status >= 500 || response.status === 429 || response.status === 408;
  const hint =
    response.status >= 300 && response.status < 400
      ? ' (a redirect: point --notify at the final URL)'
      : response.status === 401 || response.status === 403
        ? ' (check the notification secret)'
        : '';
  return {
    ok: false,
    status: response.status,
    code: 'RW_NOTIFY_HTTP_STATUS',
    message: `${url.origin} answered ${response.status} ${response.statusText}${hint}`.trimEnd(),
    retryable,
    retryAfterMs: retryAfterMs(response.headers.get('retry-after'), Date.now()),
  };
}

/**
 * POSTs a run summary as JSON to a webhook (`--notify <url>`), signed when a secret is configured, retrying with
 * exponential backoff on network errors, timeouts, 5xx, 408 and 429 (honouring `Retry-After`, capped at
 * `DEFAULT_NOTIFY_MAX_DELAY_MS`). Never throws: the result says what happened, and the caller logs it.
 *
 * The request: `POST <url>` with `Content-Type: application/json`, `User-Agent: reelwright/<version>`,
 * `X-Reelwright-Delivery: <uuid>` (same on every retry, to de-duplicate), and with a secret
 * `X-Reelwright-Timestamp: <unix seconds>` and `X-Reelwright-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">`
 * (re-signed on each attempt). Redirects are not followed. Only `http:` and `https:` URLs are accepted.
 *
 * @example
 * const result = await sendNotification({ url: 'https://hooks.example.com/reelwright', summary, secret: process.env.REELWRIGHT_NOTIFY_SECRET });
 * if (!result.ok) log.warn(logOptions, `notification failed after ${result.attempts} attempt(s): ${result.error?.message}`);
 * @see verifyNotificationSignature for receivers.
 */
export async function sendNotification(options: SendNotificationOptions): Promise<SendNotificationResult> {
  const deliveryId = randomUUID();
  const fail = (code: string, message: string): SendNotificationResult => ({ ok: false, attempts: 0, status: null, error: { code, message }, deliveryId });
  let url: URL;
  try {
    url = new URL(options.url);
  } catch {
    return fail('RW_NOTIFY_BAD_URL', `--notify needs an absolute http(s) URL such as https://hooks.example.com/reelwright; got a value that is not a URL.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return fail('RW_NOTIFY_BAD_URL', `--notify only accepts http: and https: URLs, got ${url.protocol}. Use e.g. https://hooks.example.com/reelwright.`);
  }
  if (url.username || url.password) {
    return fail('RW_NOTIFY_BAD_URL', '--notify URLs cannot carry a user name or password; use a secret (signature) or a token in the path instead.');
  }
  const attempts = options.attempts ?? DEFAULT_NOTIFY_ATTEMPTS;
  const baseDelayMs = options.baseDelayMs ?? DEFAULT_NOTIFY_BASE_DELAY_MS;
  const timeoutMs = options.timeoutMs ?? DEFAULT_NOTIFY_TIMEOUT_MS;
  if (!Number.isInteger(attempts) || attempts < 1) return fail('RW_INVALID_OPTION', `options.attempts must be an integer >= 1, got ${String(attempts)}.`);
  if (!Number.isFinite(baseDelayMs) || baseDelayMs < 0) return fail('RW_INVALID_OPTION', `options.baseDelayMs must be >= 0, got ${String(baseDelayMs)}.`);
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) return fail('RW_INVALID_OPTION', `options.timeoutMs must be > 0, got ${String(timeoutMs)}.`);
  const secret = options.secret ?? null;
  if (secret === '') return fail('RW_NOTIFY_BAD_SECRET', 'The notification secret is empty (is its environment variable set?); not sending an unsigned notification.');
  const signal = options.signal ?? null;

  const body = JSON.stringify(options.summary);
  let last: Attempt | null = null;
  let made = 0;
  for (let attempt = 1; attempt <= attempts; attempt += 1) {
    if (signal?.aborted) break;
    const headers: Record<string, string> = {
      'Content-Type': 'application/json',
      'User-Agent': NOTIFY_USER_AGENT,
      [DELIVERY_HEADER]: deliveryId,
    };
    if (secret !== null) {
      const timestamp = String(Math.floor(Date.now() / 1000));
      headers[TIMESTAMP_HEADER] = timestamp;
      headers[SIGNATURE_HEADER] = signNotification({ body, timestamp, secret });
    }
    made += 1;
    last = await attemptOnce(url, body, headers, timeoutMs, signal);
    if (last.ok) return { ok: true, attempts: made, status: last.status, error: null, deliveryId };
    if (!last.retryable || attempt === attempts) break;
    const backoff = Math.min(baseDelayMs * 2 ** (attempt - 1), DEFAULT_NOTIFY_MAX_DELAY_MS);
    const wait = last.retryAfterMs !== null ? Math.min(Math.max(last.retryAfterMs, backoff), DEFAULT_NOTIFY_MAX_DELAY_MS) : backoff;
    try {
      await delay(wait, undefined, signal ? { signal } : undefined);
    } catch {
      // Aborted while waiting to retry: report the last real failure below, marked as cancelled.
      break;
    }
  }
  if (signal?.aborted && (last === null || last.ok || last.code !== 'RW_CANCELLED')) {
    const before = last && !last.ok ? ` (after: ${last.message})` : '';
    return { ok: false, attempts: made, status: last?.status ?? null, error: { code: 'RW_CANCELLED', message: `the notification was cancelled${before}` }, deliveryId };
  }
  if (last === null || last.ok) return fail('RW_CANCELLED', 'the notification was cancelled before it was sent');
  return { ok: false, attempts: made, status: last.status, error: { code: last.code, message: last.message }, deliveryId };
}
