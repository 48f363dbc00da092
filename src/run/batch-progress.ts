/**
 * Stages of a batch, in order.
 * - `validate`: reading and checking rows.
 * - `plan`: building render jobs and clip requests.
 * - `clips`: generating or fetching B-roll clips.
 * - `render`: rendering and encoding videos.
 */
export type BatchStage = 'validate' | 'plan' | 'clips' | 'render';

/** One progress event: data, not a log line. The CLI bar, `--json` and the studio all show these. */
export type BatchProgress = {
  stage: BatchStage;
  /** Items finished in this stage (rows, clips, videos). */
  done: number;
  /** Items in this stage. */
  total: number;
  /** Items that failed in this stage. */
  failed: number;
  /** Overall progress of the batch, 0..1, weighted over stages. */
  progress: number;
  /** Frames per second over the render stage so far (0 before it starts). */
  fps: number;
  /** Estimated milliseconds left, or null when unknown. */
  etaMs: number | null;
};

/** Receives progress events. */
export type OnBatchProgress = (event: BatchProgress) => void;

// Rendering dominates wall time; clip generation (when there is any) is the next largest.
const STAGE_WEIGHTS: Record<BatchStage, number> = { validate: 0.05, plan: 0.05, clips: 0.3, render: 0.6 };
const STAGE_ORDER: readonly BatchStage[] = ['validate', 'plan', 'clips', 'render'];

/** The one function that turns a stage's done/total into overall batch progress. */
export function computeOverallProgress(stage: BatchStage, done: number, total: number): number {
  let value = 0;
  for (const s of STAGE_ORDER) {
    if (s === stage) {
      value += STAGE_WEIGHTS[s] * (total > 0 ? Math.min(1, done / total) : 1);
      break;
    }
    value += STAGE_WEIGHTS[s];
  }
  return Math.min(1, value);
}
