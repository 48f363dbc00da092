import type { Command } from 'commander';
import pc from 'picocolors';
import { checkEnvironment } from '../../run/index.js';
import { log } from '../../log/index.js';
import { ExitRequest } from '../exit-request.js';
import { EXIT_CANNOT_START } from '../exit-codes.js';

/** `reelwright doctor`: versions and paths of what rendering needs, and what to do when one is missing. */
export function registerDoctorCommand(program: Command): void {
  program
    .command('doctor')
    .description('Check Node, Chromium, ffmpeg, fonts and provider keys; say how to fix what is missing.')
    .option('--json', 'print the checks as JSON on stdout')
    .addHelpText('after', '\nExamples:\n  $ reelwright doctor\n  $ reelwright doctor --json')
    .action(async (options: { json?: boolean }) => {
      const checks = await checkEnvironment();
      const failed = checks.some((c) => !c.ok && !c.optional);
      if (options.json) {
        process.stdout.write(`${JSON.stringify({ ok: !failed, checks }, null, 2)}\n`);
      } else {
        const logOptions = { logLevel: 'info' as const, tag: 'doctor' };
        for (const check of checks) {
          const mark = check.ok ? pc.green('✔') : check.optional ? pc.yellow('–') : pc.red('✘');
          log.info(logOptions, `${mark} ${check.name}: ${check.detail}`);
          if (!check.ok && check.fix) log.info(logOptions, `    fix: ${check.fix}`);
        }
        log.info(logOptions, failed ? pc.red('Some required parts are missing.') : pc.green('Ready to render.'));
      }
      if (failed) throw new ExitRequest(EXIT_CANNOT_START);
    });
}
