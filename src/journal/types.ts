import type { ClipId } from '../clips/types.js';

/**
 * How a run ended (or that it has not).
 * - `running`: started and not finished; at most one at a time (the run lock).
 * - `completed`: every job was processed; rows may still have failed (see the totals).
 * - `failed`: the run itself stopped on an error (`error` says which).
 * - `cancelled`: stopped through its AbortSignal (Ctrl-C).
 * - `budget_exceeded`: stopped because the money budget ran out.
 * - `interrupted`: its process died (found still `running` by the next run's `beginRun`).
 */
export type RunStatus = 'running' | 'completed' | 'failed' | 'cancelled' | 'budget_exceeded' | 'interrupted';

/** Totals of a finished run, computed by `finishRun` from the journal itself. */
export type RunTotals = {
  /** Row × variant jobs recorded for the run. */
  rows: number;
  rendered: number;
  failed: number;
  skipped: number;
  upToDate: number;
  /** Generation attempts begun in this run. */
  attempts: number;
  /** Money of this run's attempts (known costs only). */
  clipCostUsd: number;
};

/** One run, as stored. */
export type RunRecord = {
  id: string;
  /** Milliseconds since the epoch. */
  startedAt: number;
  endedAt: number | null;
  command: string;
  dataset: string | null;
  templateId: string | null;
  templateVersion: string | null;
  bundleHash: string | null;
  /** Options as recorded (secrets redacted). */
  options: Record<string, unknown>;
  status: RunStatus;
  pid: number | null;
  host: string | null;
  error: { code: string; message: string } | null;
  /** Null until the run finished. */
  totals: RunTotals | null;
  /** Extra totals the caller passed to `finishRun`. */
  extraTotals: Record<string, unknown> | null;
};

/** Options of `Journal.beginRun`. */
export type BeginRunOptions = {
  /** Run id; a sortable id from the clock plus 4 random hex digits by default. */
  runId?: string;
  /** Command or entry point, e.g. `render` (secret-looking flags are redacted). */
  command: string;
  /** Dataset path as given. */
  dataset?: string | null;
  templateId?: string | null;
  templateVersion?: string | null;
  /** Hash of the template's bundled code. */
  bundleHash?: string | null;
  /** Resolved options; every key matching /key|secret|token/i is redacted before writing. */
  options?: Record<string, unknown>;
};

/** Options of `Journal.finishRun`. */
export type FinishRunOptions = {
  runId: string;
  status: Exclude<RunStatus, 'running' | 'interrupted'>;
  /** Why the run stopped, for `failed`, `cancelled` and `budget_exceeded`. */
  error?: { code: string; message: string } | null;
  /** Extra totals to keep with the run (wall ms, frames, …); secrets redacted. */
  extraTotals?: Record<string, unknown> | null;
};

/**
 * The state of one generation attempt.
 * - `started`: journaled; the create call had not answered yet.
 * - `submitted`: the provider's task id is known; a resumed run polls it.
 * - `succeeded` / `failed` / `rejected` / `cancelled`: see `AttemptOutcome`.
 * - `abandoned`: the process died before the task id was journaled; cost unknown.
 */
export type AttemptStatus = 'started' | 'submitted' | 'succeeded' | 'failed' | 'rejected' | 'cancelled' | 'abandoned';

/** One generation attempt, as stored (what cost reports read). */
export type AttemptRecord = {
  id: number;
  clipId: ClipId;
  runId: string | null;
  provider: string;
  model: string;
  promptHash: string;
  attemptNo: number;
  seed: number | null;
  taskId: string | null;
  status: AttemptStatus;
  failureCode: string | null;
  message: string | null;
  retryable: boolean | null;
  /** What was paid; null when unknown (abandoned, or not finished). */
  costUsd: number | null;
  costSource: string | null;
  /** Our list-price estimate, journaled before the call. */
  estimatedCostUsd: number;
  /** The provider's own estimate, when its create call returned one. */
  providerEstimatedCostUsd: number | null;
  file: string | null;
  fileHash: string | null;
  startedAt: number;
  submittedAt: number | null;
  endedAt: number | null;
};

/** Options of `Journal.listAttempts`; absent filters match everything. */
export type ListAttemptsOptions = { runId?: string | null; clipId?: ClipId | null };
