/**
 * @module pool
 * The render worker pool: one piscina pool of workers, each owning one warm Chromium, rendering
 * whole row × variant tasks. Never plans, never calls providers, never writes the journal.
 */
export type { RenderTask, RenderTaskResult, RenderTaskProgress } from './types.js';
export { renderTaskInSession } from './render-task-in-session.js';
export type { RenderTaskInSessionOptions } from './render-task-in-session.js';
export { createInlineRunner, InlineRunner } from './create-inline-runner.js';
export type { CreateInlineRunnerOptions } from './create-inline-runner.js';
