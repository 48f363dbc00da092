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
export { runBatch, DEFAULT_MAX_ATTEMPTS, DEFAULT_FRAME_TIMEOUT_MS, DEFAULT_CLIP_CONCURRENCY } from './run-batch.js';
export { readTimingEnv, POLL_INTERVAL_ENV, RETRY_BASE_ENV } from './read-timing-env.js';
export type { TimingEnv } from './read-timing-env.js';
export type { RunBatchOptions, RenderRunner } from './run-batch.js';
export { prepareBatch, DEFAULT_RENDER_FPS_ESTIMATE } from './prepare-batch.js';
export type { PrepareBatchOptions, PreparedBatch, InvalidRow } from './prepare-batch.js';
export { projectPaths, STATE_DIR_NAME } from './project-paths.js';
export type { ProjectPaths } from './project-paths.js';
export { BudgetLedger, BudgetExceededError } from './budget-ledger.js';
export { ClipProviders, DEFAULT_PROVIDER_MODELS } from './clip-providers.js';
export type { ClipProvidersOptions } from './clip-providers.js';
export { InputImageStore } from './input-image-store.js';
export type { InputImage } from './input-image-store.js';
export { collectInputImages, FIRST_FRAME_PROBLEM_CODE, DEFAULT_IMAGE_CONCURRENCY } from './collect-input-images.js';
export type { CollectInputImagesOptions, CollectInputImagesResult } from './collect-input-images.js';
export { loadConfig, CONFIG_FILE_NAME, DEFAULT_CONFIG } from './load-config.js';
export type { ReelwrightConfig, LoadConfigOptions } from './load-config.js';
export { resolveClipChain } from './resolve-clip-chain.js';
export type { ClipChainLink, ResolveClipChainOptions } from './resolve-clip-chain.js';
export { RENDERER_VERSION, renderSettingsOf } from './renderer-version.js';
export { loadProjectTemplate } from './load-project-template.js';
export { reproduceVideo } from './reproduce-video.js';
export type { ReproduceVideoOptions, ReproduceVideoResult } from './reproduce-video.js';
export { recordDatasetMove } from './record-dataset-move.js';
export type { RecordDatasetMoveOptions } from './record-dataset-move.js';
