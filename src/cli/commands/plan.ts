import path from 'node:path';
import type { Command } from 'commander';
import pc from 'picocolors';
import { openJournal } from '../../journal/index.js';
import { log } from '../../log/index.js';
import { toPlanDocument } from '../../plan/index.js';
import { loadConfig, prepareBatch, projectPaths } from '../../run/index.js';
import { DEFAULT_JPEG_QUALITY } from '../../render/index.js';
import { ConfigError } from '../../errors/index.js';
import { mkdirSync } from 'node:fs';
import { EXIT_SOME_FAILED } from '../exit-codes.js';
import { ExitRequest } from '../exit-request.js';
import { addBatchOptions, type BatchFlags } from '../batch-options.js';
import { plural } from '../plural.js';

type PlanFlags = BatchFlags & {
  json?: boolean;
};

function usd(value: number): string {
  return `$${value.toFixed(2)}`;
}

/** `reelwright plan`: what a render would do and cost, without generating or rendering anything. */
export function registerPlanCommand(program: Command): void {
  const command = program
    .command('plan')
    .description('Show what render would do and what it would cost, without spending or rendering anything.')
    .argument('<dataset>', 'CSV, TSV, JSON or NDJSON file');
  addBatchOptions(command, {
    for: 'plan',
    template: 'required',
    addOwnOptions: (c) => c.option('--json', 'print the plan as JSON (schemas/plan.schema.json) on stdout'),
  })
    .addHelpText('after', '\nExamples:\n  $ reelwright plan datasets/welcome.csv --template welcome\n  $ reelwright plan leads.csv -t welcome --provider luma --budget 25 --json > plan.json')
    .action(async (dataset: string, flags: PlanFlags) => {
      if (flags.model && !flags.provider) throw new ConfigError('--model needs --provider (a model belongs to one provider).', { code: 'RW_CONFIG_INVALID' });
      const paths = projectPaths({ projectDir: flags.project ?? null });
      // A bad config file fails before anything is opened.
      const config = loadConfig({ projectDir: paths.projectDir });
      mkdirSync(paths.stateDir, { recursive: true });
      const journal = openJournal({ file: paths.journalFile });
      try {
        const prepared = await prepareBatch({
          paths,
          dataset: path.resolve(dataset),
          template: flags.template,
          journal,
          outDirFor: (id) => path.resolve(flags.out ?? path.join(paths.outputsDir, id)),
          limit: flags.limit ?? null,
          rowKeys: null,
          namePattern: flags.name ?? null,
          variants: flags.variants ?? null,
          map: flags.map ?? null,
          assetsDir: flags.assetsDir ? path.resolve(flags.assetsDir) : null,
          draft: flags.draft ?? false,
          force: flags.force ?? false,
          provider: flags.provider ?? null,
          model: flags.model ?? null,
          jpegQuality: DEFAULT_JPEG_QUALITY,
          env: process.env,
          requireKeys: false,
          retryRefused: flags.retryRefused ?? false,
          config,
          logLevel: 'info',
          onLog: null,
          signal: null,
        });
        prepared.cache.close();
        const { plan } = prepared;
        const overBudget = flags.budget !== undefined && plan.totals.money.totalUsd > flags.budget;
        if (flags.json) {
          const doc = toPlanDocument(plan);
          process.stdout.write(`${JSON.stringify({ ...doc, invalidRows: prepared.invalidRows.map((r) => ({ line: r.line, problems: r.messages })) }, null, 2)}\n`);
        } else {
          const logOptions = { logLevel: 'info' as const, tag: 'plan' };
          for (const invalid of prepared.invalidRows) for (const m of invalid.messages) log.info(logOptions, `${pc.red('✘')} ${m}`);
          const clipOf = new Map(plan.clips.map((c) => [c.clipId, c]));
          for (const job of plan.jobs) {
            const head = `line ${job.line} ${job.rowKey} [${job.variant}] → ${job.outputName}`;
            if (job.status === 'up_to_date') {
              log.info(logOptions, `${pc.green('=')} ${head}: up to date`);
              continue;
            }
            log.info(logOptions, `${pc.cyan('+')} ${head}: render (${job.reason?.replace('_', ' ')})`);
            for (const [slot, clipId] of Object.entries(job.clips)) {
              const clip = clipOf.get(clipId);
              const status = job.clipStatus[slot] === 'refused' ? pc.red('refused earlier') : (job.clipStatus[slot] ?? '?');
              log.info(logOptions, `    ${slot}: ${status} ${clip ? `${clip.request.provider}:${clip.request.model} "${clip.request.prompt}"` : clipId}`);
              const refusal = clip?.refusal;
              if (refusal) {
                const when = `${new Date(refusal.refusedAt).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
                log.info(logOptions, `      ${refusal.provider}'s input moderation, ${refusal.runId ? `run ${refusal.runId}, ` : ''}${when}: ${refusal.message}`);
              }
            }
          }
          for (const problem of plan.problems) log.info(logOptions, `${pc.red('✘')} line ${problem.line} ${problem.rowKey}: ${problem.message}`);
          const t = plan.totals;
          log.info(logOptions, '');
          log.info(logOptions, `Rows: ${t.rows} valid, ${prepared.invalidRows.length} invalid. Videos: ${t.render} to render, ${t.upToDate} up to date.`);
          log.info(
            logOptions,
            `Clips: ${plural(t.clipRequests, 'request')} → ${t.distinctClips} after dedupe (${t.cachedClips} cached, ${t.newClips} new, ` +
              `${t.refusedClips ? `${t.refusedClips} refused earlier, ` : ''}${plural(t.sharedUses, 'shared use')}).`,
          );
          for (const line of t.money.byModel) log.info(logOptions, `  ${line.provider}:${line.model} ${plural(line.clips, 'clip')} ≈ ${usd(line.usd)} per attempt (${line.source}, ${line.date})`);
          log.info(logOptions, `Estimated spend: ${usd(t.money.totalUsd)} (first attempts at list price). Render: ${plural(t.frames, 'frame')} ≈ ${Math.ceil(t.renderSeconds)} s.`);
          for (const warning of plan.warnings) log.info(logOptions, pc.yellow(`warning: ${warning}`));
          if (overBudget) log.info(logOptions, pc.red(`The estimate ${usd(t.money.totalUsd)} is over the ${usd(flags.budget as number)} budget.`));
        }
        // Clips refused earlier fail their rows in render, like problems do.
        if (overBudget || prepared.invalidRows.length > 0 || plan.problems.length > 0 || plan.totals.refusedClips > 0) throw new ExitRequest(EXIT_SOME_FAILED);
      } finally {
        journal.close();
      }
    });
}
