/**
 * Issue 9 end to end: distributed rendering over BullMQ on a real `redis-server`, with real worker processes
 * (`reelwright worker` from bin/, each with its own state folder and warm Chromium) sharing one folder with the
 * coordinator (`runBatch` with `createQueueRunner`, as `render --queue` wires it). Renders are real (Chromium + ffmpeg) on the 160×90 queue-card fixture.
 *
 * Faults: a worker SIGKILLed mid-job, the coordinator SIGKILLed and started again, Redis SIGKILLed and restarted
 * (appendonly, fsync always), a poisoned row that hangs the renderer on every attempt.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { Queue } from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { probeMedia } from '../../src/media/index.js';
import { createQueueRunner, createSharedDirStorage, DEFAULT_QUEUE_NAME, parseRedisUrl, type QueueRunner, type WorkerEvent } from '../../src/queue/index.js';
import type { RenderTaskProgress } from '../../src/pool/index.js';
import type { RenderRunner, RunSummary } from '../../src/run/index.js';
import { runBatch } from '../../src/run/index.js';
import { BIN, REPO_ROOT } from '../helpers/cli.js';
import { readJournal, renderedJobs } from '../helpers/project.js';
import { startRedisServer, type RedisServer } from '../helpers/redis-server.js';

const TEMPLATE = path.join(REPO_ROOT, 'test', 'fixtures', 'templates', 'queue-card', 'index.tsx');
const LOGO = path.join(REPO_ROOT, 'test', 'fixtures', 'projects', 'small', 'datasets', 'assets', 'logo.svg');
const url = (file: string) => JSON.stringify(pathToFileURL(path.join(REPO_ROOT, file)).href);

/** A coordinator process: `runBatch` with a queue runner; prints its run id, stats and summary as NDJSON. */
const COORDINATOR_ENTRY = `
import { runBatch } from ${url('src/run/index.ts')};
import { createQueueRunner, createSharedDirStorage } from ${url('src/queue/index.ts')};
const c = JSON.parse(process.argv[2]);
const out = (event) => process.stdout.write(JSON.stringify(event) + '\\n');
const storage = await createSharedDirStorage({ root: c.shared });
let runner = null;
const summary = await runBatch({
  dataset: c.dataset, template: c.template, projectDir: c.project, logLevel: 'warn',
  onRunStarted: (runId) => out({ type: 'run', runId }),
  createRunner: async () => (runner = await createQueueRunner({ redisUrl: c.redisUrl, runId: c.runId, storage, concurrencyHint: 8, logLevel: 'warn' })),
});
out({ type: 'stats', ...(runner ? runner.stats : {}) });
out({ type: 'summary', ...summary });
`;

type Proc = {
  readonly name: string;
  readonly events: Record<string, unknown>[];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr(): string;
  /** The first event (seen already or later) that `match` accepts; rejects if the process exits first. */
  waitFor<T = Record<string, unknown>>(match: (event: Record<string, unknown>) => boolean): Promise<T>;
  /** Calls `listener` with every later event. */
  onEvent(listener: (event: Record<string, unknown>) => void): void;
  /** Signals the whole process group (Node, its Chromium and ffmpeg), as a crash or power cut would. */
  kill(signal?: NodeJS.Signals): void;
};

const processes: Proc[] = [];

/** Starts `node <args>` as the leader of its own process group, reading NDJSON from stdout. */
function startNode(name: string, args: readonly string[]): Proc {
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: REPO_ROOT,
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const events: Record<string, unknown>[] = [];
  let stderr = '';
  const waiters: { match: (event: Record<string, unknown>) => boolean; resolve: (event: Record<string, unknown>) => void; reject: (error: Error) => void }[] = [];
  const listeners: ((event: Record<string, unknown>) => void)[] = [];
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
    if (!line.startsWith('{')) return;
    const event = JSON.parse(line) as Record<string, unknown>;
    events.push(event);
    for (const listener of listeners) listener(event);
    for (const waiter of waiters.filter((w) => w.match(event))) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve(event);
    }
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      for (const waiter of waiters.splice(0)) waiter.reject(new Error(`${name} exited (${code ?? signal}) first.\nevents: ${JSON.stringify(events)}\nstderr:\n${stderr}`));
      resolve({ code, signal });
    });
  });
  const proc: Proc = {
    name,
    events,
    exited,
    stderr: () => stderr,
    waitFor<T>(match: (event: Record<string, unknown>) => boolean): Promise<T> {
      const seen = events.find(match);
      if (seen) return Promise.resolve(seen as T);
      if (child.exitCode !== null || child.signalCode !== null) return Promise.reject(new Error(`${name} already exited.\nstderr:\n${stderr}`));
      return new Promise<T>((resolve, reject) => waiters.push({ match, resolve: resolve as (event: Record<string, unknown>) => void, reject }));
    },
    onEvent(listener) {
      listeners.push(listener);
    },
    kill(signal: NodeJS.Signals = 'SIGTERM') {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, signal);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
      }
    },
  };
  processes.push(proc);
  return proc;
}

