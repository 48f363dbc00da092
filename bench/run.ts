/**
 * `npm run bench` — render-speed benchmark of the pool (issue 5). Every figure is measured in the same run, and the
 * speed figures are also printed as ratios against baselines from this run, because the machines are shared and
 * noisy: compare ratios across runs, not raw fps.
 *
 *   1. bench-card fps at concurrency 1 and 2 (templates/bench-card over rows of datasets/bench-card.csv), against the
 *      obvious design measured first: one browser, no pool, every frame captured;
 *   2. the welcome template over `--rows` rows of datasets/bench.csv with local B-roll clips: videos per minute and
 *      effective fps, with frame reuse on and off (the ratio); and the same for the recap template over `--rows` rows
 *      of datasets/recap.csv (a card that holds still for more than half its length, where reuse pays most);
 *   3. the encode-only ceiling: the same bench-card JPEG frames piped straight into ffmpeg (startEncoder);
 *   4. per-video fixed overhead with a warm pool: job start → first captured frame, and a 1-frame video's total time;
 *   5. peak browser RSS per worker and RSS growth over `--renders` consecutive renders of a short template.
 *
 * Flags: `--json` (stdout gets only one JSON object; the table goes to stderr), `--rows N` (welcome and recap rows, default 6;
 * the figure is 50), `--card-rows N` (bench-card rows per concurrency, default 3), `--renders N` (memory run,
 * default 500), `--concurrency N` (the parallel figures, default 2). Progress goes to stderr. Work files live in
 * `.reelwright/bench/` (clips and extracted frames are kept between runs).
 */
import { readFileSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { availableParallelism, loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createLocalProvider, DEFAULT_LOCAL_MODEL } from '../src/clips/index.js';
import type { ClipRequest } from '../src/clips/index.js';
import { readDataset } from '../src/dataset/index.js';
import { createSay } from './lib/create-say.js';
import { loadAverage } from './lib/load-average.js';
import { mb, median, round, sum } from './lib/stats.js';
import { writeJsonLine } from './lib/write-json-line.js';
import { extractFrames, startEncoder } from '../src/media/index.js';
import { createRenderPool } from '../src/pool/index.js';
import type { RenderPool, RenderTask, RenderTaskResult } from '../src/pool/index.js';
import { BrowserSession, bundleTemplate, PAGE_API_GLOBAL, renderVideo, serveFiles } from '../src/render/index.js';
import type { PageInit } from '../src/render/index.js';
import { loadTemplate } from '../src/template/index.js';
import type { TemplateDefinition } from '../src/template/index.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const WORK = path.join(ROOT, '.reelwright', 'bench');
const CACHE = path.join(WORK, 'cache');
const OUT = path.join(WORK, 'out');

const { values: flags } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    rows: { type: 'string', default: '6' },
    'card-rows': { type: 'string', default: '3' },
    renders: { type: 'string', default: '500' },
    concurrency: { type: 'string', default: '2' },
  },
});

