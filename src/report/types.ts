/**
 * Money in integer micro-dollars (1 USD = 1,000,000 micros). Every amount in a `RunReport` uses
 * this unit so that shares, row totals and run totals add up exactly: a float sum of dollars
 * drifts, an integer sum does not.
 */
export type Micros = number;

/**
 * Where the clip in one B-roll slot of a row came from (as the run journaled it).
 * - `generated`: paid for in this run, for this row first.
 * - `cache`: taken from the clip cache; paid in an earlier run (see `costScope: 'earlier_runs'`).
 * - `shared`: generated in this run for an earlier row with the same clip request.
 * - `local`: the free local placeholder provider.
 */
export type ReportClipOrigin = 'generated' | 'cache' | 'shared' | 'local';

/**
 * Where a row stands in the report.
 * - `rendered`: its MP4 was written in this run.
 * - `failed`: it could not be rendered; `errorCode` and `reason` say why. The batch went on.
 * - `skipped`: never attempted (invalid row, refused by the planner, budget); `reason` says why.
 * - `up_to_date`: its previous output still matches; nothing was done.
 * - `unfinished`: still pending or rendering when the run stopped (interrupted, cancelled, or still running).
 */
export type ReportRowStatus = 'rendered' | 'failed' | 'skipped' | 'up_to_date' | 'unfinished';

/**
 * Whose generation attempts a slot describes.
 * - `this_run`: the clip was attempted in this run; its cost is shared among the rows of this run that use it.
 * - `earlier_runs`: not attempted in this run; the attempts and money are the earlier runs' (what was originally paid). Costs 0 now.
 * - `none`: no attempt of this clip is journaled anywhere (a local placeholder, or never generated).
 */
export type ReportCostScope = 'this_run' | 'earlier_runs' | 'none';

/**
 * The status of a generation attempt that did not (yet) produce a usable clip.
 * - `failed`: the provider reported a failure (moderation, bad output, …).
 * - `rejected`: the provider delivered, but our QA gate refused the clip (still paid).
 * - `cancelled`: we stopped it (Ctrl-C, budget).
 * - `abandoned`: the process died before the task id was journaled; cost unknown.
 * - `started` / `submitted`: still open when the report was built; cost unknown.
 */
export type ReportProblemStatus = 'failed' | 'rejected' | 'cancelled' | 'abandoned' | 'started' | 'submitted';

/** One attempt of a clip that did not produce a usable clip, with its reason and cost. */
export type ReportAttemptProblem = {
  /** 1-based attempt number within its run. */
  attemptNo: number;
  /** The run that made the attempt. */
  runId: string | null;
  provider: string;
  model: string;
  status: ReportProblemStatus;
  /** Provider failure code or QA code (`SAFETY.INPUT.TEXT`, `RW_QA_BLACK_FRAMES`), or null. */
  code: string | null;
  /** Plain-words reason, as journaled (secrets scrubbed). */
  message: string | null;
  /** What the attempt cost; null when unknown (abandoned or still open). */
  costMicros: Micros | null;
};

/** One B-roll slot of a row: which clip, where it came from, what it took, and this row's part of the bill. */
export type ReportSlot = {
  /** Slot name in the template. */
  slot: string;
  /** The clip key (`ClipId`: hash of the normalized request; the cache and dedupe key). */
  clipId: string;
  origin: ReportClipOrigin;
  /** Provider of the attempt that produced the clip (else of the request, else of the last attempt); null if unknown. */
  provider: string | null;
  model: string | null;
  costScope: ReportCostScope;
  /** Attempts in `costScope` (all statuses). */
  attempts: number;
  /** Attempts the provider failed. */
  failedAttempts: number;
  /** Attempts our QA gate rejected. */
  rejectedAttempts: number;
  /** Every attempt in scope that did not produce the clip, with its reason. */
  problems: ReportAttemptProblem[];
  /** Money paid for the attempts in scope: the whole clip's bill, not this row's part. */
  paidMicros: Micros;
  /** Rows of this run that use this clip (k); this row's share is 1/k of a clip paid in this run. */
  sharedByRows: number;
  /** This row's part of this run's spend on the clip (0 for cache hits). */
  shareMicros: Micros;
};

/** One row × variant of the run, with its clips, render time and money. */
export type ReportRow = {
  /** Unique id of the row × variant within the report (see `toRowId`). */
  id: string;
  rowKey: string;
  variant: string;
  /** 0-based index in the dataset, or null. */
  rowIndex: number | null;
  /** 1-based line in the dataset file, or null. */
  line: number | null;
  status: ReportRowStatus;
  /** Why: the error message for `failed`/`skipped`, the planner's reason for `rendered` (`new_row`, …), else a short phrase. */
  reason: string | null;
  /** The error code for `failed`/`skipped` rows, else null. */
  errorCode: string | null;
  /** The MP4 as journaled (absolute, or relative to the project folder), or null when none was written. */
  outputPath: string | null;
  /** The video's planned file name (`outputName`), also for a row that failed; null for a row skipped before planning. */
  outputName: string | null;
  /** B-roll slots in slot-name order. */
  slots: ReportSlot[];
  renderWallSeconds: number | null;
  renderCpuSeconds: number | null;
  frames: number | null;
  /** Sum of the slots' `shareMicros`. */
  generationMicros: Micros;
  /** CPU seconds × the price per CPU-hour. */
  computeMicros: Micros;
  /** `generationMicros + computeMicros`. */
  totalMicros: Micros;
};