describe('render queue (BullMQ on Redis) with worker processes', () => {
  let redis: RedisServer;
  let scratch: string;
  let coordinatorEntry: string;
  let db = 0;

  beforeAll(async () => {
    redis = await startRedisServer({ appendonly: true });
    scratch = await mkdtemp(path.join(tmpdir(), 'rw-queue-e2e-'));
    coordinatorEntry = path.join(scratch, 'coordinator-entry.mts');
    await writeFile(coordinatorEntry, COORDINATOR_ENTRY);
  });

  afterEach(async () => {
    // A failed test must not leave workers (and their browsers) behind.
    for (const proc of processes.splice(0)) {
      proc.kill('SIGKILL');
      await proc.exited;
    }
  });

  afterAll(async () => {
    await redis?.stop();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  /** A fresh project (dataset + logo), shared folder and Redis database for one test. Rows: `id,name,logo,seconds[,frame_ms]`. */
  async function setUp(rows: readonly string[]) {
    db++;
    const root = path.join(scratch, `case-${db}`);
    const project = path.join(root, 'project');
    const shared = path.join(root, 'shared');
    await mkdir(path.join(project, 'datasets', 'assets'), { recursive: true });
    await mkdir(shared);
    await cp(LOGO, path.join(project, 'datasets', 'assets', 'logo.svg'));
    await writeFile(path.join(project, 'datasets', 'rows.csv'), ['id,name,logo,seconds,frame_ms', ...rows.map((row) => (row.split(',').length === 4 ? `${row},` : row)), ''].join('\n'));
    const redisUrl = redis.url(db);
    const startWorker = (name: string, options: { lockDurationMs?: number } = {}) =>
      // The real binary: `reelwright worker`.
      startNode(name, [
        BIN, 'worker', '--queue', redisUrl, '--shared', shared, '--state-dir', path.join(root, `state-${name}`),
        '--concurrency', '1', '--name', name, '--json', '--lock-duration', String(options.lockDurationMs ?? 10_000),
      ]);
    return { root, project, shared, redisUrl, outDir: path.join(project, 'outputs', 'queue-card'), startWorker };
  }

  /** Both workers warm and waiting. */
  async function ready(...workers: Proc[]): Promise<void> {
    await Promise.all(workers.map((w) => w.waitFor((e) => e['type'] === 'ready')));
  }

  async function render(options: { project: string; redisUrl: string; shared: string; runId: string; attempts?: number; frameTimeoutMs?: number }) {
    const storage = await createSharedDirStorage({ root: options.shared });
    let runner: QueueRunner | null = null;
    const progress: RenderTaskProgress[] = [];
    const summary = await runBatch({
      dataset: 'datasets/rows.csv',
      template: TEMPLATE,
      projectDir: options.project,
      // The poisoned row's failure is asserted from the journal, not read from stderr.
      logLevel: 'error',
      onLog: () => undefined,
      ...(options.frameTimeoutMs ? { frameTimeoutMs: options.frameTimeoutMs } : {}),
      createRunner: async (): Promise<RenderRunner> => {
        const queued = await createQueueRunner({ redisUrl: options.redisUrl, runId: options.runId, storage, attempts: options.attempts ?? 3, backoffMs: 200, logLevel: 'error' });
        runner = queued;
        // Record the progress the workers publish, as it reaches the coordinator.
        return {
          concurrency: queued.concurrency,
          close: (closeOptions) => queued.close(closeOptions),
          run: (task, runOptions) => queued.run(task, { ...runOptions, onProgress: (p) => (progress.push(p), runOptions.onProgress?.(p)) }),
        };
      },
    });
    return { summary, stats: (runner as QueueRunner | null)?.stats ?? null, progress };
  }

  /** Job counts and "added" events of the render queue in one Redis database. */
  async function inspectQueue(redisUrl: string) {
    const connection = parseRedisUrl(redisUrl);
    const queue = new Queue(DEFAULT_QUEUE_NAME, { connection });
    const client = new Redis(connection as RedisOptions);
    try {
      const counts = await queue.getJobCounts('completed', 'failed', 'waiting', 'active', 'delayed', 'prioritized');
      const stream = await client.xrange(`bull:${DEFAULT_QUEUE_NAME}:events`, '-', '+');
      const added = stream.filter(([, fields]) => fields[0] === 'event' && fields[1] === 'added').length;
      return { counts, added };
    } finally {
      await queue.close();
      client.disconnect();
    }
  }

  /** Resolves once the workers together have printed `count` events that `match` accepts. */
  function waitForCount(workers: Proc[], count: number, match: (event: Record<string, unknown>) => boolean): Promise<void> {
    return new Promise((resolve) => {
      let seen = workers.reduce((sum, w) => sum + w.events.filter(match).length, 0);
      if (seen >= count) return resolve();
      for (const worker of workers) {
        worker.onEvent((event) => {
          if (match(event) && ++seen === count) resolve();
        });
      }
    });
  }

  const workerEvents = (...workers: Proc[]) => workers.flatMap((w) => w.events as WorkerEvent[]);
  const countBy = (events: WorkerEvent[], type: WorkerEvent['type']) => {
    const counts: Record<string, number> = {};
    for (const event of events) if (event.type === type && 'rowJobId' in event) counts[event.rowJobId] = (counts[event.rowJobId] ?? 0) + 1;
    return counts;
  };
  const videosIn = async (dir: string) => (await readdir(dir)).filter((name) => name !== 'reports').sort();

  it('renders every row of a batch exactly once across two worker processes', async () => {
    const t = await setUp(['a,Ada,assets/logo.svg,', 'b,Bob,,', 'c,Cyd,assets/logo.svg,', 'd,Dee,,', 'e,Eve,,', 'f,Fay,assets/logo.svg,']);
    const one = t.startWorker('w1');
    const two = t.startWorker('w2');
    await ready(one, two);

    const { summary, stats, progress } = await render({ ...t, runId: 'two-workers' });

    expect(summary.counts).toMatchObject({ jobs: 6, rendered: 6, failed: 0 });
    expect(stats).toMatchObject({ added: 6, attached: 0, collected: 0 });
    // Frame progress travelled worker → Redis → coordinator for every row.
    expect(new Set(progress.filter((p) => p.type === 'frame' && p.total === 10).map((p) => p.jobId))).toEqual(
      new Set(['a', 'b', 'c', 'd', 'e', 'f'].map((key) => `${key}#default`)),
    );
    expect(await videosIn(t.outDir)).toEqual(['a.mp4', 'b.mp4', 'c.mp4', 'd.mp4', 'e.mp4', 'f.mp4']);
    const info = await probeMedia({ file: path.join(t.outDir, 'a.mp4') });
    expect(info.video).toMatchObject({ codec: 'h264', width: 160, height: 90, fps: 10, frameCount: 10 });
    const events = workerEvents(one, two);
    const once = Object.fromEntries(['a', 'b', 'c', 'd', 'e', 'f'].map((key) => [`${key}#default`, 1]));
    expect(countBy(events, 'started')).toEqual(once);
    expect(countBy(events, 'completed')).toEqual(once);
    // Both machines took part.
    expect(one.events.some((e) => e['type'] === 'completed')).toBe(true);
    expect(two.events.some((e) => e['type'] === 'completed')).toBe(true);
    expect(await inspectQueue(t.redisUrl)).toEqual({ counts: { completed: 6, failed: 0, waiting: 0, active: 0, delayed: 0, prioritized: 0 }, added: 6 });
    // The coordinator collected every output: nothing is left in the shared outputs folder.
    expect(await readdir(path.join(t.shared, 'outputs', 'two-workers'))).toEqual([]);

    one.kill('SIGTERM');
    two.kill('SIGTERM');
    // Ctrl-C / SIGTERM drains and exits cleanly.
    expect(await one.exited).toEqual({ code: 0, signal: null });
    expect(await two.exited).toEqual({ code: 0, signal: null });
    expect(one.events.at(-1)).toMatchObject({ type: 'closed' });
  });

  it('retries the job of a worker SIGKILLed mid-job on the other worker once its lock expires; the row renders exactly once', async () => {
    // The slow row (60 frames paced at 50 ms: ≥ 3 s) makes sure the kill lands inside its frame loop.
    const t = await setUp(['slow,Slow,assets/logo.svg,6,50', 'b,Bob,,', 'c,Cyd,,', 'd,Dee,assets/logo.svg,']);
    const one = t.startWorker('w1', { lockDurationMs: 2_000 });
    const two = t.startWorker('w2', { lockDurationMs: 2_000 });
    await ready(one, two);

    const batch = render({ ...t, runId: 'killed-worker' });
    const first = await Promise.race([one, two].map((w) => w.waitFor((e) => e['type'] === 'started' && e['rowJobId'] === 'slow#default').then(() => w)));
    const survivor = first === one ? two : one;
    first.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');
    const { summary } = await batch;

    expect(summary.counts).toMatchObject({ jobs: 4, rendered: 4, failed: 0 });
    // Exactly one file per row, and no temporary file of the killed attempt, in the output folder.
    expect(await videosIn(t.outDir)).toEqual(['b.mp4', 'c.mp4', 'd.mp4', 'slow.mp4']);
    expect((await probeMedia({ file: path.join(t.outDir, 'slow.mp4') })).video).toMatchObject({ frameCount: 60 });
    expect(first.events.filter((e) => e['type'] === 'completed' && e['rowJobId'] === 'slow#default')).toEqual([]);
    expect(survivor.events.filter((e) => e['rowJobId'] === 'slow#default').map((e) => [e['type'], e['attempt'] ?? null])).toEqual([
      ['started', 2],
      ['completed', null],
    ]);
    expect(countBy(workerEvents(one, two), 'completed')).toEqual({ 'slow#default': 1, 'b#default': 1, 'c#default': 1, 'd#default': 1 });
    expect(renderedJobs(t.project)).toEqual(['b#default', 'c#default', 'd#default', 'slow#default']);
    // The killed attempt's temporary MP4 went with the task's storage folder.
    expect(await readdir(path.join(t.shared, 'outputs', 'killed-worker'))).toEqual([]);
  });

  it('re-attaches a coordinator killed and started again: nothing is enqueued twice and no row is rendered twice', async () => {
    // 20 frames at ≥ 100 ms each: after two rows are done, the other four need ≥ 4 s more on two workers.
    const t = await setUp(['a,Ada,,2,100', 'b,Bob,,2,100', 'c,Cyd,,2,100', 'd,Dee,,2,100', 'e,Eve,,2,100', 'f,Fay,,2,100']);
    const one = t.startWorker('w1');
    const two = t.startWorker('w2');
    await ready(one, two);
    const config = JSON.stringify({
      shared: t.shared,
      dataset: 'datasets/rows.csv',
      template: TEMPLATE,
      project: t.project,
      redisUrl: t.redisUrl,
      runId: 'restarted',
    });

    const first = startNode('coordinator-1', ['--import', 'tsx', coordinatorEntry, config]);
    await first.waitFor((e) => e['type'] === 'run');
    // Kill it once two videos are done: the others are queued or rendering.
    const completed = (e: Record<string, unknown>) => e['type'] === 'completed';
    await waitForCount([one, two], 2, completed);
    first.kill('SIGKILL');
    await first.exited;
    const before = await inspectQueue(t.redisUrl);
    expect(before.added).toBe(6);
    expect(before.counts['completed']).toBeLessThan(6);
    // Let the workers finish two more while no coordinator runs: those must be collected, not rendered again.
    await waitForCount([one, two], 4, completed);

    const second = startNode('coordinator-2', ['--import', 'tsx', coordinatorEntry, config]);
    const summary = await second.waitFor<RunSummary & { type: 'summary' }>((e) => e['type'] === 'summary');
    const stats = await second.waitFor<Record<string, number>>((e) => e['type'] === 'stats');
    expect(summary.status).toBe('completed');
    expect(summary.counts.failed).toBe(0);
    // Every row the first coordinator had not journaled was found on the queue (done or under way), none added.
    expect(stats['added']).toBe(0);
    expect((stats['attached'] ?? 0) + (stats['collected'] ?? 0)).toBe(summary.counts.rendered);
    expect(stats['collected']).toBeGreaterThan(0);

    expect(await inspectQueue(t.redisUrl)).toEqual({ counts: { completed: 6, failed: 0, waiting: 0, active: 0, delayed: 0, prioritized: 0 }, added: 6 });
    const once = Object.fromEntries(['a', 'b', 'c', 'd', 'e', 'f'].map((key) => [`${key}#default`, 1]));
    expect(countBy(workerEvents(one, two), 'started')).toEqual(once);
    expect(renderedJobs(t.project)).toEqual(Object.keys(once));
    expect(await videosIn(t.outDir)).toEqual(['a.mp4', 'b.mp4', 'c.mp4', 'd.mp4', 'e.mp4', 'f.mp4']);
  });

  it('completes a batch across a Redis restart (appendonly persistence)', async () => {
    const t = await setUp(['a,Ada,,1', 'b,Bob,,1', 'c,Cyd,,1', 'd,Dee,,1', 'e,Eve,,1', 'f,Fay,,1', 'g,Gus,,1', 'h,Hal,,1']);
    const one = t.startWorker('w1');
    const two = t.startWorker('w2');
    await ready(one, two);

    const batch = render({ ...t, runId: 'redis-restart' });
    await Promise.race([one, two].map((w) => w.waitFor((e) => e['type'] === 'completed')));
    // A crash, not a clean shutdown: only what appendonly (fsync always) persisted survives.
    await redis.restart('SIGKILL');
    const { summary } = await batch;

    expect(summary.status).toBe('completed');
    expect(summary.counts).toMatchObject({ jobs: 8, rendered: 8, failed: 0 });
    expect(await videosIn(t.outDir)).toEqual(['a.mp4', 'b.mp4', 'c.mp4', 'd.mp4', 'e.mp4', 'f.mp4', 'g.mp4', 'h.mp4']);
    const after = await inspectQueue(t.redisUrl);
    expect(after.counts).toMatchObject({ completed: 8, failed: 0, waiting: 0, active: 0 });
  });

  it('fails a poisoned row after its bounded attempts while the other rows complete', async () => {
    const t = await setUp(['poison,poison,,', 'b,Bob,,', 'c,Cyd,assets/logo.svg,', 'd,Dee,,', 'e,Eve,,']);
    const one = t.startWorker('w1');
    const two = t.startWorker('w2');
    await ready(one, two);

    const { summary } = await render({ ...t, runId: 'poison', attempts: 2, frameTimeoutMs: 4_000 });

    expect(summary.counts).toMatchObject({ jobs: 5, rendered: 4, failed: 1 });
    expect(await videosIn(t.outDir)).toEqual(['b.mp4', 'c.mp4', 'd.mp4', 'e.mp4']);
    const events = workerEvents(one, two);
    expect(countBy(events, 'started')['poison#default']).toBe(2);
    // One failed attempt with a retry left, then the final one (in either worker: compare without order).
    const failures = events.flatMap((e) => (e.type === 'failed' ? [[e.rowJobId, e.error.code, e.final]] : []));
    expect(failures.sort((a, b) => Number(a[2]) - Number(b[2]))).toEqual([
      ['poison#default', 'RW_FRAME_TIMEOUT', false],
      ['poison#default', 'RW_FRAME_TIMEOUT', true],
    ]);
    const poisoned = readJournal(t.project, (journal) => journal.listRows(summary.runId).find((row) => row.rowKey === 'poison'));
    expect(poisoned).toMatchObject({ status: 'failed', error: { code: 'RW_FRAME_TIMEOUT', message: expect.stringMatching(/frame 2.*after 2 attempts/s) } });
    expect((await inspectQueue(t.redisUrl)).counts).toMatchObject({ completed: 4, failed: 1, waiting: 0, active: 0 });
  });
});
