import path from 'node:path';
import type { Command } from 'commander';
import pc from 'picocolors';
import { formatSummaryLine, parseCommandLine, runOnComplete, sendNotification } from '../../automation/index.js';
import { log, type LogLevel } from '../../log/index.js';
import { createRenderPool } from '../../pool/index.js';
import { createQueueRunner, createSharedDirStorage, deriveQueueRunId, type RenderStorage } from '../../queue/index.js';
import { ConfigError } from '../../errors/index.js';
import { SHARED_DIR_ENV } from './worker.js';
import { runBatch, type RunBatchOptions, type RunSummary } from '../../run/index.js';
import { ExitRequest } from '../exit-request.js';
import { EXIT_INTERRUPTED } from '../exit-codes.js';
import { addBatchOptions, type BatchFlags } from '../batch-options.js';
import { parseConcurrency, parsePositiveInt, parseQuality } from '../parse-options.js';
import { ProgressDisplay } from '../progress-display.js';
import { plural } from '../plural.js';

/** Flags of `render` (also used by `schedule … render` and `watch`). */
export type RenderFlags = BatchFlags & {
  strict?: boolean;
  concurrency?: number | `${number}%`;
  frameReuse?: boolean;
  jpegQuality?: number;
  maxAttempts?: number;
  wait?: boolean;
  json?: boolean;
  quiet?: boolean;
  verbose?: boolean;
  notify?: string;
  onComplete?: string;
  allowPrivateMedia?: boolean;
  queue?: string;
  shared?: string;
};

/** Adds the render options to a command (shared by `render`, `schedule` and `watch`): the batch options plus render's own. */
export function addRenderOptions(command: Command, options: { withTemplate: 'required' | 'optional' }): Command {
  return addBatchOptions(command, {
    for: 'render',
    template: options.withTemplate,
    addOwnOptions: (c) =>
      c
        .option('--strict', 'stop before rendering when any row is invalid')
        .option('--concurrency <n>', 'render workers, a number or a percentage of cores (default: one per core)', parseConcurrency)
        .option('--no-frame-reuse', 'capture every frame even when nothing changed (output is identical either way)')
        .option('--jpeg-quality <q>', 'quality of captured frames, 1-100', parseQuality)
        .option('--max-attempts <n>', 'paid attempts per clip and provider (new seed after QA or output moderation)', parsePositiveInt)
        .option('--wait', 'wait for a running batch in this project instead of exiting with code 2')
        .option('--json', 'print NDJSON progress events and the summary on stdout')
        .option('-q, --quiet', 'no progress; print only errors and the summary line (for cron)')
        .option('--verbose', 'log every step')
        .option('--notify <url>', 'POST a JSON summary here when the run ends (signed when REELWRIGHT_NOTIFY_SECRET is set)')
        .option('--on-complete <command>', 'run this command with the JSON summary on stdin when the run ends (no shell)')
        .option('--allow-private-media', 'let rows point at images on loopback or private addresses')
        .option('--queue <redis-url>', 'distribute render jobs to workers through Redis (see `reelwright worker`)')
        .option('--shared <dir>', `with --queue: the folder shared with the workers (default: $${SHARED_DIR_ENV})`),
  });
}