/** Spend of this run that no row of the run can carry, and why. */
export type ReportUnattributedItem = {
  clipId: string;
  provider: string;
  model: string;
  /** Attempts of this run behind the amount. */
  attempts: number;
  amountMicros: Micros;
  /** Why no row carries it. */
  why: string;
};

/** Every part of this run's ledger that is not on a row. */
export type ReportUnattributed = { totalMicros: Micros; items: ReportUnattributedItem[] };

/** Attempt outcomes and money of one provider + model (or one provider, `model: null`) in this run. */
export type ReportProviderStats = {
  provider: string;
  /** Null in the per-provider roll-up. */
  model: string | null;
  attempts: number;
  succeeded: number;
  failed: number;
  rejected: number;
  cancelled: number;
  /** Abandoned or still open (cost unknown). */
  unknown: number;
  /** Known costs of these attempts. */
  paidMicros: Micros;
  /** Clips produced and accepted by QA (succeeded attempts). */
  usableClips: number;
  /** `paidMicros / usableClips`, rounded; null when no clip was usable. */
  costPerUsableClipMicros: Micros | null;
  /** `attempts / usableClips`; null when no clip was usable. */
  attemptsPerUsableClip: number | null;
  /** `(failed + rejected) / (succeeded + failed + rejected)`; null when none finished. */
  failureRate: number | null;
};

/** Failed or rejected attempts of this run with one failure code. */
export type ReportFailureStats = {
  code: string;
  /** `failed` for provider failures, `rejected` for QA rejections. */
  status: 'failed' | 'rejected';
  /** Providers and models that reported it, `provider/model`, sorted. */
  sources: string[];
  count: number;
  /** `count / (succeeded + failed + rejected)` over all of this run's attempts. */
  rate: number;
  paidMicros: Micros;
};

/** The run-level figures of a report. */
export type ReportSummary = {
  rows: { total: number; rendered: number; failed: number; skipped: number; upToDate: number; unfinished: number };
  spend: {
    /** AI generation: this run's ledger (known attempt costs). */
    generationMicros: Micros;
    /** Render compute of this run's rows. */
    computeMicros: Micros;
    totalMicros: Micros;
    /** Sum of the rows' totals. */
    rowsMicros: Micros;
    unattributedMicros: Micros;
  };
  /** The ledger as the journal holds it, and the check that every micro-dollar of it is on a row or on the unattributed line. */
  ledger: {
    /** Sum of this run's attempts' known costs (each rounded to a micro-dollar). */
    totalMicros: Micros;
    /** The run's `clip_cost_usd` as `finishRun` recorded it (null while unfinished). */
    recordedTotalMicros: Micros | null;
    /** Rows' generation shares + unattributed == `totalMicros`, exactly. */
    balanced: boolean;
    attempts: number;
    /** Attempts whose cost is unknown (abandoned, still open): not in the total; see `unknownCostEstimateMicros`. */
    unknownCostAttempts: number;
    /** Their list-price estimates: what they may still cost. */
    unknownCostEstimateMicros: Micros;
  };
  /** Total spend / rendered rows; null when none was rendered. */
  costPerFinishedVideoMicros: Micros | null;
  byProviderModel: ReportProviderStats[];
  byProvider: ReportProviderStats[];
  failuresByCode: ReportFailureStats[];
  cache: {
    /** Distinct clips the run's rows use (local placeholders included). */
    distinctClips: number;
    /** Distinct clips taken from the clip cache: not attempted in this run (a local placeholder counts when it was made in an earlier run). */
    hits: number;
    /** `hits / distinctClips`; null when no clip is used. */
    hitRate: number | null;
    /** What the cache hits originally cost (else their list price). */
    savedMicros: Micros;
    /** Cache hits with no known price (not in `savedMicros`). */
    unpricedHits: number;
  };
  dedupe: {
    /** Slot uses (local placeholders included). */
    uses: number;
    distinctClips: number;
    /** `uses - distinctClips`: uses served by a clip another slot already asked for. */
    dedupedUses: number;
    /** `dedupedUses / uses`; null when no clip is used. */
    rate: number | null;
    /** Deduped uses × the clip's list price (its first attempt's estimate). */
    savedMicros: Micros;
  };
  /** Null when the run had no budget. */
  budget: { limitMicros: Micros; usedMicros: Micros; usedFraction: number } | null;
  time: {
    /** Run wall time, or null when unknown. */
    wallSeconds: number | null;
    renderWallSeconds: number;
    renderCpuSeconds: number;
    /** Frames of the rows rendered in this run. */
    frames: number;
    /** `frames / wallSeconds`; null when unknown. */
    effectiveFps: number | null;
  };
  /** The compute price used. */
  computeUsdPerCpuHour: number;
};

/** The run a report is about, as journaled. */
export type ReportRun = {
  id: string;
  command: string;
  /** `running`, `completed`, `failed`, `cancelled`, `budget_exceeded` or `interrupted`. */
  status: string;
  /** ISO 8601. */
  startedAt: string;
  endedAt: string | null;
  dataset: string | null;
  templateId: string | null;
  templateVersion: string | null;
  error: { code: string; message: string } | null;
};

/**
 * A run's cost and outcome report: plain JSON (what `report.schema.json` describes), built from
 * the journal by `buildRunReport`, written by `writeRunReports`.
 */
export type RunReport = {
  reportVersion: 1;
  /** ISO 8601 time the report was built. */
  generatedAt: string;
  run: ReportRun;
  summary: ReportSummary;
  /** In dataset order. */
  rows: ReportRow[];
  unattributed: ReportUnattributed;
};