function positive(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a whole number ≥ 1, got ${JSON.stringify(value)}.`);
  return n;
}

const WELCOME_ROWS = positive('rows', flags.rows);
const CARD_ROWS = positive('card-rows', flags['card-rows']);
const RENDERS = positive('renders', flags.renders);
const CONCURRENCY = positive('concurrency', flags.concurrency);

const logOptions = { logLevel: 'info' as const, tag: 'bench' };
const started = performance.now();
/** Progress line on stderr with the time since the start. */
const say = createSay({ logOptions, width: 4 });

function processRssBytes(): number {
  const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
  return match ? Number(match[1]) * 1024 : process.memoryUsage().rss;
}

type Bundled = { entry: string; dir: string; hash: string; template: TemplateDefinition };

async function bundle(entry: string): Promise<Bundled> {
  const built = await bundleTemplate({ entry, cacheDir: CACHE });
  const { definition } = await loadTemplate({ entry, cacheDir: CACHE });
  return { entry, dir: built.dir, hash: built.hash, template: definition };
}

function makeTask(b: Bundled, jobId: string, props: Record<string, unknown>, extra: Partial<RenderTask> = {}): RenderTask {
  return {
    type: 'render',
    jobId,
    templateEntry: b.entry,
    cacheDir: CACHE,
    bundleDir: b.dir,
    bundleHash: b.hash,
    variant: Object.keys(b.template.variants)[0]!,
    props,
    mediaProps: [],
    clipFrames: {},
    outFile: path.join(OUT, `${jobId}.mp4`),
    randomSeed: jobId,
    jpegQuality: 90,
    frameReuse: true,
    frameTimeoutMs: 60_000,
    ...extra,
  };
}

/** Runs tasks through the pool (all queued at once; the pool runs `concurrency` of them at a time). */
async function runAll(pool: RenderPool, tasks: RenderTask[]): Promise<{ wallMs: number; results: RenderTaskResult[] }> {
  const t0 = performance.now();
  const results = await Promise.all(tasks.map((task) => pool.run(task)));
  return { wallMs: performance.now() - t0, results };
}

/** Runs tasks one after the other (concurrency 1 on any pool). */
async function runInTurn(pool: RenderPool, tasks: RenderTask[]): Promise<{ wallMs: number; results: RenderTaskResult[] }> {
  const t0 = performance.now();
  const results: RenderTaskResult[] = [];
  for (const task of tasks) results.push(await pool.run(task));
  return { wallMs: performance.now() - t0, results };
}

const cpuPerFrame = (results: RenderTaskResult[]) => {
  const known = results.filter((r) => r.cpuMs !== null);
  return known.length === results.length ? sum(known.map((r) => r.cpuMs!)) / sum(known.map((r) => r.frames)) : null;
};

async function readRows(file: string, template: TemplateDefinition, limit: number): Promise<Array<{ key: string; values: Record<string, unknown> }>> {
  const dataset = await readDataset({ file, template });
  const rows: Array<{ key: string; values: Record<string, unknown> }> = [];
  for await (const result of dataset.rows) {
    if (!result.ok) throw new Error(`${file} row at line ${result.line} is invalid: ${result.problems.map((p) => p.message).join('; ')}`);
    rows.push({ key: result.row.key, values: { ...result.row.values } });
    if (rows.length >= limit) break;
  }
  return rows;
}

/** The obvious design, for the baseline: one browser in this thread, no pool, every frame captured. */
type Baseline = { render: (name: string, index: number) => Promise<{ frames: number; wallMs: number }>; encodeCeiling: () => Promise<{ fps: number; jpegKiB: number }>; close: () => Promise<void> };

async function startBaseline(card: Bundled): Promise<Baseline> {
  const server = await serveFiles();
  const session = await BrowserSession.launch({ width: 1280, height: 720 });
  const render = async (name: string, index: number) => {
    const result = await renderVideo({
      session,
      server,
      bundle: card,
      template: card.template,
      variant: 'default',
      props: { name },
      clipFrames: {},
      outFile: path.join(OUT, `baseline-${index}.mp4`),
      randomSeed: name,
      frameReuse: false,
    });
    return { frames: result.frames, wallMs: result.wallMs };
  };
  // The first render loads the page; it is not counted (the pool figures are warm too).
  await render('warm-up', -1);

  /** (3) The same bench-card frames, captured once, piped straight into ffmpeg (median of two encodes). */
  const encodeCeiling = async () => {
    const api = `window[${JSON.stringify(PAGE_API_GLOBAL)}]`;
    const frames = 150;
    const init: PageInit = { props: { name: 'Ada' }, config: { width: 1280, height: 720, fps: 30, durationInFrames: frames, variant: 'default' }, clipFrames: {}, randomSeed: 'ada' };
    await session.evaluate({ expression: `${api}.init(${JSON.stringify(init)})` });
    const jpegs: Buffer[] = [];
    for (let frame = 0; frame < frames; frame++) {
      await session.evaluate({ expression: `${api}.renderFrame(${frame})` });
      jpegs.push(await session.capture({ quality: 90 }));
    }
    const runs: number[] = [];
    for (let run = 0; run < 2; run++) {
      const t0 = performance.now();
      const encoder = await startEncoder({ outFile: path.join(OUT, `encode-${run}.mp4`), fps: 30, width: 1280, height: 720 });
      const writes = jpegs.map((jpeg) => encoder.writeFrame(jpeg));
      await Promise.all(writes);
      await encoder.finish();
      runs.push(performance.now() - t0);
    }
    return { fps: (frames / median(runs)) * 1000, jpegKiB: sum(jpegs.map((j) => j.length)) / frames / 1024 };
  };
  const close = async () => {
    await session.close();
    await server.close();
  };
  return { render, encodeCeiling, close };
}

/** (2) welcome: local clips and their frames, made once and kept in .reelwright/bench. */
async function prepareWelcome(welcome: Bundled, rowCount: number): Promise<Array<{ key: string; props: Record<string, unknown>; clipFrames: RenderTask['clipFrames']; mediaProps: string[] }>> {
  const rows = await readRows(path.join(ROOT, 'datasets', 'bench.csv'), welcome.template, rowCount);
  const local = createLocalProvider({ workDir: path.join(WORK, 'clips') });
  const slot = welcome.template.slots['background'];
  if (slot?.kind !== 'broll') throw new Error('welcome has no "background" B-roll slot.');
  const size = welcome.template.variants[Object.keys(welcome.template.variants)[0]!]!;
  const prepared = [];
  for (const [i, row] of rows.entries()) {
    const prompt = slot.prompt.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name: string) => String(row.values[name] ?? ''));
    const request: ClipRequest = { provider: 'local', model: DEFAULT_LOCAL_MODEL, prompt, seconds: slot.seconds ?? 5, aspect: '16:9', resolution: null, seed: null, inputImageHash: null, params: {}, draft: false };
    const { taskId } = await local.submit(request, null);
    const state = await local.poll(taskId, null);
    if (state.status !== 'succeeded') throw new Error(`local clip for row ${row.key} did not succeed: ${JSON.stringify(state)}`);
    const clip = fileURLToPath(state.outputUrl);
    const dir = path.join(WORK, 'frames', `${path.basename(clip, '.mp4')}-${size.width}x${size.height}-${welcome.template.fps}`);
    const extracted = await extractFrames({ input: clip, outDir: dir, fps: welcome.template.fps, width: size.width, height: size.height, fit: 'cover' });
    say(`welcome: clip ${i + 1}/${rows.length} ready (${row.values['city']}, ${extracted.count} frames${extracted.cached ? ', cached' : ''})`);
    const props: Record<string, unknown> = { ...row.values, background: clip };
    const mediaProps = ['background', ...(typeof props['logo'] === 'string' && path.isAbsolute(props['logo']) ? ['logo'] : [])];
    prepared.push({ key: row.key, props, mediaProps, clipFrames: { [clip]: { dir, count: extracted.count, fps: welcome.template.fps } } });
  }
  return prepared;
}

/** Rows to render with frame reuse on and off. */
type ReuseRow = { key: string; props: Record<string, unknown>; clipFrames?: RenderTask['clipFrames']; mediaProps?: string[] };

/**
 * (2) Renders `rows` with frame reuse on and off, in the order on, off, off, on (halves), so that drift in machine
 * load weighs on both modes alike; returns the figures of each mode and their ratio.
 */
async function measureReuse(pool: RenderPool, bundled: Bundled, label: string, rows: readonly ReuseRow[]) {
  const half = Math.ceil(rows.length / 2);
  const groups = [
    { reuse: true, rows: rows.slice(0, half) },
    { reuse: false, rows: rows.slice(0, half) },
    { reuse: false, rows: rows.slice(half) },
    { reuse: true, rows: rows.slice(half) },
  ].filter((group) => group.rows.length > 0);
  const runs = { on: { wallMs: 0, results: [] as RenderTaskResult[] }, off: { wallMs: 0, results: [] as RenderTaskResult[] } };
  for (const group of groups) {
    say(`${label}: ${group.rows.length} rows with frame reuse ${group.reuse ? 'on' : 'off'} …`);
    const run = await runAll(
      pool,
      group.rows.map((row) =>
        makeTask(bundled, `${label}-${group.reuse ? 'on' : 'off'}-${row.key}`, row.props, {
          mediaProps: row.mediaProps ?? [],
          clipFrames: row.clipFrames ?? {},
          frameReuse: group.reuse,
        }),
      ),
    );
    const into = group.reuse ? runs.on : runs.off;
    into.wallMs += run.wallMs;
    into.results.push(...run.results);
  }
  const figures = (mode: { wallMs: number; results: RenderTaskResult[] }) => {
    const cpu = cpuPerFrame(mode.results);
    return {
      videos: mode.results.length,
      videosPerMinute: round((mode.results.length / mode.wallMs) * 60_000, 2),
      fps: round((sum(mode.results.map((r) => r.frames)) / mode.wallMs) * 1000),
      capturedShare: round(sum(mode.results.map((r) => r.capturedFrames)) / sum(mode.results.map((r) => r.frames)), 3),
      cpuMsPerFrame: cpu === null ? null : round(cpu),
    };
  };
  const reuseOn = figures(runs.on);
  const reuseOff = figures(runs.off);
  const reuseSpeedup = runs.off.wallMs / runs.on.wallMs;
  // CPU per video is much less sensitive to other load on a shared machine than wall time.
  const reuseCpuSpeedup = reuseOn.cpuMsPerFrame && reuseOff.cpuMsPerFrame ? reuseOff.cpuMsPerFrame / reuseOn.cpuMsPerFrame : null;
  // The most reuse could give even if a reused frame cost nothing: every captured frame still costs what it did.
  const reuseCeiling = reuseOn.capturedShare > 0 ? 1 / reuseOn.capturedShare : null;
  say(
    `${label}: reuse on ${reuseOn.videosPerMinute} videos/min (${reuseOn.fps} fps), off ${reuseOff.videosPerMinute} videos/min (${reuseOff.fps} fps): ` +
      `${round(reuseSpeedup, 2)}× wall, ${reuseCpuSpeedup === null ? '?' : round(reuseCpuSpeedup, 2)}× CPU; ${round((1 - reuseOn.capturedShare) * 100)}% of frames reused, ` +
      `so at most ${reuseCeiling === null ? '?' : round(reuseCeiling, 2)}× if a reused frame were free`,
  );
  return {
    framesPerVideo: runs.on.results[0]?.frames ?? null,
    reuseOn,
    reuseOff,
    reuseSpeedup: round(reuseSpeedup, 2),
    reuseCpuSpeedup: reuseCpuSpeedup === null ? null : round(reuseCpuSpeedup, 2),
    reuseCeiling: reuseCeiling === null ? null : round(reuseCeiling, 2),
  };
}

async function main(): Promise<void> {
  const cores = availableParallelism();
  const loadStart = loadavg();
  say(`machine: ${cores} cores, load average ${loadStart.map((l) => l.toFixed(2)).join(' ')}; welcome rows ${WELCOME_ROWS}, card rows ${CARD_ROWS}, memory renders ${RENDERS}, concurrency ${CONCURRENCY}`);
  await rm(OUT, { recursive: true, force: true });
  await mkdir(OUT, { recursive: true });

  const card = await bundle(path.join(ROOT, 'templates', 'bench-card', 'index.tsx'));
  const welcome = await bundle(path.join(ROOT, 'templates', 'welcome', 'index.tsx'));
  const short = await bundle(path.join(ROOT, 'bench', 'templates', 'bench-short', 'index.tsx'));
  const cardNames = (await readRows(path.join(ROOT, 'datasets', 'bench-card.csv'), card.template, CARD_ROWS * 2)).map((row) => String(row.values['name']));
  const welcomeRows = await prepareWelcome(welcome, WELCOME_ROWS);
  const recap = await bundle(path.join(ROOT, 'templates', 'recap', 'index.tsx'));
  const recapRows = (await readRows(path.join(ROOT, 'datasets', 'recap.csv'), recap.template, WELCOME_ROWS)).map((row) => ({ key: row.key, props: row.values }));

  say('starting the baseline browser (no pool) and the pool …');
  const baseline = await startBaseline(card);
  const pool = createRenderPool({ concurrency: CONCURRENCY });
  try {
    await pool.warmUp();
    // Load each template's page once per worker so the timed runs below are warm (no compile, no page load).
    await runAll(pool, Array.from({ length: CONCURRENCY }, (_, i) => makeTask(card, `prime-card-${i}`, { name: 'prime' }, { frameReuse: false })));

    // (1) bench-card: the baseline, the pool one task at a time, and the pool full, in rounds (so that load drift on
    // the shared machine weighs on all three alike).
    const card1: { wallMs: number; results: RenderTaskResult[] } = { wallMs: 0, results: [] };
    const cardN: { wallMs: number; results: RenderTaskResult[] } = { wallMs: 0, results: [] };
    const base = { wallMs: 0, frames: 0 };
    for (let round_ = 0; round_ < CARD_ROWS; round_++) {
      const name = cardNames[round_ % cardNames.length]!;
      say(`bench-card round ${round_ + 1}/${CARD_ROWS}: baseline, pool at concurrency 1, pool at concurrency ${CONCURRENCY} …`);
      const b = await baseline.render(name, round_);
      base.wallMs += b.wallMs;
      base.frames += b.frames;
      const one = await runInTurn(pool, [makeTask(card, `card-c1-${round_}`, { name }, { frameReuse: false })]);
      card1.wallMs += one.wallMs;
      card1.results.push(...one.results);
      const full = await runAll(
        pool,
        Array.from({ length: CONCURRENCY }, (_, i) => makeTask(card, `card-c${CONCURRENCY}-${round_}-${i}`, { name: cardNames[(round_ + i) % cardNames.length] }, { frameReuse: false })),
      );
      cardN.wallMs += full.wallMs;
      cardN.results.push(...full.results);
    }
    const baselineFps = (base.frames / base.wallMs) * 1000;
    const fpsC1 = (sum(card1.results.map((r) => r.frames)) / card1.wallMs) * 1000;
    const fpsCN = (sum(cardN.results.map((r) => r.frames)) / cardN.wallMs) * 1000;
    const cpuCard = cpuPerFrame([...card1.results, ...cardN.results]);
    say(`bench-card: baseline ${round(baselineFps)} fps, c=1 ${round(fpsC1)} fps, c=${CONCURRENCY} ${round(fpsCN)} fps; ${cpuCard === null ? '?' : round(cpuCard)} CPU ms/frame`);

    say('encode ceiling: the same bench-card frames piped straight into ffmpeg …');
    const { fps: encodeFps, jpegKiB } = await baseline.encodeCeiling();
    await baseline.close();
    say(`encode ceiling: ${round(encodeFps)} fps (JPEG q90 → x264, ${round(jpegKiB, 0)} KiB/frame)`);

    // (2) welcome with frame reuse on and off; (2b) recap, a card that holds still for its last 3.2 s of 6 s, the same
    // way: how much reuse pays depends on how much of a template holds still, so both kinds are measured.
    const welcomeReuse = await measureReuse(pool, welcome, 'welcome', welcomeRows);
    const recapReuse = await measureReuse(pool, recap, 'recap', recapRows);

    // (4) per-video overhead on the warm pool, one task at a time.
    say('overhead: 1-frame videos and time to the first frame, one at a time …');
    await runAll(pool, Array.from({ length: CONCURRENCY }, (_, i) => makeTask(short, `prime-${i}`, { name: 'prime', frames: 1 })));
    const oneFrame: number[] = [];
    const firstFrame: number[] = [];
    for (let i = 0; i < 10; i++) {
      let t0 = performance.now();
      await pool.run(makeTask(short, `one-frame-${i}`, { name: `one ${i}`, frames: 1 }));
      oneFrame.push(performance.now() - t0);
      t0 = performance.now();
      let first: number | null = null;
      await pool.run(makeTask(short, `first-frame-${i}`, { name: `first ${i}`, frames: 10 }), {
        onProgress: (progress) => {
          if (progress.type === 'frame' && first === null) first = performance.now() - t0;
        },
      });
      if (first !== null) firstFrame.push(first);
    }
    const oneFrameMs = median(oneFrame);
    const firstFrameMs = median(firstFrame);
    say(`overhead: first frame after ${round(firstFrameMs, 0)} ms, 1-frame video in ${round(oneFrameMs, 0)} ms (medians of 10)`);

    // Peak browser memory of the workers after bench-card and welcome (B-roll frames fill Chromium's image caches).
    const peakAfterWelcome = pool.stats().workers.map((w) => (w.peakBrowserRssBytes === null ? null : mb(w.peakBrowserRssBytes)));
    await pool.close();

    // (5) memory over many consecutive renders of the short template, on a fresh pool with the default settings
    // (browsers recycle every DEFAULT_RECYCLE_AFTER_RENDERS renders). RSS = this process (all worker threads) + the
    // browsers' processes (summed RSS: pages shared between Chromium processes count once per process).
    say(`memory: ${RENDERS} renders of bench-short on a fresh pool …`);
    await using memPool = createRenderPool({ concurrency: CONCURRENCY });
    await memPool.warmUp();
    const samples: number[] = [];
    const launchesBefore = memPool.stats().browserLaunches;
    const memStart = performance.now();
    let done = 0;
    const sample = () => {
      const browsers = sum(memPool.stats().workers.map((w) => w.browserRssBytes ?? 0));
      samples.push(processRssBytes() + browsers);
    };
    await Promise.all(
      Array.from({ length: RENDERS }, (_, i) =>
        memPool.run(makeTask(short, `mem-${i % 50}`, { name: `row ${i}`, frames: 6 })).then(() => {
          done++;
          sample();
          if (done % 100 === 0) say(`memory: ${done}/${RENDERS} renders, ${mb(samples.at(-1)!)} MB`);
        }),
      ),
    );
    const memMs = performance.now() - memStart;
    const stats = memPool.stats();
    const window = Math.max(1, Math.floor(samples.length / 10));
    // Start after the first 10% (warm-up: caches filling), end with the last 10%.
    const early = median(samples.slice(window, 2 * window));
    const late = median(samples.slice(-window));
    const growthPct = ((late - early) / early) * 100;
    say(`memory: ${mb(early)} MB → ${mb(late)} MB (${round(growthPct)}%), ${stats.browserLaunches - launchesBefore} browser relaunches, ${round(memMs / 1000, 0)} s`);

    const figures = {
      machine: { cores, loadAverageStart: loadStart.map((l) => round(l, 2)), loadAverageEnd: loadAverage(2), node: process.version },
      benchCard: {
        framesPerVideo: 150,
        baselineFps: round(baselineFps),
        fpsC1: round(fpsC1),
        [`fpsC${CONCURRENCY}`]: round(fpsCN),
        cpuMsPerFrame: cpuCard === null ? null : round(cpuCard),
        /** What the CPU per frame allows on this many cores if nothing else ran. */
        idleMachineFps: cpuCard === null ? null : round((cores * 1000) / cpuCard),
        ratioC1VsBaseline: round(fpsC1 / baselineFps, 2),
        [`ratioC${CONCURRENCY}VsBaseline`]: round(fpsCN / baselineFps, 2),
        [`ratioC${CONCURRENCY}VsC1`]: round(fpsCN / fpsC1, 2),
      },
      welcome: { rows: welcomeRows.length, concurrency: CONCURRENCY, ...welcomeReuse },
      recap: { rows: recapRows.length, concurrency: CONCURRENCY, ...recapReuse },
      encode: { ceilingFps: round(encodeFps), jpegKiBPerFrame: round(jpegKiB, 0), ratioVsCardFps: round(encodeFps / fpsCN, 2) },
      overhead: { firstFrameMs: round(firstFrameMs, 0), oneFrameVideoMs: round(oneFrameMs, 0) },
      memory: {
        renders: RENDERS,
        seconds: round(memMs / 1000, 0),
        rssEarlyMb: mb(early),
        rssLateMb: mb(late),
        rssMaxMb: mb(Math.max(...samples)),
        rssGrowthPct: round(growthPct),
        peakBrowserRssMbPerWorker: stats.workers.map((w) => (w.peakBrowserRssBytes === null ? null : mb(w.peakBrowserRssBytes))),
        peakBrowserRssMbPerWorkerAfterWelcome: peakAfterWelcome,
        browserRelaunches: stats.browserLaunches - launchesBefore,
      },
      targets: {
        benchCardFpsAtLeast20: fpsCN >= 20,
        reuseAtLeast2x: welcomeReuse.reuseSpeedup >= 2,
        overheadAtMost300ms: firstFrameMs <= 300,
        rssGrowthUnder10Pct: growthPct < 10,
      },
      totalSeconds: round((performance.now() - started) / 1000, 0),
    };
    printReport(figures);
  } finally {
    await pool.close();
  }
}

function printReport(figures: Record<string, unknown> & { targets: Record<string, boolean> }): void {
  const lines: string[] = ['', 'reelwright render benchmark', ''];
  const section = (name: string, values: Record<string, unknown>) => {
    lines.push(`${name}:`);
    for (const [key, value] of Object.entries(values)) lines.push(`  ${key.padEnd(26)} ${typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value)}`);
  };
  for (const [name, values] of Object.entries(figures)) {
    if (typeof values === 'object' && values !== null && !Array.isArray(values)) section(name, values as Record<string, unknown>);
    else lines.push(`${name}: ${String(values)}`);
  }
  const text = `${lines.join('\n')}\n`;
  if (flags.json) {
    process.stderr.write(text);
    writeJsonLine(figures);
  } else {
    process.stdout.write(text);
  }
}

await main();
