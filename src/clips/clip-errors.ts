import { ProviderError } from '../errors/index.js';
import type { ProviderFailure } from './types.js';

/**
 * Codes of `ProviderCallError`: why one HTTP call to a provider did not return a usable answer.
 * - `RW_PROVIDER_RATE_LIMITED`: 429; `retryAfterMs` says how long the provider asked us to wait.
 * - `RW_PROVIDER_UNAVAILABLE`: 5xx; back off and retry, then fall back.
 * - `RW_PROVIDER_CONNECTION`: the connection failed before a status came back.
 * - `RW_PROVIDER_TIMEOUT`: no answer within the request timeout (a create call may still have created a task).
 * - `RW_PROVIDER_AUTH`: 401/403; the key is wrong or lacks access. Not retried.
 * - `RW_PROVIDER_BAD_REQUEST`: 400/422; the request itself is refused. Not retried.
 * - `RW_PROVIDER_MODERATION`: the request was refused by moderation before a task existed. Never retried or sent to a fallback.
 * - `RW_PROVIDER_NOT_FOUND`: 404; e.g. the task id is unknown (deleted or from another account).
 * - `RW_PROVIDER_HTTP`: any other status.
 */
export type ProviderCallErrorCode =
  | 'RW_PROVIDER_RATE_LIMITED'
  | 'RW_PROVIDER_UNAVAILABLE'
  | 'RW_PROVIDER_CONNECTION'
  | 'RW_PROVIDER_TIMEOUT'
  | 'RW_PROVIDER_AUTH'
  | 'RW_PROVIDER_BAD_REQUEST'
  | 'RW_PROVIDER_MODERATION'
  | 'RW_PROVIDER_NOT_FOUND'
  | 'RW_PROVIDER_HTTP';

/** Options for `ProviderCallError`. */
export type ProviderCallErrorOptions = {
  code: ProviderCallErrorCode;
  /** Provider id (`runway`, `luma`). */
  provider: string;
  /** HTTP status, or null when no response came back. */
  status: number | null;
  /** Whether the same call may succeed later (5xx, 429, connection errors, timeouts). */
  retryable: boolean;
  /** Delay the provider asked for (`retry-after-ms` / `retry-after`), or null. */
  retryAfterMs?: number | null;
  cause?: unknown;
};

/**
 * One call to a provider's HTTP API failed. Built only by the provider's failure-mapping table
 * (`map-runway-failure.ts`, `map-luma-failure.ts`, both through `map-api-error.ts`), so Runway and Luma failures read the same.
 * The clip loop branches on `code` and `retryable`, never on the message.
 */
export class ProviderCallError extends ProviderError {
  override readonly code: ProviderCallErrorCode;
  readonly provider: string;
  readonly status: number | null;
  readonly retryAfterMs: number | null;
  constructor(message: string, options: ProviderCallErrorOptions) {
    super(message, { code: options.code, cause: options.cause, retryable: options.retryable });
    this.code = options.code;
    this.provider = options.provider;
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs ?? null;
  }
}

/**
 * Codes of `ClipGenerationError`: why `generateClip` gave up on a clip.
 * - `RW_CLIP_MODERATION_INPUT`: the prompt or input image was refused by moderation (never retried, never sent to a fallback).
 * - `RW_CLIP_ATTEMPTS_EXHAUSTED`: every provider in the chain used up its attempts.
 * - `RW_CLIP_DEADLINE`: the total deadline passed.
 * - `RW_CLIP_INFLIGHT_UNRESUMABLE`: an earlier run left a paid task in flight with a provider that is not configured now.
 * - `RW_CLIP_REFUSED_EARLIER`: an earlier run's attempt was refused by input moderation; nothing is submitted
 *   again unless asked (`retryRefused`, `render --retry-refused`). See `refusedEarlierError`.
 */
export type ClipGenerationErrorCode =
  | 'RW_CLIP_MODERATION_INPUT'
  | 'RW_CLIP_REFUSED_EARLIER'
  | 'RW_CLIP_ATTEMPTS_EXHAUSTED'
  | 'RW_CLIP_DEADLINE'
  | 'RW_CLIP_INFLIGHT_UNRESUMABLE';

/** Options for `ClipGenerationError`. */
export type ClipGenerationErrorOptions = {
  code: ClipGenerationErrorCode;
  /** The last provider failure, in provider-neutral terms, or null when the last problem was a call error. */
  failure: ProviderFailure | null;
  /** Attempts begun by this `generateClip` call. */
  attempts: number;
  /** Money spent by those attempts (USD). */
  costUsd: number;
  cause?: unknown;
};

/**
 * `generateClip` could not produce a usable clip. The message states the provider's reason in plain
 * words; `failure`, `attempts` and `costUsd` are there for the journal and the report.
 */
export class ClipGenerationError extends ProviderError {
  override readonly code: ClipGenerationErrorCode;
  readonly failure: ProviderFailure | null;
  readonly attempts: number;
  readonly costUsd: number;
  constructor(message: string, options: ClipGenerationErrorOptions) {
    super(message, { code: options.code, cause: options.cause, retryable: false });
    this.code = options.code;
    this.failure = options.failure;
    this.attempts = options.attempts;
    this.costUsd = options.costUsd;
  }
}


/**
 * Codes of `ClipDownloadError`.
 * - `RW_CLIP_DOWNLOAD_EXPIRED`: the output URL answered 403/404/410 (expired or revoked); a fresh poll may hand out a new one.
 * - `RW_CLIP_DOWNLOAD_FAILED`: any other HTTP status, or the connection broke; retryable.
 * - `RW_CLIP_DOWNLOAD_TIMEOUT`: the download did not finish in time; retryable.
 * - `RW_CLIP_DOWNLOAD_TOO_LARGE`: the file is bigger than the size limit; not retried.
 * - `RW_CLIP_DOWNLOAD_REFUSED`: the URL's scheme is not allowed; not retried.
 */
export type ClipDownloadErrorCode =
  | 'RW_CLIP_DOWNLOAD_EXPIRED'
  | 'RW_CLIP_DOWNLOAD_FAILED'
  | 'RW_CLIP_DOWNLOAD_TIMEOUT'
  | 'RW_CLIP_DOWNLOAD_TOO_LARGE'
  | 'RW_CLIP_DOWNLOAD_REFUSED';

/** Downloading a finished clip from the provider's output URL failed. */
export class ClipDownloadError extends ProviderError {
  override readonly code: ClipDownloadErrorCode;
  /** HTTP status, or null. */
  readonly status: number | null;
  constructor(message: string, options: { code: ClipDownloadErrorCode; status: number | null; retryable: boolean; cause?: unknown }) {
    super(message, { code: options.code, retryable: options.retryable, cause: options.cause });
    this.code = options.code;
    this.status = options.status;
  }
}
