import type { ClipAspect } from '../template/index.js';

/**
 * One normalized clip request: everything that decides which clip comes back.
 * Its hash is the `ClipId`, which is also the dedupe key and the cache key.
 */
export type ClipRequest = {
  /** Provider id: `local`, `runway`, `luma`. */
  provider: string;
  model: string;
  /** Rendered prompt, whitespace collapsed (see `normalizePrompt`). */
  prompt: string;
  seconds: number;
  aspect: ClipAspect;
  /** Provider resolution such as `720p`, or null for the provider default. */
  resolution: string | null;
  seed: number | null;
  /** sha256 of the first-frame image's bytes (image→video), or null. */
  inputImageHash: string | null;
  /** Extra provider parameters (e.g. `loop`); keys sorted when hashed. */
  params: Readonly<Record<string, string | number | boolean>>;
  /** Draft clips are cached apart from final ones. */
  draft: boolean;
};

/** Hash of a normalized `ClipRequest`; only `toClipId` creates one. */
export type ClipId = string & { readonly __brand: 'ClipId' };

/** A provider's price for one request, with where the number came from. */
export type CostEstimate = {
  usd: number;
  /** Where the price comes from, e.g. `runway-pricing 2026-11` or `provider estimatedCost`. */
  source: string;
  /** When that price was taken (YYYY-MM-DD). */
  date: string;
};

/** What a create call returns. */
export type SubmittedTask = {
  taskId: string;
  /** Provider-reported estimate in USD when the API gives one (Runway `estimatedCost`). */
  estimatedCostUsd: number | null;
};

/** Why a generation failed, in provider-neutral terms. */
export type FailureKind =
  /** The prompt or input was refused by moderation: never retried, never sent to a fallback. */
  | 'moderation_input'
  /** The output was refused by moderation: another seed may help. */
  | 'moderation_output'
  /** The provider produced unusable output: retry with a new seed. */
  | 'bad_output'
  /** The request itself is wrong (bad asset, unsupported option): fix the input. */
  | 'invalid_input'
  /** Provider-side fault: retry, then fall back. */
  | 'internal';

/** A failed generation, as every provider reports it. */
export type ProviderFailure = {
  kind: FailureKind;
  /** The provider's own code (`SAFETY.INPUT.TEXT`, Luma failure_reason), or null. */
  providerCode: string | null;
  /** Plain-words reason for reports. */
  message: string;
};

/**
 * The state of a submitted generation task.
 * - `pending`: accepted, waiting to start (Luma `queued`, Runway `PENDING`).
 * - `throttled`: over the account's concurrency limit; queued, not rejected (Runway `THROTTLED`).
 * - `running`: generating; `progress` in 0..1 when known.
 * - `succeeded`: `outputUrl` is an https/http URL, or a `file:` URL for the local provider.
 * - `failed`: see `failure`; `costUsd` is what the provider bills for the failure (0 when refunded).
 * - `cancelled`: cancelled by someone.
 */
export type TaskState =
  | { status: 'pending' }
  | { status: 'throttled' }
  | { status: 'running'; progress: number | null }
  | { status: 'succeeded'; outputUrl: string; costUsd: number | null }
  | { status: 'failed'; failure: ProviderFailure; costUsd: number | null }
  | { status: 'cancelled' };

/** What `ClipProvider.findSubmitted` looks for: the generation an unanswered create call may have made. */
export type SubmittedSearch = {
  /** The request exactly as `submit` was given it. */
  request: ClipRequest;
  /** When the create call was made (ms since the epoch, local clock); providers allow for clock skew. */
  sinceMs: number;
  /** Task ids already known to the caller (earlier attempts of the same clip): never returned. */
  excludeTaskIds: readonly string[];
};

/**
 * The port every clip source implements: `local` (ffmpeg, free), `runway`, `luma`.
 * A provider never knows about templates or rows.
 */
export interface ClipProvider {
  /** Provider id used in slot declarations (`local`, `runway`, `luma`). */
  readonly id: string;
  /** Model used when a slot names none. */
  readonly defaultModel: string;
  /** Throws a `ProviderError`/`ConfigError` before any paid call when the request cannot work (model, ratio, duration). */
  validateRequest(request: ClipRequest): void;
  /** List-price estimate for one attempt. */
  estimateCost(request: ClipRequest): CostEstimate;
  /**
   * Optional. True when `submit` returns only once the clip is made (the local provider renders it there): the new
   * task is polled at once instead of after the poll interval, which would only add seconds of waiting.
   */
  readonly readyOnSubmit?: boolean;
  /** Creates a generation task. Must not be retried automatically (a retried POST can bill twice). */
  submit(request: ClipRequest, signal: AbortSignal | null): Promise<SubmittedTask>;
  /**
   * Optional. After a create call ended without an answer (timeout, connection lost) the request may
   * still have reached the provider and be generating (and billing). Returns the task id of a generation
   * matching `search.request` created at or after `search.sinceMs` (minus a clock-skew allowance), or null
   * when none is found. `generateClip` calls it once per such failure, before it pays for a new create;
   * a thrown error means "unknown" (a new create is made, as without this method). Only providers with a
   * list endpoint implement it (Luma `GET /generations`; Runway has none).
   */
  findSubmitted?(search: SubmittedSearch, signal: AbortSignal | null): Promise<string | null>;
  /** Reads a task's state once. */
  poll(taskId: string, signal: AbortSignal | null): Promise<TaskState>;
}
