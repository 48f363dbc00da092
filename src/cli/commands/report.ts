import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { ConfigError } from '../../errors/index.js';
import { DEFAULT_JOURNAL_FILE_NAME, openJournal } from '../../journal/index.js';
import type { Journal } from '../../journal/index.js';
import { log } from '../../log/index.js';
import {
  buildRunReport,
  DEFAULT_COMPUTE_USD_PER_CPU_HOUR,
  formatReportSummary,
  renderCsvReport,
  renderHtmlReport,
  renderJsonReport,
  ReportError,
  writeCsvReport,
  writeHtmlReport,
  writeJsonReport,
  writeRunReports,
} from '../../report/index.js';

/** The project's state folder (journal, clip cache, lock) when `--state-dir` is not given. */
export const DEFAULT_STATE_DIR = '.reelwright';
/** Where `reelwright report` writes all three formats when neither `--format` nor `--out` is given, inside the state folder. */
export const DEFAULT_REPORTS_DIR_NAME = 'reports';

const FORMATS = ['csv', 'json', 'html'] as const;
type ReportFormat = (typeof FORMATS)[number];

type ReportCommandOptions = { format?: string; out?: string; stateDir: string; usdPerCpuHour: string };

/**
 * Opens the journal of a state folder for reading; never creates one (a report of nothing is an error).
 * Throws `ReportError` (`RW_REPORT_NO_JOURNAL`) naming the file and the fix.
 */
export function openExistingJournal(stateDir: string): Journal {
  const file = path.join(stateDir, DEFAULT_JOURNAL_FILE_NAME);
  if (!existsSync(file)) {
    throw new ReportError(`No journal at ${file}: nothing has been rendered with this state folder. Run \`reelwright render\` first, or pass --state-dir <folder> of the project.`, {
      code: 'RW_REPORT_NO_JOURNAL',
    });
  }
  return openJournal({ file, secretValues: [] });
}

/** `latest` → the newest run's id; anything else is taken as a run id. */
function resolveRunId(journal: Journal, run: string): string {
  if (run !== 'latest') return run;
  const newest = journal.listRuns({ limit: 1 })[0];
  if (!newest) throw new ReportError(`The journal ${journal.file} has no runs yet. Run \`reelwright render\` first.`, { code: 'RW_REPORT_NO_RUNS' });
  return newest.id;
}

function parseFormat(value: string | undefined): ReportFormat | null {
  if (value === undefined) return null;
  if ((FORMATS as readonly string[]).includes(value)) return value as ReportFormat;
  throw new ConfigError(`--format must be one of ${FORMATS.join(', ')}; got "${value}".`, { code: 'RW_REPORT_BAD_OPTION' });
}

function parseUsdPerCpuHour(value: string): number {
  const usd = Number(value);
  if (value.trim() === '' || !Number.isFinite(usd) || usd < 0) {
    throw new ConfigError(`--usd-per-cpu-hour must be a number of USD ≥ 0 (e.g. 0.05); got "${value}".`, { code: 'RW_REPORT_BAD_OPTION' });
  }
  return usd;
}

/**
 * `reelwright report [RUN|latest]`: the per-row cost report of a run, read from the journal.
 * - no `--format`: writes CSV, JSON and HTML (into `--out` as a folder, else `<state-dir>/reports/`)
 *   and prints a text summary and the three paths to stderr;
 * - `--format F`: prints that format to stdout, or writes it to `--out FILE`.
 */
export function registerReportCommand(program: Command): void {
  program
    .command('report')
    .description('Per-row cost report of a run (CSV, JSON or a self-contained HTML page), read from the journal.')
    .argument('[run]', 'run id, or "latest"', 'latest')
    .option('--format <format>', `one format to print (or write with --out): ${FORMATS.join(', ')}`)
    .option('--out <path>', 'with --format: the file to write; without: the folder for all three files')
    .option('--state-dir <dir>', 'the project state folder holding journal.db', DEFAULT_STATE_DIR)
    .option('--usd-per-cpu-hour <usd>', 'price of render compute per CPU-hour', String(DEFAULT_COMPUTE_USD_PER_CPU_HOUR))
    .addHelpText(
      'after',
      '\nExamples:\n  $ reelwright report                          # all three formats into .reelwright/reports/\n  $ reelwright report latest --format csv > costs.csv\n  $ reelwright report 20260115T090011Z-ab12 --format html --out report.html\n  $ reelwright runs                            # find a run id',
    )
    .action(async (run: string, options: ReportCommandOptions) => {
      const format = parseFormat(options.format);
      const computeUsdPerCpuHour = parseUsdPerCpuHour(options.usdPerCpuHour);
      const logOptions = { logLevel: 'info' as const, tag: 'report' };
      const journal = openExistingJournal(options.stateDir);
      try {
        const report = buildRunReport({ journal, runId: resolveRunId(journal, run), computeUsdPerCpuHour });
        if (format === null) {
          const dir = options.out ?? path.join(options.stateDir, DEFAULT_REPORTS_DIR_NAME);
          // Run ids come from the journal; keep the file name plain whatever a caller passed to beginRun.
          const files = await writeRunReports({ report, dir, baseName: `report-${report.run.id.replace(/[^A-Za-z0-9._-]/g, '_')}` });
          for (const line of formatReportSummary({ report })) log.info(logOptions, line);
          log.info(logOptions, `  Reports    ${files.html}\n             ${files.csv}\n             ${files.json}`);
          return;
        }
        if (options.out !== undefined) {
          const file = options.out;
          if (format === 'csv') await writeCsvReport({ report, file });
          else if (format === 'json') await writeJsonReport({ report, file });
          else await writeHtmlReport({ report, file });
          log.info(logOptions, `Wrote ${file}`);
          return;
        }
        const text = format === 'csv' ? renderCsvReport({ report }) : format === 'json' ? renderJsonReport({ report }) : renderHtmlReport({ report });
        process.stdout.write(text);
      } finally {
        journal.close();
      }
    });
}
