import { UnrecoverableError, WaitingError, Worker, type Job } from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';
import { mkdir } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { CancelledError, toErrorRecord } from '../errors/index.js';
import { log, type LogLevel, type OnLog } from '../log/index.js';
import type { RenderTaskProgress } from '../pool/index.js';
import { localizeTask } from './localize-task.js';
import { parseRedisUrl, redact } from './parse-redis-url.js';
import { QueueError } from './queue-error.js';
import { DEFAULT_CONNECT_TIMEOUT_MS, reachRedis } from './reach-redis.js';
import { readBundleManifest } from './read-bundle-manifest.js';
import { sha256File } from './sha256-file.js';
import type { RenderStorage } from './storage/types.js';
import { DEFAULT_QUEUE_NAME, QUEUE_JOB_VERSION, type LocalRenderRunner, type OnWorkerEvent, type QueueRenderJob, type QueueRenderResult, type WorkerEvent } from './types.js';

/** How long a job's lock lives without renewal: a killed worker's job is taken over by another this long after. */
export const DEFAULT_LOCK_DURATION_MS = 30_000;
/** Times a job may lose its worker (killed, frozen) and be started again before it fails. */
export const DEFAULT_MAX_STALLED_COUNT = 2;
/** Frame progress is published at most this often per job (each update is a Redis write and a stream event). */
export const DEFAULT_PROGRESS_INTERVAL_MS = 500;
/** On a forced stop, how long running renders get to hand their jobs back before the connection closes. */
export const DEFAULT_FORCE_CLOSE_GRACE_MS = 5_000;
/**
 * Failures a new attempt cannot fix: the job fails at once instead of using up its attempts.
 * Everything else (a crashed browser, a timed-out frame, storage not caught up yet) is retried with backoff.
 */
export const NON_RETRYABLE_CODES: ReadonlySet<string> = new Set([
  'RW_QUEUE_BAD_JOB',
  'RW_STORAGE_BAD_KEY',
  'RW_TEMPLATE_BUILD_FAILED',
  'RW_TEMPLATE_INVALID',
  'RW_INVALID_OPTION',
]);

/** What the worker passes to `createRunner`. */
export type CreateLocalRunnerContext = { concurrency: number; stateDir: string; logLevel: LogLevel; onLog: OnLog | null };

/** Options of `runWorker`. */
export type RunWorkerOptions = {
  /** `redis://HOST:PORT/DB`, the same as the coordinator's `--queue`. */
  redisUrl: string;
  /** Shared storage as mounted on this machine. */
  storage: RenderStorage;
  /** This worker's own state folder (compiled templates); never shared between workers. */
  stateDir: string;
  /** Jobs rendered at once (one warm browser each); default 1. */
  concurrency?: number;
  /** Builds the local render pool that runs the jobs (the CLI passes `createRenderPool`). */
  createRunner: (context: CreateLocalRunnerContext) => Promise<LocalRenderRunner>;
  /** Default `DEFAULT_QUEUE_NAME`; the coordinator's must match. */
  queueName?: string;
  /** Default `DEFAULT_LOCK_DURATION_MS`. */
  lockDurationMs?: number;
  /** How often this worker looks for jobs whose worker died; default `lockDurationMs`. */
  stalledIntervalMs?: number;
  /** Default `DEFAULT_MAX_STALLED_COUNT`. */
  maxStalledCount?: number;
  /** Default `DEFAULT_PROGRESS_INTERVAL_MS`. */
  progressIntervalMs?: number;
  /** Shown on jobs and in events; default `<host>-<pid>`. */
  name?: string;
  /** How long to wait for Redis at start (`RW_QUEUE_UNREACHABLE` after); default `DEFAULT_CONNECT_TIMEOUT_MS`. */
  connectTimeoutMs?: number;
  /** Aborting drains the worker: no new jobs, running ones finish, then it closes. */
  signal?: AbortSignal | null;
  onEvent?: OnWorkerEvent | null;
  logLevel?: LogLevel;
  onLog?: OnLog | null;
};

type InternalRunWorkerOptions = Required<Omit<RunWorkerOptions, 'signal' | 'onEvent' | 'onLog'>> & {
  signal: AbortSignal | null;
  onEvent: OnWorkerEvent | null;
  onLog: OnLog | null;
};

