import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CancelledError, ConfigError, RenderError } from '../errors/index.js';
import { hashFrames, probeMedia } from '../media/index.js';
import { bundleTemplate } from '../render/index.js';
import { createRenderPool, resolveConcurrency } from './index.js';
import type { RenderPool, RenderTask, RenderTaskProgress } from './index.js';

const FIXTURES = fileURLToPath(new URL('../../test/fixtures/templates/', import.meta.url));

/** True while `pid` runs (a killed child that nobody reaped yet is a zombie: it does not run). */
function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** Resolves with the first progress event that matches. */
function waitFor(events: RenderTaskProgress[], predicate: (event: RenderTaskProgress) => boolean): { promise: Promise<RenderTaskProgress>; push: (event: RenderTaskProgress) => void } {
  let resolve!: (event: RenderTaskProgress) => void;
  const promise = new Promise<RenderTaskProgress>((r) => {
    resolve = r;
  });
  let done = false;
  return {
    promise,
    push: (event) => {
      events.push(event);
      if (!done && predicate(event)) {
        done = true;
        resolve(event);
      }
    },
  };
}

describe('createRenderPool', () => {
  let work: string;
  let cacheDir: string;
  const bundles = new Map<string, { dir: string; hash: string; entry: string }>();

  const taskFor = (template: string, name: string, extra: Partial<RenderTask> = {}): RenderTask => {
    const bundle = bundles.get(template)!;
    return {
      type: 'render',
      jobId: `${template}-${name}`,
      templateEntry: bundle.entry,
      cacheDir,
      bundleDir: bundle.dir,
      bundleHash: bundle.hash,
      variant: 'default',
      props: { name },
      mediaProps: [],
      clipFrames: {},
      outFile: path.join(work, 'out', `${template}-${name}.mp4`),
      randomSeed: name,
      jpegQuality: 90,
      frameReuse: true,
      frameTimeoutMs: 20_000,
      ...extra,
    };
  };

  beforeAll(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'rw-pool-'));
    cacheDir = path.join(work, 'cache');
    for (const template of ['pool-still-stretches', 'pool-hang-at-frame']) {
      const entry = path.join(FIXTURES, template, 'index.tsx');
      const bundle = await bundleTemplate({ entry, cacheDir });
      bundles.set(template, { dir: bundle.dir, hash: bundle.hash, entry });
    }
  });

  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('reads concurrency as a worker count or a share of the cores', () => {
    expect(resolveConcurrency(undefined, 8)).toBe(8);
    expect(resolveConcurrency('50%', 2)).toBe(1);
    expect(resolveConcurrency('25%', 2)).toBe(1);
    expect(resolveConcurrency(3, 2)).toBe(3);
    expect(() => resolveConcurrency(0, 2)).toThrow(ConfigError);
    expect(() => resolveConcurrency('half' as `${number}%`, 2)).toThrow(/options\.concurrency must be .*"50%"/);
  });

  describe('with one worker', () => {
    let pool: RenderPool;
    beforeAll(() => {
      pool = createRenderPool({ concurrency: 1, maxAttempts: 2 });
    });
    afterAll(async () => {
      await pool?.close();
    });

    it('keeps its browser warm: a second task launches nothing', async () => {
      const first = await pool.run(taskFor('pool-still-stretches', 'warm-a', { props: { name: 'warm-a', frames: 4 } }));
      const afterFirst = pool.stats();
      const second = await pool.run(taskFor('pool-still-stretches', 'warm-b', { props: { name: 'warm-b', frames: 4 } }));
      const afterSecond = pool.stats();

      expect(first).toMatchObject({ frames: 4, attempts: 1 });
      expect(second).toMatchObject({ frames: 4, attempts: 1 });
      expect(afterFirst.browserLaunches).toBe(1);
      expect(afterSecond.browserLaunches).toBe(1);
      expect(afterSecond.workers).toHaveLength(1);
      expect(afterSecond.workers[0]).toMatchObject({ browserPid: afterFirst.workers[0]!.browserPid, renders: 2, rendersOnBrowser: 2, jobId: null });
      expect(second.cpuMs).toBeGreaterThan(0);
    });

    it('cancels a running task: it rejects with CancelledError, leaves no file, and the worker keeps its browser', async () => {
      const task = taskFor('pool-hang-at-frame', 'cancel-running');
      const controller = new AbortController();
      const events: RenderTaskProgress[] = [];
      const firstFrame = waitFor(events, (event) => event.type === 'frame');
      const launchesBefore = pool.stats().browserLaunches;
      const running = pool.run(task, { signal: controller.signal, onProgress: firstFrame.push });
      const queued = pool.run(taskFor('pool-still-stretches', 'cancel-queued'), { signal: controller.signal });
      await firstFrame.promise;
      const reason = new Error('user pressed Ctrl-C');
      controller.abort(reason);

      const [runningOutcome, queuedOutcome] = await Promise.allSettled([running, queued]);
      for (const outcome of [runningOutcome, queuedOutcome]) {
        expect(outcome.status).toBe('rejected');
        const error = (outcome as PromiseRejectedResult).reason as CancelledError;
        expect(error).toBeInstanceOf(CancelledError);
        expect(error.code).toBe('RW_CANCELLED');
        expect(error.cause).toBe(reason);
      }
      expect(existsSync(task.outFile)).toBe(false);
      const leftovers = (await readdir(path.dirname(task.outFile))).filter((name) => name.includes('cancel-'));
      expect(leftovers).toEqual([]);
      // Cancelled cooperatively: the same warm browser renders the next task.
      const next = await pool.run(taskFor('pool-still-stretches', 'after-cancel', { props: { name: 'after-cancel', frames: 3 } }));
      expect(next.frames).toBe(3);
      expect(pool.stats()).toMatchObject({ browserLaunches: launchesBefore, cancelled: 2 });
    });
  });

  describe('with two workers', () => {
    let pool: RenderPool;
    beforeAll(() => {
      pool = createRenderPool({ concurrency: 2, maxAttempts: 2 });
    });
    afterAll(async () => {
      await pool?.close();
    });

    it('never changes the output with frame reuse: decoded frames are identical with and without it', async () => {
      const [reused, every] = await Promise.all([
        pool.run(taskFor('pool-still-stretches', 'reuse-on', { props: { name: 'Ada' }, randomSeed: 'ada' })),
        pool.run(taskFor('pool-still-stretches', 'reuse-off', { props: { name: 'Ada' }, randomSeed: 'ada', frameReuse: false })),
      ]);
      expect(reused).toMatchObject({ frames: 24, reusedFrames: expect.any(Number) });
      expect(reused.reusedFrames).toBeGreaterThanOrEqual(10);
      expect(every).toMatchObject({ frames: 24, capturedFrames: 24, reusedFrames: 0 });
      const [a, b] = await Promise.all([hashFrames({ file: reused.outFile }), hashFrames({ file: every.outFile })]);
      expect(a).toHaveLength(24);
      expect(a).toEqual(b);
    });

    it('retries a task whose Chromium is killed mid-render on a fresh browser, and the batch completes', async () => {
      // Paced at 100 ms a frame, the victim's 30 frames last ≥ 3 s, so the kill lands mid-render however late this
      // process sees the first frame (unpaced, a loaded CI machine finished capturing before the kill: attempts 1).
      const victim = taskFor('pool-still-stretches', 'crash-victim', { props: { name: 'crash-victim', frames: 30, frame_ms: 100 } });
      const events: RenderTaskProgress[] = [];
      const firstFrame = waitFor(events, (event) => event.type === 'frame');
      const before = pool.stats();
      const batch = [
        pool.run(victim, { onProgress: firstFrame.push }),
        ...['b1', 'b2', 'b3'].map((name) => pool.run(taskFor('pool-still-stretches', name, { props: { name, frames: 8 } }))),
      ];
      await firstFrame.promise;
      const worker = pool.stats().workers.find((w) => w.jobId === victim.jobId);
      expect(worker?.browserPid).toEqual(expect.any(Number));
      process.kill(worker!.browserPid!, 'SIGKILL');

      const results = await Promise.all(batch);
      expect(results[0]).toMatchObject({ jobId: victim.jobId, frames: 30, attempts: 2 });
      expect(results.slice(1).map((r) => r.attempts)).toEqual([1, 1, 1]);
      expect(events).toContainEqual({ type: 'retry', jobId: victim.jobId, attempt: 2, reason: expect.stringMatching(/Chromium crashed/) });
      const info = await probeMedia({ file: victim.outFile });
      expect(info.video).toMatchObject({ width: 320, height: 180, frameCount: 30 });
      const after = pool.stats();
      expect(after.retries - before.retries).toBe(1);
      expect(after.browserLaunches - before.browserLaunches).toBeGreaterThanOrEqual(1);
    });

    it('fails a template that hangs a frame with "frame 3 … did not finish within X s" while the other tasks render', async () => {
      const hung = taskFor('pool-hang-at-frame', 'hung', { frameTimeoutMs: 1_500 });
      const [hungOutcome, ...others] = await Promise.allSettled([
        pool.run(hung),
        pool.run(taskFor('pool-still-stretches', 'beside-1', { props: { name: 'beside-1', frames: 6 } })),
        pool.run(taskFor('pool-still-stretches', 'beside-2', { props: { name: 'beside-2', frames: 6 } })),
      ]);
      expect(hungOutcome.status).toBe('rejected');
      const error = (hungOutcome as PromiseRejectedResult).reason as RenderError;
      expect(error).toBeInstanceOf(RenderError);
      expect(error.code).toBe('RW_FRAME_TIMEOUT');
      expect(error.message).toMatch(/frame 3 of 10 .*did not finish within 1\.5 s/);
      expect(error.message).toMatch(/a logo that never loads/);
      expect(error.message).toMatch(/attempt 2 of 2/);
      expect(existsSync(hung.outFile)).toBe(false);
      expect(others.map((outcome) => outcome.status)).toEqual(['fulfilled', 'fulfilled']);
    });

    it('retries a task whose worker thread dies mid-render, and cleans up what the dead worker left', async () => {
      const victim = taskFor('pool-still-stretches', 'worker-victim', { props: { name: 'worker-victim', frames: 30, frame_ms: 100 } });
      const events: RenderTaskProgress[] = [];
      const firstFrame = waitFor(events, (event) => event.type === 'frame');
      const running = pool.run(victim, { onProgress: firstFrame.push });
      await firstFrame.promise;
      const worker = pool.stats().workers.find((w) => w.jobId === victim.jobId)!;
      const thread = pool._threads.find((t) => t.threadId === worker.threadId)!;
      await thread.terminate();

      const result = await running;
      expect(result).toMatchObject({ jobId: victim.jobId, frames: 30, attempts: 2 });
      expect(events).toContainEqual({ type: 'retry', jobId: victim.jobId, attempt: 2, reason: expect.stringMatching(/render worker died/) });
      // The dead worker's Chromium was killed and its encoder's temporary file removed.
      expect(isRunning(worker.browserPid!)).toBe(false);
      expect((await readdir(path.dirname(victim.outFile))).filter((name) => name.startsWith('.') && name.includes('worker-victim'))).toEqual([]);
      expect(pool.stats().workersLost).toBeGreaterThanOrEqual(1);
    });

    it('terminates a worker that does not stop within the grace period and cleans up after it', async () => {
      await using strict = createRenderPool({ concurrency: 1, cancelGraceMs: 1, onLog: () => undefined });
      const task = taskFor('pool-hang-at-frame', 'forced', { frameTimeoutMs: 60_000 });
      const controller = new AbortController();
      const events: RenderTaskProgress[] = [];
      const firstFrame = waitFor(events, (event) => event.type === 'frame');
      const running = strict.run(task, { signal: controller.signal, onProgress: firstFrame.push });
      await firstFrame.promise;
      controller.abort(new Error('stop now'));
      await expect(running).rejects.toBeInstanceOf(CancelledError);
      expect(existsSync(task.outFile)).toBe(false);
      expect((await readdir(path.dirname(task.outFile))).filter((name) => name.includes('forced'))).toEqual([]);
      // Whether the worker stopped on its own or was terminated, the pool goes on.
      const next = await strict.run(taskFor('pool-still-stretches', 'after-forced', { props: { name: 'after-forced', frames: 2 } }));
      expect(next.frames).toBe(2);
    });
  });

  it('closes with force: a running task is cancelled, the browsers are gone, and later tasks are refused', async () => {
    const pool = createRenderPool({ concurrency: 1 });
    const task = taskFor('pool-hang-at-frame', 'close-force', { frameTimeoutMs: 60_000 });
    const events: RenderTaskProgress[] = [];
    const firstFrame = waitFor(events, (event) => event.type === 'frame');
    const running = pool.run(task, { onProgress: firstFrame.push });
    running.catch(() => undefined);
    await firstFrame.promise;
    const browserPid = pool.stats().workers[0]!.browserPid!;
    await pool.close({ force: true });
    await expect(running).rejects.toMatchObject({ name: 'CancelledError', cause: expect.objectContaining({ message: expect.stringMatching(/closed with force/) }) });
    expect(existsSync(task.outFile)).toBe(false);
    expect(isRunning(browserPid)).toBe(false);
    await expect(pool.run(taskFor('pool-still-stretches', 'late'))).rejects.toMatchObject({ code: 'RW_POOL_CLOSED' });
  });

  it('refuses tasks once closed', async () => {
    const pool = createRenderPool({ concurrency: 1 });
    await pool.close();
    await expect(pool.run(taskFor('pool-still-stretches', 'late'))).rejects.toMatchObject({ code: 'RW_POOL_CLOSED' });
  });
});
