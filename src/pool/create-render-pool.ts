import { setMaxListeners } from 'node:events';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { BroadcastChannel, MessageChannel, receiveMessageOnPort } from 'node:worker_threads';
import type { MessagePort, Worker } from 'node:worker_threads';
import { Piscina } from 'piscina';
import {
  CancelledError,
  ConfigError,
  EncodeError,
  ReelwrightError,
  RenderError,
  TemplateError,
} from '../errors/index.js';
import { log } from '../log/index.js';
import type { LogEvent, LogLevel, OnLog } from '../log/index.js';
import { cleanUpAfterWorker } from './clean-up-after-worker.js';
import type { RenderTask, RenderTaskProgress, RenderTaskResult } from './types.js';
import type {
  ChannelMessage,
  PoolCommand,
  RenderWorkerData,
  RenderWorkerRequest,
  RenderWorkerResponse,
  SerializedError,
  WarmUpRequest,
  WarmUpResponse,
  WorkerEvent,
  WorkerSnapshot,
} from './worker-protocol.js';

/** A worker replaces its browser after this many renders (Chromium's memory creeps up over thousands of pages). */
export const DEFAULT_RECYCLE_AFTER_RENDERS = 100;
/** A worker replaces its browser once the browser's processes hold more than this many MB. */
export const DEFAULT_MAX_BROWSER_RSS_MB = 1500;
/** Tries per task: a crash or a hung frame is retried on a fresh browser until this many attempts failed. */
export const DEFAULT_MAX_ATTEMPTS = 3;
/** How long a cancelled running task may take to stop on its own before its worker thread is terminated. */
export const DEFAULT_CANCEL_GRACE_MS = 5_000;
/** How long `close()` waits for running tasks before it cancels them. */
export const DEFAULT_CLOSE_TIMEOUT_MS = 30_000;
/** How long `close()` waits for the workers to close their browsers before it terminates them. */
const SHUTDOWN_TIMEOUT_MS = 10_000;

/**
 * Error codes that are retried: the browser crashed or could not start, a frame hung, or the worker thread died.
 * A template bug (`RW_TEMPLATE_RUNTIME`), bad input or an ffmpeg failure fails the same way every time: not retried.
 */
const RETRYABLE_CODES = new Set(['RW_BROWSER_CRASHED', 'RW_FRAME_TIMEOUT', 'RW_WORKER_CRASHED', 'RW_BROWSER_LAUNCH_FAILED', 'RW_CAPTURE_FAILED']);

/** The worker entry: a JavaScript shim that registers tsx and loads `render-worker.ts` (see the comment in it). */
const WORKER_ENTRY = fileURLToPath(new URL('./render-worker-entry.mjs', import.meta.url));

/** How many renders run at once: a number of workers, or a share of the CPU cores such as `'50%'`. */
export type RenderPoolConcurrency = number | `${number}%`;

/** Options for `createRenderPool`. */
export type CreateRenderPoolOptions = {
  /** Workers (each with its own Chromium): a count, or a share of `os.availableParallelism()` such as `'50%'`. Default: one per core. */
  concurrency?: RenderPoolConcurrency;
  /** Renders before a worker replaces its browser; default `DEFAULT_RECYCLE_AFTER_RENDERS`. */
  recycleAfterRenders?: number;
  /** Resident memory (MB) of a browser's processes above which it is replaced after its render; default `DEFAULT_MAX_BROWSER_RSS_MB`. */
  maxBrowserRssMb?: number;
  /** Attempts per task for crashes, hung frames and dead workers; default `DEFAULT_MAX_ATTEMPTS`. 1 disables retries. */
  maxAttempts?: number;
  /** Chromium binary; default `REELWRIGHT_CHROMIUM`, then `/usr/bin/chromium-headless-shell`. */
  chromiumPath?: string | null;
  /** Milliseconds a cancelled running task may take to stop before its worker is terminated; default `DEFAULT_CANCEL_GRACE_MS`. */
  cancelGraceMs?: number;
  /** Level of the pool's and the workers' log lines; default `info` (quiet). */
  logLevel?: LogLevel;
  /** Receives every log event (the workers' too) instead of stderr. */
  onLog?: OnLog | null;
};