function checkPositiveInteger(value: number | undefined, name: string): void {
  if (value !== undefined && (!Number.isInteger(value) || value <= 0)) {
    throw new QueueError(`options.${name} must be a positive whole number, got ${JSON.stringify(value)}.`, { code: 'RW_QUEUE_BAD_OPTION' });
  }
}

/** The job's data, if it is a render job this worker understands; else an `UnrecoverableError` (never retried). */
function checkJobData(job: Job<QueueRenderJob>): QueueRenderJob {
  const data = job.data as Partial<QueueRenderJob> | null;
  if (data?.type !== 'render-job' || data.version !== QUEUE_JOB_VERSION || typeof data.task !== 'object' || data.task === null) {
    throw new UnrecoverableError(
      `Job ${job.id} is not a reelwright render job of version ${QUEUE_JOB_VERSION} (got type ${JSON.stringify(data?.type)}, version ${JSON.stringify(data?.version)}); ` +
        'coordinator and workers must run the same reelwright version.',
    );
  }
  return data as QueueRenderJob;
}

/**
 * A running queue worker (see `runWorker`). `closed` resolves once it has stopped; `close()` drains it.
 */
export class QueueWorker {
  readonly name: string;
  readonly concurrency: number;
  /** Resolves when the worker has stopped (drained or forced). */
  readonly closed: Promise<void>;
  readonly #o: InternalRunWorkerOptions;
  readonly #worker: Worker<QueueRenderJob, QueueRenderResult>;
  readonly #redis: Redis;
  readonly #runner: LocalRenderRunner;
  readonly #force = new AbortController();
  readonly #active = new Set<Promise<unknown>>();
  readonly #logOptions: { logLevel: LogLevel; tag: string; onLog: OnLog | null };
  #closing: Promise<void> | null = null;
  #resolveClosed!: () => void;
  #lastError = { message: '', at: 0 };
  #ready = false;

