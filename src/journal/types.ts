import type { ClipId, ClipRequest, FailureKind } from '../clips/index.js';

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

/** Options of `Journal.relocateRunDataset`. */
export type RelocateRunDatasetOptions = {
  /** The dataset path exactly as the runs recorded it (`runBatch` records an absolute path). */
  from: string;
  /** Where the file is now. */
  to: string;
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
  /** The provider-neutral kind of a failed generation (`moderation_input`, …); null for other problems and attempts journaled before schema version 3. */
  failureKind: FailureKind | null;
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

/**
 * Where a row × variant of a run stands.
 * - `pending`: planned to render, not started.
 * - `rendering`: handed to a worker.
 * - `rendered`: the MP4 is in place under its final name.
 * - `failed`: could not be rendered; `error` says why. The batch went on.
 * - `skipped`: never attempted (invalid row, or refused by the planner); `error` says why.
 * - `up_to_date`: its previous output matches the plan's manifest; nothing to do.
 */
export type RowStatus = 'pending' | 'rendering' | 'rendered' | 'failed' | 'skipped' | 'up_to_date';

/** One planned job to record (a plan's `RenderJob` has these fields). */
export type PlannedRowInput = {
  rowKey: string;
  variant: string;
  rowIndex: number;
  line: number;
  rowHash: string;
  outputName: string;
  manifestHash: string;
  /** `render` is recorded as `pending`. */
  status: 'render' | 'up_to_date';
  /** Why it renders (`new_row`, `row_changed`, …) or null. */
  reason: string | null;
};

/** Options of `Journal.recordPlannedRows`. */
export type RecordPlannedRowsOptions = { runId: string; jobs: Iterable<PlannedRowInput> };

/** Options of `Journal.recordSkippedRow`. */
export type RecordSkippedRowOptions = {
  runId: string;
  rowKey: string;
  /** `*` (the default) when the row was skipped before variants were chosen. */
  variant?: string;
  rowIndex?: number | null;
  line?: number | null;
  /** Why it is skipped (an `ErrorRecord` works). */
  error: { code: string; message: string };
};

/** Names one row × variant of a run. */
export type RowRef = { runId: string; rowKey: string; variant: string };

/** Options of `Journal.markRowRendered`. */
export type MarkRowRenderedOptions = RowRef & {
  templateId: string;
  /** Final path of the MP4 (already renamed into place). */
  outputPath: string;
  manifestHash: string;
  /** The manifest (plain JSON, see `buildManifest`). */
  manifest: unknown;
  wallMs: number;
  cpuMs: number | null;
  frames: number;
  /** The output file's size and mtime right after it was renamed into place (what `stat` says); null or omitted when unknown. */
  outputFile?: OutputFileRecord | null;
};

/**
 * An output file's size in bytes and modification time (ms since the epoch, whole ms) as recorded when it was rendered:
 * the planner compares them with the file on disk to notice a video changed after it was rendered.
 */
export type OutputFileRecord = { bytes: number; mtimeMs: number };

/** Options of `Journal.markRowFailed`. */
export type MarkRowFailedOptions = RowRef & {
  error: { code: string; message: string };
  wallMs?: number | null;
  cpuMs?: number | null;
};

/** One row × variant of a run, as stored. */
export type RowRecord = {
  runId: string;
  rowKey: string;
  variant: string;
  rowIndex: number | null;
  line: number | null;
  rowHash: string | null;
  outputName: string | null;
  manifestHash: string | null;
  status: RowStatus;
  reason: string | null;
  error: { code: string; message: string } | null;
  outputPath: string | null;
  wallMs: number | null;
  cpuMs: number | null;
  frames: number | null;
  plannedAt: number;
  startedAt: number | null;
  endedAt: number | null;
};

/** The newest finished render of a (template, row, variant): what incremental runs compare with. */
export type RenderRecord = {
  templateId: string;
  rowKey: string;
  variant: string;
  /** Null when that run was deleted. */
  runId: string | null;
  manifestHash: string;
  /** The stored manifest (plain JSON). */
  manifest: unknown;
  outputPath: string;
  renderedAt: number;
  /** The output file when it was rendered; null when rendered before journal schema 4 or not known. */
  outputFile: OutputFileRecord | null;
};

/** The part of a newest render the planner compares against (`Journal.iterateRenderHashes`): no manifest. */
export type RenderHashRecord = {
  rowKey: string;
  variant: string;
  manifestHash: string;
  outputPath: string;
  /** The output file when it was rendered; null when rendered before journal schema 4 or not known. */
  outputFile: OutputFileRecord | null;
};

/**
 * Where the clip a row used came from.
 * - `generated`: paid for in this run, for this row first.
 * - `cache`: taken from the clip cache (paid in an earlier run, or never: see its attempts).
 * - `shared`: generated in this run for an earlier row with the same request.
 * - `local`: the free local placeholder provider.
 */
export type ClipUseOrigin = 'generated' | 'cache' | 'shared' | 'local';

/** One clip use to record. */
export type ClipUseInput = { rowKey: string; variant: string; slot: string; clipId: ClipId; origin: ClipUseOrigin };

/** One clip use, as stored. */
export type ClipUseRecord = ClipUseInput & { runId: string };

/** Options of `Journal.recordClipUses`. */
export type RecordClipUsesOptions = { runId: string; uses: Iterable<ClipUseInput> };

/** Options of `Journal.recordClipRequests`. */
export type RecordClipRequestsOptions = { clips: Iterable<{ clipId: ClipId; request: ClipRequest }> };

/**
 * A clip's journal status.
 * - `planned`: requested by a plan; no attempt yet.
 * - `generating`: an attempt is under way.
 * - `succeeded`: an attempt produced a usable clip.
 * - `failed`: the last attempt failed and none succeeded.
 */
export type ClipStatus = 'planned' | 'generating' | 'succeeded' | 'failed';

/** One clip as the journal knows it. */
export type ClipRecord = { clipId: ClipId; request: ClipRequest | null; status: ClipStatus; createdAt: number; updatedAt: number };
