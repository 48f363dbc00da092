import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CancelledError, ConfigError, ProviderError, assertNever, throwIfAborted } from '../errors/index.js';
import { log } from '../log/index.js';
import type { LogLevel, OnLog } from '../log/index.js';
import { isCancellable } from './adapter-types.js';
import { hashFile } from './cache/hash-file.js';
import { checkClip } from './check-clip.js';
import type { ClipQaLimits } from './check-clip.js';
import { ClipDownloadError, ClipGenerationError, ProviderCallError } from './clip-errors.js';
import type { ClipGenerationErrorCode } from './clip-errors.js';
import { normalizePrompt, promptHash, toClipId } from './clip-id.js';
import type { AttemptOutcome, ClipLedger, InflightAttempt } from './clip-ledger.js';
import { downloadClip } from './download-clip.js';
import { DEFAULT_CLIP_FPS, clipFrameSize, normalizeClip } from './normalize-clip.js';
import type { RateLimiter, RateLimiterSlot } from './rate-limiter.js';
import { refusedEarlierError } from './refused-earlier-error.js';
import { DEFAULT_RETRY_POLICY, retryDelay } from './retry-policy.js';
import type { RetryPolicy } from './retry-policy.js';
import type { ClipId, ClipProvider, ClipRequest, CostEstimate, ProviderFailure, TaskState } from './types.js';

/** Paid create calls per provider in the chain (each create call is one journaled attempt). */
export const DEFAULT_MAX_ATTEMPTS = 3;
/** Total time for one clip, all attempts and fallbacks included. */
export const DEFAULT_CLIP_DEADLINE_MS = 30 * 60_000;
/** Time between polls of a task (Runway asks for no more than one poll per 5 s). */
export const DEFAULT_POLL_INTERVAL_MS = 5_000;
/** Create-call failures that leave open whether a task was made (no HTTP answer came back). */
const AMBIGUOUS_CREATE_CODES: ReadonlySet<string> = new Set(['RW_PROVIDER_TIMEOUT', 'RW_PROVIDER_CONNECTION']);
/** Downloads retried on 5xx/connection errors before the attempt counts as failed. */
const DOWNLOAD_RETRIES = 2;

/**
 * The clip cache as `generateClip` needs it: the journal engineer's content-addressed cache
 * implements it. `put` moves (or copies) `tmpFile` into the cache and returns the final path.
 */
export interface ClipCacheWriter {
  /** The cached file for a clip id, or null. */
  get(clipId: ClipId): Promise<string | null> | string | null;
  /** Stores a finished, QA-passed, normalized clip; returns where it now lives. */
  put(clipId: ClipId, tmpFile: string, meta: ClipCacheMeta): Promise<string> | string;
}

/**
 * Provenance stored with a cached clip. A superset of the clip cache's `PutClipMeta`, so
 * `toClipCacheWriter(clipCache)` passes it straight through.
 */
export type ClipCacheMeta = {
  /** The request as it was finally generated (provider, model and seed may differ from the planned one after fallback or reseeding). */
  request: ClipRequest;
  provider: string;
  model: string;
  /** The normalized prompt. */
  prompt: string;
  /** Made for a `--draft` run. */
  draft: boolean;
  taskId: string;
  /** What the successful attempt cost, and where the number comes from. */
  costUsd: number;
  costSource: string;
  /** What all attempts of this `generateClip` call cost, rejected and failed ones included. */
  totalCostUsd: number;
  /** sha256 of the normalized file. */
  fileHash: string;
  width: number;
  height: number;
  fps: number;
  durationSeconds: number;
  /** QA measurements of the provider's file. */
  qa: { blackRatio: number; frozenRatio: number };
};

/** A provider to try when the previous one is down or keeps failing (never after a moderation refusal). */
export type ClipFallback = {
  provider: ClipProvider;
  /** Model on that provider (default: its `defaultModel`). */
  model?: string;
  /** Provider-specific params for that provider (default none). */
  params?: Readonly<Record<string, string | number | boolean>>;
  /** Resolution on that provider (default: the request's). */
  resolution?: string | null;
};

/**
 * What `generateClip` reports while it works (progress is data, not log lines).
 * - `cache-hit`: the clip was already cached; nothing was called.
 * - `resume`: an earlier run's paid task is polled instead of paying again.
 * - `attempt`: a create call is about to be made (already journaled).
 * - `submitted`: the provider accepted it; `taskId` is journaled.
 * - `waiting`: the task is pending, throttled (queued by the provider) or running.
 * - `retry`: waiting `delayMs` before trying again after `code`.
 * - `attempt-failed`: the provider failed the attempt or the call failed.
 * - `rejected`: the clip came back but failed QA (paid).
 * - `fallback`: moving on to the next provider in the chain.
 * - `succeeded`: the clip is in the cache.
 */