  /** @internal Use `runWorker`. */
  constructor(o: InternalRunWorkerOptions, runner: LocalRenderRunner) {
    this.#o = o;
    this.name = o.name;
    this.concurrency = o.concurrency;
    this.#runner = runner;
    this.#logOptions = { logLevel: o.logLevel, tag: `worker ${o.name}`, onLog: o.onLog };
    this.closed = new Promise((resolve) => {
      this.#resolveClosed = resolve;
    });
    const connection = parseRedisUrl(o.redisUrl);
    this.#redis = new Redis(connection as RedisOptions);
    this.#redis.on('error', (error: Error) => this.#connectionError(error));
    this.#worker = new Worker<QueueRenderJob, QueueRenderResult>(o.queueName, (job, token, signal) => this.#process(job, token ?? null, signal ?? null), {
      connection,
      concurrency: o.concurrency,
      lockDuration: o.lockDurationMs,
      stalledInterval: o.stalledIntervalMs,
      maxStalledCount: o.maxStalledCount,
      name: o.name,
      autorun: false,
    });
    this.#worker.on('error', (error) => this.#connectionError(error));
    // Another worker may already be redoing a job whose lock we lost: stop ours rather than render it twice.
    this.#worker.on('lockRenewalFailed', (jobIds: string[]) => {
      for (const jobId of jobIds) {
        log.warn(this.#logOptions, `lost the lock of ${jobId} (was this process frozen, or Redis restarted?); stopping it here, another worker takes it over`);
        this.#worker.cancelJob(jobId, 'lock lost');
      }
    });
    this.#worker.on('stalled', (jobId: string) => log.info(this.#logOptions, `${jobId}: its worker stopped answering; it goes back to the queue`));
  }

  /** @internal Starts taking jobs; resolves once connected. */
  async _start(): Promise<void> {
    this.#worker.run().catch((error: unknown) => log.error(this.#logOptions, 'the worker stopped:', toErrorRecord(error).message));
    await reachRedis({
      ready: Promise.all([this.#worker.waitUntilReady(), this.#redis.ping()]),
      redisUrl: this.#o.redisUrl,
      timeoutMs: this.#o.connectTimeoutMs,
      signal: this.#o.signal,
    });
    this.#ready = true;
    this.#emit({ type: 'ready', worker: this.name, concurrency: this.concurrency });
    this.#o.signal?.addEventListener('abort', () => void this.close(), { once: true });
    if (this.#o.signal?.aborted) void this.close();
  }

  #emit(event: WorkerEvent): void {
    try {
      this.#o.onEvent?.(event);
    } catch (error) {
      log.warn(this.#logOptions, 'onEvent threw:', error);
    }
  }

  /** Connection errors repeat every reconnect attempt while Redis is down: log each distinct one once per 10 s. */
  #connectionError(error: Error): void {
    const now = Date.now();
    if (error.message === this.#lastError.message && now - this.#lastError.at < 10_000) return;
    this.#lastError = { message: error.message, at: now };
    log.warn(this.#logOptions, `queue connection (${redact(this.#o.redisUrl)}): ${error.message}`);
  }

  #process(job: Job<QueueRenderJob, QueueRenderResult>, token: string | null, jobSignal: AbortSignal | null): Promise<QueueRenderResult> {
    const processing = this.#processJob(job, token, jobSignal);
    this.#active.add(processing);
    const forget = () => this.#active.delete(processing);
    processing.then(forget, forget);
    return processing;
  }

  async #processJob(job: Job<QueueRenderJob, QueueRenderResult>, token: string | null, jobSignal: AbortSignal | null): Promise<QueueRenderResult> {
    const data = checkJobData(job);
    const jobId = String(job.id);
    const rowJobId = data.task.jobId;
    const started = Date.now();
    this.#emit({ type: 'started', worker: this.name, jobId, rowJobId, attempt: job.attemptsStarted });
    log.verbose(this.#logOptions, `${jobId}: attempt ${job.attemptsStarted}`);
    const signal = AbortSignal.any([this.#force.signal, ...(jobSignal ? [jobSignal] : [])]);
    try {
      const manifest = await readBundleManifest({ redis: this.#redis, hash: data.task.bundleHash });
      const localized = await localizeTask({ job: data, storage: this.#o.storage, manifest, cacheDir: path.join(this.#o.stateDir, 'cache'), signal });
      const localizeMs = Date.now() - started;
      let lastProgress = 0;
      const result = await this.#runner.run(localized.task, {
        signal,
        onProgress: (progress: RenderTaskProgress) => {
          const now = Date.now();
          if (progress.type === 'frame' && now - lastProgress < this.#o.progressIntervalMs && progress.done < progress.total) return;
          lastProgress = now;
          job.updateProgress(progress).catch((error: unknown) => log.verbose(this.#logOptions, `${jobId}: progress not sent:`, toErrorRecord(error).message));
        },
      });
      await localized.output.commit(signal);
      const { sha256, bytes } = await sha256File(localized.task.outFile, signal);
      this.#emit({ type: 'completed', worker: this.name, jobId, rowJobId, wallMs: Date.now() - started });
      return {
        type: 'render-result',
        result: { ...result, outFile: data.task.outputKey },
        output: { key: data.task.outputKey, bytes, sha256 },
        worker: this.name,
        localizeMs,
      };
    } catch (error) {
      if (jobSignal?.aborted && !this.#force.signal.aborted) {
        // We lost the job's lock (see 'lockRenewalFailed'): another worker owns it now; record nothing on it.
        log.warn(this.#logOptions, `${jobId}: stopped here after losing its lock`);
        throw error instanceof Error ? error : new Error(String(error));
      }
      if (this.#force.signal.aborted && token !== null) {
        // Stopping this worker is not the job's fault: hand it back without using up an attempt.
        await job.moveToWait(token).catch((moveError: unknown) => log.warn(this.#logOptions, `${jobId}: could not hand it back:`, toErrorRecord(moveError).message));
        throw new WaitingError();
      }
      const record = toErrorRecord(error);
      const final = NON_RETRYABLE_CODES.has(record.code) || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      // BullMQ keeps only the message: store the code for the coordinator.
      await job.updateData({ ...data, lastError: record }).catch((updateError: unknown) =>
        log.warn(this.#logOptions, `${jobId}: could not record the error:`, toErrorRecord(updateError).message),
      );
      this.#emit({ type: 'failed', worker: this.name, jobId, rowJobId, error: record, final });
      log.warn(this.#logOptions, `${rowJobId} (${jobId}) failed${final ? '' : ', will retry'}: [${record.code}] ${record.message}`);
      if (NON_RETRYABLE_CODES.has(record.code)) throw new UnrecoverableError(record.message);
      throw error instanceof Error ? error : new Error(record.message);
    }
  }

  /**
   * Stops the worker. Without `force` it drains: takes no new job and lets running renders finish. With `force`, running
   * renders are stopped and their jobs handed back to the queue (another worker takes them at once).
   */
  close(options: { force?: boolean } = {}): Promise<void> {
    // Forcing stops running renders; each hands its job back (moveToWait), which also ends a drain already under way.
    if (options.force && !this.#force.signal.aborted) this.#force.abort(new CancelledError('The worker was stopped.'));
    this.#closing ??= (async () => {
      // A worker that never got ready (Redis unreachable) reports nothing: it never took a job.
      if (this.#ready) this.#emit({ type: 'draining', worker: this.name });
      try {
        if (this.#force.signal.aborted) {
          const grace = new Promise((resolve) => setTimeout(resolve, DEFAULT_FORCE_CLOSE_GRACE_MS).unref());
          await Promise.race([Promise.allSettled([...this.#active]), grace]);
          await this.#worker.close(true);
        } else {
          // Takes no new job and waits for the running ones.
          await this.#worker.close();
        }
      } finally {
        await this.#runner.close({ force: this.#force.signal.aborted });
        this.#redis.disconnect();
        if (this.#ready) this.#emit({ type: 'closed', worker: this.name });
        this.#resolveClosed();
      }
    })();
    return this.#closing;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close({ force: true });
  }
}

/**
 * Runs a render worker: takes render jobs from the BullMQ queue on `redisUrl`, maps each task's storage keys to local
 * paths (checking the template bundle against its manifest in Redis), renders it on a local pool, and leaves the MP4 in
 * shared storage for the coordinator. Locks are renewed while a job runs; if this process dies, another worker takes its
 * job over once the lock expires (`lockDurationMs`). Failed attempts are retried with backoff up to the job's
 * `attempts`; errors that no retry can fix fail at once (`NON_RETRYABLE_CODES`).
 *
 * Clip generation never happens here: the coordinator owns the journal and pays for clips (see the module doc).
 *
 * @example
 * const worker = await runWorker({
 *   redisUrl: 'redis://10.0.0.5:6379/0', storage: await createSharedDirStorage({ root: '/mnt/reelwright' }),
 *   stateDir: '.reelwright-worker', concurrency: 2, createRunner: ({ concurrency }) => createRenderPool({ concurrency }),
 *   signal,
 * });
 * await worker.closed;
 * @see createQueueRunner
 */
export async function runWorker(options: RunWorkerOptions): Promise<QueueWorker> {
  parseRedisUrl(options.redisUrl);
  checkPositiveInteger(options.concurrency, 'concurrency');
  checkPositiveInteger(options.lockDurationMs, 'lockDurationMs');
  checkPositiveInteger(options.stalledIntervalMs, 'stalledIntervalMs');
  checkPositiveInteger(options.maxStalledCount, 'maxStalledCount');
  checkPositiveInteger(options.progressIntervalMs, 'progressIntervalMs');
  checkPositiveInteger(options.connectTimeoutMs, 'connectTimeoutMs');
  if (typeof options.stateDir !== 'string' || options.stateDir === '') {
    throw new QueueError('options.stateDir must be a folder of this worker (never shared with another worker).', { code: 'RW_QUEUE_BAD_OPTION' });
  }
  const lockDurationMs = options.lockDurationMs ?? DEFAULT_LOCK_DURATION_MS;
  const o: InternalRunWorkerOptions = {
    redisUrl: options.redisUrl,
    storage: options.storage,
    stateDir: path.resolve(options.stateDir),
    concurrency: options.concurrency ?? 1,
    createRunner: options.createRunner,
    queueName: options.queueName ?? DEFAULT_QUEUE_NAME,
    lockDurationMs,
    stalledIntervalMs: options.stalledIntervalMs ?? lockDurationMs,
    maxStalledCount: options.maxStalledCount ?? DEFAULT_MAX_STALLED_COUNT,
    progressIntervalMs: options.progressIntervalMs ?? DEFAULT_PROGRESS_INTERVAL_MS,
    name: options.name ?? `${hostname()}-${process.pid}`,
    connectTimeoutMs: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    signal: options.signal ?? null,
    onEvent: options.onEvent ?? null,
    logLevel: options.logLevel ?? 'info',
    onLog: options.onLog ?? null,
  };
  await mkdir(path.join(o.stateDir, 'cache'), { recursive: true });
  const runner = await o.createRunner({ concurrency: o.concurrency, stateDir: o.stateDir, logLevel: o.logLevel, onLog: o.onLog });
  const worker = new QueueWorker(o, runner);
  try {
    await worker._start();
  } catch (error) {
    await worker.close({ force: true });
    throw error;
  }
  return worker;
}
