/**
 * `node --import tsx bench/queue.ts` — distributed rendering benchmark (issue 9): the same batch rendered by
 *
 *   1. one local pool of 2 browsers (`runBatch` + `createRenderPool({ concurrency: 2 })`, warmed up), and
 *   2. a coordinator (`runBatch` + `createQueueRunner`) with 2 `reelwright worker` processes of 1 browser each, on a
 *      throwaway `redis-server` and a shared folder on this machine,
 *
 * and prints the render-phase throughput of both (videos per minute, from the first task to the last result), their
 * ratio, and the queue's overhead per job, taken apart from BullMQ's job timestamps:
 *
 *   overhead = coordinator run() time − time waiting for a free worker − the worker's render time
 *            = publish + enqueue  +  worker-side extra (bundle check, localize, checksum, completing the job)
 *              + completion → result collected (event, copy out, checksum)
 *
 * Both modes use the same number of browsers on the same 2 cores, so the ratio is the price of the queue on one
 * machine; across machines the queue adds browsers and this ratio is what each extra machine gives up.
 *
 * Flags: `--rows N` (default 40), `--preset small|card` (small: the 160×90 queue-card fixture, 3 s at 10 fps — quick;
 * card: templates/bench-card, 1280×720, 5 s at 30 fps — representative but ~4× slower), `--rounds N` (default 1;
 * rounds alternate which mode goes first, and the medians are reported: the machines are shared and noisy),
 * `--concurrency-hint N` (the queue runner's `concurrencyHint`, default 2 = the local pool's concurrency: `runBatch`
 * keeps 2 × concurrency rows in flight, and with more the coordinator's own per-row work — journal writes, building
 * the task — overlaps renders that the local run waits for; `--concurrency-hint 16`, the runner's default, measures
 * that too), `--json` (one JSON object on stdout; the table goes to stderr). Progress goes to stderr. Work files live in a
 * temporary folder (deleted).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Queue } from 'bullmq';
import { createSay } from './lib/create-say.js';
import { mean, median, round } from './lib/stats.js';
import { writeJsonLine } from './lib/write-json-line.js';
import { createRenderPool } from '../src/pool/index.js';
import type { RenderTask, RenderTaskResult } from '../src/pool/index.js';
import { createQueueRunner, createSharedDirStorage, DEFAULT_QUEUE_NAME, parseRedisUrl, type QueueRenderJob, type QueueRenderResult } from '../src/queue/index.js';
import { runBatch, type RenderRunner, type RunSummary } from '../src/run/index.js';
import { startRedisServer } from '../test/helpers/redis-server.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

const { values: flags } = parseArgs({
  options: {
    rows: { type: 'string', default: '40' },
    preset: { type: 'string', default: 'small' },
    rounds: { type: 'string', default: '1' },
    'concurrency-hint': { type: 'string', default: '2' },
    json: { type: 'boolean', default: false },
  },
});
const ROWS = Number(flags.rows);
if (!Number.isInteger(ROWS) || ROWS < 1) throw new Error(`--rows must be a whole number ≥ 1, got ${JSON.stringify(flags.rows)}.`);
const ROUNDS = Number(flags.rounds);
if (!Number.isInteger(ROUNDS) || ROUNDS < 1) throw new Error(`--rounds must be a whole number ≥ 1, got ${JSON.stringify(flags.rounds)}.`);
const HINT = Number(flags['concurrency-hint']);
if (!Number.isInteger(HINT) || HINT < 1) throw new Error(`--concurrency-hint must be a whole number ≥ 1, got ${JSON.stringify(flags['concurrency-hint'])}.`);
const PRESETS = {
  small: { template: path.join(ROOT, 'test', 'fixtures', 'templates', 'queue-card', 'index.tsx'), header: 'id,name,seconds', row: (i: number) => `r${i},Row ${i},3` },
  card: { template: path.join(ROOT, 'templates', 'bench-card', 'index.tsx'), header: 'name', row: (i: number) => `Row ${i}` },
} as const;
const preset = PRESETS[flags.preset as keyof typeof PRESETS];
if (!preset) throw new Error(`--preset must be ${Object.keys(PRESETS).join(' or ')}, got ${JSON.stringify(flags.preset)}.`);

const logOptions = { logLevel: 'info' as const, tag: 'bench:queue' };
/** Progress line on stderr with the time since the start. */
const say = createSay({ logOptions, width: 4 });

