/**
 * `node --import tsx bench/rerun.ts` — re-run benchmark (issue 3): `reelwright render` on an unchanged, fully
 * rendered 1,000-row batch must finish in under 5 s and render nothing.
 *
 * How the batch gets "fully rendered" (documented, because it is not 1,000 real renders by default):
 *   1. the real CLI renders the first row of the dataset (template bench/fixtures/templates/tiny: one 16×16
 *      frame), so there is one real MP4, render record, report and thumbnail;
 *   2. the other 999 rows are seeded through the journal API exactly as a render run records them: one run
 *      (`beginRun`, `recordPlannedRows`), then per row `markRowRendering` + `markRowRendered` with the manifest
 *      and manifest hash that `prepareBatch` plans for it (the same code the CLI runs), and a copy of the real
 *      MP4 under the row's output name; `finishRun`. Pass `--real` to render all rows with the CLI instead
 *      (minutes).
 * What is then measured: the unchanged re-run through the real binary (`node bin/reelwright.js render …`),
 * process start to exit — start-up, template load and bundle (cached), streaming and validating 1,000 rows,
 * 1,000 journal look-ups and file checks, the run's journal records and its CSV/JSON/HTML report. The first
 * re-run after seeding also makes the report thumbnails a real run would have made (up to 300, cached in
 * `.reelwright/thumbs`); it is reported apart, and the figure is the median of the following `--repeat` runs.
 *
 * Baseline, measured in the same run: `node bin/reelwright.js --help` (Node + tsx start-up and the CLI's imports).
 *
 * Flags: `--rows N` (default 1000), `--repeat N` (default 3), `--real`, `--json` (one JSON line on stdout at the
 * end), `--keep` (keep the temporary project). Progress goes to stderr.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { copyFile, cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { acquireRunLock, openJournal } from '../src/journal/index.js';
import { log } from '../src/log/index.js';
import { createSay } from './lib/create-say.js';
import { formatLoadAverage, loadAverage } from './lib/load-average.js';
import { median, round } from './lib/stats.js';
import { writeJsonLine } from './lib/write-json-line.js';
import { buildJobManifest, resolveOutputPath } from '../src/plan/index.js';
import { DEFAULT_JPEG_QUALITY } from '../src/render/index.js';
import { prepareBatch, projectPaths, type RunSummary } from '../src/run/index.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const BIN = path.join(ROOT, 'bin', 'reelwright.js');
const TEMPLATE_DIR = path.join(ROOT, 'bench', 'fixtures', 'templates', 'tiny');

const logOptions = { logLevel: 'info' as const, tag: 'bench:rerun' };
/** Progress line on stderr with the time since the start. */
const say = createSay({ logOptions, width: 3 });