export type ClipEvent =
  | { type: 'cache-hit'; clipId: ClipId; file: string }
  | { type: 'resume'; clipId: ClipId; provider: string; taskId: string; attemptNo: number }
  | { type: 'attempt'; clipId: ClipId; provider: string; model: string; attemptNo: number; seed: number | null; estimatedCostUsd: number }
  | { type: 'submitted'; clipId: ClipId; provider: string; taskId: string; attemptNo: number }
  | { type: 'waiting'; clipId: ClipId; provider: string; taskId: string; status: 'pending' | 'throttled' | 'running'; progress: number | null }
  | { type: 'retry'; clipId: ClipId; provider: string; code: string; delayMs: number }
  | { type: 'attempt-failed'; clipId: ClipId; provider: string; attemptNo: number; code: string; message: string; costUsd: number | null }
  | { type: 'rejected'; clipId: ClipId; provider: string; attemptNo: number; code: string; message: string; costUsd: number }
  | { type: 'fallback'; clipId: ClipId; from: string; to: string; reason: string }
  | { type: 'succeeded'; clipId: ClipId; provider: string; model: string; file: string; costUsd: number; attempts: number };

/** Receives `ClipEvent`s. */
export type OnClipEvent = (event: ClipEvent) => void;

/** What is about to be paid for; `beforeAttempt` may refuse by throwing (e.g. a budget error). */
export type AttemptAdmission = { clipId: ClipId; provider: string; model: string; attemptNo: number; estimatedCostUsd: number };

/** Options for `generateClip`. */
export type GenerateClipOptions = {
  /** The planned request; `request.provider` must be `provider.id`. */
  request: ClipRequest;
  /** The request's id (default `toClipId(request)`); attempts of fallbacks are journaled under it too. */
  clipId?: ClipId;
  provider: ClipProvider;
  /** Ordered providers to try on outage or non-moderation failure. */
  fallbacks?: readonly ClipFallback[];
  /** Where every paid call is journaled: before the create call, and its task id right after. */
  ledger: ClipLedger;
  /** Where the finished clip goes. */
  cache: ClipCacheWriter;
  /** Folder for temporary files (default the OS temp folder); a subfolder is made and removed. */
  workDir?: string;
  /** Journal run id, or null. */
  runId?: string | null;
  /** Create calls per provider in the chain (default `DEFAULT_MAX_ATTEMPTS`). */
  maxAttempts?: number;
  /** Total time for this clip in ms (default `DEFAULT_CLIP_DEADLINE_MS`). */
  deadlineMs?: number;
  /** Time between polls in ms (default `DEFAULT_POLL_INTERVAL_MS`). */
  pollIntervalMs?: number;
  /** Backoff for 5xx, connection errors and timeouts (default `DEFAULT_RETRY_POLICY`). */
  retryPolicy?: RetryPolicy;
  /** Rate limiters by provider id (see `createRateLimiter`); a provider without one is not limited. */
  limiters?: Readonly<Record<string, RateLimiter>>;
  /** Size and fps of the delivered clip (default: the request's aspect at its resolution, 30 fps). */
  output?: { width: number; height: number; fps?: number };
  /** QA limits (default `DEFAULT_CLIP_QA_LIMITS`). */
  qa?: Partial<ClipQaLimits>;
  /** Download limits for provider output. */
  download?: { maxBytes?: number; timeoutMs?: number };
  /**
   * Submit the clip even when the ledger remembers that a provider's input moderation refused it in an
   * earlier run (default false: such a clip fails at once with `RW_CLIP_REFUSED_EARLIER`, no call made).
   */
  retryRefused?: boolean;
  /** Called before each paid create call; throw to refuse it (the error propagates, nothing is journaled). */
  beforeAttempt?: (admission: AttemptAdmission) => void | Promise<void>;
  signal?: AbortSignal | null;
  onEvent?: OnClipEvent | null;
  /** Receives log lines instead of stderr. */
  onLog?: OnLog | null;
  /** Least level logged (default `info`: fallbacks and retries are logged at `verbose`). */
  logLevel?: LogLevel;
  /** Clock in ms (injectable for tests). */
  now?: () => number;
  /** Randomness in [0, 1) for seeds and jitter (injectable for tests). */
  random?: () => number;
};

/** A usable clip. */
export type GenerateClipResult = {
  clipId: ClipId;
  /** The cached, normalized file. */
  file: string;
  /** sha256 of `file`. */
  fileHash: string;
  /** Attempts begun by this call (a resumed in-flight task counts as one); 0 on a cache hit. */
  attempts: number;
  /** Money spent by this call, failed and rejected attempts included. */
  costUsd: number;
  /** Provider and model that produced the clip. */
  provider: string;
  model: string;
  /** The task that produced it; null on a cache hit. */
  taskId: string | null;
  /** Seed of the successful attempt. */
  seed: number | null;
  /** True when the clip came from the cache. */
  cached: boolean;
};

type Link = { provider: ClipProvider; request: ClipRequest };

/**
 * How one attempt ended, for the loop.
 * - `done`: the clip is cached.
 * - `moderation`: refused by input moderation; stop everything.
 * - `reseed`: try again at once with a new seed (output moderation, bad output, QA rejection, expired output).
 * - `retry`: back off (or wait `retryAfterMs`), then try again on the same provider.
 * - `next`: this provider cannot do it (bad request, invalid input, auth); go to the next one.
 * - `deadline`: the total deadline passed.
 */
