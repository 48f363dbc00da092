import { Job, Queue, QueueEvents } from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';
import { stat } from 'node:fs/promises';
import { CancelledError, toErrorRecord, type ErrorCode, type ErrorRecord } from '../errors/index.js';
import { log, type LogLevel, type OnLog } from '../log/index.js';
import type { RenderTask, RenderTaskProgress, RenderTaskResult } from '../pool/index.js';
import { parseRedisUrl, redact } from './parse-redis-url.js';
import { QueueError } from './queue-error.js';
import { DEFAULT_CONNECT_TIMEOUT_MS, reachRedis } from './reach-redis.js';
import { sha256File } from './sha256-file.js';
import { toStorageKey } from './storage/to-storage-key.js';
import type { RenderStorage } from './storage/types.js';
import { TaskPublisher } from './task-publisher.js';
import { DEFAULT_QUEUE_NAME, type QueueRenderJob, type QueueRenderResult } from './types.js';

/** Tasks `runBatch` keeps in flight per unit of `concurrency` is 2, so 16 keeps 32 jobs queued for the workers. */
export const DEFAULT_QUEUE_CONCURRENCY_HINT = 16;
/** Attempts per job (a worker error, a crashed browser); a worker killed mid-job is retried apart from these. */
export const DEFAULT_QUEUE_ATTEMPTS = 3;
/** First retry delay; it doubles with each attempt. */
export const DEFAULT_QUEUE_BACKOFF_MS = 2_000;
/** Safety net behind `QueueEvents`: how often a waiting run checks its job's state itself (events can be missed across a Redis restart). */
export const DEFAULT_QUEUE_POLL_INTERVAL_MS = 5_000;
/** How long finished jobs (and their results) stay in Redis, so a restarted coordinator can collect them. */
export const DEFAULT_KEEP_FINISHED_SECONDS = 7 * 24 * 3600;

/** Options of `createQueueRunner`. */
export type CreateQueueRunnerOptions = {
  /** `redis://HOST:PORT/DB` (or `rediss://` for TLS). */
  redisUrl: string;
  /**
   * Names this batch in job ids and storage keys. Keep it stable when the same batch is started again (e.g. a hash of
   * project, dataset and template): a restarted coordinator then finds the jobs it enqueued before instead of adding
   * them again. Job ids also contain a hash of each task, so a changed row never collects an old result.
   */
  runId: string;
  /** Shared storage the workers read tasks from and write outputs to. */
  storage: RenderStorage;
  /** BullMQ queue name; default `DEFAULT_QUEUE_NAME`. Workers must use the same. */
  queueName?: string;
  /** Reported as `concurrency` (`runBatch` keeps twice as many tasks in flight); default `DEFAULT_QUEUE_CONCURRENCY_HINT`. */
  concurrencyHint?: number;
  /** Attempts per job; default `DEFAULT_QUEUE_ATTEMPTS`. */
  attempts?: number;
  /** First retry delay (exponential); default `DEFAULT_QUEUE_BACKOFF_MS`. */
  backoffMs?: number;
  /** Default `DEFAULT_QUEUE_POLL_INTERVAL_MS`. */
  pollIntervalMs?: number;
  /** Default `DEFAULT_KEEP_FINISHED_SECONDS`. */
  keepFinishedSeconds?: number;
  /** How long to wait for Redis at start (`RW_QUEUE_UNREACHABLE` after); default `DEFAULT_CONNECT_TIMEOUT_MS`. */
  connectTimeoutMs?: number;
  /** Stops every run (each rejects with `CancelledError`; jobs still waiting are removed from the queue). */
  signal?: AbortSignal | null;
  logLevel?: LogLevel;
  onLog?: OnLog | null;
};

/** What a runner did, for logs and tests ("nothing was enqueued twice"). */
export type QueueRunnerStats = {
  /** Jobs added to the queue. */
  added: number;
  /** Jobs found waiting or running (enqueued by an earlier coordinator) and awaited. */
  attached: number;
  /** Jobs found completed and collected without rendering again. */
  collected: number;
  /** Jobs found failed and retried. */
  retried: number;
  /** Jobs whose output had disappeared from storage and the output folder, and were rendered again. */
  rerendered: number;
};

type Settled = { type: 'completed'; value: unknown } | { type: 'failed' };

type Waiter = {
  settle(outcome: Settled): void;
  onProgress: ((progress: RenderTaskProgress) => void) | null;
  /** False until the job was added, found or retried: the state poll must not read a failure that a retry is replacing. */
  armed: boolean;
};