type Timed = { jobId: string; startedAt: number; endedAt: number; result: RenderTaskResult };

/** Wraps a runner to time each `run()` (coordinator side). */
function timed(runner: RenderRunner, into: Timed[]): RenderRunner {
  return {
    concurrency: runner.concurrency,
    close: (options) => runner.close(options),
    async run(task: RenderTask, options) {
      const startedAt = Date.now();
      const result = await runner.run(task, options);
      into.push({ jobId: task.jobId, startedAt, endedAt: Date.now(), result });
      return result;
    },
  };
}

async function makeProject(dir: string): Promise<void> {
  await mkdir(path.join(dir, 'datasets'), { recursive: true });
  const lines = [preset.header, ...Array.from({ length: ROWS }, (_, i) => preset.row(i + 1)), ''];
  await writeFile(path.join(dir, 'datasets', 'rows.csv'), lines.join('\n'));
}

type Phase = { renderMs: number; summary: RunSummary };

/** Runs the batch and measures the render phase: from the first render progress event to the last. */
async function batch(project: string, createRunner: () => Promise<RenderRunner>): Promise<Phase> {
  let renderStart = 0;
  let renderEnd = 0;
  const summary = await runBatch({
    dataset: 'datasets/rows.csv',
    template: preset.template,
    projectDir: project,
    logLevel: 'warn',
    createRunner,
    onProgress: (event) => {
      if (event.stage !== 'render') return;
      if (event.done === 0) renderStart = Date.now();
      else renderEnd = Date.now();
    },
  });
  if (summary.counts.rendered !== ROWS) throw new Error(`expected ${ROWS} rendered videos, got ${JSON.stringify(summary.counts)}: ${summary.error?.message ?? ''}`);
  return { renderMs: renderEnd - renderStart, summary };
}

/** `reelwright worker …` (the real binary), as the leader of its own process group. */
function startWorker(args: string[]): { child: ChildProcess; ready: Promise<void> } {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'reelwright.js'), 'worker', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'], detached: true });
  const ready = new Promise<void>((resolve, reject) => {
    child.once('exit', (code, signal) => reject(new Error(`a worker exited (${code ?? signal}) before it was ready`)));
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      if (line.includes('"type":"ready"')) resolve();
    });
  });
  return { child, ready };
}

