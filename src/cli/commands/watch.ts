import path from 'node:path';
import type { Command } from 'commander';
import { watchInbox } from '../../automation/index.js';
import { formatProblem, validateDataset } from '../../dataset/index.js';
import { log, type LogLevel } from '../../log/index.js';
import { loadProjectTemplate, projectPaths, recordDatasetMove } from '../../run/index.js';
import { readdirSync, statSync } from 'node:fs';
import { addRenderOptions, interruptSignal, renderWithFlags, type RenderFlags } from './render.js';

function knownTemplates(templatesDir: string): string[] {
  try {
    return readdirSync(templatesDir).filter((name) => statSync(path.join(templatesDir, name)).isDirectory());
  } catch {
    return [];
  }
}

/** `reelwright watch <inbox>`: render every dataset dropped into a folder, once, then file it under done/ or failed/. */
export function registerWatchCommand(program: Command): void {
  const command = program
    .command('watch')
    .description('Watch a folder: each CSV/JSON/NDJSON dropped there is rendered once it is completely written, then moved to done/ (or failed/).')
    .argument('<inbox>', 'folder to watch');
  addRenderOptions(command, { withTemplate: 'optional' })
    .option('--stable-ms <ms>', 'how long a file must stay unchanged before it counts as complete', (v) => Number(v), 2000)
    .addHelpText(
      'after',
      [
        '',
        'Template per file: a sidecar <file>.reelwright.json ({"template": "recap", "variants": ["landscape"], "name": "{{name}}"}),',
        'else the file name "<template-id>--anything.csv", else --template.',
        '',
        'Relative image paths in a dropped file start in the inbox, where it was dropped (images/logo.png is',
        '<inbox>/images/logo.png), unless --assets-dir names another folder; images must stay inside that folder.',
        '',
        'Examples:',
        '  $ reelwright watch inbox/ --template welcome',
        '  $ cp leads.csv inbox/welcome--monday.csv',
      ].join('\n'),
    )
    .action(async (inbox: string, flags: RenderFlags & { template?: string; stableMs: number }) => {
      const signal = interruptSignal();
      // A dropped file is read from <inbox>/processing/, but its relative image paths mean the folder it was dropped into.
      const assetsDir = path.resolve(flags.assetsDir ?? inbox);
      const paths = projectPaths({ projectDir: flags.project ?? null });
      const logLevel: LogLevel = flags.verbose ? 'verbose' : flags.quiet ? 'warn' : 'info';
      const logOptions = { logLevel, tag: 'watch' };
      // `waiting` repeats on every scan while a file settles: log it when its size changes only.
      const seenSizes = new Map<string, number>();
      const watcher = await watchInbox({
        inbox: path.resolve(inbox),
        ...(flags.template ? { defaultTemplate: flags.template } : {}),
        knownTemplates: knownTemplates(paths.templatesDir),
        stableMs: flags.stableMs,
        signal,
        logLevel,
        onEvent: (event) => {
          if (event.type !== 'waiting') {
            if ('name' in event) seenSizes.delete(event.name);
            return;
          }
          if (seenSizes.get(event.name) === event.size) return;
          seenSizes.set(event.name, event.size);
          log.verbose(logOptions, `${event.name}: waiting until it is completely written (${event.size} bytes)`);
        },
        // The file's runs journaled <inbox>/processing/<name> as their dataset; once it is in done/ or failed/, they name
        // that path, so that `reelwright reproduce` finds the dataset of a video rendered from the inbox.
        onFiled: async ({ from, to, signal: filingSignal }) => {
          const runs = await recordDatasetMove({ projectDir: paths.projectDir, from, to, signal: filingSignal });
          log.verbose(logOptions, `${path.basename(from)}: the journal's ${runs} run(s) of it now name ${path.relative(process.cwd(), to)}`);
        },
        onFile: async (file, ctx) => {
          log.info(logOptions, `${ctx.originalName}: rendering with template "${ctx.job.template}"${ctx.resumed ? ' (resumed after a restart)' : ''}`);
          const summary = await renderWithFlags(
            file,
            {
              ...flags,
              template: ctx.job.template,
              ...(ctx.job.variants ? { variants: [...ctx.job.variants] } : {}),
              ...(ctx.job.outputName ? { name: ctx.job.outputName } : {}),
              assetsDir,
              wait: true,
            },
            ctx.signal,
          );
          // renderWithFlags has printed the summary line already.
          if (summary.counts.rows > 0 && summary.counts.invalid === summary.counts.rows) {
            const { definition } = await loadProjectTemplate({ paths, template: ctx.job.template });
            const result = await validateDataset({ file, template: definition, map: flags.map ?? null, assetsDir });
            return { outcome: 'invalid', report: result.problems.map((p) => formatProblem(p, ctx.originalName)).join('\n'), summary };
          }
          return { outcome: 'done', summary };
        },
      });
      log.info(logOptions, `Watching ${inbox} (Ctrl-C to stop).`);
      await watcher.closed;
    });
}
