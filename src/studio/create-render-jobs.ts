import { randomBytes } from 'node:crypto';
import { CancelledError } from '../errors/index.js';
import type { BatchProgress } from '../run/index.js';
import type { EventHub } from './create-event-hub.js';
import type { RenderRow } from './render-row.js';
import { toErrorInfo } from './to-error-info.js';
import type { StudioRenderJob } from './types.js';

/** Least time between two progress events of one job sent to the pages. */
const PROGRESS_INTERVAL_MS = 100;

/** Options of `createRenderJobs`. */
export type CreateRenderJobsOptions = {
  /** The batch pipeline restricted to one row; null when this build has none. */
  renderRow: RenderRow | null;
  /** Why rendering is not available, shown in the app when `renderRow` is null. */
  unavailableReason: string;
  projectDir: string;
  stateDir: string;
  /** Output folder chosen for the studio, or null for the batch's default. */
  outDir: string | null;
  hub: EventHub;
  /** URL and project reference of a finished output. */
  urlOf: (file: string) => string;
  refOf: (file: string) => string;
};

/** One "Render this row" request, resolved to files. */
export type StartRenderJobOptions = {
  templateRef: string;
  templateEntry: string;
  templateId: string;
  datasetRef: string;
  dataset: string;
  rowKey: string;
  variant: string;
};

/** The studio's row renders: started from the page, followed over the event stream. */
export interface RenderJobs {
  /** Whether rendering is wired, and why not. */
  readonly available: boolean;
  readonly reason: string | null;
  /** Starts a render and returns its job at once; progress arrives as `render` events. */
  start(options: StartRenderJobOptions): StudioRenderJob;
  /** Every job of this session, newest first. */
  list(): StudioRenderJob[];
  /** Cancels running jobs and waits for them to stop. */
  close(): Promise<void>;
}

/**
 * Runs "Render this row" jobs through the injected `renderRow` (the batch pipeline), reporting each job's
 * progress (the batch's own `BatchProgress` events, throttled) and its end to every page through the hub.
 *
 * @example
 * const renders = createRenderJobs({ renderRow, unavailableReason: '', projectDir, stateDir, outDir, hub, urlOf, refOf });
 * const job = renders.start({ templateRef, templateEntry, templateId, datasetRef, dataset, rowKey, variant: 'landscape' });
 */
export function createRenderJobs(options: CreateRenderJobsOptions): RenderJobs {
  const { renderRow, hub } = options;
  const jobs: StudioRenderJob[] = [];
  const running = new Set<Promise<void>>();
  const controller = new AbortController();

  const start = (input: StartRenderJobOptions): StudioRenderJob => {
    if (!renderRow) throw new Error(options.unavailableReason);
    const job: StudioRenderJob = {
      jobId: randomBytes(6).toString('hex'),
      template: input.templateRef,
      dataset: input.datasetRef,
      rowKey: input.rowKey,
      variant: input.variant,
      status: 'running',
      progress: null,
      outputPath: null,
      outputUrl: null,
      error: null,
      startedAt: new Date().toISOString(),
      endedAt: null,
    };
    jobs.unshift(job);
    let lastSent = 0;
    let lastStage: BatchProgress['stage'] | null = null;
    const onProgress = (event: BatchProgress) => {
      job.progress = event;
      const now = performance.now();
      if (event.stage === lastStage && now - lastSent < PROGRESS_INTERVAL_MS) return;
      lastStage = event.stage;
      lastSent = now;
      hub.send({ type: 'render', job: { ...job } });
    };
    const work = (async () => {
      try {
        const result = await renderRow({
          projectDir: options.projectDir,
          stateDir: options.stateDir,
          templateEntry: input.templateEntry,
          templateId: input.templateId,
          dataset: input.dataset,
          rowKey: input.rowKey,
          variant: input.variant,
          outDir: options.outDir,
          onProgress,
          signal: controller.signal,
        });
        job.status = 'done';
        job.outputPath = options.refOf(result.outFile);
        job.outputUrl = options.urlOf(result.outFile);
      } catch (error) {
        job.status = error instanceof CancelledError || controller.signal.aborted ? 'cancelled' : 'failed';
        job.error = toErrorInfo(error);
      } finally {
        job.endedAt = new Date().toISOString();
        hub.send({ type: 'render', job: { ...job } });
      }
    })();
    running.add(work);
    void work.finally(() => running.delete(work));
    hub.send({ type: 'render', job: { ...job } });
    return { ...job };
  };

  return {
    available: renderRow !== null,
    reason: renderRow === null ? options.unavailableReason : null,
    start,
    list: () => jobs.map((job) => ({ ...job })),
    async close() {
      controller.abort(new CancelledError('The studio was closed.'));
      await Promise.allSettled([...running]);
    },
  };
}