/** Runs one batch with the CLI's flags: progress display, reports, notifications. */
export async function renderWithFlags(dataset: string, flags: RenderFlags & { template: string }, signal: AbortSignal): Promise<RunSummary> {
  const logLevel: LogLevel = flags.verbose ? 'verbose' : flags.quiet ? 'warn' : 'info';
  const logOptions = { logLevel, tag: 'render' };
  // The shared folder is checked before the run starts: runBatch creates the runner only after the journal run has
  // begun and the (paid) clips are generated, and not at all when every row is up to date.
  let storage: RenderStorage | null = null;
  if (flags.queue) {
    const root = flags.shared ?? process.env[SHARED_DIR_ENV];
    if (!root) throw new ConfigError(`--queue needs the shared folder the workers see: pass --shared <dir> or set ${SHARED_DIR_ENV}.`, { code: 'RW_CONFIG_INVALID' });
    storage = await createSharedDirStorage({ root });
  }
  const display = flags.json || flags.quiet ? null : new ProgressDisplay();
  const options: RunBatchOptions = {
    dataset: path.resolve(dataset),
    template: flags.template,
    ...(flags.project ? { projectDir: flags.project } : {}),
    ...(flags.out ? { outDir: path.resolve(flags.out) } : {}),
    limit: flags.limit ?? null,
    namePattern: flags.name ?? null,
    variants: flags.variants ?? null,
    map: flags.map ?? null,
    assetsDir: flags.assetsDir ? path.resolve(flags.assetsDir) : null,
    strict: flags.strict ?? false,
    force: flags.force ?? false,
    draft: flags.draft ?? false,
    provider: flags.provider ?? null,
    model: flags.model ?? null,
    budgetUsd: flags.budget ?? null,
    retryRefused: flags.retryRefused ?? false,
    frameReuse: flags.frameReuse ?? true,
    ...(flags.jpegQuality ? { jpegQuality: flags.jpegQuality } : {}),
    ...(flags.maxAttempts ? { maxAttempts: flags.maxAttempts } : {}),
    wait: flags.wait ?? false,
    allowPrivateMedia: flags.allowPrivateMedia ?? false,
    command: 'render',
    signal,
    logLevel,
    createRunner: async ({ paths }) => {
      if (!flags.queue || !storage) return createRenderPool({ concurrency: flags.concurrency ?? '100%', logLevel });
      return createQueueRunner({
        redisUrl: flags.queue,
        storage,
        // Stable across restarts of this command, so a restarted coordinator re-attaches to its jobs.
        // The out folder as the batch resolves it (against the working folder), not the raw flag.
        runId: deriveQueueRunId({ projectDir: paths.projectDir, dataset: path.resolve(dataset), template: flags.template, outDir: flags.out ? path.resolve(flags.out) : null }),
        signal,
        logLevel,
        ...(typeof flags.concurrency === 'number' ? { concurrencyHint: flags.concurrency } : {}),
      });
    },
    onPlan: (plan, prepared) => {
      // The planner's warnings (a fallback left out, names that collide, clips refused earlier), before anything is spent.
      if (flags.json) {
        process.stdout.write(`${JSON.stringify({ type: 'plan', totals: plan.totals, invalidRows: prepared.invalidRows.length })}\n`);
        // Each invalid row with its problems, as `plan --json` lists them: scripts should not have to scrape stderr.
        for (const invalid of prepared.invalidRows) process.stdout.write(`${JSON.stringify({ type: 'invalid', line: invalid.line, problems: invalid.messages })}\n`);
        for (const warning of plan.warnings) process.stdout.write(`${JSON.stringify({ type: 'warning', stage: 'plan', message: warning })}\n`);
        return;
      }
      const t = plan.totals;
      // --strict with invalid rows: runBatch stops right after this (exit 2) with an error naming the first problem; nothing is rendered.
      if (flags.strict && prepared.invalidRows.length > 0) return;
      log.info(
        logOptions,
        `${prepared.datasetLabel}: ${plural(t.rows, 'valid row')}${prepared.invalidRows.length ? `, ${prepared.invalidRows.length} invalid (skipped)` : ''} → ` +
          `${t.render} to render, ${t.upToDate} up to date; clips: ${t.newClips} new, ${t.cachedClips} cached` +
          `${t.refusedClips ? `, ${t.refusedClips} refused earlier` : ''} (est. $${t.money.totalUsd.toFixed(2)})`,
      );
      // Same wording as `reelwright plan`.
      for (const warning of plan.warnings) log.info(logOptions, pc.yellow(`warning: ${warning}`));
    },
    onProgress: (event) => {
      if (flags.json) process.stdout.write(`${JSON.stringify({ type: 'progress', ...event })}\n`);
      else display?.update(event);
    },
  };
  let summary: RunSummary;
  try {
    summary = await runBatch(options);
  } finally {
    display?.done();
  }
  if (flags.json) process.stdout.write(`${JSON.stringify({ type: 'summary', ...summary })}\n`);
  else {
    const color = summary.exitCode === 0 ? pc.green : pc.yellow;
    log.info({ ...logOptions, logLevel: 'info' }, color(formatSummaryLine(summary)));
    if (!flags.quiet) {
      log.info(logOptions, `Videos: ${path.relative(process.cwd(), summary.outputDir) || '.'}${path.sep}`);
      if (summary.reports) log.info(logOptions, `Report: ${path.relative(process.cwd(), summary.reports.html)}`);
    }
  }
  if (flags.notify) {
    const result = await sendNotification({ url: flags.notify, summary, secret: process.env['REELWRIGHT_NOTIFY_SECRET'] ?? null });
    if (!result.ok) log.warn(logOptions, `notification to ${new URL(flags.notify).origin} failed after ${plural(result.attempts, 'attempt')}: ${result.error?.message ?? result.status}`);
  }
  if (flags.onComplete) {
    const result = await runOnComplete({ command: parseCommandLine(flags.onComplete), summary });
    if (!result.ok) log.warn(logOptions, `--on-complete command failed: ${result.error?.message ?? `exit ${result.exitCode}`}`);
  }
  return summary;
}

