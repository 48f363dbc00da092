import path from 'node:path';
import type { Command } from 'commander';
import pc from 'picocolors';
import { formatProblem, validateDataset } from '../../dataset/index.js';
import { log } from '../../log/index.js';
import { loadProjectTemplate, projectPaths } from '../../run/index.js';
import { EXIT_SOME_FAILED } from '../exit-codes.js';
import { ExitRequest } from '../exit-request.js';
import { ASSETS_DIR_OPTION } from '../batch-options.js';
import { parseMapEntry } from '../parse-options.js';

type ValidateFlags = { template: string; map?: Record<string, string>; assetsDir?: string; json?: boolean; project?: string };

/** `reelwright validate <dataset> --template <id>`: every problem of every row; exit 1 when any row is invalid. */
export function registerValidateCommand(program: Command): void {
  program
    .command('validate')
    .description('Check every row of a dataset against a template and print each problem (exit 1 when some rows are invalid).')
    .argument('<dataset>', 'CSV, TSV, JSON or NDJSON file')
    .requiredOption('-t, --template <id>', 'template id (a folder under templates/) or path to a template entry')
    .option('--map <column=slot>', 'map a column to a slot (repeatable)', parseMapEntry)
    .option(ASSETS_DIR_OPTION.flags, ASSETS_DIR_OPTION.description)
    .option('--project <dir>', 'project folder (default: current folder)')
    .option('--json', 'print the result as JSON on stdout')
    .addHelpText('after', '\nExamples:\n  $ reelwright validate datasets/welcome.csv --template welcome\n  $ reelwright validate leads.csv -t welcome --map "Full name=name"')
    .action(async (dataset: string, flags: ValidateFlags) => {
      const paths = projectPaths({ projectDir: flags.project ?? null });
      const { definition } = await loadProjectTemplate({ paths, template: flags.template });
      const result = await validateDataset({
        file: path.resolve(dataset),
        template: definition,
        map: flags.map ?? null,
        assetsDir: flags.assetsDir ? path.resolve(flags.assetsDir) : null,
      });
      const logOptions = { logLevel: 'info' as const, tag: 'validate' };
      if (flags.json) {
        process.stdout.write(`${JSON.stringify({ ...result, messages: result.problems.map((p) => formatProblem(p, result.fileLabel)) }, null, 2)}\n`);
      } else {
        for (const problem of result.problems) log.info(logOptions, `${pc.red('✘')} ${formatProblem(problem, result.fileLabel)}`);
        if (result.problemsOmitted > 0) log.info(logOptions, `… and ${result.problemsOmitted} more problems.`);
        // A column close to a slot without one is most likely a misspelling (the slot silently takes its default).
        for (const note of result.unusedColumns) log.info(logOptions, note.slot !== null ? pc.yellow(`warning: ${note.message}`) : pc.dim(note.message));
        const verdict = result.invalid === 0 ? pc.green(`All ${result.valid} rows are valid.`) : pc.yellow(`${result.valid} valid, ${result.invalid} invalid of ${result.total} rows.`);
        log.info(logOptions, `${result.fileLabel}: ${verdict}${result.invalid > 0 ? ' Invalid rows are skipped by render (or stop it with --strict).' : ''}`);
      }
      if (result.invalid > 0) throw new ExitRequest(EXIT_SOME_FAILED);
    });
}
