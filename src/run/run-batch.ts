import { statSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { DEFAULT_RETRY_POLICY, describeUnknownCost, type ClipId } from '../clips/index.js';
import { CancelledError, ConfigError, DatasetError, toErrorRecord, type ErrorRecord } from '../errors/index.js';
import { acquireRunLock, collectSecretValues, openJournal, type Journal } from '../journal/index.js';
import { log, type LogLevel, type OnLog } from '../log/index.js';
import { buildJobManifest, type BatchPlan, type RenderJob } from '../plan/index.js';
import type { RenderTask, RenderTaskProgress, RenderTaskResult } from '../pool/index.js';
import { DEFAULT_JPEG_QUALITY } from '../render/index.js';
import { computeOverallProgress, type BatchStage, type OnBatchProgress } from './batch-progress.js';
import { BudgetLedger } from './budget-ledger.js';
import { generateBatchClips, type ClipOutcome } from './generate-batch-clips.js';
import { loadConfig, type ReelwrightConfig } from './load-config.js';
import { prepareBatch, type PreparedBatch } from './prepare-batch.js';
import { projectPaths, type ProjectPaths } from './project-paths.js';
import { removeStaleTempFiles } from './remove-stale-temp-files.js';
import { writeBatchReports } from './write-batch-reports.js';
import { readTimingEnv } from './read-timing-env.js';
import { buildRenderTask, memoize, type FrameSet } from './build-render-task.js';
import type { RunStatus, RunSummary } from './types.js';

/** Retries of a clip's create call per provider (new seed each time after QA or output moderation). */
export const DEFAULT_MAX_ATTEMPTS = 3;
/** Per-frame deadline: a frame that takes longer fails the row with "frame N did not finish within X s". */
export const DEFAULT_FRAME_TIMEOUT_MS = 30_000;
/** Clips worked on at once across providers (each provider's own limits apply inside). */
export const DEFAULT_CLIP_CONCURRENCY = 8;

/**
 * Runs render tasks: the local piscina pool, or a queue of remote workers (`--queue`).
 * `runBatch` only talks to this port.
 */
export interface RenderRunner {
  run(task: RenderTask, options: { signal?: AbortSignal | null; onProgress?: ((progress: RenderTaskProgress) => void) | null }): Promise<RenderTaskResult>;
  /** Number of tasks that can run at once (how many jobs `runBatch` keeps in flight). */
  readonly concurrency: number;
  close(options?: { force?: boolean }): Promise<void>;
}

/** Options of `runBatch`. Every field but `dataset` and `template` is optional. */
export type RunBatchOptions = {
  /** Dataset file (CSV, TSV, JSON, NDJSON). */
  dataset: string;
  /** Template id (a folder under `templates/`) or a path to a template entry. */
  template: string;
  /** Project folder (templates/, datasets/, .reelwright/); default the current folder. */
  projectDir?: string;
  /** Output folder; default `outputs/<template id>`. */
  outDir?: string;
  /** State folder; default `<project>/.reelwright`. */
  stateDir?: string;
  /** Render only the first N valid rows. */
  limit?: number | null;
  /** Render only these row keys (the studio's "render this row"). */
  rowKeys?: readonly string[] | null;
  /** Handlebars pattern for output names. */
  namePattern?: string | null;
  /** Variants to render; default the template's first. */
  variants?: readonly string[] | null;
  /** Column → slot overrides. */
  map?: Readonly<Record<string, string>> | null;
  /** Stop before rendering when any row is invalid. */
  strict?: boolean;
  /** Re-render even up-to-date videos. */
  force?: boolean;
  /** Use draft models; draft clips are cached apart. */
  draft?: boolean;
  /** Use this provider for every B-roll slot (e.g. `local` for a free rehearsal). */
  provider?: string | null;
  /** Model for `provider`. */
  model?: string | null;
  /** No new paid attempt starts when spent + in flight would pass this many USD. */
  budgetUsd?: number | null;
  /**
   * Submit clips a provider's input moderation refused in an earlier run again (CLI `--retry-refused`). Default
   * false: the journal remembers such refusals, and their rows fail at once (`RW_CLIP_REFUSED_EARLIER`) without a
   * provider call.
   */
  retryRefused?: boolean;
  maxAttempts?: number;
  jpegQuality?: number;
  /** Reuse the previous frame's image when nothing changed (default true; output is identical either way). */
  frameReuse?: boolean;
  frameTimeoutMs?: number;
  /** Wait for another run to finish instead of exiting with `RW_RUN_LOCKED`. */
  wait?: boolean;
  /** Rows may point at images on loopback/private addresses (off: rows are untrusted). */
  allowPrivateMedia?: boolean;
  /**
   * Folder that relative image paths in the dataset resolve from, and must stay inside (relative to the
   * project folder); default the dataset file's folder. `reelwright watch` passes the inbox.
   */
  assetsDir?: string | null;
  /** Builds the render runner once the batch is planned (the CLI passes the piscina pool or a queue). */
  createRunner: (context: { paths: ProjectPaths; jobs: number }) => Promise<RenderRunner>;
  /** Environment for provider keys; default `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Project config; default `loadConfig({ projectDir })` (`reelwright.config.json`, if any). */
  config?: ReelwrightConfig | null;
  /**
   * Time between polls of a provider task, in ms. For tests: the default is the clip stage's
   * (5 s); the hidden variable `REELWRIGHT_POLL_INTERVAL_MS` in `env` sets it too.
   */
  pollIntervalMs?: number | null;
  /**
   * First backoff delay after a failed provider call, in ms (doubles each retry). For tests: the
   * default is the clip stage's (0.5 s); the hidden variable `REELWRIGHT_RETRY_BASE_MS` sets it too.
   */
  retryBaseDelayMs?: number | null;
  /** Command recorded in the journal. */
  command?: string;
  signal?: AbortSignal | null;
  onProgress?: OnBatchProgress | null;
  /** Called once the plan is known, before anything is spent. */
  onPlan?: ((plan: BatchPlan, prepared: PreparedBatch) => void) | null;
  /** Called when the run holds the lock and is journaled. */
  onRunStarted?: ((runId: string) => void) | null;
  logLevel?: LogLevel;
  onLog?: OnLog | null;
};

/** `RunBatchOptions` with defaults applied once; absent is `null`. */
type InternalRunBatchOptions = Required<Omit<RunBatchOptions, 'onPlan' | 'onRunStarted' | 'config'>> & {
  config: ReelwrightConfig;
  onPlan: RunBatchOptions['onPlan'];
  onRunStarted: RunBatchOptions['onRunStarted'];
};

function checkPositiveInteger(value: number, name: string): void {
  if (!Number.isInteger(value) || value <= 0) {
    throw new ConfigError(`options.${name} must be a positive whole number, got ${JSON.stringify(value)}.`, { code: 'RW_CONFIG_INVALID' });
  }
}

function resolveOptions(options: RunBatchOptions): InternalRunBatchOptions {
  if (options.limit !== undefined && options.limit !== null) checkPositiveInteger(options.limit, 'limit');
  if (options.maxAttempts !== undefined) checkPositiveInteger(options.maxAttempts, 'maxAttempts');
  if (options.frameTimeoutMs !== undefined) checkPositiveInteger(options.frameTimeoutMs, 'frameTimeoutMs');
  const jpegQuality = options.jpegQuality ?? DEFAULT_JPEG_QUALITY;
  if (!Number.isInteger(jpegQuality) || jpegQuality < 1 || jpegQuality > 100) {
    throw new ConfigError(`options.jpegQuality must be a whole number from 1 to 100, got ${JSON.stringify(options.jpegQuality)}.`, { code: 'RW_CONFIG_INVALID' });
  }
  if (options.budgetUsd !== undefined && options.budgetUsd !== null && !(options.budgetUsd >= 0)) {
    throw new ConfigError(`options.budgetUsd must be a number of dollars ≥ 0, got ${JSON.stringify(options.budgetUsd)}.`, { code: 'RW_CONFIG_INVALID' });
  }
  if (options.model && !options.provider) {
    throw new ConfigError('options.model needs options.provider (a model belongs to one provider), e.g. --provider luma --model ray-2.', { code: 'RW_CONFIG_INVALID' });
  }
  const projectDir = options.projectDir ?? process.cwd();
  const env = options.env ?? process.env;
  const config = options.config ?? loadConfig({ projectDir });
  const timing = readTimingEnv(env);
  const pollIntervalMs = options.pollIntervalMs ?? timing.pollIntervalMs;
  const retryBaseDelayMs = options.retryBaseDelayMs ?? timing.retryBaseDelayMs;
  if (pollIntervalMs !== null && !(Number.isInteger(pollIntervalMs) && pollIntervalMs >= 0)) {
    throw new ConfigError(`options.pollIntervalMs must be a whole number of milliseconds ≥ 0, got ${JSON.stringify(pollIntervalMs)}.`, { code: 'RW_CONFIG_INVALID' });
  }
  if (retryBaseDelayMs !== null && !(Number.isInteger(retryBaseDelayMs) && retryBaseDelayMs >= 0)) {
    throw new ConfigError(`options.retryBaseDelayMs must be a whole number of milliseconds ≥ 0, got ${JSON.stringify(retryBaseDelayMs)}.`, { code: 'RW_CONFIG_INVALID' });
  }
  // Flags win over the config file; a config model belongs to the config provider only.
  const provider = options.provider ?? config.provider;
  const model = options.provider ? (options.model ?? null) : config.model;
  return {
    dataset: options.dataset,
    template: options.template,
    projectDir,
    outDir: options.outDir ?? '',
    stateDir: options.stateDir ?? '',
    limit: options.limit ?? null,
    rowKeys: options.rowKeys ?? null,
    namePattern: options.namePattern ?? null,
    variants: options.variants ?? null,
    map: options.map ?? null,
    strict: options.strict ?? false,
    force: options.force ?? false,
    draft: options.draft ?? false,
    provider,
    model,
    budgetUsd: options.budgetUsd ?? null,
    retryRefused: options.retryRefused ?? false,
    maxAttempts: options.maxAttempts ?? config.clips.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    jpegQuality,
    frameReuse: options.frameReuse ?? true,
    frameTimeoutMs: options.frameTimeoutMs ?? DEFAULT_FRAME_TIMEOUT_MS,
    wait: options.wait ?? false,
    allowPrivateMedia: options.allowPrivateMedia ?? false,
    assetsDir: options.assetsDir ? path.resolve(projectDir, options.assetsDir) : null,
    createRunner: options.createRunner,
    env,
    config,
    pollIntervalMs,
    retryBaseDelayMs,
    command: options.command ?? 'render',
    signal: options.signal ?? null,
    onProgress: options.onProgress ?? null,
    onPlan: options.onPlan ?? null,
    onRunStarted: options.onRunStarted ?? null,
    logLevel: options.logLevel ?? 'info',
    onLog: options.onLog ?? null,
  };
}

/**
 * Runs a batch end to end: validate → plan → clips → render → journal, resumable and incremental.
 * Finished videos are kept; unfinished rows are rendered; paid clip tasks journaled by a killed run
 * are polled, not bought again. One bad row never stops the batch.
 *
 * @example
 * const summary = await runBatch({ dataset: 'datasets/welcome.csv', template: 'welcome', createRunner });
 */
export async function runBatch(options: RunBatchOptions): Promise<RunSummary> {
  const o = resolveOptions(options);
  const logOptions = { logLevel: o.logLevel, tag: 'runBatch()', onLog: o.onLog };
  const paths = projectPaths({ projectDir: o.projectDir, stateDir: o.stateDir || null });
  await mkdir(paths.stateDir, { recursive: true });
  const startedAt = new Date();
  const lock = await acquireRunLock({ stateDir: paths.stateDir, command: o.command, wait: o.wait, signal: o.signal });
  let journal: Journal | null = null;
  let prepared: PreparedBatch | null = null;
  try {
    journal = openJournal({ file: paths.journalFile, secretValues: collectSecretValues({ env: o.env }) });
    // The output folder is only known once the template id is: resolve after loading it.
    const outDirFor = (templateId: string) => path.resolve(paths.projectDir, o.outDir || path.join(paths.outputsDir, templateId));
    prepared = await prepareBatch({
      paths,
      dataset: path.resolve(paths.projectDir, o.dataset),
      template: o.template,
      journal,
      limit: o.limit,
      rowKeys: o.rowKeys,
      namePattern: o.namePattern,
      variants: o.variants,
      map: o.map,
      draft: o.draft,
      force: o.force,
      provider: o.provider,
      model: o.model,
      jpegQuality: o.jpegQuality,
      env: o.env,
      requireKeys: true,
      retryRefused: o.retryRefused,
      config: o.config,
      allowPrivateMedia: o.allowPrivateMedia,
      assetsDir: o.assetsDir,
      logLevel: o.logLevel,
      onLog: o.onLog,
      signal: o.signal,
      outDirFor,
    });
    const batch = prepared;
    const outDir = outDirFor(batch.template.id);
    // A run killed mid-encode leaves its temporary MP4 behind; holding the lock, no live run of this project writes one now.
    for (const name of await removeStaleTempFiles({ outDir })) log.verbose(logOptions, `removed ${name}, left by an interrupted run`);
    o.onPlan?.(batch.plan, batch);
    if (o.strict && batch.invalidRows.length > 0) {
      throw new DatasetError(
        `${batch.datasetLabel}: ${batch.invalidRows.length} invalid row(s) and --strict is on, so nothing was rendered. ` +
          `First problem: ${batch.invalidRows[0]?.messages[0] ?? 'see reelwright validate'}`,
        { code: 'RW_DATASET_INVALID_ROWS' },
      );
    }
    return await executeBatch({ o, paths, journal, batch, outDir, startedAt, logOptions });
  } finally {
    prepared?.cache.close();
    journal?.close();
    lock.release();
  }
}

type ExecuteBatchContext = {
  o: InternalRunBatchOptions;
  paths: ProjectPaths;
  journal: Journal;
  batch: PreparedBatch;
  outDir: string;
  startedAt: Date;
  logOptions: { logLevel: LogLevel; tag: string; onLog: OnLog | null };
};

async function executeBatch(context: ExecuteBatchContext): Promise<RunSummary> {
  const { o, paths, journal, batch, outDir, startedAt, logOptions } = context;
  const { plan, template } = batch;
  const run = journal.beginRun({
    command: o.command,
    dataset: batch.datasetFile,
    templateId: template.id,
    templateVersion: template.version,
    bundleHash: batch.bundle.hash,
    options: {
      // The template as given (an id or a path), the column mapping, the media rule and the assets folder: with the rest, enough
      // to plan one row again exactly as this run did (`reproduceVideo`).
      template: o.template,
      map: o.map,
      allowPrivateMedia: o.allowPrivateMedia,
      assetsDir: o.assetsDir,
      outDir,
      limit: o.limit,
      variants: plan.variants,
      namePattern: plan.namePattern,
      force: o.force,
      draft: o.draft,
      provider: o.provider,
      model: o.model,
      budgetUsd: o.budgetUsd,
      retryRefused: o.retryRefused,
      maxAttempts: o.maxAttempts,
      jpegQuality: o.jpegQuality,
      frameReuse: o.frameReuse,
    },
  });
  const runId = run.id;
  o.onRunStarted?.(runId);
  journal.recordPlannedRows({ runId, jobs: plan.jobs });
  for (const invalid of batch.invalidRows) {
    journal.recordSkippedRow({
      runId,
      rowKey: `line-${invalid.line}`,
      rowIndex: invalid.index,
      line: invalid.line,
      error: { code: 'RW_DATASET_INVALID_ROW', message: invalid.messages.join('\n') },
    });
  }
  for (const problem of plan.problems) {
    journal.recordSkippedRow({
      runId,
      rowKey: problem.rowKey,
      ...(problem.variant ? { variant: problem.variant } : {}),
      rowIndex: problem.rowIndex,
      line: problem.line,
      error: { code: problem.code, message: problem.message },
    });
  }
  journal.recordClipRequests({ clips: plan.clips.map((c) => ({ clipId: c.clipId, request: c.request })) });
  for (const line of batch.invalidRows.flatMap((r) => r.messages)) log.warn(logOptions, line);

  const jobsToRender = plan.jobs.filter((j) => j.status === 'render');
  const counts = { rendered: 0, renderedNew: 0, failed: 0, skipped: 0, clipsDone: 0, clipsFailed: 0, frames: 0 };
  let renderStartedAt = 0;
  let stage: BatchStage = 'clips';
  const emit = (s: BatchStage, done: number, total: number, failed: number) => {
    stage = s;
    const elapsed = renderStartedAt ? (Date.now() - renderStartedAt) / 1000 : 0;
    const fps = elapsed > 0 ? counts.frames / elapsed : 0;
    const rate = elapsed > 0 && done > 0 ? elapsed / done : null;
    o.onProgress?.({
      stage: s,
      done,
      total,
      failed,
      progress: computeOverallProgress(s, done, total),
      fps,
      etaMs: rate !== null && s === 'render' ? Math.round(rate * (total - done) * 1000) : null,
    });
  };
  emit('validate', batch.rowsRead, batch.rowsRead, batch.invalidRows.length);
  emit('plan', plan.jobs.length, plan.jobs.length, plan.problems.length);

  const ledger = new BudgetLedger(journal, o.budgetUsd);
  const neededClips = plan.clips;
  const clipPromises = generateBatchClips({
    clips: neededClips,
    chains: batch.chains,
    providers: batch.providers,
    limits: o.config.limits,
    pollIntervalMs: o.pollIntervalMs,
    retryPolicy: o.retryBaseDelayMs === null ? null : { ...DEFAULT_RETRY_POLICY, baseDelayMs: o.retryBaseDelayMs, maxDelayMs: Math.max(o.retryBaseDelayMs, Math.min(DEFAULT_RETRY_POLICY.maxDelayMs, o.retryBaseDelayMs * 16)) },
    deadlineMs: o.config.clips.deadlineMs,
    qa: o.config.clips.qa,
    ledger,
    cache: batch.cache,
    runId,
    workDir: paths.workDir,
    maxAttempts: o.maxAttempts,
    retryRefused: o.retryRefused,
    concurrency: o.config.clips.concurrency ?? DEFAULT_CLIP_CONCURRENCY,
    signal: o.signal,
    onClipDone: (outcome) => {
      counts.clipsDone++;
      if (!outcome.ok) counts.clipsFailed++;
      recordClipUses(journal, runId, plan, outcome);
      if (stage === 'clips') emit('clips', counts.clipsDone, neededClips.length, counts.clipsFailed);
    },
    onEvent: (event) => {
      if (event.type === 'attempt-failed' && event.costUsd === null) {
        log.warn(logOptions, `clip ${event.clipId.slice(0, 10)}, attempt ${event.attemptNo}: ${describeUnknownCost(event.provider)} (${event.code}).${o.budgetUsd === null ? '' : ' --budget counts its list price as spent.'}`);
      } else log.verbose(logOptions, `clip ${event.clipId.slice(0, 10)}: ${event.type}`);
    },
    logLevel: o.logLevel,
    onLog: o.onLog,
  });
  if (neededClips.length > 0) emit('clips', 0, neededClips.length, 0);

  const frameSets = memoize<FrameSet>();
  const remoteMedia = memoize<string>();
  let status: RunStatus = 'completed';
  let runError: ErrorRecord | null = null;
  let budgetHit = false;
  const runner = jobsToRender.length > 0 ? await o.createRunner({ paths, jobs: jobsToRender.length }) : null;
  try {
    renderStartedAt = Date.now();
    let next = 0;
    let finished = 0;
    const renderOne = async (job: RenderJob) => {
      const ref = { runId, rowKey: job.rowKey, variant: job.variant };
      const clipFiles: Record<string, string> = {};
      for (const [slot, clipId] of Object.entries(job.clips)) {
        const outcome = await (clipPromises.get(clipId as ClipId) ?? Promise.reject(new Error(`clip ${clipId} was not planned`)));
        if (!outcome.ok) {
          if (outcome.budget) {
            budgetHit = true;
            journal.recordSkippedRow({ ...ref, rowIndex: job.rowIndex, line: job.line, error: { code: 'RW_BUDGET_EXCEEDED', message: `skipped: budget (${outcome.error.message})` } });
            counts.skipped++;
          } else {
            const message = `B-roll "${slot}" could not be generated: ${outcome.error.message}`;
            // Said on stderr too, like a render failure: otherwise the run ends with "N failed" and no reason in sight.
            log.error(logOptions, `row ${job.rowKey} (line ${job.line}, ${job.variant}) failed: ${message}`);
            journal.markRowFailed({ ...ref, error: { code: outcome.error.code, message } });
            counts.failed++;
          }
          return;
        }
        clipFiles[slot] = outcome.file;
      }
      journal.markRowRendering(ref);
      const started = Date.now();
      try {
        const task = await buildRenderTask({
          job,
          batch,
          paths,
          outDir,
          clipFiles,
          frameSets,
          remoteMedia,
          jpegQuality: o.jpegQuality,
          frameReuse: o.frameReuse,
          frameTimeoutMs: o.frameTimeoutMs,
          allowPrivateMedia: o.allowPrivateMedia,
          signal: o.signal,
        });
        const result = await (runner as RenderRunner).run(task, {
          signal: o.signal,
          onProgress: (p) => {
            if (p.type === 'retry') log.warn(logOptions, `${job.jobId}: ${p.reason}; retrying on a fresh browser (attempt ${p.attempt})`);
          },
        });
        counts.frames += result.frames;
        // Size (and mtime, for the record) of the finished file: the next plan re-renders it if the size differs.
        const file = statSync(result.outFile, { throwIfNoEntry: false });
        journal.markRowRendered({
          ...ref,
          templateId: template.id,
          outputPath: result.outFile,
          manifestHash: job.manifestHash,
          manifest: buildJobManifest({ plan, job }),
          wallMs: result.wallMs,
          cpuMs: result.cpuMs,
          frames: result.frames,
          outputFile: file ? { bytes: file.size, mtimeMs: file.mtimeMs } : null,
        });
        counts.rendered++;
        if (job.reason === 'new_row') counts.renderedNew++;
      } catch (error) {
        if (error instanceof CancelledError || o.signal?.aborted) throw error;
        const record = toErrorRecord(error);
        log.error(logOptions, `row ${job.rowKey} (line ${job.line}, ${job.variant}) failed: ${record.message}`);
        journal.markRowFailed({ ...ref, error: { code: record.code, message: record.message }, wallMs: Date.now() - started });
        counts.failed++;
      }
    };
    const lanes = Math.max(1, (runner?.concurrency ?? 1) * 2);
    const lane = async () => {
      while (next < jobsToRender.length) {
        if (o.signal?.aborted) throw new CancelledError(undefined, o.signal.reason);
        const job = jobsToRender[next++] as RenderJob;
        await renderOne(job);
        finished++;
        emit('render', finished, jobsToRender.length, counts.failed + counts.skipped);
      }
    };
    if (jobsToRender.length > 0) emit('render', 0, jobsToRender.length, 0);
    const results = await Promise.allSettled(Array.from({ length: Math.min(lanes, jobsToRender.length) }, lane));
    const rejected = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (rejected) throw rejected.reason;
    await Promise.allSettled([...clipPromises.values()]);
    if (budgetHit) status = 'budget_exceeded';
  } catch (error) {
    if (error instanceof CancelledError || o.signal?.aborted) {
      status = 'cancelled';
      runError = { code: 'RW_CANCELLED', message: 'The run was stopped; `render` again resumes it.', name: 'CancelledError' };
    } else {
      status = 'failed';
      runError = toErrorRecord(error);
    }
  } finally {
    await runner?.close({ force: status === 'cancelled' });
  }

  const endedAt = new Date();
  const upToDate = plan.totals.upToDate;
  const summary: RunSummary = {
    runId,
    status,
    startedAt: startedAt.toISOString(),
    endedAt: endedAt.toISOString(),
    wallMs: endedAt.getTime() - startedAt.getTime(),
    dataset: batch.datasetFile,
    template: { id: template.id, version: template.version },
    counts: {
      rows: batch.rowsRead,
      invalid: batch.invalidRows.length,
      jobs: plan.jobs.length,
      rendered: counts.rendered,
      upToDate,
      failed: counts.failed + plan.problems.length,
      skipped: counts.skipped,
      // Of the rows rendered (a planned row that failed or was skipped is in neither).
      newRows: counts.renderedNew,
      changedRows: counts.rendered - counts.renderedNew,
      unchangedRows: upToDate,
    },
    spendUsd: { generation: round2(ledger.spentUsd), compute: 0, total: round2(ledger.spentUsd), unknown: round2(ledger.unknownUsd) },
    outputDir: outDir,
    reports: null,
    exitCode: status === 'failed' ? 2 : counts.failed + counts.skipped + batch.invalidRows.length + plan.problems.length > 0 || status !== 'completed' ? 1 : 0,
    error: runError ? { code: runError.code, message: runError.message } : null,
  };
  journal.finishRun({
    runId,
    status,
    error: runError ? { code: runError.code, message: runError.message } : null,
    extraTotals: { wallMs: summary.wallMs, frames: counts.frames, rendered: counts.rendered, failed: summary.counts.failed, skipped: counts.skipped },
  });
  // A run that ended by failure or budget still gets its reports: that is when they matter most. A run that rendered,
  // failed, skipped and spent nothing writes none (it is journaled; `reelwright report <run>` builds them on demand):
  // a nightly no-op run would otherwise leave three files a night in <outDir>/reports. Invalid rows alone do not make
  // a report: they are printed (and are NDJSON `invalid` events) and exit 1 every night, and one bad row left in a
  // cron's sheet would otherwise still add three files a night.
  const idle = status === 'completed' && counts.rendered === 0 && summary.counts.failed === 0 && counts.skipped === 0 && ledger.spentUsd === 0;
  if (idle) {
    log.verbose(logOptions, `nothing rendered, failed or spent: no report files (\`reelwright report ${runId}\` writes them)`);
    return summary;
  }
  try {
    const { report, files } = await writeBatchReports({ journal, runId, outDir, thumbsDir: path.join(paths.stateDir, 'thumbs'), logLevel: o.logLevel, onLog: o.onLog });
    summary.reports = files;
    const costs = report.summary.spend;
    summary.spendUsd = {
      generation: costs.generationMicros / 1e6,
      compute: costs.computeMicros / 1e6,
      total: costs.totalMicros / 1e6,
      unknown: report.summary.ledger.unknownCostEstimateMicros / 1e6,
    };
  } catch (error) {
    log.warn(logOptions, 'could not write the run reports:', error);
  }
  return summary;
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

function recordClipUses(journal: Journal, runId: string, plan: BatchPlan, outcome: ClipOutcome): void {
  const planned = plan.clips.find((c) => c.clipId === outcome.clipId);
  if (!planned) return;
  const local = planned.request.provider === 'local';
  journal.recordClipUses({
    runId,
    uses: planned.users.map((user, index) => ({
      rowKey: user.rowKey,
      variant: user.variant,
      slot: user.slot,
      clipId: planned.clipId,
      origin: local ? 'local' : !outcome.ok || outcome.origin === 'generated' ? (index === 0 ? 'generated' : 'shared') : 'cache',
    })),
  });
}
