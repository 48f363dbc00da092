/**
 * How `generateClip` spaces out retries of failed provider calls (5xx, connection errors,
 * timeouts, 429). Creates are never retried by the SDKs (`maxRetries: 0`): every retry happens
 * here, where the journal sees it.
 */
export type RetryPolicy = {
  /** Delay before the first retry, in ms; doubles on each further retry. */
  baseDelayMs: number;
  /** Cap on one backoff delay, in ms. */
  maxDelayMs: number;
  /** Fraction of each delay that is removed at random (0 = none, 0.25 = up to a quarter). */
  jitter: number;
};

/** Same shape as the Runway SDK's own backoff (0.5 s·2ⁿ capped at 8 s, up to 25 % jitter). */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { baseDelayMs: 500, maxDelayMs: 8_000, jitter: 0.25 };

/** Options for `retryDelay`. */
export type RetryDelayOptions = {
  policy: RetryPolicy;
  /** 0 for the first retry, 1 for the second, … */
  retryIndex: number;
  /** Delay the provider asked for (429 `retry-after`), which wins over backoff; null when none. */
  retryAfterMs: number | null;
  /** Source of randomness in [0, 1); injectable so tests are deterministic. */
  random: () => number;
};

/**
 * How long to wait before the next retry: the provider's `retry-after` when it sent one,
 * else exponential backoff with jitter.
 *
 * @example
 * retryDelay({ policy: DEFAULT_RETRY_POLICY, retryIndex: 2, retryAfterMs: null, random: Math.random }); // 1.5–2 s
 */
export function retryDelay(options: RetryDelayOptions): number {
  if (options.retryAfterMs !== null && options.retryAfterMs >= 0) return options.retryAfterMs;
  const { baseDelayMs, maxDelayMs, jitter } = options.policy;
  const raw = Math.min(baseDelayMs * 2 ** Math.max(0, options.retryIndex), maxDelayMs);
  return Math.max(0, raw * (1 - Math.min(1, Math.max(0, jitter)) * options.random()));
}

/** Options for `parseRetryAfter`. */
export type ParseRetryAfterOptions = {
  /** Value of the non-standard `retry-after-ms` header, or null. */
  retryAfterMs: string | null | undefined;
  /** Value of the `retry-after` header (seconds or an HTTP date), or null. */
  retryAfter: string | null | undefined;
  /** Current time (ms since epoch), for the HTTP-date form. */
  nowMs: number;
};

/**
 * Reads `retry-after-ms` / `retry-after` the way both SDKs do (ms header first, then seconds,
 * then an HTTP date). Returns null when neither header holds a usable value.
 */
export function parseRetryAfter(options: ParseRetryAfterOptions): number | null {
  if (options.retryAfterMs) {
    const ms = Number.parseFloat(options.retryAfterMs);
    if (Number.isFinite(ms) && ms >= 0) return ms;
  }
  if (options.retryAfter) {
    const seconds = Number.parseFloat(options.retryAfter);
    if (Number.isFinite(seconds) && /^\s*[\d.]+\s*$/.test(options.retryAfter)) return Math.max(0, seconds * 1000);
    const date = Date.parse(options.retryAfter);
    if (Number.isFinite(date)) return Math.max(0, date - options.nowMs);
  }
  return null;
}
