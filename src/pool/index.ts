/**
 * @module pool
 * The render worker pool: one piscina pool of workers, each owning one warm Chromium, rendering
 * whole row × variant tasks. Never plans, never calls providers, never writes the journal.
 */
export type { RenderTask, RenderTaskResult, RenderTaskProgress } from './types.js';
