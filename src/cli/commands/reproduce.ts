import type { Command } from 'commander';
import pc from 'picocolors';
import { log } from '../../log/index.js';
import { createRenderPool } from '../../pool/index.js';
import { reproduceVideo } from '../../run/index.js';
import { EXIT_OK, EXIT_SOME_FAILED } from '../exit-codes.js';
import { ExitRequest } from '../exit-request.js';
import { interruptSignal } from './render.js';

type ReproduceFlags = { project?: string; keep?: string; json?: boolean; verbose?: boolean };

/** `reelwright reproduce <video.mp4>`: re-render one finished video from its manifest and compare frames. */
export function registerReproduceCommand(program: Command): void {
  program
    .command('reproduce')
    .description('Re-render one finished video from its journal record (same row, settings and cached clips) and report whether its frames are identical.')
    .argument('<video>', 'an MP4 that `reelwright render` made in this project')
    .option('--keep <file>', 'keep the re-rendered MP4 at this path (default: deleted after the comparison)')
    .option('--project <dir>', 'project folder (default: current folder)')
    .option('--json', 'print the result as JSON on stdout')
    .option('--verbose', 'log every step')
    .addHelpText(
      'after',
      [
        '',
        'Nothing is generated or paid: every B-roll clip must still be in the clip cache. The original video and the',
        "journal's render records are left untouched.",
        '',
        'Exit codes: 0 identical frames · 1 some frame differs · 2 the video cannot be reproduced (unknown video, row changed, clip missing).',
        '',
        'Examples:',
        '  $ reelwright reproduce outputs/welcome/ada-landscape.mp4',
        '  $ reelwright reproduce outputs/welcome/ada-landscape.mp4 --keep /tmp/ada-again.mp4 --json',
      ].join('\n'),
    )
    .action(async (video: string, flags: ReproduceFlags) => {
      const logLevel = flags.verbose ? 'verbose' : 'info';
      const logOptions = { logLevel, tag: 'reproduce' } as const;
      const result = await reproduceVideo({
        video,
        ...(flags.project ? { projectDir: flags.project } : {}),
        keepAs: flags.keep ?? null,
        createRunner: async () => createRenderPool({ concurrency: 1, logLevel }),
        signal: interruptSignal(),
        logLevel,
      });
      if (flags.json) {
        process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      } else {
        for (const warning of result.warnings) log.warn(logOptions, pc.yellow(warning));
        if (result.identical) {
          log.info(logOptions, pc.green(`identical: ${result.identicalFrames}/${result.originalFrames} frames`) + ` (${result.rowKey}, ${result.variant}, run ${result.runId})`);
        } else {
          const counts = result.reproducedFrames === result.originalFrames ? `${result.originalFrames} frames` : `${result.originalFrames} frames in the original, ${result.reproducedFrames} re-rendered`;
          log.info(
            logOptions,
            pc.red(`different: frame ${result.firstDifferentFrame} is the first that differs (${result.identicalFrames} identical before it; ${counts})`) +
              ` (${result.rowKey}, ${result.variant}, run ${result.runId})`,
          );
        }
        if (result.keptAs) log.info(logOptions, `Re-rendered video: ${result.keptAs}`);
      }
      throw new ExitRequest(result.identical ? EXIT_OK : EXIT_SOME_FAILED);
    });
}