type Step =
  | { kind: 'done'; result: GenerateClipResult }
  | { kind: 'moderation'; failure: ProviderFailure }
  | { kind: 'reseed' }
  | { kind: 'retry'; code: string; retryAfterMs: number | null }
  | { kind: 'next'; reason: string }
  | { kind: 'deadline'; reason: string };

/** What became of a create call that failed (see `findLanded`). */
type CreateFate = { kind: 'answered' } | { kind: 'landed'; taskId: string } | { kind: 'none' } | { kind: 'unknown' };

/**
 * The journaled cost of a create call that made no task we know of. A create that got no answer and
 * that the provider cannot rule out may have made a task that bills: its cost is unknown (null), with
 * the list price in the source, so reports show it and `--budget` counts it, rather than $0.
 */
function costOfFailedCreate(fate: Exclude<CreateFate, { kind: 'landed' }>, providerId: string, estimate: CostEstimate): { costUsd: number | null; costSource: string } {
  switch (fate.kind) {
    case 'answered':
      return { costUsd: 0, costSource: 'no task was created' };
    case 'none':
      return { costUsd: 0, costSource: `no task was created (the create call got no answer, and ${providerId} lists no task from it)` };
    case 'unknown':
      return { costUsd: null, costSource: unknownCostSource(estimate, describeUnknownCost(providerId)) };
  }
}

/** The `costSource` of an attempt whose cost is unknown: its list price, then why. */
function unknownCostSource(estimate: CostEstimate, why: string): string {
  return `unknown (list price $${estimate.usd.toFixed(2)}): ${why}`;
}

/**
 * Why an attempt's cost is unknown, and what to do, for people: the `costSource` of such an attempt, and the
 * warning `render` and the studio show when an `attempt-failed` event has a null `costUsd`.
 */
export function describeUnknownCost(providerId: string): string {
  return `the create call got no answer, so ${providerId} may have made (and may bill) a task that reelwright cannot see; check the ${providerId} dashboard`;
}

function checkWhole(value: number, name: string, min: number): void {
  if (!Number.isInteger(value) || value < min) {
    throw new ConfigError(`options.${name} must be a whole number ≥ ${min}, got ${String(value)}.`, { code: 'RW_CONFIG_INVALID' });
  }
}

/**
 * Generates one clip the safe way: journal, create, poll, download at once, QA, normalize, cache.
 *
 * Per attempt, `ledger.beginAttempt` runs before `provider.submit` and `ledger.recordTaskId` right
 * after, so a killed process never pays twice: on the next call `findInflightAttempt` returns the
 * task and it is polled, not re-created. Pending/throttled/running are waiting, not failure.
 * A create call that got no answer (timeout, lost connection) may still have made a task: when the
 * provider implements `findSubmitted` (Luma), it is asked once, and a task it finds becomes this
 * attempt's task (journaled with `recordTaskId`, then polled) instead of a second paid create. When the
 * provider cannot rule such a task out (Runway lists no tasks; a failed lookup), the attempt's cost is
 * journaled as unknown (null), and a `--budget` counts its list price as spent.
 * 5xx, connection errors and timeouts back off exponentially with jitter; a 429's `retry-after` is
 * honoured; all of it is bounded by `maxAttempts` per provider and the total `deadlineMs`.
 * Input moderation fails at once with the provider's reason ("never retried, never sent to a
 * fallback"), and the ledger remembers it: a later call for the same clip fails at once with
 * `RW_CLIP_REFUSED_EARLIER` and makes no provider call, unless `retryRefused` is set. Output
 * moderation, bad output and QA rejections regenerate with a new seed;
 * outages and other failures move to the next provider in `fallbacks`.
 *
 * @example
 * const clip = await generateClip({ request, provider: runway, fallbacks: [{ provider: luma, model: 'ray-flash-2' }],
 *   ledger: journal, cache, runId: run.id, limiters: { runway: createRateLimiter(DEFAULT_RATE_LIMITS.runway!) }, signal });
 * @see ../../../shared/DESIGN.md (reliability contract, money model)
 */