const work = await mkdtemp(path.join(tmpdir(), 'rw-bench-queue-'));
const redis = await startRedisServer({ appendonly: false });
const workers: ChildProcess[] = [];
try {
  say(`${ROWS} rows of ${path.relative(ROOT, preset.template)} on ${availableParallelism()} cores (load ${loadavg()[0]!.toFixed(2)})`);

  // The queue side: two worker processes of one browser each, a shared folder, one Redis (kept across rounds).
  const shared = path.join(work, 'shared');
  await mkdir(shared);
  const redisUrl = redis.url(0);
  say('starting 2 worker processes of 1 browser each');
  const launched = [1, 2].map((n) =>
    startWorker(['--queue', redisUrl, '--shared', shared, '--state-dir', path.join(work, `worker-${n}`), '--concurrency', '1', '--json', '--quiet', '--name', `w${n}`]),
  );
  workers.push(...launched.map((w) => w.child));
  await Promise.all(launched.map((w) => w.ready));
  const storage = await createSharedDirStorage({ root: shared });

  /** One local pool of two warm browsers. */
  const runLocal = async (round: number) => {
    const project = path.join(work, `local-${round}`);
    await makeProject(project);
    const phase = await batch(project, async () => {
      const pool = createRenderPool({ concurrency: 2 });
      await pool.warmUp();
      return pool;
    });
    say(`round ${round}, local pool (2 browsers): ${ROWS} videos in ${(phase.renderMs / 1000).toFixed(1)} s`);
    return phase.renderMs;
  };

  /** The coordinator and the two workers; each job taken apart with BullMQ's timestamps. */
  const runQueued = async (round: number) => {
    const project = path.join(work, `queue-${round}`);
    await makeProject(project);
    const runs: Timed[] = [];
    const runId = `bench-${round}`;
    const phase = await batch(project, async () => timed(await createQueueRunner({ redisUrl, runId, storage, concurrencyHint: HINT }), runs));
    say(`round ${round}, queue (2 workers × 1 browser): ${ROWS} videos in ${(phase.renderMs / 1000).toFixed(1)} s`);
    const queue = new Queue<QueueRenderJob, QueueRenderResult>(DEFAULT_QUEUE_NAME, { connection: parseRedisUrl(redisUrl) });
    const jobs = (await queue.getJobs(['completed'], 0, -1)).filter((job) => job.data.runId === runId);
    await queue.close();
    const byRow = new Map(jobs.map((job) => [job.data.task.jobId, job]));
    const parts = runs.map((run) => {
      const job = byRow.get(run.jobId);
      if (!job?.processedOn || !job.finishedOn) throw new Error(`no completed job for ${run.jobId}`);
      const publishMs = job.timestamp - run.startedAt;
      const workerExtraMs = job.finishedOn - job.processedOn - job.returnvalue.result.wallMs;
      const collectMs = run.endedAt - job.finishedOn;
      return { publishMs, workerExtraMs, collectMs, overheadMs: publishMs + workerExtraMs + collectMs, localizeMs: job.returnvalue.localizeMs };
    });
    return { renderMs: phase.renderMs, parts };
  };

  const localMs: number[] = [];
  const queueMs: number[] = [];
  const parts: Awaited<ReturnType<typeof runQueued>>['parts'] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    // Alternate the order: whichever goes first may meet a different load on a shared machine.
    if (round % 2 === 1) localMs.push(await runLocal(round));
    const queued = await runQueued(round);
    queueMs.push(queued.renderMs);
    parts.push(...queued.parts);
    if (round % 2 === 0) localMs.push(await runLocal(round));
  }
  const pick = (key: keyof (typeof parts)[number]) => ({ median: round(median(parts.map((p) => p[key])), 0), mean: round(mean(parts.map((p) => p[key])), 0) });
  const localRate = (ROWS / median(localMs)) * 60_000;
  const queueRate = (ROWS / median(queueMs)) * 60_000;
  const figures = {
    rows: ROWS,
    preset: flags.preset,
    rounds: ROUNDS,
    cores: availableParallelism(),
    loadAverage: round(loadavg()[0]!, 2),
    local: { browsers: 2, renderSeconds: round(median(localMs) / 1000), videosPerMinute: round(localRate), rounds: localMs.map((ms) => round(ms / 1000)) },
    queue: { workers: 2, browsersPerWorker: 1, concurrencyHint: HINT, renderSeconds: round(median(queueMs) / 1000), videosPerMinute: round(queueRate), rounds: queueMs.map((ms) => round(ms / 1000)) },
    throughputRatio: round(queueRate / localRate, 2),
    overheadPerJobMs: pick('overheadMs'),
    overheadParts: { publishAndEnqueueMs: pick('publishMs'), workerExtraMs: pick('workerExtraMs'), localizeMs: pick('localizeMs'), completionToCollectedMs: pick('collectMs') },
  };
  const table = [
    '',
    `queue benchmark — ${ROWS} rows, preset ${flags.preset}, ${figures.cores} cores, ${ROUNDS} round(s), load ${figures.loadAverage}`,
    `  local pool (2 browsers):            ${figures.local.renderSeconds} s  → ${figures.local.videosPerMinute} videos/min  (rounds: ${figures.local.rounds.join(', ')} s)`,
    `  queue (2 workers × 1 browser, hint ${HINT}): ${figures.queue.renderSeconds} s  → ${figures.queue.videosPerMinute} videos/min  (rounds: ${figures.queue.rounds.join(', ')} s)`,
    `  throughput ratio queue / local:     ${figures.throughputRatio}`,
    `  queue overhead per job:             median ${figures.overheadPerJobMs.median} ms, mean ${figures.overheadPerJobMs.mean} ms`,
    `    publish + enqueue (coordinator):  median ${figures.overheadParts.publishAndEnqueueMs.median} ms`,
    `    worker-side extra:                median ${figures.overheadParts.workerExtraMs.median} ms (localize ${figures.overheadParts.localizeMs.median} ms)`,
    `    completion → collected:           median ${figures.overheadParts.completionToCollectedMs.median} ms`,
    '',
  ].join('\n');
  process.stderr.write(table);
  if (flags.json) writeJsonLine(figures);
} finally {
  for (const child of workers) {
    if (child.exitCode !== null || child.pid === undefined) continue;
    const exited = once(child, 'exit');
    process.kill(-child.pid, 'SIGTERM');
    await exited;
  }
  await redis.stop();
  await rm(work, { recursive: true, force: true });
}
