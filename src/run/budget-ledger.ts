import type { AttemptOutcome, AttemptStart, ClipId, ClipLedger, InflightAttempt, InputRefusal } from '../clips/index.js';
import { ReelwrightError } from '../errors/index.js';

/** Thrown before a paid attempt that would take the run past `--budget`. */
export class BudgetExceededError extends ReelwrightError {
  constructor(message: string) {
    super(message, { code: 'RW_BUDGET_EXCEEDED' });
  }
}

/**
 * Wraps the journal's ledger to keep a running tally of money spent and reserved by attempts in
 * flight, so `--budget` can refuse an attempt *before* it is paid for.
 */
export class BudgetLedger implements ClipLedger {
  readonly #inner: ClipLedger;
  readonly #budgetUsd: number | null;
  readonly #reserved = new Map<number, number>();
  #spentUsd = 0;
  #unknownUsd = 0;

  constructor(inner: ClipLedger, budgetUsd: number | null) {
    this.#inner = inner;
    this.#budgetUsd = budgetUsd;
  }

  /** Money billed by attempts of this run so far (known costs only). */
  get spentUsd(): number {
    return this.#spentUsd;
  }

  /** List price of this run's attempts whose cost is unknown (they may have been billed). */
  get unknownUsd(): number {
    return this.#unknownUsd;
  }

  /** Estimates of attempts started and not finished. */
  get reservedUsd(): number {
    let sum = 0;
    for (const value of this.#reserved.values()) sum += value;
    return sum;
  }

  /**
   * Throws `BudgetExceededError` when spent + possibly billed (attempts of unknown cost, at their estimate) + in
   * flight + this estimate would pass the budget.
   */
  admit(estimatedCostUsd: number): void {
    if (this.#budgetUsd === null || estimatedCostUsd <= 0) return;
    const committed = this.#spentUsd + this.#unknownUsd + this.reservedUsd;
    if (committed + estimatedCostUsd > this.#budgetUsd + 1e-9) {
      const unknown = this.#unknownUsd > 0 ? ` (with $${this.#unknownUsd.toFixed(2)} at list price for attempts of unknown cost)` : '';
      throw new BudgetExceededError(
        `Budget reached: $${committed.toFixed(2)} spent or in flight in this run${unknown}, and the next attempt would cost about $${estimatedCostUsd.toFixed(2)}, ` +
          `over the $${this.#budgetUsd.toFixed(2)} budget. Run render again to continue: --budget caps each run, and clips already paid for are reused, not paid again.`,
      );
    }
  }

  beginAttempt(start: AttemptStart): number {
    const id = this.#inner.beginAttempt(start);
    this.#reserved.set(id, start.estimatedCostUsd);
    return id;
  }

  recordTaskId(attemptId: number, taskId: string, estimatedCostUsd: number | null): void {
    this.#inner.recordTaskId(attemptId, taskId, estimatedCostUsd);
    if (estimatedCostUsd !== null && this.#reserved.has(attemptId)) this.#reserved.set(attemptId, estimatedCostUsd);
  }

  /**
   * An attempt of unknown cost (a create that got no answer may have made a task that bills; a task stopped at the
   * deadline) counts against the budget at its estimate.
   */
  finishAttempt(attemptId: number, outcome: AttemptOutcome): void {
    this.#inner.finishAttempt(attemptId, outcome);
    const reserved = this.#reserved.get(attemptId) ?? 0;
    this.#reserved.delete(attemptId);
    if (outcome.costUsd === null) this.#unknownUsd += reserved;
    else this.#spentUsd += outcome.costUsd;
  }

  findInflightAttempt(clipId: ClipId): InflightAttempt | null {
    return this.#inner.findInflightAttempt(clipId);
  }

  abandonUnsubmittedAttempts(clipId: ClipId): void {
    this.#inner.abandonUnsubmittedAttempts(clipId);
  }

  findInputRefusal(clipId: ClipId): InputRefusal | null {
    return this.#inner.findInputRefusal(clipId);
  }
}
