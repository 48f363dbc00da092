import type { Command } from 'commander';
import { ConfigError } from '../../errors/index.js';
import { log } from '../../log/index.js';
import { DEFAULT_RUNS_LIMIT, formatDuration, formatMicros, summarizeRuns } from '../../report/index.js';
import type { RunListing } from '../../report/index.js';
import { DEFAULT_STATE_DIR, openExistingJournal } from './report.js';
import { plural } from '../plural.js';

type RunsCommandOptions = { limit: string; json?: boolean; stateDir: string };

function parseLimit(value: string): number {
  const limit = Number(value);
  if (!Number.isInteger(limit) || limit < 1) throw new ConfigError(`--limit must be a whole number ≥ 1; got "${value}".`, { code: 'RW_REPORT_BAD_OPTION' });
  return limit;
}

function unknown(run: RunListing): string {
  return run.unknownCostMicros > 0 ? ` (+ up to ${formatMicros({ micros: run.unknownCostMicros, style: 'display' })} of unknown cost)` : '';
}

function describe(run: RunListing): string {
  const r = run.rows;
  const started = run.startedAt.replace('T', ' ').replace(/\.\d+Z$/, 'Z');
  const wall = run.wallSeconds === null ? '' : ` in ${formatDuration({ seconds: run.wallSeconds })}`;
  return (
    `${run.id}  ${started}  ${run.status.replace(/_/g, ' ').padEnd(15)} ` +
    `${plural(r.total, 'row')} (${r.rendered} rendered, ${r.failed} failed, ${r.skipped} skipped, ${r.upToDate} up to date), ` +
    `${plural(run.attempts, 'attempt')}, AI ${formatMicros({ micros: run.aiSpendMicros, style: 'display' })}${unknown(run)}${wall}` +
    `${run.totalsSource === 'counted' ? ' (unfinished: counted now)' : ''}  ${run.templateId ?? ''} ${run.dataset ?? ''}`.trimEnd()
  );
}

/** `reelwright runs [--limit N] [--json]`: past runs, newest first, with their row counts, attempts and AI spend. */
export function registerRunsCommand(program: Command): void {
  program
    .command('runs')
    .description('List past runs, newest first, with their rows, attempts and AI spend (from the journal).')
    .option('--limit <n>', 'most runs to list', String(DEFAULT_RUNS_LIMIT))
    .option('--json', 'print the runs as JSON on stdout')
    .option('--state-dir <dir>', 'the project state folder holding journal.db', DEFAULT_STATE_DIR)
    .addHelpText('after', '\nExamples:\n  $ reelwright runs\n  $ reelwright runs --limit 5 --json\n  $ reelwright report <run-id>   # the per-row report of one run')
    .action((options: RunsCommandOptions) => {
      const limit = parseLimit(options.limit);
      const journal = openExistingJournal(options.stateDir);
      try {
        const runs = summarizeRuns({ journal, limit });
        if (options.json) {
          process.stdout.write(`${JSON.stringify(runs, null, 2)}\n`);
          return;
        }
        const logOptions = { logLevel: 'info' as const, tag: 'runs' };
        if (runs.length === 0) log.info(logOptions, `No runs in ${journal.file} yet.`);
        for (const run of runs) log.info(logOptions, describe(run));
      } finally {
        journal.close();
      }
    });
}
