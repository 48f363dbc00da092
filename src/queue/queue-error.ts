import { ReelwrightError } from '../errors/index.js';

/**
 * The render queue, its storage or a queued job failed.
 *
 * Codes:
 * - `RW_QUEUE_BAD_URL`: the Redis URL cannot be used (scheme, port, database).
 * - `RW_QUEUE_UNREACHABLE`: Redis did not answer within the connect timeout.
 * - `RW_QUEUE_BAD_OPTION`: an option of `createQueueRunner` or `runWorker` is out of range.
 * - `RW_QUEUE_BAD_JOB`: a job's data is not a reelwright render job of this version (never retried).
 * - `RW_QUEUE_BUNDLE_MISSING`: a worker found no manifest for the job's template bundle in Redis.
 * - `RW_QUEUE_JOB_FAILED`: the job failed on the queue without a reelwright error record (e.g. it stalled too often).
 * - `RW_QUEUE_OUTPUT_MISSING`: a completed job's output is neither in shared storage nor at the local output path.
 * - `RW_QUEUE_CLOSED`: the runner was closed while the task was waiting.
 * - `RW_STORAGE_BAD_KEY`: a storage key is not a safe relative path.
 * - `RW_STORAGE_MISSING`: nothing is stored under a key.
 * - `RW_STORAGE_INCOMPLETE`: a stored folder does not match its manifest (a shared filesystem that has not caught up).
 * - `RW_STORAGE_UNAVAILABLE`: the storage root is missing or not writable.
 * - `RW_STORAGE_TOO_LARGE`: a folder to publish holds more than the allowed files or bytes.
 *
 * A job that failed on a worker with a reelwright error is re-thrown on the coordinator as a `QueueError` carrying the
 * worker's own code (`RW_TEMPLATE_RUNTIME`, `RW_FRAME_TIMEOUT`, …), so the journal records the real cause.
 */
export class QueueError extends ReelwrightError {}