type RunOptions = { signal?: AbortSignal | null; onProgress?: ((progress: RenderTaskProgress) => void) | null };

function checkPositiveInteger(value: number | undefined, name: string): void {
  if (value !== undefined && (!Number.isInteger(value) || value <= 0)) {
    throw new QueueError(`options.${name} must be a positive whole number, got ${JSON.stringify(value)}.`, { code: 'RW_QUEUE_BAD_OPTION' });
  }
}

/** BullMQ forbids ':' in custom job ids (it separates key parts); encodeURIComponent turns it into %3A. */
function jobIdFor(runId: string, taskJobId: string, taskHash: string): string {
  return `${encodeURIComponent(runId)}/${encodeURIComponent(taskJobId)}/${taskHash.slice(0, 16)}`;
}

function isRenderResult(value: unknown): value is QueueRenderResult {
  const result = value as Partial<QueueRenderResult> | null;
  return result?.type === 'render-result' && typeof result.output?.key === 'string' && typeof result.result?.frames === 'number';
}

/** The worker's error record for a failed job, as a reelwright error with the worker's own code. */
function failureOf(job: Job<QueueRenderJob> | undefined, jobId: string): QueueError {
  const record: ErrorRecord | null | undefined = job?.data?.lastError;
  const attempts = job?.attemptsMade ?? 0;
  // The record explains the failure only if it is what failed the job (not an earlier attempt before, say, the job
  // stalled too often because its workers kept dying).
  if (record && record.message === job?.failedReason && /^RW_[A-Z0-9_]+$/.test(record.code)) {
    return new QueueError(`${record.message} (failed on the render queue after ${attempts} attempt${attempts === 1 ? '' : 's'})`, { code: record.code as ErrorCode });
  }
  const reason = job?.failedReason || 'no reason was recorded';
  return new QueueError(`Render job ${jobId} failed on the queue after ${attempts} attempt(s): ${reason}`, { code: 'RW_QUEUE_JOB_FAILED' });
}

/**
 * The coordinator's side of distributed rendering: a `RenderRunner` whose `run(task)` publishes what the task needs to
 * shared storage, enqueues one BullMQ job for it and resolves with the worker's result once the output has been copied
 * to `task.outFile`. See `createQueueRunner`.
 */
export class QueueRunner {
  readonly concurrency: number;
  readonly queueName: string;
  readonly #o: Required<Omit<CreateQueueRunnerOptions, 'signal' | 'onLog' | 'concurrencyHint' | 'connectTimeoutMs'>> & { signal: AbortSignal | null; onLog: OnLog | null };
  readonly #queue: Queue<QueueRenderJob, QueueRenderResult>;
  readonly #events: QueueEvents;
  readonly #redis: Redis;
  readonly #publisher: TaskPublisher;
  readonly #waiters = new Map<string, Waiter>();
  readonly #inFlight = new Set<Promise<unknown>>();
  readonly #closing = new AbortController();
  readonly #logOptions: { logLevel: LogLevel; tag: string; onLog: OnLog | null };
  readonly #poller: NodeJS.Timeout;
  #closed: Promise<void> | null = null;
  #polling = false;
  #connected = false;
  /** What this runner did; see `QueueRunnerStats`. */
  readonly stats: QueueRunnerStats = { added: 0, attached: 0, collected: 0, retried: 0, rerendered: 0 };

