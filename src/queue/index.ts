/**
 * @module queue
 * Rendering beyond one machine, on an existing queue engine: BullMQ on Redis. The coordinator (`render --queue`) plans,
 * generates clips and journals as in a local run, but hands each render task to `createQueueRunner`, a `RenderRunner`
 * that turns it into one BullMQ job; `reelwright worker` processes (`runWorker`) on any number of machines take the
 * jobs and render them on their own local pool of warm browsers.
 *
 * What crosses machines goes through `RenderStorage` (a shared folder first: `createSharedDirStorage`; an S3-compatible
 * store can implement the same port): the coordinator publishes the template's source folder, its browser bundle
 * (by content hash, with a manifest in Redis at `reelwright:bundle:<hash>` that workers check before rendering), row
 * media and pre-decoded clip frames, and rewrites the task's paths into storage keys; workers map the keys back to their
 * own paths and write the MP4 into storage; the coordinator copies it into the output folder.
 *
 * Reliability: job ids are `<run>/<row job>/<task hash>`, so a restarted coordinator re-attaches instead of enqueuing
 * again (completed jobs are collected, not rendered again); job locks are renewed while rendering, and the job of a
 * killed worker is taken over by another once its lock expires; failed attempts retry with backoff up to a bound, then
 * the row fails and the batch goes on; Redis restarts pause everything (connections retry forever) and, with
 * persistence on, the batch completes.
 *
 * Never generates clips: paid clip generation stays in the coordinator, which owns the journal (a task id is journaled
 * before a worker could die with it, and a resumed coordinator polls it instead of paying again), so a dead worker can
 * never cause a second payment. Workers never write the journal and never plan.
 */
export { createQueueRunner, QueueRunner, DEFAULT_QUEUE_CONCURRENCY_HINT, DEFAULT_QUEUE_ATTEMPTS, DEFAULT_QUEUE_BACKOFF_MS, DEFAULT_QUEUE_POLL_INTERVAL_MS, DEFAULT_KEEP_FINISHED_SECONDS } from './create-queue-runner.js';
export type { CreateQueueRunnerOptions, QueueRunnerStats } from './create-queue-runner.js';
export { runWorker, QueueWorker, DEFAULT_LOCK_DURATION_MS, DEFAULT_MAX_STALLED_COUNT, DEFAULT_PROGRESS_INTERVAL_MS, NON_RETRYABLE_CODES } from './run-worker.js';
export type { RunWorkerOptions, CreateLocalRunnerContext } from './run-worker.js';
export { deriveQueueRunId } from './derive-queue-run-id.js';
export type { DeriveQueueRunIdOptions } from './derive-queue-run-id.js';
export { parseRedisUrl, redact, DEFAULT_REDIS_PORT } from './parse-redis-url.js';
export { QueueError } from './queue-error.js';
export { reachRedis, DEFAULT_CONNECT_TIMEOUT_MS } from './reach-redis.js';
export { localizeTask } from './localize-task.js';
export type { LocalizeTaskOptions, LocalizeTaskResult } from './localize-task.js';
export { TaskPublisher } from './task-publisher.js';
export type { TaskPublisherOptions, PublishedTask } from './task-publisher.js';
export { recordBundleManifest, DEFAULT_MANIFEST_TTL_SECONDS } from './record-bundle-manifest.js';
export type { RecordBundleManifestOptions, ManifestStore } from './record-bundle-manifest.js';
export { readBundleManifest } from './read-bundle-manifest.js';
export { DEFAULT_QUEUE_NAME, QUEUE_JOB_VERSION, BUNDLE_MANIFEST_KEY_PREFIX } from './types.js';
export type {
  StoredRenderTask,
  QueueRenderJob,
  QueueRenderResult,
  QueueJobProgress,
  BundleManifest,
  WorkerEvent,
  OnWorkerEvent,
  LocalRenderRunner,
} from './types.js';
export { createSharedDirStorage, SharedDirStorage, DEFAULT_SETTLE_MS } from './storage/shared-dir/shared-dir-storage.js';
export type { CreateSharedDirStorageOptions } from './storage/shared-dir/shared-dir-storage.js';
export { listDirFiles, DEFAULT_MAX_DIR_FILES, DEFAULT_MAX_DIR_BYTES, DEFAULT_SKIP_NAMES } from './storage/list-dir-files.js';
export type { ListDirFilesOptions } from './storage/list-dir-files.js';
export { toStorageKey, toKeySegment, MAX_STORAGE_KEY_LENGTH } from './storage/to-storage-key.js';
export type { RenderStorage, StorageKey, DirManifest, StoredFileEntry, PutDirOptions, LocalizeDirOptions, OutputTarget } from './storage/types.js';
