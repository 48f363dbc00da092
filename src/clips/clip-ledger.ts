import type { ClipId, FailureKind } from './types.js';

/**
 * How one generation attempt ended.
 * - `succeeded`: the clip passed QA and is in the cache.
 * - `failed`: the provider reported failure (or the call errored); see `failureCode`.
 * - `rejected`: the provider succeeded but the clip failed our QA gate (still paid).
 * - `cancelled`: we stopped it (Ctrl-C, budget); the task may still bill.
 */
export type AttemptOutcome =
  | { status: 'succeeded'; costUsd: number; costSource: string; file: string; fileHash: string }
  | {
      status: 'failed';
      /** Null when unknown: a create call that got no answer may have made a task that bills (`costSource` says so). */
      costUsd: number | null;
      costSource: string;
      failureCode: string;
      message: string;
      retryable: boolean;
      /** The provider-neutral kind when the provider refused or failed the generation (`moderation_input` is remembered); absent or null for call, download and processing errors. */
      failureKind?: FailureKind | null;
    }
  | { status: 'rejected'; costUsd: number; costSource: string; failureCode: string; message: string }
  /** `costUsd` null: cancelled by us at the deadline, and the provider does not report what a cancelled task costs. */
  | { status: 'cancelled'; costUsd: number | null; costSource: string };

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

/**
 * A prompt (or first-frame image) a provider's input moderation refused, as the journal remembers it:
 * the clip's newest answered attempt. The next run fails the clip at once instead of submitting it again.
 */
export type InputRefusal = {
  clipId: ClipId;
  attemptId: number;
  /** The run that was refused, or null (e.g. a studio preview). */
  runId: string | null;
  /** When that run started (ms since the epoch), or null. */
  runStartedAt: number | null;
  provider: string;
  model: string;
  /** The provider's own code (`SAFETY.INPUT.TEXT`) or `RW_PROVIDER_MODERATION` for a create-time refusal. */
  failureCode: string | null;
  /** The provider's reason in plain words. */
  message: string;
  /** When the refusal was journaled (ms since the epoch). */
  refusedAt: number;
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
  /** The input-moderation refusal that still stands for this clip (its newest answered attempt), or null. */
  findInputRefusal(clipId: ClipId): InputRefusal | null;
}