  /** @internal Use `createQueueRunner`. */
  constructor(options: CreateQueueRunnerOptions) {
    const connection = parseRedisUrl(options.redisUrl);
    this.#o = {
      redisUrl: options.redisUrl,
      runId: options.runId,
      storage: options.storage,
      queueName: options.queueName ?? DEFAULT_QUEUE_NAME,
      attempts: options.attempts ?? DEFAULT_QUEUE_ATTEMPTS,
      backoffMs: options.backoffMs ?? DEFAULT_QUEUE_BACKOFF_MS,
      pollIntervalMs: options.pollIntervalMs ?? DEFAULT_QUEUE_POLL_INTERVAL_MS,
      keepFinishedSeconds: options.keepFinishedSeconds ?? DEFAULT_KEEP_FINISHED_SECONDS,
      signal: options.signal ?? null,
      logLevel: options.logLevel ?? 'info',
      onLog: options.onLog ?? null,
    };
    this.concurrency = options.concurrencyHint ?? DEFAULT_QUEUE_CONCURRENCY_HINT;
    this.queueName = this.#o.queueName;
    this.#logOptions = { logLevel: this.#o.logLevel, tag: 'queueRunner', onLog: this.#o.onLog };
    this.#queue = new Queue<QueueRenderJob, QueueRenderResult>(this.queueName, { connection });
    this.#events = new QueueEvents(this.queueName, { connection });
    this.#redis = new Redis(connection as RedisOptions);
    this.#publisher = new TaskPublisher({ storage: options.storage, redis: this.#redis, runId: options.runId });
    const onError = (what: string) => (error: Error) => log.verbose(this.#logOptions, `${what} (${redact(this.#o.redisUrl)}): ${error.message}`);
    this.#queue.on('error', onError('queue connection'));
    this.#events.on('error', onError('queue events connection'));
    this.#redis.on('error', onError('redis connection'));
    this.#events.on('completed', ({ jobId, returnvalue }) => this.#waiters.get(jobId)?.settle({ type: 'completed', value: returnvalue }));
    this.#events.on('failed', ({ jobId }) => this.#waiters.get(jobId)?.settle({ type: 'failed' }));
    this.#events.on('progress', ({ jobId, data }) => {
      const waiter = this.#waiters.get(jobId);
      if (waiter?.onProgress && typeof data === 'object' && data !== null && 'type' in data) waiter.onProgress(data as RenderTaskProgress);
    });
    this.#poller = setInterval(() => void this.#poll(), this.#o.pollIntervalMs);
    this.#poller.unref();
    this.#o.signal?.addEventListener('abort', () => void this.close({ force: true }), { once: true });
  }

  /** Resolves once the queue and its event stream are connected. */
  async waitUntilReady(): Promise<void> {
    await Promise.all([this.#queue.waitUntilReady(), this.#events.waitUntilReady()]);
    this.#connected = true;
  }

  /**
   * Renders `task` on a worker: publishes its template, bundle, media and clip frames, adds (or finds) its job, forwards
   * progress, and copies the output to `task.outFile`. A job that already completed (enqueued by a coordinator that
   * died) is collected without rendering again; one still waiting or running is awaited. Rejects with the worker's
   * error (its own `RW_*` code) when the job fails after its attempts, or `CancelledError`.
   */
  run(task: RenderTask, options: RunOptions = {}): Promise<RenderTaskResult> {
    const running = this.#run(task, options);
    this.#inFlight.add(running);
    const forget = () => this.#inFlight.delete(running);
    running.then(forget, forget);
    return running;
  }

  async #run(task: RenderTask, options: RunOptions): Promise<RenderTaskResult> {
    const signals = [this.#closing.signal, ...(this.#o.signal ? [this.#o.signal] : []), ...(options.signal ? [options.signal] : [])];
    const signal = AbortSignal.any(signals);
    if (signal.aborted) throw this.#cancelled(signal);
    const { job: data, taskHash } = await this.#publisher.publish(task, signal);
    const jobId = jobIdFor(this.#o.runId, task.jobId, taskHash);
    for (let round = 0; ; round++) {
      const outcome = await this.#await(jobId, data, signal, options.onProgress ?? null);
      if (outcome.type === 'failed') throw failureOf(await this.#queue.getJob(jobId), jobId);
      if (!isRenderResult(outcome.value)) {
        throw new QueueError(`Render job ${jobId} completed without a reelwright render result; is an older worker on queue "${this.queueName}"?`, {
          code: 'RW_QUEUE_BAD_JOB',
        });
      }
      const collected = await this.#collect(task, outcome.value, signal);
      if (collected) return collected;
      if (round > 0) {
        throw new QueueError(`The output of ${jobId} vanished from shared storage twice (${this.#o.storage.location}); is something cleaning it?`, {
          code: 'RW_QUEUE_OUTPUT_MISSING',
        });
      }
      // Completed long ago and its output is gone from storage and from the output folder: render it again.
      log.verbose(this.#logOptions, `${jobId}: completed earlier but its output is gone; rendering it again`);
      await (await this.#queue.getJob(jobId))?.remove();
      this.stats.rerendered++;
    }
  }

  /** Adds the job (or finds it) and waits until it completes or fails. */
  async #await(jobId: string, data: QueueRenderJob, signal: AbortSignal, onProgress: Waiter['onProgress']): Promise<Settled> {
    let settle!: (outcome: Settled) => void;
    const settled = new Promise<Settled>((resolve) => {
      settle = resolve;
    });
    // Listen before looking, so an event between the look and the wait is not lost.
    const waiter: Waiter = { settle, onProgress, armed: false };
    this.#waiters.set(jobId, waiter);
    const onAbort = () => settle({ type: 'failed' });
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      const existing = await this.#queue.getJob(jobId);
      const state = existing ? await existing.getState() : 'unknown';
      if (existing && state === 'completed') {
        this.stats.collected++;
        log.verbose(this.#logOptions, `${jobId}: already rendered; collecting its result`);
        settle({ type: 'completed', value: existing.returnvalue });
      } else if (existing && state === 'failed') {
        this.stats.retried++;
        log.verbose(this.#logOptions, `${jobId}: failed in an earlier run; retrying it`);
        await existing.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
      } else if (existing && state !== 'unknown') {
        this.stats.attached++;
        log.verbose(this.#logOptions, `${jobId}: already ${state}; waiting for it`);
      } else {
        await this.#add(jobId, data);
      }
      waiter.armed = true;
      const outcome = await settled;
      if (signal.aborted) {
        await this.#dequeue(jobId);
        throw this.#cancelled(signal);
      }
      return outcome;
    } finally {
      signal.removeEventListener('abort', onAbort);
      this.#waiters.delete(jobId);
    }
  }

  async #add(jobId: string, data: QueueRenderJob): Promise<void> {
    const keep = { age: this.#o.keepFinishedSeconds };
    await this.#queue.add('render', data, {
      jobId,
      attempts: this.#o.attempts,
      backoff: { type: 'exponential', delay: this.#o.backoffMs },
      removeOnComplete: keep,
      removeOnFail: keep,
    });
    this.stats.added++;
  }

  /** Copies a completed job's output to `task.outFile`; null when the output is gone from storage and from `outFile`. */
  async #collect(task: RenderTask, value: QueueRenderResult, signal: AbortSignal): Promise<RenderTaskResult | null> {
    const key = toStorageKey(value.output.key);
    const { storage } = this.#o;
    if (await storage.has(key)) {
      await storage.getFile(key, task.outFile, signal);
      const copy = await sha256File(task.outFile, signal);
      if (copy.sha256 !== value.output.sha256) {
        throw new QueueError(`${task.outFile} copied from ${storage.location} (${key}) does not match the worker's checksum; the shared folder may be inconsistent.`, {
          code: 'RW_QUEUE_OUTPUT_MISSING',
        });
      }
      // The output folder holds the video now. The task's own storage folder (outputs/<run>/<task hash>/) also holds
      // the temporary files of attempts whose worker was killed: remove it all.
      await storage.remove(toStorageKey(key.split('/').slice(0, -1).join('/')));
    } else {
      // A coordinator that died after copying the output but before journaling it: the copy is already in place.
      const local = await stat(task.outFile).catch(() => null);
      if (!local?.isFile() || local.size !== value.output.bytes || (await sha256File(task.outFile, signal)).sha256 !== value.output.sha256) return null;
    }
    return { ...value.result, outFile: task.outFile };
  }

  /** Removes a job that no worker has started (cancelled runs); a running one finishes and is collected next time. */
  async #dequeue(jobId: string): Promise<void> {
    try {
      const job = await this.#queue.getJob(jobId);
      const state = job ? await job.getState() : 'unknown';
      if (job && (state === 'waiting' || state === 'delayed' || state === 'prioritized')) await job.remove();
    } catch (error) {
      // The job may have started meanwhile (then it is locked and stays): that is fine, it is collected next run.
      log.verbose(this.#logOptions, `could not remove ${jobId} from the queue:`, toErrorRecord(error).message);
    }
  }

  /** Settles waiters whose job finished without an event reaching us (missed across a Redis restart). */
  async #poll(): Promise<void> {
    // While Redis is down each command waits for the reconnect: never stack a second sweep on a stuck one.
    if (this.#polling) return;
    this.#polling = true;
    try {
      await this.#pollOnce();
    } finally {
      this.#polling = false;
    }
  }

  async #pollOnce(): Promise<void> {
    for (const [jobId, waiter] of [...this.#waiters]) {
      if (!waiter.armed) continue;
      try {
        const job = await this.#queue.getJob(jobId);
        const state = job ? await job.getState() : 'unknown';
        if (job && state === 'completed') waiter.settle({ type: 'completed', value: job.returnvalue });
        else if (job && state === 'failed') waiter.settle({ type: 'failed' });
      } catch (error) {
        log.verbose(this.#logOptions, `checking ${jobId}:`, toErrorRecord(error).message);
      }
    }
  }

  #cancelled(signal: AbortSignal): CancelledError {
    return new CancelledError('The queued render was cancelled; `render` again collects what the workers finish.', signal.reason);
  }

  /**
   * Stops waiting and closes the Redis connections. Without `force`, waits for runs in flight; with `force`, they reject
   * with `CancelledError` and their jobs that no worker has started are removed from the queue. Workers are not
   * affected: jobs already running finish, and a later coordinator collects them.
   */
  close(options: { force?: boolean } = {}): Promise<void> {
    this.#closed ??= (async () => {
      if (options.force) this.#closing.abort(new CancelledError('The queue runner was closed.'));
      await Promise.allSettled([...this.#inFlight]);
      clearInterval(this.#poller);
      if (this.#connected) {
        await Promise.allSettled([this.#events.close(), this.#queue.close()]);
      } else {
        // Never connected (Redis unreachable): QueueEvents.close() would wait for a connection forever. Dropping its
        // connection ends the reconnect loop; close() then only flags it closed.
        await this.#events.backend.close(true).catch((error: unknown) => log.verbose(this.#logOptions, 'closing the event stream:', toErrorRecord(error).message));
        this.#events.close().catch(() => undefined);
        await this.#queue.close().catch((error: unknown) => log.verbose(this.#logOptions, 'closing the queue:', toErrorRecord(error).message));
      }
      this.#redis.disconnect();
    })();
    return this.#closed;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close({ force: true });
  }
}

/**
 * Creates the `RenderRunner` behind `render --queue`: each `run(task)` becomes one BullMQ job on Redis, rendered by a
 * `reelwright worker` on any machine that shares `storage`. Job ids are `<runId>/<task.jobId>/<task hash>`, so a
 * coordinator killed and started again with the same `runId` re-attaches: completed jobs are collected (not rendered
 * again), waiting and running ones are awaited, nothing is enqueued twice.
 *
 * Checks its options before connecting (`RW_QUEUE_BAD_URL`, `RW_QUEUE_BAD_OPTION`) and resolves once Redis answers
 * (`RW_QUEUE_UNREACHABLE` after `connectTimeoutMs`). Once connected, a Redis outage pauses it instead of failing runs.
 *
 * @example
 * const storage = await createSharedDirStorage({ root: '/mnt/reelwright' });
 * const summary = await runBatch({
 *   dataset: 'leads.csv', template: 'welcome',
 *   createRunner: () => createQueueRunner({ redisUrl: 'redis://10.0.0.5:6379/0', runId: 'leads-welcome', storage }),
 * });
 * @see runWorker
 * @see createSharedDirStorage
 */
export async function createQueueRunner(options: CreateQueueRunnerOptions): Promise<QueueRunner> {
  parseRedisUrl(options.redisUrl);
  if (typeof options.runId !== 'string' || options.runId.trim() === '' || options.runId.length > 200) {
    throw new QueueError(`options.runId must be a non-empty string of at most 200 characters, got ${JSON.stringify(options.runId)}.`, { code: 'RW_QUEUE_BAD_OPTION' });
  }
  checkPositiveInteger(options.concurrencyHint, 'concurrencyHint');
  checkPositiveInteger(options.attempts, 'attempts');
  checkPositiveInteger(options.backoffMs, 'backoffMs');
  checkPositiveInteger(options.pollIntervalMs, 'pollIntervalMs');
  checkPositiveInteger(options.keepFinishedSeconds, 'keepFinishedSeconds');
  checkPositiveInteger(options.connectTimeoutMs, 'connectTimeoutMs');
  if (options.queueName !== undefined && !/^[A-Za-z0-9_.-]{1,100}$/.test(options.queueName)) {
    throw new QueueError(`options.queueName must be letters, digits, "-", "_" or "." (BullMQ forbids ":"), got ${JSON.stringify(options.queueName)}.`, {
      code: 'RW_QUEUE_BAD_OPTION',
    });
  }
  const runner = new QueueRunner(options);
  try {
    await reachRedis({
      ready: runner.waitUntilReady(),
      redisUrl: options.redisUrl,
      timeoutMs: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
      signal: options.signal ?? null,
    });
  } catch (error) {
    await runner.close({ force: true });
    throw error;
  }
  return runner;
}