/** Options for `RenderPool.run`. */
export type RenderPoolRunOptions = {
  /** Cancels the task: a queued task leaves the queue, a running one stops (ffmpeg killed, no file at `outFile`). */
  signal?: AbortSignal | null;
  /** Frame progress and retries of this task. */
  onProgress?: ((progress: RenderTaskProgress) => void) | null;
};

/** Options for `RenderPool.close`. */
export type RenderPoolCloseOptions = {
  /** Cancel queued and running tasks now instead of letting them finish. */
  force?: boolean;
  /** How long to let running tasks finish before cancelling them; default `DEFAULT_CLOSE_TIMEOUT_MS`. */
  timeoutMs?: number;
};

/** Options for `RenderPool.warmUp`. */
export type RenderPoolWarmUpOptions = {
  /** Initial viewport of the launched browsers (each render sets its own); default 1280×720. */
  width?: number;
  height?: number;
};

/** One worker as last reported by it. */
export type RenderWorkerStats = WorkerSnapshot;

/** Counters and per-worker state of a pool; see `RenderPool.stats`. */
export type RenderPoolStats = {
  /** Workers the pool keeps (one render each at a time). */
  concurrency: number;
  /** Tasks waiting for a free worker. */
  queued: number;
  /** Tasks being rendered (attempts in a worker right now). */
  running: number;
  /** Tasks that produced their MP4. */
  completed: number;
  /** Tasks that failed for good (after their retries). */
  failed: number;
  /** Tasks that were cancelled. */
  cancelled: number;
  /** Attempts that were retried (each one a crash, hung frame or dead worker). */
  retries: number;
  /** Browsers launched by all workers since the pool started (a warm pool stays at `concurrency`). */
  browserLaunches: number;
  /** Worker threads terminated by the pool (forced cancels) or lost to a crash. */
  workersLost: number;
  /** Live workers that have reported in, by thread id. */
  workers: RenderWorkerStats[];
};

type Attempt = { ok: true; result: Omit<RenderTaskResult, 'attempts'> } | { ok: false; error: Error };

const ERROR_CLASSES: Record<string, new (message: string, options: { code: `RW_${string}` }) => ReelwrightError> = {
  RenderError,
  EncodeError,
  TemplateError,
  ConfigError,
  ReelwrightError,
};

/** Rebuilds an error that crossed the thread boundary, keeping its class and code. */
function deserialize(error: SerializedError): Error {
  const code = (error.code.startsWith('RW_') ? error.code : 'RW_INTERNAL') as `RW_${string}`;
  if (error.name === 'CancelledError') return new CancelledError(error.message);
  const ErrorClass = ERROR_CLASSES[error.name] ?? RenderError;
  return new ErrorClass(error.message, { code });
}

function isRetryable(error: Error): boolean {
  return error instanceof ReelwrightError && RETRYABLE_CODES.has(error.code);
}

function checkPositiveInteger(value: unknown, name: string, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > max) {
    throw new ConfigError(`options.${name} must be a whole number from 1 to ${max}, got ${JSON.stringify(value)}.`, { code: 'RW_CONFIG_INVALID' });
  }
  return value;
}

/**
 * Turns `concurrency` into a worker count: a whole number from 1 to 64, or a percentage of the CPU cores
 * (`'50%'` on 2 cores is 1). Throws `ConfigError` `RW_CONFIG_INVALID` otherwise.
 */
export function resolveConcurrency(concurrency: RenderPoolConcurrency | undefined, cores = availableParallelism()): number {
  if (concurrency === undefined) return cores;
  if (typeof concurrency === 'string') {
    const match = /^(\d+(?:\.\d+)?)%$/.exec(concurrency);
    const share = match ? Number(match[1]) : Number.NaN;
    if (!(share > 0 && share <= 100)) {
      throw new ConfigError(`options.concurrency must be a number of workers or a share of the CPU cores like "50%", got ${JSON.stringify(concurrency)}.`, {
        code: 'RW_CONFIG_INVALID',
      });
    }
    return Math.max(1, Math.floor((cores * share) / 100));
  }
  return checkPositiveInteger(concurrency, 'concurrency', 64);
}

