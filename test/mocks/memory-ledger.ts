import type { AttemptOutcome, AttemptStart, ClipLedger, InflightAttempt, InputRefusal } from '../../src/clips/clip-ledger.js';
import type { ClipId } from '../../src/clips/types.js';

/** One attempt as the memory ledger holds it. */
export type MemoryAttempt = AttemptStart & {
  attemptId: number;
  taskId: string | null;
  reportedEstimateUsd: number | null;
  outcome: AttemptOutcome | null;
  /** Set by `abandonUnsubmittedAttempts`. */
  abandoned: boolean;
};

/**
 * An in-memory `ClipLedger` for tests, until the SQLite journal (`src/journal/`) implements the
 * port; then tests should use the real journal in a temp file and this file can go.
 * `attempts` is public so tests can assert what was journaled, in order.
 */
export class MemoryLedger implements ClipLedger {
  readonly attempts: MemoryAttempt[] = [];
  /** Every call, in order, e.g. `begin`, `task`, `finish` — to assert journaling order. */
  readonly calls: string[] = [];

  beginAttempt(start: AttemptStart): number {
    const attemptId = this.attempts.length + 1;
    this.attempts.push({ ...start, attemptId, taskId: null, reportedEstimateUsd: null, outcome: null, abandoned: false });
    this.calls.push(`begin ${attemptId}`);
    return attemptId;
  }

  recordTaskId(attemptId: number, taskId: string, estimatedCostUsd: number | null): void {
    const attempt = this.#get(attemptId);
    attempt.taskId = taskId;
    attempt.reportedEstimateUsd = estimatedCostUsd;
    this.calls.push(`task ${attemptId}`);
  }

  finishAttempt(attemptId: number, outcome: AttemptOutcome): void {
    const attempt = this.#get(attemptId);
    if (attempt.outcome) throw new Error(`attempt ${attemptId} finished twice`);
    attempt.outcome = outcome;
    this.calls.push(`finish ${attemptId} ${outcome.status}`);
  }

  findInflightAttempt(clipId: ClipId): InflightAttempt | null {
    for (let i = this.attempts.length - 1; i >= 0; i--) {
      const a = this.attempts[i]!;
      if (a.clipId === clipId && a.taskId !== null && a.outcome === null) {
        return { attemptId: a.attemptId, taskId: a.taskId, provider: a.provider, model: a.model, seed: a.seed, attemptNo: a.attemptNo };
      }
    }
    return null;
  }

  abandonUnsubmittedAttempts(clipId: ClipId): void {
    for (const a of this.attempts) {
      if (a.clipId === clipId && a.taskId === null && a.outcome === null && !a.abandoned) {
        a.abandoned = true;
        this.calls.push(`abandon ${a.attemptId}`);
      }
    }
  }

  /** The journal's rule: the clip's newest answered attempt (not open, not abandoned) failed with kind `moderation_input`. */
  findInputRefusal(clipId: ClipId): InputRefusal | null {
    for (let i = this.attempts.length - 1; i >= 0; i--) {
      const a = this.attempts[i]!;
      if (a.clipId !== clipId || a.abandoned || (a.outcome === null && a.taskId === null)) continue;
      const o = a.outcome;
      if (o?.status !== 'failed' || o.failureKind !== 'moderation_input') return null;
      return { clipId, attemptId: a.attemptId, runId: a.runId, runStartedAt: null, provider: a.provider, model: a.model, failureCode: o.failureCode, message: o.message, refusedAt: 0 };
    }
    return null;
  }

  /** Attempts that have an outcome. */
  finished(): MemoryAttempt[] {
    return this.attempts.filter((a) => a.outcome !== null);
  }

  /** Sum of recorded costs. */
  totalCostUsd(): number {
    return this.attempts.reduce((sum, a) => sum + (a.outcome?.costUsd ?? 0), 0);
  }

  #get(attemptId: number): MemoryAttempt {
    const attempt = this.attempts[attemptId - 1];
    if (!attempt) throw new Error(`unknown attempt ${attemptId}`);
    return attempt;
  }
}
