import path from 'node:path';
import {
  createRateLimiter,
  DEFAULT_RATE_LIMITS,
  generateClip,
  refusedEarlierError,
  toClipCacheWriter,
  type ClipCache,
  type ClipFallback,
  type ClipId,
  type ClipQaLimits,
  type OnClipEvent,
  type RateLimiter,
  type RateLimits,
  type RetryPolicy,
} from '../clips/index.js';
import { CancelledError, toErrorRecord, type ErrorRecord } from '../errors/index.js';
import type { LogLevel, OnLog } from '../log/index.js';
import type { PlannedClip } from '../plan/index.js';
import { BudgetExceededError, type BudgetLedger } from './budget-ledger.js';
import type { ClipProviders } from './clip-providers.js';
import type { ClipChainLink } from './resolve-clip-chain.js';

/**
 * How one clip of the batch ended up.
 * - `ok: true`: `file` is the cached clip; `origin` says whether it was generated now or found in the cache.
 * - `ok: false`: every row using it fails (or is skipped, when `budget` is true).
 */
export type ClipOutcome =
  | { ok: true; clipId: ClipId; file: string; fileHash: string | null; origin: 'generated' | 'cache'; costUsd: number }
  | { ok: false; clipId: ClipId; error: ErrorRecord; budget: boolean };

/** Options for `generateBatchClips`. */
export type GenerateBatchClipsOptions = {
  clips: readonly PlannedClip[];
  /** Fallbacks per clip id (`PreparedBatch.chains`); a clip without an entry has none. */
  chains: ReadonlyMap<ClipId, readonly ClipChainLink[]>;
  providers: ClipProviders;
  /** Concurrency and create-rate limits per provider id (default `DEFAULT_RATE_LIMITS`). */
  limits?: Readonly<Record<string, RateLimits>>;
  /** Time between polls of a task, in ms (default `generateClip`'s). */
  pollIntervalMs?: number | null;
  /** Backoff of failed calls (default `generateClip`'s). */
  retryPolicy?: RetryPolicy | null;
  /** Total time for one clip, in ms (default `generateClip`'s). */
  deadlineMs?: number | null;
  /** QA gate limits that differ from the defaults. */
  qa?: Partial<ClipQaLimits> | null;
  ledger: BudgetLedger;
  cache: ClipCache;
  runId: string;
  workDir: string;
  maxAttempts: number;
  /**
   * Submit clips a provider's input moderation refused in an earlier run (`--retry-refused`). Default false: a clip
   * planned `refused` fails at once (`RW_CLIP_REFUSED_EARLIER`) without a provider call, and so does one the journal
   * learns about between planning and generating.
   */
  retryRefused?: boolean;
  /** How many clips are worked on at once (each provider's own limiter applies inside). */
  concurrency: number;
  signal: AbortSignal | null;
  onClipDone: (outcome: ClipOutcome, index: number) => void;
  onEvent: OnClipEvent | null;
  logLevel: LogLevel;
  onLog: OnLog | null;
};

/**
 * Generates (or finds in the cache) every distinct clip of the plan, each exactly once,
 * with a bounded number in flight. Returns one promise per clip id, so render jobs can start as
 * soon as their own clips are ready. A failed clip never throws: it resolves `ok: false`.
 */
export function generateBatchClips(options: GenerateBatchClipsOptions): Map<ClipId, Promise<ClipOutcome>> {
  const limiters: Record<string, RateLimiter> = {};
  for (const [id, limits] of Object.entries(options.limits ?? DEFAULT_RATE_LIMITS)) limiters[id] = createRateLimiter(limits);
  const cacheWriter = toClipCacheWriter(options.cache);
  const results = new Map<ClipId, Promise<ClipOutcome>>();
  let running = 0;
  const waiting: (() => void)[] = [];
  const acquire = async () => {
    if (running < options.concurrency) {
      running++;
      return;
    }
    await new Promise<void>((resolve) => waiting.push(resolve));
  };
  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else running--;
  };

  options.clips.forEach((planned, index) => {
    const work = async (): Promise<ClipOutcome> => {
      const cached = options.cache.get(planned.clipId);
      if (cached) return { ok: true, clipId: planned.clipId, file: cached.file, fileHash: cached.fileHash, origin: 'cache', costUsd: 0 };
      // Refused earlier: fails its rows without a provider call (and without a key or a concurrency slot).
      if (planned.status === 'refused' && planned.refusal && !options.retryRefused) throw refusedEarlierError({ refusal: planned.refusal });
      await acquire();
      try {
        if (options.signal?.aborted) throw new CancelledError(undefined, options.signal.reason);
        const fallbacks: ClipFallback[] = (options.chains.get(planned.clipId) ?? []).map((link) => ({
          provider: options.providers.get(link.provider),
          ...(link.model ? { model: link.model } : {}),
          resolution: link.resolution,
        }));
        const result = await generateClip({
          request: planned.request,
          clipId: planned.clipId,
          provider: options.providers.get(planned.request.provider),
          fallbacks,
          ledger: options.ledger,
          cache: cacheWriter,
          workDir: path.join(options.workDir, 'clips'),
          runId: options.runId,
          maxAttempts: options.maxAttempts,
          retryRefused: options.retryRefused ?? false,
          limiters,
          ...(options.pollIntervalMs != null ? { pollIntervalMs: options.pollIntervalMs } : {}),
          ...(options.retryPolicy ? { retryPolicy: options.retryPolicy } : {}),
          ...(options.deadlineMs != null ? { deadlineMs: options.deadlineMs } : {}),
          ...(options.qa ? { qa: options.qa } : {}),
          beforeAttempt: (admission) => options.ledger.admit(admission.estimatedCostUsd),
          signal: options.signal,
          onEvent: options.onEvent,
          onLog: options.onLog,
          logLevel: options.logLevel,
        });
        return {
          ok: true,
          clipId: planned.clipId,
          file: result.file,
          fileHash: result.fileHash,
          origin: result.cached ? 'cache' : 'generated',
          costUsd: result.costUsd,
        };
      } finally {
        release();
      }
    };
    const promise = work().then(
      (outcome) => {
        options.onClipDone(outcome, index);
        return outcome;
      },
      (error: unknown) => {
        if (error instanceof CancelledError) throw error;
        const outcome: ClipOutcome = { ok: false, clipId: planned.clipId, error: toErrorRecord(error), budget: error instanceof BudgetExceededError };
        options.onClipDone(outcome, index);
        return outcome;
      },
    );
    // A cancelled clip rejects; whoever awaits it sees the CancelledError. Avoid an unhandled rejection meanwhile.
    promise.catch(() => undefined);
    results.set(planned.clipId, promise);
  });
  return results;
}