/** The parent's Node flags minus debugger flags (a second inspector on the same port fails) and tsx (the entry registers it). */
function workerExecArgv(): string[] {
  const result: string[] = [];
  const args = process.execArgv;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg.startsWith('--inspect') || arg.startsWith('--debug')) continue;
    if ((arg === '--import' || arg === '--loader' || arg === '--require' || arg === '-r') && /(^|\/)tsx(\/|$)/.test(args[i + 1] ?? '')) {
      i++;
      continue;
    }
    if (/^--(import|loader|require)=.*tsx/.test(arg)) continue;
    result.push(arg);
  }
  return result;
}

/**
 * A pool of render workers (piscina, one thread per slot), each owning one warm Chromium. Renders `RenderTask`s,
 * retries crashes and hung frames on a fresh browser, recycles browsers to keep memory flat, and cancels through
 * `AbortSignal`. Create it with `createRenderPool`.
 */
export class RenderPool {
  /** Worker count: tasks that render at once. */
  readonly concurrency: number;
  readonly #piscina: Piscina;
  readonly #channel: BroadcastChannel;
  readonly #maxAttempts: number;
  readonly #cancelGraceMs: number;
  readonly #logOptions: { logLevel: LogLevel; onLog: OnLog | null; tag: string };
  readonly #onLog: OnLog | null;
  /** Aborted by `close()` to cancel what is left. */
  readonly #closeController = new AbortController();
  readonly #workers = new Map<number, WorkerSnapshot>();
  readonly #inFlight = new Set<Promise<unknown>>();
  readonly #counters = { completed: 0, failed: 0, cancelled: 0, retries: 0, workersLost: 0 };
  #running = 0;
  #closing: Promise<void> | null = null;
  #requestId = 0;

