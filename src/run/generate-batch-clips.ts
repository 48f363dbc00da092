import path from 'node:path';
import {
  createRateLimiter,
  DEFAULT_RATE_LIMITS,
  generateClip,
  toClipCacheWriter,
  type ClipCache,
  type ClipFallback,
  type ClipId,
  type OnClipEvent,
  type RateLimiter,
} from '../clips/index.js';
import { CancelledError, ConfigError, toErrorRecord, type ErrorRecord } from '../errors/index.js';
import type { LogLevel, OnLog } from '../log/index.js';
import type { PlannedClip } from '../plan/index.js';
import type { TemplateDefinition } from '../template/index.js';
import { BudgetExceededError, type BudgetLedger } from './budget-ledger.js';
import type { ClipProviders } from './clip-providers.js';

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
  template: TemplateDefinition;
  providers: ClipProviders;
  ledger: BudgetLedger;
  cache: ClipCache;
  runId: string;
  workDir: string;
  maxAttempts: number;
  /** How many clips are worked on at once (each provider's own limiter applies inside). */
  concurrency: number;
  signal: AbortSignal | null;
  onClipDone: (outcome: ClipOutcome, index: number) => void;
  onEvent: OnClipEvent | null;
  logLevel: LogLevel;
  onLog: OnLog | null;
};

/** Parses a slot's `fallback` entry, `provider:model` (model optional). */
function parseFallback(entry: string, slot: string): { provider: string; model: string | null } {
  const [provider, model] = entry.split(':', 2);
  if (!provider) throw new ConfigError(`Slot "${slot}": fallback entry ${JSON.stringify(entry)} must look like "provider:model".`, { code: 'RW_CONFIG_INVALID' });
  return { provider, model: model ?? null };
}

/**
 * Generates (or finds in the cache) every distinct clip of the plan, each exactly once,
 * with a bounded number in flight. Returns one promise per clip id, so render jobs can start as
 * soon as their own clips are ready. A failed clip never throws: it resolves `ok: false`.
 */
export function generateBatchClips(options: GenerateBatchClipsOptions): Map<ClipId, Promise<ClipOutcome>> {
  const limiters: Record<string, RateLimiter> = {};
  for (const [id, limits] of Object.entries(DEFAULT_RATE_LIMITS)) limiters[id] = createRateLimiter(limits);
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
      await acquire();
      try {
        if (options.signal?.aborted) throw new CancelledError(undefined, options.signal.reason);
        const slot = planned.users[0]?.slot;
        const slotDef = slot ? options.template.slots[slot] : undefined;
        const fallbacks: ClipFallback[] = [];
        if (slotDef?.kind === 'broll') {
          for (const entry of slotDef.fallback ?? []) {
            const parsed = parseFallback(entry, slot as string);
            fallbacks.push({ provider: options.providers.get(parsed.provider), ...(parsed.model ? { model: parsed.model } : {}) });
          }
        }
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
          limiters,
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