export async function generateClip(options: GenerateClipOptions): Promise<GenerateClipResult> {
  const { request, provider, ledger, cache } = options;
  const signal = options.signal ?? null;
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  const deadlineMs = options.deadlineMs ?? DEFAULT_CLIP_DEADLINE_MS;
  const pollIntervalMs = options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
  const policy = options.retryPolicy ?? DEFAULT_RETRY_POLICY;
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const runId = options.runId ?? null;
  const limiters = options.limiters ?? {};
  const onEvent = options.onEvent ?? null;
  const logOptions = { logLevel: options.logLevel ?? 'info', tag: 'generateClip()', onLog: options.onLog ?? null };
  checkWhole(maxAttempts, 'maxAttempts', 1);
  checkWhole(deadlineMs, 'deadlineMs', 1);
  checkWhole(pollIntervalMs, 'pollIntervalMs', 0);
  if (options.output) {
    for (const side of ['width', 'height'] as const) {
      if (!Number.isInteger(options.output[side]) || options.output[side] < 2 || options.output[side] % 2 !== 0) {
        throw new ConfigError(`options.output.${side} must be an even whole number ≥ 2 (H.264 yuv420p), got ${String(options.output[side])}.`, { code: 'RW_CONFIG_INVALID' });
      }
    }
  }

  // Everything is validated before any spend: the request and every fallback.
  if (request.provider !== provider.id) {
    throw new ConfigError(`generateClip: request.provider is "${request.provider}" but options.provider is "${provider.id}". Pass the provider the request names.`, {
      code: 'RW_CONFIG_INVALID',
    });
  }
  const chain: Link[] = [{ provider, request }];
  for (const fallback of options.fallbacks ?? []) {
    chain.push({
      provider: fallback.provider,
      request: {
        ...request,
        provider: fallback.provider.id,
        model: fallback.model ?? fallback.provider.defaultModel,
        params: fallback.params ?? {},
        resolution: fallback.resolution === undefined ? request.resolution : fallback.resolution,
      },
    });
  }
  for (const link of chain) link.provider.validateRequest(link.request);
  const clipId = options.clipId ?? toClipId(request);
  const size = options.output ?? clipFrameSize(request);
  const output = { width: size.width, height: size.height, fps: options.output?.fps ?? DEFAULT_CLIP_FPS };

  throwIfAborted(signal);
  const cachedFile = await cache.get(clipId);
  if (cachedFile) {
    onEvent?.({ type: 'cache-hit', clipId, file: cachedFile });
    return {
      clipId,
      file: cachedFile,
      fileHash: await hashFile({ file: cachedFile }),
      attempts: 0,
      costUsd: 0,
      provider: request.provider,
      model: request.model,
      taskId: null,
      seed: request.seed,
      cached: true,
    };
  }

  // A prompt a provider's input moderation refused in an earlier run is not sent again unless asked:
  // it would most likely be refused again, and repeated refusals put the account at risk.
  if (!options.retryRefused) {
    const refusal = ledger.findInputRefusal(clipId);
    if (refusal) throw refusedEarlierError({ refusal });
  }

  const deadline = now() + deadlineMs;
  let attempts = 0;
  let costUsd = 0;
  let attemptNo = 0;
  let lastFailure: ProviderFailure | null = null;
  let lastProblem = 'no attempt was made';
  /** Task ids this call created or resumed: `findSubmitted` never hands one back as a new create's. */
  const knownTaskIds: string[] = [];
  const baseDir = options.workDir ?? tmpdir();
  await mkdir(baseDir, { recursive: true });
  const work = await mkdtemp(path.join(baseDir, 'rw-clip-'));

  const fail = (code: ClipGenerationErrorCode, message: string, cause?: unknown) =>
    new ClipGenerationError(message, { code, failure: lastFailure, attempts, costUsd, cause });

  /** Waits `ms`, or less when the deadline comes first; rejects with `CancelledError` on abort. */
  const sleep = (ms: number) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(new CancelledError('Cancelled while waiting to poll or retry.', signal.reason));
        return;
      }
      const onAbort = () => {
        clearTimeout(timer);
        reject(new CancelledError('Cancelled while waiting to poll or retry.', signal?.reason));
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, Math.max(0, Math.min(ms, deadline - now())));
      signal?.addEventListener('abort', onAbort, { once: true });
    });

  /** Waits for a limiter, giving up at the deadline (timers cleared either way). */
  const untilDeadline = async <T>(wait: (s: AbortSignal) => Promise<T>): Promise<T | null> => {
    const controller = new AbortController();
    const onAbort = () => controller.abort(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    const timer = setTimeout(() => controller.abort(), Math.max(0, deadline - now()));
    try {
      return await wait(controller.signal);
    } catch (error) {
      if (signal?.aborted) throw new CancelledError('Cancelled while waiting for a provider slot.', signal.reason);
      if (error instanceof CancelledError) return null;
      throw error;
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  };

  const finish = (attemptId: number, outcome: AttemptOutcome, providerId: string, no: number) => {
    ledger.finishAttempt(attemptId, outcome);
    costUsd += outcome.costUsd ?? 0;
    if (outcome.status === 'failed') {
      lastProblem = outcome.message;
      onEvent?.({ type: 'attempt-failed', clipId, provider: providerId, attemptNo: no, code: outcome.failureCode, message: outcome.message, costUsd: outcome.costUsd });
    } else if (outcome.status === 'rejected') {
      lastProblem = outcome.message;
      onEvent?.({ type: 'rejected', clipId, provider: providerId, attemptNo: no, code: outcome.failureCode, message: outcome.message, costUsd: outcome.costUsd });
    }
  };

  /** Turns a failed call (create, poll, download) into the loop's next step. */
  const stepForCallError = (error: ProviderError): Step => {
    if (error instanceof ProviderCallError && error.code === 'RW_PROVIDER_MODERATION') {
      return { kind: 'moderation', failure: { kind: 'moderation_input', providerCode: null, message: error.message } };
    }
    if (error.retryable) return { kind: 'retry', code: error.code, retryAfterMs: error instanceof ProviderCallError ? error.retryAfterMs : null };
    return { kind: 'next', reason: error.message };
  };

  /** Downloads, QA-checks, normalizes and caches a succeeded task's output. */
  const deliver = async (
    link: Link,
    req: ClipRequest,
    attemptId: number,
    no: number,
    taskId: string,
    state: Extract<TaskState, { status: 'succeeded' }>,
    estimate: CostEstimate,
    reportedEstimateUsd: number | null,
  ): Promise<Step> => {
    // What the provider billed, else what it estimated at create time, else the list price.
    const paid = state.costUsd ?? reportedEstimateUsd ?? estimate.usd;
    const costSource =
      state.costUsd !== null
        ? `${link.provider.id} reported cost`
        : reportedEstimateUsd !== null
          ? `${link.provider.id} estimated cost at create time`
          : `price table: ${estimate.source} (${estimate.date})`;
    const raw = path.join(work, `attempt-${no}-provider.mp4`);
    let url = state.outputUrl;
    let refreshed = false;
    let downloadRetries = 0;
    for (;;) {
      try {
        await downloadClip({
          url,
          outFile: raw,
          allowFileUrls: link.provider.id === 'local',
          signal,
          ...(options.download?.maxBytes !== undefined ? { maxBytes: options.download.maxBytes } : {}),
          ...(options.download?.timeoutMs !== undefined ? { timeoutMs: options.download.timeoutMs } : {}),
        });
        break;
      } catch (error) {
        if (!(error instanceof ClipDownloadError)) throw error;
        if (error.code === 'RW_CLIP_DOWNLOAD_EXPIRED' && !refreshed) {
          // Runway hands out a fresh URL on every read of a finished task: poll once more.
          refreshed = true;
          try {
            const again = await link.provider.poll(taskId, signal);
            if (again.status === 'succeeded') {
              url = again.outputUrl;
              continue;
            }
          } catch (pollError) {
            if (!(pollError instanceof ProviderError)) throw pollError;
            log.verbose(logOptions, `re-polling ${taskId} for a fresh output URL failed:`, pollError.message);
          }
        }
        if (error.retryable && downloadRetries < DOWNLOAD_RETRIES) {
          const delayMs = retryDelay({ policy, retryIndex: downloadRetries++, retryAfterMs: null, random });
          onEvent?.({ type: 'retry', clipId, provider: link.provider.id, code: error.code, delayMs });
          await sleep(delayMs);
          continue;
        }
        finish(attemptId, { status: 'failed', costUsd: paid, costSource, failureCode: error.code, message: error.message, retryable: error.code !== 'RW_CLIP_DOWNLOAD_TOO_LARGE' }, link.provider.id, no);
        if (error.code === 'RW_CLIP_DOWNLOAD_EXPIRED') return { kind: 'reseed' };
        if (error.retryable) return { kind: 'retry', code: error.code, retryAfterMs: null };
        return { kind: 'next', reason: error.message };
      }
    }

    const verdict = await checkClip({ file: raw, expect: { seconds: req.seconds, width: output.width, height: output.height }, ...(options.qa ? { limits: options.qa } : {}), signal });
    if (!verdict.ok) {
      finish(attemptId, { status: 'rejected', costUsd: paid, costSource, failureCode: verdict.code, message: verdict.message }, link.provider.id, no);
      return { kind: 'reseed' };
    }
    const normalizedFile = path.join(work, `attempt-${no}.mp4`);
    let normalized;
    try {
      normalized = await normalizeClip({ inFile: raw, outFile: normalizedFile, width: output.width, height: output.height, fps: output.fps, signal });
    } catch (error) {
      if (error instanceof CancelledError) throw error;
      const message = error instanceof Error ? error.message : String(error);
      finish(attemptId, { status: 'failed', costUsd: paid, costSource, failureCode: 'RW_CLIP_NORMALIZE_FAILED', message, retryable: false }, link.provider.id, no);
      throw error;
    }
    const fileHash = await hashFile({ file: normalizedFile });
    const finalFile = await cache.put(clipId, normalizedFile, {
      request: req,
      provider: link.provider.id,
      model: req.model,
      prompt: normalizePrompt(req.prompt),
      draft: req.draft,
      taskId,
      costUsd: paid,
      costSource,
      totalCostUsd: costUsd + paid,
      fileHash,
      width: output.width,
      height: output.height,
      fps: output.fps,
      durationSeconds: normalized.info.durationSeconds,
      qa: { blackRatio: verdict.defects.blackRatio, frozenRatio: verdict.defects.frozenRatio },
    });
    finish(attemptId, { status: 'succeeded', costUsd: paid, costSource, file: finalFile, fileHash }, link.provider.id, no);
    onEvent?.({ type: 'succeeded', clipId, provider: link.provider.id, model: req.model, file: finalFile, costUsd, attempts });
    return {
      kind: 'done',
      result: { clipId, file: finalFile, fileHash, attempts, costUsd, provider: link.provider.id, model: req.model, taskId, seed: req.seed, cached: false },
    };
  };

  /** Polls a submitted task until it is terminal, then delivers or classifies the failure. */
  const follow = async (
    link: Link,
    req: ClipRequest,
    attemptId: number,
    no: number,
    taskId: string,
    reportedEstimateUsd: number | null,
    slot: RateLimiterSlot | null,
    pollFirst: boolean,
  ): Promise<Step> => {
    const estimate = link.provider.estimateCost(req);
    let pollErrors = 0;
    let first = pollFirst;
    for (;;) {
      if (!first) await sleep(pollIntervalMs);
      first = false;
      throwIfAborted(signal);
      if (now() >= deadline) {
        // Stop an abandoned task from billing, when the provider can.
        let stopped = 'was left running (the provider cannot cancel tasks)';
        if (isCancellable(link.provider)) {
          try {
            await link.provider.cancel(taskId, signal);
            stopped = 'was cancelled';
          } catch (error) {
            if (!(error instanceof ProviderError)) throw error;
            stopped = `could not be cancelled (${error.code})`;
            log.warn(logOptions, `could not cancel ${link.provider.id} task ${taskId} at the deadline:`, error.message);
          }
        }
        // Neither API says what a task stopped midway costs (and a deleted task cannot be read back): unknown, not $0.
        const costSource = unknownCostSource(estimate, `the ${link.provider.id} task ${stopped} at the deadline, and ${link.provider.id} does not report what it bills for it`);
        finish(attemptId, { status: 'cancelled', costUsd: null, costSource }, link.provider.id, no);
        lastProblem = `${link.provider.id} task ${taskId} did not finish before the deadline`;
        return { kind: 'deadline', reason: lastProblem };
      }
      let state: TaskState;
      try {
        state = await link.provider.poll(taskId, signal);
      } catch (error) {
        if (!(error instanceof ProviderError)) throw error;
        if (error.retryable) {
          // A failed poll is not a failed generation: the task keeps running; poll again later.
          const retryAfterMs = error instanceof ProviderCallError ? error.retryAfterMs : null;
          const delayMs = Math.max(0, retryDelay({ policy, retryIndex: pollErrors++, retryAfterMs, random }) - pollIntervalMs);
          onEvent?.({ type: 'retry', clipId, provider: link.provider.id, code: error.code, delayMs });
          await sleep(delayMs);
          continue;
        }
        finish(attemptId, { status: 'failed', costUsd: 0, costSource: 'task unreadable; no cost reported', failureCode: error.code, message: error.message, retryable: false }, link.provider.id, no);
        slot?.release();
        // The task is gone (404) or unreadable: a new attempt on this provider may work; auth problems will not.
        return error.code === 'RW_PROVIDER_NOT_FOUND' ? { kind: 'retry', code: error.code, retryAfterMs: null } : { kind: 'next', reason: error.message };
      }
      pollErrors = 0;
      switch (state.status) {
        case 'pending':
        case 'throttled':
          onEvent?.({ type: 'waiting', clipId, provider: link.provider.id, taskId, status: state.status, progress: null });
          continue;
        case 'running':
          onEvent?.({ type: 'waiting', clipId, provider: link.provider.id, taskId, status: 'running', progress: state.progress });
          continue;
        case 'cancelled':
          slot?.release();
          finish(attemptId, { status: 'cancelled', costUsd: 0, costSource: `${link.provider.id} reported the task cancelled` }, link.provider.id, no);
          lastProblem = `${link.provider.id} task ${taskId} was cancelled outside reelwright`;
          return { kind: 'retry', code: 'RW_PROVIDER_TASK_CANCELLED', retryAfterMs: null };
        case 'failed': {
          slot?.release();
          const failure = state.failure;
          lastFailure = failure;
          const retryable = failure.kind === 'moderation_output' || failure.kind === 'bad_output' || failure.kind === 'internal';
          finish(
            attemptId,
            {
              status: 'failed',
              costUsd: state.costUsd ?? 0,
              costSource: state.costUsd !== null ? `${link.provider.id} reported cost` : `${link.provider.id} reported no cost for a failed task`,
              failureCode: failure.providerCode ?? failure.kind,
              failureKind: failure.kind,
              message: failure.message,
              retryable,
            },
            link.provider.id,
            no,
          );
          switch (failure.kind) {
            case 'moderation_input':
              return { kind: 'moderation', failure };
            case 'moderation_output':
            case 'bad_output':
              return { kind: 'reseed' };
            case 'internal':
              return { kind: 'retry', code: failure.providerCode ?? 'internal', retryAfterMs: null };
            case 'invalid_input':
              return { kind: 'next', reason: failure.message };
            default:
              return assertNever(failure.kind, 'failure kind');
          }
        }
        case 'succeeded':
          // The provider is done with it: free the slot before the (local) download and QA.
          slot?.release();
          return deliver(link, req, attemptId, no, taskId, state, estimate, reportedEstimateUsd);
        default:
          return assertNever(state, 'task state');
      }
    }
  };

  /**
   * What became of a create call that failed, asking the provider once (`findSubmitted`, bounded by the clip
   * deadline) when the call got no answer (`AMBIGUOUS_CREATE_CODES`):
   * - `answered`: the provider answered with an error, so no task was made;
   * - `landed`: a task from this create exists (`taskId`);
   * - `none`: the provider lists no such task;
   * - `unknown`: the provider cannot list its tasks (Runway) or the lookup failed: a task may exist and bill.
   */
  const findLanded = async (link: Link, req: ClipRequest, error: unknown, sinceMs: number): Promise<CreateFate> => {
    const provider = link.provider;
    if (!(error instanceof ProviderError) || !AMBIGUOUS_CREATE_CODES.has(error.code)) return { kind: 'answered' };
    if (!provider.findSubmitted) return { kind: 'unknown' };
    const search = { request: req, sinceMs, excludeTaskIds: [...knownTaskIds] };
    try {
      const found = await untilDeadline((s) => provider.findSubmitted!(search, s));
      if (!found) return { kind: 'none' };
      log.verbose(logOptions, `clip ${clipId}: the ${provider.id} create call got no answer (${error.code}) but task ${found} exists; polling it instead of creating another`);
      return { kind: 'landed', taskId: found };
    } catch (lookupError) {
      if (lookupError instanceof CancelledError || signal?.aborted) throw lookupError;
      log.verbose(logOptions, `clip ${clipId}: could not check whether the unanswered ${provider.id} create landed; creating again:`, lookupError instanceof Error ? lookupError.message : String(lookupError));
      return { kind: 'unknown' };
    }
  };

  /** One new paid attempt: admission, limiter, journal, create, journal the task id, follow. */
  const attempt = async (link: Link, req: ClipRequest): Promise<Step> => {
    const limiter = limiters[link.provider.id] ?? null;
    const estimate = link.provider.estimateCost(req);
    const slot = limiter ? await untilDeadline((s) => limiter.acquireSlot(s)) : null;
    if (limiter && !slot) return { kind: 'deadline', reason: `no ${link.provider.id} slot became free before the deadline` };
    let released = false;
    const slotOnce: RateLimiterSlot | null = slot && {
      release() {
        if (!released) slot.release();
        released = true;
      },
    };
    try {
      if (limiter && (await untilDeadline(async (s) => (await limiter.reserveCreate(s), true))) === null) {
        return { kind: 'deadline', reason: `the ${link.provider.id} create-rate window did not open before the deadline` };
      }
      attemptNo += 1;
      await options.beforeAttempt?.({ clipId, provider: link.provider.id, model: req.model, attemptNo, estimatedCostUsd: estimate.usd });
      throwIfAborted(signal);
      const attemptId = ledger.beginAttempt({
        clipId,
        runId,
        provider: link.provider.id,
        model: req.model,
        promptHash: promptHash(req.prompt),
        attemptNo,
        seed: req.seed,
        estimatedCostUsd: estimate.usd,
      });
      attempts += 1;
      const no = attemptNo;
      onEvent?.({ type: 'attempt', clipId, provider: link.provider.id, model: req.model, attemptNo: no, seed: req.seed, estimatedCostUsd: estimate.usd });
      let taskId: string;
      let reportedEstimateUsd: number | null;
      const sentAtMs = now();
      try {
        const submitted = await link.provider.submit(req, signal);
        taskId = submitted.taskId;
        reportedEstimateUsd = submitted.estimatedCostUsd;
        ledger.recordTaskId(attemptId, taskId, reportedEstimateUsd);
      } catch (error) {
        // Cancelled mid-call: whether a task exists is unknown. The attempt keeps no task id and
        // the next run abandons it (abandonUnsubmittedAttempts) rather than guessing.
        if (error instanceof CancelledError || signal?.aborted) throw error;
        // No answer at all (timeout, lost connection): the create may have landed and be billing.
        // When the provider can list its tasks, the one it finds is this attempt's task, polled as usual.
        const fate = await findLanded(link, req, error, sentAtMs);
        if (fate.kind === 'landed') {
          taskId = fate.taskId;
          reportedEstimateUsd = null;
          ledger.recordTaskId(attemptId, taskId, reportedEstimateUsd);
          knownTaskIds.push(taskId);
          onEvent?.({ type: 'submitted', clipId, provider: link.provider.id, taskId, attemptNo: no });
          return await follow(link, req, attemptId, no, taskId, reportedEstimateUsd, slotOnce, true);
        }
        const code = error instanceof ProviderError ? error.code : 'RW_PROVIDER_ERROR';
        const message = error instanceof Error ? error.message : String(error);
        const retryable = error instanceof ProviderError && error.retryable;
        const failureKind = code === 'RW_PROVIDER_MODERATION' ? 'moderation_input' : null;
        const { costUsd: cost, costSource } = costOfFailedCreate(fate, link.provider.id, estimate);
        finish(attemptId, { status: 'failed', costUsd: cost, costSource, failureCode: code, failureKind, message, retryable }, link.provider.id, no);
        if (!(error instanceof ProviderError)) throw error;
        return stepForCallError(error);
      }
      knownTaskIds.push(taskId);
      onEvent?.({ type: 'submitted', clipId, provider: link.provider.id, taskId, attemptNo: no });
      return await follow(link, req, attemptId, no, taskId, reportedEstimateUsd, slotOnce, link.provider.readyOnSubmit === true);
    } finally {
      slotOnce?.release();
    }
  };

  /** Polls an attempt an earlier (killed) run left in flight. */
  const resume = async (link: Link, inflight: InflightAttempt): Promise<Step> => {
    const req: ClipRequest = { ...link.request, model: inflight.model, seed: inflight.seed };
    const limiter = limiters[link.provider.id] ?? null;
    const slot = limiter ? await untilDeadline((s) => limiter.acquireSlot(s)) : null;
    // No slot before the deadline: leave the paid task in flight for the next run rather than cancel it.
    if (limiter && !slot) return { kind: 'deadline', reason: `no ${link.provider.id} slot became free before the deadline to resume task ${inflight.taskId}` };
    try {
      attempts += 1;
      attemptNo = inflight.attemptNo;
      knownTaskIds.push(inflight.taskId);
      onEvent?.({ type: 'resume', clipId, provider: link.provider.id, taskId: inflight.taskId, attemptNo: inflight.attemptNo });
      // InflightAttempt does not carry the create-time estimate; the list price stands in if the task reports no cost.
      return await follow(link, req, inflight.attemptId, inflight.attemptNo, inflight.taskId, null, slot, true);
    } finally {
      slot?.release();
    }
  };

  try {
    // Attempts journaled without a task id were cut off mid-create: nothing to poll, mark them.
    ledger.abandonUnsubmittedAttempts(clipId);
    let inflight = ledger.findInflightAttempt(clipId);
    let start = 0;
    if (inflight) {
      start = chain.findIndex((l) => l.provider.id === inflight!.provider);
      if (start < 0) {
        throw fail(
          'RW_CLIP_INFLIGHT_UNRESUMABLE',
          `Clip ${clipId} has a paid ${inflight.provider} task (${inflight.taskId}) in flight from an earlier run, but ${inflight.provider} is not in this clip's provider chain (${chain.map((l) => l.provider.id).join(', ')}). ` +
            `Configure ${inflight.provider} to resume it; starting a new task would pay twice.`,
        );
      }
    }

    for (let index = start; index < chain.length; index++) {
      const link = chain[index]!;
      let used = 0;
      let retryIndex = 0;
      let seed = link.request.seed;
      let why = '';
      for (;;) {
        let step: Step;
        if (inflight && index === start) {
          const resumed = inflight;
          inflight = null;
          used += 1;
          seed = resumed.seed;
          step = await resume(link, resumed);
        } else {
          if (used >= maxAttempts) {
            why = `${link.provider.id} used all ${maxAttempts} attempts`;
            break;
          }
          if (now() >= deadline) throw fail('RW_CLIP_DEADLINE', `Clip ${clipId}: gave up after ${deadlineMs} ms (${attempts} attempts, $${costUsd.toFixed(2)}). Last problem: ${lastProblem}`);
          used += 1;
          step = await attempt(link, { ...link.request, seed });
        }
        switch (step.kind) {
          case 'done':
            return step.result;
          case 'moderation':
            lastFailure = step.failure;
            throw fail('RW_CLIP_MODERATION_INPUT', `Clip ${clipId} was refused by ${link.provider.id}'s input moderation, so it is not retried or sent to another provider: ${step.failure.message}`);
          case 'reseed':
            seed = Math.floor(random() * 4_294_967_296) % 4_294_967_296;
            retryIndex = 0;
            continue;
          case 'retry': {
            const delayMs = retryDelay({ policy, retryIndex: retryIndex++, retryAfterMs: step.retryAfterMs, random });
            if (now() + delayMs > deadline) {
              throw fail('RW_CLIP_DEADLINE', `Clip ${clipId}: ${link.provider.id} asked to wait ${Math.ceil(delayMs / 1000)} s after ${step.code}, past the deadline (${attempts} attempts, $${costUsd.toFixed(2)}). Last problem: ${lastProblem}`);
            }
            onEvent?.({ type: 'retry', clipId, provider: link.provider.id, code: step.code, delayMs });
            await sleep(delayMs);
            continue;
          }
          case 'next':
            why = step.reason;
            break;
          case 'deadline':
            throw fail('RW_CLIP_DEADLINE', `Clip ${clipId}: ${step.reason} (${attempts} attempts, $${costUsd.toFixed(2)}).`);
          default:
            return assertNever(step, 'step');
        }
        break;
      }
      const next = chain[index + 1];
      if (next) {
        log.verbose(logOptions, `clip ${clipId}: falling back from ${link.provider.id} to ${next.provider.id}: ${why}`);
        onEvent?.({ type: 'fallback', clipId, from: link.provider.id, to: next.provider.id, reason: why });
      }
    }
    throw fail(
      'RW_CLIP_ATTEMPTS_EXHAUSTED',
      `No usable clip for ${clipId} after ${attempts} attempts with ${chain.map((l) => `${l.provider.id}:${l.request.model}`).join(' → ')} ($${costUsd.toFixed(2)} spent). Last problem: ${lastProblem}`,
    );
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