  /** @internal Use `createRenderPool`. */
  constructor(init: { concurrency: number; workerData: RenderWorkerData; maxAttempts: number; cancelGraceMs: number; onLog: OnLog | null }) {
    this.concurrency = init.concurrency;
    this.#maxAttempts = init.maxAttempts;
    this.#cancelGraceMs = init.cancelGraceMs;
    this.#onLog = init.onLog;
    this.#logOptions = { logLevel: init.workerData.logLevel, onLog: init.onLog, tag: 'RenderPool' };
    // Every queued or running task listens on the close signal: thousands of them are expected, not a leak.
    setMaxListeners(0, this.#closeController.signal);
    this.#channel = new BroadcastChannel(init.workerData.channel);
    this.#channel.unref();
    this.#channel.onmessage = (event: { data: unknown }) => {
      const message = event.data as ChannelMessage;
      if (message.type === 'log') this.#forwardLog(message.event);
    };
    this.#piscina = new Piscina({
      filename: WORKER_ENTRY,
      minThreads: init.concurrency,
      maxThreads: init.concurrency,
      concurrentTasksPerWorker: 1,
      // Idle piscina workers block in Atomics.wait by default, which would freeze their event loop — and with it the
      // browser's pipe, background browser recycling and cancel messages. Plain messages cost microseconds per task.
      atomics: 'disabled',
      idleTimeout: Number.MAX_SAFE_INTEGER,
      execArgv: workerExecArgv(),
      workerData: init.workerData,
      // close() drains and shuts the browsers down itself before it destroys the threads.
      closeTimeout: 1_000,
    });
    // piscina emits 'error' for a worker that dies between tasks; unhandled, that would crash the process.
    this.#piscina.on('error', (error: unknown) => {
      this.#counters.workersLost++;
      log.warn({ ...this.#logOptions, logLevel: 'warn' }, 'a render worker died between tasks (it is replaced):', error);
    });
  }

  /**
   * Renders one task on a free worker (queued until one is free) and resolves with its result once the MP4 is at
   * `task.outFile`. A Chromium crash, a hung frame or a dead worker is retried on a fresh browser up to `maxAttempts`
   * times (each retry is reported through `onProgress` as `{ type: 'retry' }`); then it rejects with the last error
   * (`RenderError` with its `RW_*` code). Aborting `signal` rejects with `CancelledError` (`cause` = the signal's
   * reason): a queued task leaves the queue, a running one stops, and no file is left at `outFile`.
   */
  async run(task: RenderTask, options: RenderPoolRunOptions = {}): Promise<RenderTaskResult> {
    if (this.#closing) throw new RenderError(`The render pool is closed; job ${task?.jobId} was not started.`, { code: 'RW_POOL_CLOSED' });
    if (task?.type !== 'render' || typeof task.jobId !== 'string' || typeof task.outFile !== 'string' || task.outFile === '') {
      throw new RenderError(`RenderPool.run() needs a RenderTask ({ type: 'render', jobId, outFile, … }), got ${JSON.stringify(task)?.slice(0, 200)}.`, {
        code: 'RW_INVALID_OPTION',
      });
    }
    const userSignal = options.signal ?? null;
    const signal = userSignal ? AbortSignal.any([userSignal, this.#closeController.signal]) : this.#closeController.signal;
    const onProgress = options.onProgress ?? null;
    const running = this.#runWithRetries(task, signal, onProgress);
    this.#inFlight.add(running);
    try {
      return await running;
    } finally {
      this.#inFlight.delete(running);
    }
  }

  async #runWithRetries(
    task: RenderTask,
    signal: AbortSignal,
    onProgress: ((progress: RenderTaskProgress) => void) | null,
  ): Promise<RenderTaskResult> {
    for (let attempt = 1; ; attempt++) {
      if (signal.aborted) {
        this.#counters.cancelled++;
        throw new CancelledError(`Rendering job ${task.jobId} was cancelled before it started.`, signal.reason);
      }
      const outcome = await this.#attempt(task, attempt, signal, onProgress);
      if (outcome.ok) {
        this.#counters.completed++;
        return { ...outcome.result, attempts: attempt };
      }
      const { error } = outcome;
      if (error instanceof CancelledError) {
        this.#counters.cancelled++;
        throw error;
      }
      if (!isRetryable(error) || attempt >= this.#maxAttempts || signal.aborted) {
        this.#counters.failed++;
        if (attempt > 1 && error instanceof ReelwrightError) {
          throw new (error.constructor as typeof RenderError)(`${error.message} (job ${task.jobId}, attempt ${attempt} of ${this.#maxAttempts})`, {
            code: error.code,
            cause: error,
          });
        }
        throw error;
      }
      this.#counters.retries++;
      log.verbose(this.#logOptions, `job ${task.jobId}: attempt ${attempt} failed (${(error as ReelwrightError).code}); retrying on a fresh browser`);
      this.#emit(onProgress, { type: 'retry', jobId: task.jobId, attempt: attempt + 1, reason: error.message });
    }
  }

  /** One attempt in one worker. Resolves with the outcome; never rejects. */
  async #attempt(
    task: RenderTask,
    attempt: number,
    signal: AbortSignal,
    onProgress: ((progress: RenderTaskProgress) => void) | null,
  ): Promise<Attempt> {
    const { port1, port2 } = new MessageChannel();
    const piscinaAbort = new AbortController();
    let started = false;
    let worker: WorkerSnapshot | null = null;
    let forceTimer: NodeJS.Timeout | undefined;

    const handle = (message: WorkerEvent) => {
      switch (message.type) {
        case 'started':
          started = true;
          this.#running++;
          worker = message.worker;
          this.#workers.set(worker.threadId, worker);
          return;
        case 'worker':
          worker = message.worker;
          this.#workers.set(worker.threadId, worker);
          return;
        case 'frame':
          this.#emit(onProgress, message);
          return;
        case 'log':
          this.#forwardLog(message.event);
          return;
      }
    };
    /** Delivers events the worker sent before its answer (they travel on another port and may not have arrived yet). */
    const drain = () => {
      for (let entry = receiveMessageOnPort(port1); entry !== undefined; entry = receiveMessageOnPort(port1)) handle(entry.message as WorkerEvent);
    };
    port1.on('message', handle);

    const onAbort = () => {
      if (!started) {
        // Still queued: piscina takes it out of the queue.
        piscinaAbort.abort(signal.reason);
        return;
      }
      // Running: ask the worker to stop (it kills ffmpeg, deletes the temporary file and keeps its warm browser).
      port1.postMessage({ type: 'cancel' } satisfies PoolCommand);
      forceTimer = setTimeout(() => {
        log.warn(
          { ...this.#logOptions, logLevel: 'warn' },
          `job ${task.jobId} did not stop within ${this.#cancelGraceMs} ms of being cancelled; terminating its worker.`,
        );
        piscinaAbort.abort(signal.reason);
      }, this.#cancelGraceMs);
    };
    signal.addEventListener('abort', onAbort, { once: true });

    const request: RenderWorkerRequest = { type: 'render', task, attempt, port: port2 };
    try {
      const response = (await this.#piscina.run(request, { transferList: [port2], signal: piscinaAbort.signal })) as RenderWorkerResponse;
      drain();
      this.#workers.set(response.worker.threadId, response.worker);
      if (response.type === 'rendered') return { ok: true, result: response.result };
      const error = deserialize(response.error);
      if (error instanceof CancelledError || signal.aborted) {
        return { ok: false, error: new CancelledError(`Rendering job ${task.jobId} was cancelled.`, signal.reason) };
      }
      return { ok: false, error };
    } catch (error) {
      // piscina rejected: we aborted it (queued, or a forced cancel that terminated the worker), or the worker died.
      drain();
      if (started) {
        this.#counters.workersLost++;
        if (worker) this.#workers.delete((worker as WorkerSnapshot).threadId);
        await cleanUpAfterWorker({ outFile: task.outFile, browserPid: (worker as WorkerSnapshot | null)?.browserPid ?? null, log: this.#logOptions });
      }
      if (piscinaAbort.signal.aborted) {
        return { ok: false, error: new CancelledError(`Rendering job ${task.jobId} was cancelled.`, signal.reason) };
      }
      return {
        ok: false,
        error: new RenderError(`The render worker died while rendering job ${task.jobId}: ${(error as Error)?.message ?? String(error)}`, {
          code: 'RW_WORKER_CRASHED',
          cause: error,
        }),
      };
    } finally {
      signal.removeEventListener('abort', onAbort);
      clearTimeout(forceTimer);
      port1.close();
      if (started) this.#running--;
    }
  }

  /**
   * Launches a browser in every idle worker now, so that the first renders do not pay for it (about a second each).
   * Best effort: a worker that is busy or already warm is skipped. Resolves when the launches are done.
   */
  async warmUp(options: RenderPoolWarmUpOptions = {}): Promise<void> {
    if (this.#closing) throw new RenderError('The render pool is closed; it cannot warm up.', { code: 'RW_POOL_CLOSED' });
    const request: WarmUpRequest = { type: 'warm-up', width: options.width ?? 1280, height: options.height ?? 720 };
    // A worker runs one task at a time, so `concurrency` launches at once land on `concurrency` idle workers
    // (an already warm worker answers at once and may take a second one: hence "best effort").
    const answers = (await Promise.all(Array.from({ length: this.concurrency }, () => this.#piscina.run(request)))) as WarmUpResponse[];
    for (const answer of answers) this.#workers.set(answer.worker.threadId, answer.worker);
    const failed = answers.find((answer) => answer.error !== null);
    if (failed?.error) throw deserialize(failed.error);
  }

  /**
   * The live worker threads, for tests that need to kill one on purpose.
   * @internal
   */
  get _threads(): readonly Worker[] {
    return this.#piscina.threads;
  }

  /**
   * Counters and the last reported state of each worker (browser pid, launches, renders, memory). Cheap: no call into
   * the workers.
   */
  stats(): RenderPoolStats {
    const live = new Set(this.#piscina.threads.map((thread) => thread.threadId));
    const workers = [...this.#workers.values()].filter((worker) => live.has(worker.threadId)).sort((a, b) => a.threadId - b.threadId);
    return {
      concurrency: this.concurrency,
      queued: this.#piscina.queueSize,
      running: this.#running,
      ...this.#counters,
      browserLaunches: [...this.#workers.values()].reduce((sum, worker) => sum + worker.browserLaunches, 0),
      workers,
    };
  }

  /**
   * Stops the pool: no new tasks are accepted; queued and running tasks finish (or, with `force`, are cancelled at
   * once); after `timeoutMs` whatever still runs is cancelled with a `CancelledError` saying so. Then every worker
   * closes its browser and the threads end. Safe to call twice.
   */
  close(options: RenderPoolCloseOptions = {}): Promise<void> {
    this.#closing ??= this.#close(options.force ?? false, options.timeoutMs ?? DEFAULT_CLOSE_TIMEOUT_MS);
    return this.#closing;
  }

  async #close(force: boolean, timeoutMs: number): Promise<void> {
    if (force) this.#closeController.abort(new CancelledError('The render pool was closed with force; the render was abandoned.'));
    let timer: NodeJS.Timeout | undefined;
    const drained = Promise.allSettled([...this.#inFlight]);
    const timedOut = await Promise.race([
      drained.then(() => false),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(true), timeoutMs);
      }),
    ]);
    clearTimeout(timer);
    if (timedOut) {
      this.#closeController.abort(new CancelledError(`The render pool was closed and its renders did not finish within ${timeoutMs} ms; they were abandoned.`));
      await drained;
    }
    await this.#shutDownWorkers();
    await this.#piscina.destroy();
    this.#channel.close();
  }

  /** Asks every worker that has reported in to close its browser, and waits (bounded) for their answers. */
  async #shutDownWorkers(): Promise<void> {
    const live = new Set(this.#piscina.threads.map((thread) => thread.threadId));
    const expected = new Set([...this.#workers.keys()].filter((threadId) => live.has(threadId)));
    if (expected.size === 0) return;
    const requestId = ++this.#requestId;
    let timer: NodeJS.Timeout | undefined;
    let listener: ((event: { data: unknown }) => void) | undefined;
    await Promise.race([
      new Promise<void>((resolve) => {
        listener = (event: { data: unknown }) => {
          const message = event.data as ChannelMessage;
          if (message.type !== 'shut-down' || message.requestId !== requestId) return;
          this.#workers.set(message.worker.threadId, message.worker);
          expected.delete(message.worker.threadId);
          if (expected.size === 0) resolve();
        };
        this.#channel.addEventListener('message', listener as unknown as EventListener);
        this.#channel.postMessage({ type: 'shutdown', requestId } satisfies ChannelMessage);
      }),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, SHUTDOWN_TIMEOUT_MS);
      }),
    ]);
    clearTimeout(timer);
    this.#channel.removeEventListener('message', listener as unknown as EventListener);
  }

  /** Same as `close()`, for `await using`. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  #emit(onProgress: ((progress: RenderTaskProgress) => void) | null, progress: RenderTaskProgress): void {
    if (!onProgress) return;
    try {
      onProgress(progress);
    } catch (error) {
      // A progress display must not break a render; report it and go on.
      log.warn({ ...this.#logOptions, logLevel: 'warn' }, 'onProgress threw:', error);
    }
  }

  #forwardLog(event: LogEvent): void {
    if (this.#onLog) this.#onLog(event);
    else log[event.level]({ logLevel: this.#logOptions.logLevel, tag: event.tag }, event.message);
  }
}

/**
 * Creates the render pool: `concurrency` piscina worker threads, each with one warm Chromium and file server kept
 * across tasks (no browser launch, no re-bundling, no page reload when only the row changes). Browsers are launched
 * by the first task of each worker, or ahead of time with `warmUp()`.
 *
 * @example
 * await using pool = createRenderPool({ concurrency: '50%' });
 * const result = await pool.run(task, { signal, onProgress: (p) => p.type === 'frame' && bar.update(p.done / p.total) });
 * @see RenderPool
 */
export function createRenderPool(options: CreateRenderPoolOptions = {}): RenderPool {
  const concurrency = resolveConcurrency(options.concurrency);
  const recycleAfterRenders = checkPositiveInteger(options.recycleAfterRenders ?? DEFAULT_RECYCLE_AFTER_RENDERS, 'recycleAfterRenders');
  const maxBrowserRssMb = checkPositiveInteger(options.maxBrowserRssMb ?? DEFAULT_MAX_BROWSER_RSS_MB, 'maxBrowserRssMb');
  const maxAttempts = checkPositiveInteger(options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS, 'maxAttempts', 100);
  const cancelGraceMs = checkPositiveInteger(options.cancelGraceMs ?? DEFAULT_CANCEL_GRACE_MS, 'cancelGraceMs');
  const onLog = options.onLog ?? null;
  return new RenderPool({
    concurrency,
    maxAttempts,
    cancelGraceMs,
    onLog,
    workerData: {
      channel: `reelwright-render-pool-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}`,
      recycleAfterRenders,
      maxBrowserRssBytes: maxBrowserRssMb * 2 ** 20,
      chromiumPath: options.chromiumPath ?? null,
      logLevel: options.logLevel ?? 'info',
      forwardLogs: onLog !== null,
    },
  });
}
