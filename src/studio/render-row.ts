import type { OnBatchProgress, RunSummary } from '../run/index.js';

/** What the studio asks the batch pipeline for when the user clicks "Render this row". */
export type RenderRowRequest = {
  /** The project folder (absolute). */
  projectDir: string;
  /** The project's state folder (journal, clip cache). */
  stateDir: string;
  /** The template's entry file (absolute) and its id. */
  templateEntry: string;
  templateId: string;
  /** The dataset file (absolute). */
  dataset: string;
  /** The row to render (its key in the dataset); every other row is left alone. */
  rowKey: string;
  variant: string;
  /** Output folder (absolute), or null for the batch's default (`outputs/<template id>`). */
  outDir: string | null;
  /** The batch's own progress events. */
  onProgress: OnBatchProgress;
  /** Fires when the studio closes. */
  signal: AbortSignal;
};

/** What a row render produced. */
export type RenderRowResult = {
  /** The finished MP4 (absolute). */
  outFile: string;
  /** The batch's summary, when the pipeline gives one. */
  summary: RunSummary | null;
};

/**
 * Renders one dataset row to an MP4 through the same pipeline as `reelwright render` (`runBatch` restricted to the
 * row). The studio takes it as a dependency so the composition root decides how batches run.
 */
export type RenderRow = (request: RenderRowRequest) => Promise<RenderRowResult>;
