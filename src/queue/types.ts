import type { ErrorRecord } from '../errors/index.js';
import type { RenderTask, RenderTaskProgress, RenderTaskResult } from '../pool/index.js';
import type { DirManifest, StorageKey } from './storage/types.js';

/** Name of the BullMQ queue render jobs go through (BullMQ forbids `:` in queue names). */
export const DEFAULT_QUEUE_NAME = 'reelwright-render';
/** Version of the job data below; a worker refuses jobs of another version (`RW_QUEUE_BAD_JOB`). */
export const QUEUE_JOB_VERSION = 1;
/** Redis key of a template bundle's manifest: `reelwright:bundle:<hash>` → `BundleManifest` JSON. */
export const BUNDLE_MANIFEST_KEY_PREFIX = 'reelwright:bundle:';

/**
 * A `RenderTask` as stored in a queue job: every local path of the coordinator is replaced by a storage key, which each
 * worker maps back to a path of its own (`localizeTask`). Plain JSON.
 */
export type StoredRenderTask = Omit<RenderTask, 'templateEntry' | 'cacheDir' | 'bundleDir' | 'clipFrames' | 'outFile'> & {
  /** The template's source folder and the entry file's path inside it (workers compile it for Node). */
  template: { dirKey: StorageKey; entry: string };
  /** The browser bundle (`bundles/<bundleHash>`); its manifest is in Redis under `BUNDLE_MANIFEST_KEY_PREFIX + bundleHash`. */
  bundleKey: StorageKey;
  /** Props named in `mediaProps` hold storage keys (`media/<sha256>/<name>`) instead of local paths. */
  props: Record<string, unknown>;
  /** Media storage key (as found in `props`) → its pre-decoded frames folder. */
  clipFrames: Record<string, { dirKey: StorageKey; count: number; fps: number }>;
  /** Where the worker writes the MP4 (`outputs/<run>/<task hash>/<name>.mp4`). */
  outputKey: StorageKey;
};

/** The data of one BullMQ render job. */
export type QueueRenderJob = {
  type: 'render-job';
  version: typeof QUEUE_JOB_VERSION;
  /** The coordinator's run key (stable across coordinator restarts). */
  runId: string;
  /** Hash of the stored task: the same row, template, media and settings give the same hash. */
  taskHash: string;
  task: StoredRenderTask;
  /**
   * The reelwright error of the last failed attempt, written by the worker before it fails the attempt
   * (BullMQ itself keeps only the message).
   */
  lastError?: ErrorRecord | null;
};

/** The manifest of a published bundle, in Redis, so a worker can tell it sees the whole bundle before rendering. */
export type BundleManifest = DirManifest & { hash: string; key: StorageKey; publishedAt: string };

/** What a worker returns for a render job (BullMQ stores it as the job's return value). */
export type QueueRenderResult = {
  type: 'render-result';
  /** The pool's result; `outFile` is the output's storage key. */
  result: RenderTaskResult;
  output: { key: StorageKey; bytes: number; sha256: string };
  /** Which worker rendered it (`host-pid`). */
  worker: string;
  /** Milliseconds spent mapping storage keys to local paths on the worker. */
  localizeMs: number;
};

/**
 * Progress a worker publishes with `job.updateProgress` (BullMQ relays it through `QueueEvents`).
 * - `frame`, `retry`: the pool's own `RenderTaskProgress`, forwarded to the coordinator's `onProgress`.
 */
export type QueueJobProgress = RenderTaskProgress;

/**
 * What a worker reports about its jobs, as data (the CLI prints it; tests read it as NDJSON).
 * - `ready`: connected to Redis, pool warm, taking jobs.
 * - `started`: an attempt began (`attempt` counts from 1; a job retried after a dead worker's lock expired starts again).
 * - `completed`: the output is in storage.
 * - `failed`: the attempt failed; `final` when no attempt is left (the job went to the failed set).
 * - `draining`: stopping: no new jobs, waiting for the running ones.
 * - `closed`: stopped.
 */
export type WorkerEvent =
  | { type: 'ready'; worker: string; concurrency: number }
  | { type: 'started'; worker: string; jobId: string; rowJobId: string; attempt: number }
  | { type: 'completed'; worker: string; jobId: string; rowJobId: string; wallMs: number }
  | { type: 'failed'; worker: string; jobId: string; rowJobId: string; error: ErrorRecord; final: boolean }
  | { type: 'draining'; worker: string }
  | { type: 'closed'; worker: string };

/** Receives worker events. */
export type OnWorkerEvent = (event: WorkerEvent) => void;

/**
 * Renders tasks on this machine: the port a queue worker drives (the piscina render pool implements it).
 * Same shape as `run`'s `RenderRunner`, declared here so the queue stage does not import `run`.
 */
export interface LocalRenderRunner {
  run(task: RenderTask, options: { signal?: AbortSignal | null; onProgress?: ((progress: RenderTaskProgress) => void) | null }): Promise<RenderTaskResult>;
  readonly concurrency: number;
  close(options?: { force?: boolean }): Promise<void>;
}
