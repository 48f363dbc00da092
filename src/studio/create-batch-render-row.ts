import { ReelwrightError } from '../errors/index.js';
import type { LogEvent, LogLevel, OnLog } from '../log/index.js';
import { resolveOutputPath } from '../plan/index.js';
import type { RenderJob } from '../plan/index.js';
import { createRenderPool } from '../pool/index.js';
import type { RenderPoolConcurrency } from '../pool/index.js';
import { runBatch } from '../run/index.js';
import type { RenderRow } from './render-row.js';

/** Browsers rendering a studio row: one is enough for one video and leaves the machine responsive. */
export const DEFAULT_STUDIO_RENDER_CONCURRENCY = 1;

/** Options of `createBatchRenderRow`. */
export type CreateBatchRenderRowOptions = {
  /** Render workers (each with its own Chromium); default `DEFAULT_STUDIO_RENDER_CONCURRENCY`. */
  concurrency?: RenderPoolConcurrency;
  /** Environment for provider keys; default `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
  logLevel?: LogLevel;
  /** Receives the batch's log events (its error lines also become the job's error message). */
  onLog?: OnLog | null;
};

/**
 * The studio's "Render this row", wired to the real batch pipeline: `runBatch` restricted to the row's key and
 * variant, with the piscina render pool, the journal, the clip stage and the same output names as
 * `reelwright render` (an up-to-date video is not rendered again). Resolves with the MP4's path; a row that fails
 * rejects with the batch's own error message.
 *
 * @example
 * await using studio = await startStudio({ projectDir: '.', renderRow: createBatchRenderRow() });
 * @see runBatch
 */
export function createBatchRenderRow(options: CreateBatchRenderRowOptions = {}): RenderRow {
  const logLevel = options.logLevel ?? 'info';
  return async (request) => {
    let job: RenderJob | null = null;
    const errors: string[] = [];
    const onLog = (event: LogEvent) => {
      if (event.level === 'error') errors.push(event.message);
      options.onLog?.(event);
    };
    const summary = await runBatch({
      dataset: request.dataset,
      template: request.templateEntry,
      projectDir: request.projectDir,
      stateDir: request.stateDir,
      ...(request.outDir !== null ? { outDir: request.outDir } : {}),
      rowKeys: [request.rowKey],
      variants: [request.variant],
      command: 'studio: render this row',
      createRunner: async () => createRenderPool({ concurrency: options.concurrency ?? DEFAULT_STUDIO_RENDER_CONCURRENCY, logLevel, onLog }),
      ...(options.env ? { env: options.env } : {}),
      onPlan: (plan) => {
        job = plan.jobs.find((candidate) => candidate.rowKey === request.rowKey && candidate.variant === request.variant) ?? null;
      },
      onProgress: request.onProgress,
      signal: request.signal,
      logLevel,
      onLog,
    });
    const planned = job as RenderJob | null;
    if (summary.status !== 'completed' || summary.counts.failed > 0 || summary.counts.skipped > 0 || planned === null) {
      const why = summary.error?.message ?? errors.at(-1) ?? `the run ended as "${summary.status}" without rendering row ${request.rowKey}.`;
      throw new ReelwrightError(`Rendering row ${request.rowKey} (${request.variant}) failed: ${why}`, { code: summary.error?.code as `RW_${string}` | undefined ?? 'RW_STUDIO_RENDER_FAILED' });
    }
    return { outFile: resolveOutputPath(summary.outputDir, planned.outputName), summary };
  };
}