/** Runs the CLI; returns its wall time and, with `--json`, its summary. */
async function cli(args: string[], cwd: string): Promise<{ ms: number; code: number | null; stdout: string; stderr: string }> {
  const t0 = performance.now();
  const child = spawn(process.execPath, [BIN, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { ms: performance.now() - t0, code, stdout, stderr };
}

function summaryOf(result: { stdout: string; stderr: string }): RunSummary {
  const line = result.stdout.split('\n').reverse().find((l) => l.startsWith('{"type":"summary"'));
  if (!line) throw new Error(`no summary on stdout:\n${result.stdout}\n${result.stderr}`);
  return JSON.parse(line) as RunSummary;
}

/** Seeds every row but the already rendered ones as rendered, through the journal API (see the file comment). */
async function seed(projectDir: string, dataset: string): Promise<number> {
  const paths = projectPaths({ projectDir });
  const lock = await acquireRunLock({ stateDir: paths.stateDir, command: 'bench-seed' });
  const journal = openJournal({ file: paths.journalFile, secretValues: [] });
  try {
    const outDir = path.join(paths.outputsDir, 'tiny');
    const prepared = await prepareBatch({
      paths,
      dataset,
      template: 'tiny',
      journal,
      outDirFor: () => outDir,
      limit: null,
      rowKeys: null,
      namePattern: null,
      variants: null,
      map: null,
      draft: false,
      force: false,
      provider: null,
      model: null,
      jpegQuality: DEFAULT_JPEG_QUALITY,
      env: process.env,
      requireKeys: true,
      logLevel: 'warn',
      onLog: null,
      signal: null,
    });
    prepared.cache.close();
    const { plan } = prepared;
    const done = plan.jobs.find((j) => j.status === 'up_to_date');
    if (!done) throw new Error('the real render of the first row is not up to date in the plan; cannot seed from it');
    const realFile = resolveOutputPath(outDir, done.outputName);
    const run = journal.beginRun({
      command: 'bench-seed',
      dataset: prepared.datasetFile,
      templateId: plan.template.id,
      templateVersion: plan.template.version,
      bundleHash: plan.template.hash,
      options: { outDir, variants: plan.variants, namePattern: plan.namePattern, jpegQuality: DEFAULT_JPEG_QUALITY },
    });
    journal.recordPlannedRows({ runId: run.id, jobs: plan.jobs });
    let seeded = 0;
    for (const job of plan.jobs) {
      if (job.status !== 'render') continue;
      const outputPath = resolveOutputPath(outDir, job.outputName);
      await copyFile(realFile, outputPath);
      const ref = { runId: run.id, rowKey: job.rowKey, variant: job.variant };
      journal.markRowRendering(ref);
      journal.markRowRendered({ ...ref, templateId: plan.template.id, outputPath, manifestHash: job.manifestHash, manifest: buildJobManifest({ plan, job }), wallMs: 0, cpuMs: null, frames: job.durationInFrames });
      seeded++;
    }
    journal.finishRun({ runId: run.id, status: 'completed' });
    return seeded;
  } finally {
    journal.close();
    lock.release();
  }
}

async function main(): Promise<void> {
  const { values: flags } = parseArgs({
    options: {
      rows: { type: 'string', default: '1000' },
      repeat: { type: 'string', default: '3' },
      real: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false },
    },
  });
  const rows = Number(flags.rows);
  const repeat = Number(flags.repeat);
  if (!Number.isInteger(rows) || rows < 2) throw new Error(`--rows must be a whole number ≥ 2, got ${JSON.stringify(flags.rows)}.`);
  if (!Number.isInteger(repeat) || repeat < 1) throw new Error(`--repeat must be a whole number ≥ 1, got ${JSON.stringify(flags.repeat)}.`);

  const projectDir = await mkdtemp(path.join(tmpdir(), 'reelwright-bench-rerun-'));
  try {
    await cp(TEMPLATE_DIR, path.join(projectDir, 'templates', 'tiny'), { recursive: true });
    await mkdir(path.join(projectDir, 'datasets'));
    const dataset = path.join(projectDir, 'datasets', `rerun-${rows}.csv`);
    const lines = ['id,name,accent'];
    for (let i = 0; i < rows; i++) lines.push(`r${String(i).padStart(5, '0')},Person ${i},#${((i * 2654435761) >>> 8).toString(16).padStart(6, '0').slice(-6)}`);
    await writeFile(dataset, `${lines.join('\n')}\n`);
    say(`${rows}-row dataset in ${projectDir}; ${availableParallelism()} cores, load ${formatLoadAverage(1)}`);

    const helps: number[] = [];
    for (let i = 0; i < 3; i++) {
      const help = await cli(['--help'], projectDir);
      if (help.code !== 0) throw new Error(`--help exited ${help.code}: ${help.stderr}`);
      helps.push(help.ms);
    }
    const helpMs = median(helps);
    say(`baseline: reelwright --help ${round(helpMs / 1000, 2)} s (median of 3)`);

    const render = ['render', dataset, '--template', 'tiny', '--json'];
    let seedSeconds: number;
    if (flags.real) {
      say(`rendering all ${rows} rows for real …`);
      const full = await cli(render, projectDir);
      if (full.code !== 0) throw new Error(`render exited ${full.code}: ${full.stderr}`);
      seedSeconds = full.ms / 1000;
    } else {
      const first = await cli([...render, '--limit', '1', '--concurrency', '1'], projectDir);
      if (first.code !== 0) throw new Error(`the first row's render exited ${first.code}: ${first.stderr}`);
      const t0 = performance.now();
      const seeded = await seed(projectDir, dataset);
      seedSeconds = (performance.now() - t0) / 1000;
      say(`rendered 1 row with the CLI in ${round(first.ms / 1000, 2)} s; seeded ${seeded} rendered rows through the journal API in ${round(seedSeconds, 2)} s`);
    }

    const reruns: { ms: number; summary: RunSummary }[] = [];
    for (let i = 0; i <= repeat; i++) {
      const result = await cli(render, projectDir);
      const summary = summaryOf(result);
      if (result.code !== 0 || summary.counts.rendered !== 0 || summary.counts.upToDate !== rows) {
        throw new Error(`re-run ${i} was not a no-op: exit ${result.code}, ${JSON.stringify(summary.counts)}\n${result.stderr}`);
      }
      reruns.push({ ms: result.ms, summary });
      say(`re-run #${i}${i === 0 ? ' (makes the report thumbnails)' : ''}: ${round(result.ms / 1000, 2)} s, 0 rendered, ${summary.counts.upToDate} up to date (runBatch ${round(summary.wallMs / 1000, 2)} s)`);
    }
    const steady = reruns.slice(1);
    const rerunMs = median(steady.map((r) => r.ms));
    const runBatchMs = median(steady.map((r) => r.summary.wallMs));
    const result = {
      rows,
      seeding: flags.real ? 'real render of every row' : '1 real render + journal API seeding of the rest',
      seedSeconds: round(seedSeconds, 2),
      rerun: { seconds: round(rerunMs / 1000, 2), runBatchSeconds: round(runBatchMs / 1000, 2), rendered: 0, firstRerunSeconds: round((reruns[0] as { ms: number }).ms / 1000, 2), repeat },
      baseline: { what: 'node bin/reelwright.js --help', seconds: round(helpMs / 1000, 2) },
      ratios: { rerunOverHelp: round(rerunMs / helpMs, 1) },
      targets: { seconds: 5, met: rerunMs < 5000 },
      machine: { cores: availableParallelism(), load: loadAverage(1) },
    };
    for (const line of [
      `baseline (--help)     ${result.baseline.seconds} s`,
      `unchanged re-run      ${result.rerun.seconds} s = ${result.ratios.rerunOverHelp}× the baseline, 0 rendered of ${rows} (runBatch itself ${result.rerun.runBatchSeconds} s; first re-run with thumbnails ${result.rerun.firstRerunSeconds} s)`,
      `target                < 5 s and zero renders: ${result.targets.met ? 'met' : 'NOT met'}`,
    ]) {
      log.info(logOptions, line);
    }
    if (flags.json) writeJsonLine(result);
  } finally {
    if (flags.keep) say(`kept ${projectDir}`);
    else await rm(projectDir, { recursive: true, force: true });
  }
}

await main();
