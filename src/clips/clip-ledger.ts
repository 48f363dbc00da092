import type { ClipId } from './types.js';

/**
 * How one generation attempt ended.
 * - `succeeded`: the clip passed QA and is in the cache.
 * - `failed`: the provider reported failure (or the call errored); see `failureCode`.
 * - `rejected`: the provider succeeded but the clip failed our QA gate (still paid).
 * - `cancelled`: we stopped it (Ctrl-C, budget); the task may still bill.
 */
export type AttemptOutcome =
  | { status: 'succeeded'; costUsd: number; costSource: string; file: string; fileHash: string }
  | { status: 'failed'; costUsd: number; costSource: string; failureCode: string; message: string; retryable: boolean }
  | { status: 'rejected'; costUsd: number; costSource: string; failureCode: string; message: string }
  | { status: 'cancelled'; costUsd: number; costSource: string };

/** What is known about an attempt when it starts (before the paid create call). */
export type AttemptStart = {
  clipId: ClipId;
  runId: string | null;
  provider: string;
  model: string;
  promptHash: string;
  /** 1-based attempt number for this clip within this run. */
  attemptNo: number;
  seed: number | null;
  estimatedCostUsd: number;
};

/** An attempt that was submitted (task id known) but never finished: a resumed run polls it. */
export type InflightAttempt = { attemptId: number; taskId: string; provider: string; model: string; seed: number | null; attemptNo: number };

/**
 * The port through which the clip stage journals every paid call: the attempt is written
 * *before* the create call and its task id *right after*, so a killed batch never pays twice.
 * The SQLite journal implements it; calls are synchronous (one SQLite transaction each).
 */
export interface ClipLedger {
  /** Journals an attempt about to be submitted; returns its id. */
  beginAttempt(start: AttemptStart): number;
  /** Journals the provider's task id right after the create call returned. */
  recordTaskId(attemptId: number, taskId: string, estimatedCostUsd: number | null): void;
  /** Journals how the attempt ended, with what it cost. */
  finishAttempt(attemptId: number, outcome: AttemptOutcome): void;
  /** The newest attempt for this clip that has a task id but no outcome, or null. */
  findInflightAttempt(clipId: ClipId): InflightAttempt | null;
  /** Attempts begun without a task id (killed between journaling and the create call's answer). */
  abandonUnsubmittedAttempts(clipId: ClipId): void;
}
