import path from 'node:path';
import { InvalidArgumentError } from 'commander';
import type { Command } from 'commander';
import pc from 'picocolors';
import { log } from '../../log/index.js';
import { DEFAULT_STUDIO_HOST, DEFAULT_STUDIO_PORT, createBatchRenderRow, startStudio } from '../../studio/index.js';

/** Flags of `reelwright studio`. */
type StudioFlags = { port: number; host: string; project?: string; allowOutsideProject?: boolean; verbose?: boolean };

/** `--port 0` (any free port) … `--port 65535`. */
function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InvalidArgumentError(`expected a port from 0 to 65535 (0 picks a free one), got "${value}".`);
  return port;
}

/** Resolves on the first Ctrl-C or SIGTERM; a second one quits at once. */
function untilInterrupted(): Promise<void> {
  return new Promise((resolve) => {
    let count = 0;
    const onSignal = () => {
      count++;
      if (count === 1) {
        process.stderr.write('\nStopping the studio (Ctrl-C again to quit at once).\n');
        resolve();
      } else process.exit(130);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}

/**
 * `reelwright studio`: the local authoring app (live preview of dataset rows in the renderer's own page host, a
 * form from the template's slots, hot reload, render one row). Serves until Ctrl-C.
 */
export function registerStudioCommand(program: Command): void {
  program
    .command('studio')
    .description('Open the template studio: live preview on real rows, a form from the slots, hot reload, render one row.')
    .option('--port <n>', 'port to listen on (0 picks a free one)', parsePort, DEFAULT_STUDIO_PORT)
    .option('--host <address>', 'interface to listen on; anything but 127.0.0.1 exposes the project to the network', DEFAULT_STUDIO_HOST)
    .option('--project <dir>', 'project folder holding templates/ and datasets/ (default: the current folder)')
    .option('--allow-outside-project', 'let "Open…" read templates and datasets outside the project folder')
    .option('--verbose', 'log what the studio and its renders do')
    .addHelpText(
      'after',
      [
        '',
        'Examples:',
        '  $ reelwright studio',
        '  $ reelwright studio --port 4000 --project ~/videos/onboarding',
        '  $ reelwright studio --port 0            # any free port; the URL is printed',
      ].join('\n'),
    )
    .action(async (flags: StudioFlags) => {
      const logLevel = flags.verbose ? ('verbose' as const) : ('info' as const);
      const logOptions = { logLevel, tag: 'studio' };
      const projectDir = path.resolve(flags.project ?? '.');
      const stopped = untilInterrupted();
      const studio = await startStudio({
        projectDir,
        host: flags.host,
        port: flags.port,
        allowOutsideProject: flags.allowOutsideProject ?? false,
        renderRow: createBatchRenderRow({ logLevel }),
        logLevel,
      });
      log.info(logOptions, `${pc.bold('reelwright studio')} for ${studio.projectDir}`);
      log.info(logOptions, `  ${pc.cyan(studio.url)}`);
      log.info(logOptions, pc.dim('Ctrl-C to stop.'));
      await stopped;
      await studio.close();
    });
}
