import type { Command } from 'commander';
import { runOnSchedule } from '../../automation/index.js';
import { ConfigError } from '../../errors/index.js';
import { log } from '../../log/index.js';
import { addRenderOptions, interruptSignal, renderWithFlags, type RenderFlags } from './render.js';

/** `reelwright schedule "<cron>" render <dataset> …`: a foreground scheduler that never overlaps itself. */
export function registerScheduleCommand(program: Command): void {
  const command = program
    .command('schedule')
    .description('Run `render` on a cron schedule in the foreground; a run still going when the next tick comes makes that tick skip.')
    .argument('<cron>', 'cron expression, e.g. "0 2 * * *" (02:00 every night); 6 fields add seconds')
    .argument('<command>', 'the command to run: render')
    .argument('<dataset>', 'dataset file (re-read on every run: only new or changed rows render)')
    .option('--timezone <tz>', 'IANA time zone of the expression, e.g. Europe/Paris (default: the system zone)');
  addRenderOptions(command, { withTemplate: 'required' })
    .addHelpText('after', '\nExamples:\n  $ reelwright schedule "0 2 * * *" render feed/customers.csv --template welcome --quiet\n  $ reelwright schedule "*/15 * * * *" render feed.ndjson -t recap --timezone Europe/Paris')
    .action(async (cron: string, name: string, dataset: string, flags: RenderFlags & { template: string; timezone?: string }) => {
      if (name !== 'render') throw new ConfigError(`schedule can run "render", got "${name}". Example: reelwright schedule "0 2 * * *" render data.csv --template welcome`, { code: 'RW_CONFIG_INVALID' });
      const signal = interruptSignal();
      const logOptions = { logLevel: 'info' as const, tag: 'schedule' };
      const handle = runOnSchedule({
        cron,
        ...(flags.timezone ? { timezone: flags.timezone } : {}),
        signal,
        // renderWithFlags prints each run's summary line; runOnSchedule would print it again at info.
        logLevel: flags.verbose ? 'verbose' : 'warn',
        run: (runSignal) => renderWithFlags(dataset, { ...flags, quiet: true }, runSignal),
      });
      log.info(logOptions, `Scheduled "${cron}": next run ${handle.nextRun()?.toISOString() ?? 'never'} (Ctrl-C to stop).`);
      await handle.done;
    });
}
