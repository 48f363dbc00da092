/**
 * @module run
 * Runs a batch: the one composition root that wires the stages and their adapters together.
 * Used by the CLI and the studio; never parses command-line flags or prints.
 */
export { checkEnvironment, DEFAULT_CHROMIUM } from './check-environment.js';
export type { EnvironmentCheck } from './check-environment.js';
export { computeOverallProgress } from './batch-progress.js';
export type { BatchStage, BatchProgress, OnBatchProgress } from './batch-progress.js';
export type { RunSummary, RunStatus } from './types.js';
export { fetchRemoteMedia, DEFAULT_MAX_REMOTE_BYTES, DEFAULT_REMOTE_TIMEOUT_MS } from './fetch-remote-media.js';
export type { FetchRemoteMediaOptions } from './fetch-remote-media.js';
