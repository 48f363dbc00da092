/**
 * How a run ended.
 * - `completed`: every job was attempted (some may have failed: see `counts.failed`).
 * - `cancelled`: stopped by Ctrl-C / AbortSignal; `render` again resumes it.
 * - `budget_exceeded`: stopped starting paid work at the budget; the rest is `skipped`.
 * - `failed`: the run itself broke (not a row); see `error`.
 */
export type RunStatus = 'completed' | 'cancelled' | 'budget_exceeded' | 'failed';

/** The summary of one run: printed by the CLI, POSTed by `--notify`, piped to `--on-complete`. Plain JSON. */
export type RunSummary = {
  runId: string;
  status: RunStatus;
  /** ISO timestamps. */
  startedAt: string;
  endedAt: string;
  wallMs: number;
  dataset: string;
  template: { id: string; version: string };
  counts: {
    /** Data rows read from the dataset. */
    rows: number;
    invalid: number;
    /** Render jobs (row × variant) in the plan. */
    jobs: number;
    rendered: number;
    upToDate: number;
    failed: number;
    skipped: number;
    /** Delta view over valid rows against the previous outputs. */
    newRows: number;
    changedRows: number;
    unchangedRows: number;
  };
  /**
   * Money this run spent (`total` = `generation` + `compute`), and `unknown`: the list price of attempts whose cost is
   * unknown (a create call that got no answer, a task cancelled at the deadline), which the provider may have billed
   * and which is not in `total`.
   */
  spendUsd: { generation: number; compute: number; total: number; unknown: number };
  outputDir: string;
  reports: { csv: string; json: string; html: string } | null;
  /** 0 all rendered or up to date, 1 some rows failed or were invalid, 2 could not start. */
  exitCode: 0 | 1 | 2;
  error: { code: string; message: string } | null;
};
