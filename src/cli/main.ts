import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { ReelwrightError } from '../errors/index.js';
import { log } from '../log/index.js';
import { registerCacheCommand } from './commands/cache.js';
import { registerDoctorCommand } from './commands/doctor.js';
import { registerNewCommand } from './commands/new.js';
import { registerProvidersCommand } from './commands/providers.js';
import { registerScheduleCommand } from './commands/schedule.js';
import { registerStudioCommand } from './commands/studio.js';
import { registerWorkerCommand } from './commands/worker.js';
import { registerWatchCommand } from './commands/watch.js';
import { registerPlanCommand } from './commands/plan.js';
import { registerRenderCommand } from './commands/render.js';
import { registerReproduceCommand } from './commands/reproduce.js';
import { registerReportCommand } from './commands/report.js';
import { registerRunsCommand } from './commands/runs.js';
import { registerValidateCommand } from './commands/validate.js';
import { EXIT_CANNOT_START } from './exit-codes.js';
import { ExitRequest } from './exit-request.js';
import { hintFor } from './print-hint.js';
import { checkCommandInputs } from './check-command-inputs.js';

/** The `version` of reelwright's package.json (what `--version` prints). */
export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: unknown };
  return typeof pkg.version === 'string' ? pkg.version : '0.0.0';
}

/** Builds the `reelwright` program with every command registered. */
export function buildProgram(): Command {
  const program = new Command('reelwright')
    .description('Turn a spreadsheet into a batch of personalized videos.')
    .version(packageVersion(), '-V, --version', 'print the reelwright version')
    .showHelpAfterError('(run with --help for usage)')
    .configureHelp({ sortSubcommands: false })
    .exitOverride()
    .hook('preAction', (_program, actionCommand) => checkCommandInputs(actionCommand));
  registerRenderCommand(program);
  registerValidateCommand(program);
  registerPlanCommand(program);
  registerReportCommand(program);
  registerRunsCommand(program);
  registerReproduceCommand(program);
  registerWatchCommand(program);
  registerScheduleCommand(program);
  registerNewCommand(program);
  registerStudioCommand(program);
  registerWorkerCommand(program);
  registerCacheCommand(program);
  registerProvidersCommand(program);
  registerDoctorCommand(program);
  return program;
}

/** Runs the CLI; resolves with the process exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync([...argv]);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof ExitRequest) return error.exitCode;
    if (error instanceof CommanderError) {
      // --help and --version end here with exit code 0.
      return error.exitCode === 0 ? 0 : EXIT_CANNOT_START;
    }
    // `error: …` for people; `[error] cli: …` with --verbose (see log).
    const logOptions = { logLevel: argv.includes('--verbose') ? ('verbose' as const) : ('info' as const), tag: 'cli' };
    if (error instanceof ReelwrightError) {
      log.error(logOptions, `${error.message}`);
      const hint = hintFor(error);
      if (hint) log.info(logOptions, `hint: ${hint}`);
    } else {
      log.error(logOptions, error);
    }
    return EXIT_CANNOT_START;
  }
}
