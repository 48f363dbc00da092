import type { MessagePort } from 'node:worker_threads';
import type { LogEvent, LogLevel } from '../log/index.js';
import type { RenderTask, RenderTaskProgress, RenderTaskResult } from './types.js';

/**
 * The messages between the pool (main thread) and its render workers. Everything here is plain data: it crosses
 * a thread boundary by structured clone. Internal to `pool/`; callers only see `RenderTask*`.
 */

/** Fixed per pool, given to every worker as piscina `workerData`. */
export type RenderWorkerData = {
  /** Name of the `BroadcastChannel` the pool and its workers share (pool-wide commands and their answers). */
  channel: string;
  /** A worker replaces its browser after this many renders. */
  recycleAfterRenders: number;
  /** A worker replaces its browser once the browser's processes hold more than this many bytes. */
  maxBrowserRssBytes: number;
  /** Chromium binary, or null for `REELWRIGHT_CHROMIUM` / the default. */
  chromiumPath: string | null;
  logLevel: LogLevel;
  /** Forward log events to the pool (it has an `onLog`), instead of writing them from the worker. */
  forwardLogs: boolean;
};

/** One task as piscina hands it to a worker. `port` is transferred; the worker closes it when the task ends. */
export type RenderWorkerRequest = {
  type: 'render';
  task: RenderTask;
  /** 1 for the first try; the pool retries with 2, 3, … */
  attempt: number;
  /** Worker → pool: `WorkerEvent`s; pool → worker: `PoolCommand`s for this task. */
  port: MessagePort;
};

/** What a worker knows about itself; sent with events and answers so the pool's `stats()` stays current. */
export type WorkerSnapshot = {
  /** `threadId` of the worker thread. */
  threadId: number;
  /** Process id of the worker's current Chromium, or null when it has none. */
  browserPid: number | null;
  /** Browsers this worker has launched. */
  browserLaunches: number;
  /** Renders this worker finished (any outcome). */
  renders: number;
  /** Renders on the current browser. */
  rendersOnBrowser: number;
  /** Resident memory of the current browser's processes at the last check, or null. */
  browserRssBytes: number | null;
  /** Highest `browserRssBytes` seen by this worker. */
  peakBrowserRssBytes: number | null;
  /** Job being rendered, or null when idle. */
  jobId: string | null;
};

/**
 * Worker → pool, on the task's port.
 * - `started`: the task has reached the worker (it is no longer queued); sent before anything else.
 * - `frame`: progress, forwarded to the caller's `onProgress` as is.
 * - `worker`: a fresh snapshot (e.g. right after a browser launch, so a test can find the Chromium pid).
 * - `log`: a log event for the pool's `onLog`.
 */
export type WorkerEvent =
  | { type: 'started'; worker: WorkerSnapshot }
  | Extract<RenderTaskProgress, { type: 'frame' }>
  | { type: 'worker'; worker: WorkerSnapshot }
  | { type: 'log'; event: LogEvent };

/**
 * Pool → worker, on the task's port.
 * - `cancel`: stop this task now (ffmpeg is killed, its temporary file deleted); the worker keeps its browser.
 */
export type PoolCommand = { type: 'cancel' };

/** An error as it crosses the thread boundary: class name, code and message (the class is rebuilt on the other side). */
export type SerializedError = { name: string; code: string; message: string };

/**
 * What the worker's task function returns (it never throws for a failed render).
 * - `rendered`: the MP4 is at `outFile`.
 * - `failed`: nothing is at `outFile`; `error` says why.
 */
export type RenderWorkerResponse =
  | { type: 'rendered'; result: Omit<RenderTaskResult, 'attempts'>; worker: WorkerSnapshot }
  | { type: 'failed'; error: SerializedError; worker: WorkerSnapshot };

/** A piscina task that launches the worker's browser ahead of the first render (see `RenderPool.warmUp`). */
export type WarmUpRequest = { type: 'warm-up'; width: number; height: number };

/** The answer to a `WarmUpRequest`: the worker's snapshot, and the launch error if there was one. */
export type WarmUpResponse = { type: 'warm'; worker: WorkerSnapshot; error: SerializedError | null };

/**
 * What piscina hands a worker.
 * - `render`: render one task (`RenderWorkerRequest`).
 * - `warm-up`: launch the browser now (`WarmUpRequest`).
 */
export type WorkerRequest = RenderWorkerRequest | WarmUpRequest;

/**
 * Pool ↔ all workers, on the shared `BroadcastChannel` (piscina cannot address one particular thread).
 * - `shutdown`: close the browser and the file server; each worker answers with `shut-down`.
 * - `shut-down`: a worker's answer, with its snapshot.
 * - `log`: a log event from a worker outside any task.
 */
export type ChannelMessage =
  | { type: 'shutdown'; requestId: number }
  | { type: 'shut-down'; requestId: number; worker: WorkerSnapshot }
  | { type: 'log'; event: LogEvent };
