/**
 * @module pool
 * The render worker pool: one piscina pool of workers, each owning one warm Chromium, rendering
 * whole row × variant tasks (retries on crashes and hung frames, browser recycling, cancellation).
 * Never plans, never calls providers, never writes the journal.
 */
export {
  createRenderPool,
  resolveConcurrency,
  RenderPool,
  DEFAULT_RECYCLE_AFTER_RENDERS,
  DEFAULT_MAX_BROWSER_RSS_MB,
  DEFAULT_MAX_ATTEMPTS,
  DEFAULT_CANCEL_GRACE_MS,
  DEFAULT_CLOSE_TIMEOUT_MS,
} from './create-render-pool.js';
export type {
  CreateRenderPoolOptions,
  RenderPoolConcurrency,
  RenderPoolRunOptions,
  RenderPoolCloseOptions,
  RenderPoolWarmUpOptions,
  RenderPoolStats,
  RenderWorkerStats,
} from './create-render-pool.js';
export type { RenderTask, RenderTaskResult, RenderTaskProgress } from './types.js';