/** Aborts on the first Ctrl-C (the batch stops cleanly and can be resumed); a second one exits at once. */
export function interruptSignal(): AbortSignal {
  const controller = new AbortController();
  let count = 0;
  const onSigint = () => {
    count++;
    if (count === 1) {
      process.stderr.write('\nStopping: finishing the journal (Ctrl-C again to quit at once). `render` again resumes.\n');
      controller.abort(new Error('interrupted by Ctrl-C'));
    } else process.exit(EXIT_INTERRUPTED);
  };
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigint);
  return controller.signal;
}

/** `reelwright render <dataset> --template <id>`. */
export function registerRenderCommand(program: Command): void {
  const command = program
    .command('render')
    .description('Render every valid row of a dataset to an MP4 (resumable; unchanged rows are skipped).')
    .argument('<dataset>', 'CSV, TSV, JSON or NDJSON file');
  addRenderOptions(command, { withTemplate: 'required' })
    .addHelpText(
      'after',
      [
        '',
        'Exit codes: 0 all rows rendered or up to date · 1 some rows failed, were invalid or skipped · 2 the run could not start',
        '(or --strict found an invalid row) · 130 stopped by Ctrl-C (render again resumes).',
        '',
        'Provider keys come from the environment only (RUNWAYML_API_SECRET, LUMAAI_API_KEY); a missing key stops the run before',
        'anything is spent. Base URLs, timeouts, limits (concurrency, requests per minute), a price table and clip settings go in',
        'reelwright.config.json in the project folder (schemas/config.schema.json); flags win over it.',
        '',
        'Examples:',
        '  $ reelwright render datasets/welcome.csv --template welcome',
        '  $ reelwright render datasets/welcome.csv -t welcome --limit 3 --variants landscape,vertical',
        '  $ reelwright render leads.csv -t welcome --name "{{company}}-{{name}}" --out videos/',
        '  $ reelwright render leads.csv -t welcome --provider luma --budget 20',
      ].join('\n'),
    )
    .action(async (dataset: string, flags: RenderFlags & { template: string }) => {
      const signal = interruptSignal();
      let summary: RunSummary;
      try {
        summary = await renderWithFlags(dataset, flags, signal);
      } catch (error) {
        // Ctrl-C before the run started (or while it wound down): 130, like a second Ctrl-C.
        if (signal.aborted) throw new ExitRequest(EXIT_INTERRUPTED);
        throw error;
      }
      throw new ExitRequest(signal.aborted ? EXIT_INTERRUPTED : summary.exitCode);
    });
}
