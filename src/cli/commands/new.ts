import path from 'node:path';
import type { Command } from 'commander';
import pc from 'picocolors';
import { TemplateError } from '../../errors/index.js';
import { pathExists, writeFilesAtomic } from '../../fs/index.js';
import { log } from '../../log/index.js';
import { projectPaths } from '../../run/index.js';
import { scaffoldTemplate } from '../../template/index.js';

/** Flags of `reelwright new`. */
type NewFlags = { project?: string; withBroll?: boolean; force?: boolean };

/**
 * `reelwright new <id>`: writes a starter template (`templates/<id>/index.tsx` and README), a 3-row sample dataset
 * (`datasets/<id>.csv` and the logo it uses), and prints how to preview and render it. Refuses an invalid id, and
 * existing files unless `--force`.
 */
export function registerNewCommand(program: Command): void {
  program
    .command('new')
    .description('Create a starter template and a sample dataset that render as they are.')
    .argument('<id>', 'template id: lowercase letters, digits and dashes (the folder name under templates/)')
    .option('--with-broll', 'add an AI B-roll slot (free local provider) whose prompt uses a {{city}} column')
    .option('--force', 'overwrite files that already exist')
    .option('--project <dir>', 'project folder: files go to <dir>/templates/<id>/ and <dir>/datasets/ (default: current folder)')
    .addHelpText(
      'after',
      [
        '',
        'Examples:',
        '  $ reelwright new spring-promo',
        '  $ reelwright new city-tour --with-broll',
        '  $ reelwright new spring-promo --force     # start over (overwrites the 4 files)',
      ].join('\n'),
    )
    .action(async (id: string, flags: NewFlags) => {
      const logOptions = { logLevel: 'info' as const, tag: 'new' };
      const paths = projectPaths({ projectDir: flags.project ?? null });
      const { files, dataset } = await scaffoldTemplate({ id, withBroll: flags.withBroll ?? false });
      const absolute = (relative: string) => path.join(paths.projectDir, ...relative.split('/'));
      const existing: string[] = [];
      for (const file of files) if (await pathExists(absolute(file.path))) existing.push(file.path);
      if (existing.length > 0 && !flags.force) {
        throw new TemplateError(
          `Not creating template "${id}": ${existing.length === 1 ? 'this file already exists' : 'these files already exist'} in ${paths.projectDir}: ${existing.join(', ')}. Pick another id, or pass --force to overwrite ${existing.length === 1 ? 'it' : 'them'}.`,
          { code: 'RW_TEMPLATE_EXISTS' },
        );
      }
      await writeFilesAtomic({
        files: files.map((file) => ({ file: absolute(file.path), data: file.content })),
        createFolders: true,
        onError: (error, file) => new TemplateError(`Could not write ${file}: ${error instanceof Error ? error.message : String(error)}`, { code: 'RW_TEMPLATE_WRITE', cause: error }),
      });
      const project = flags.project ? ` --project ${flags.project}` : '';
      const datasetArg = flags.project ? path.join(flags.project, dataset) : dataset;
      for (const file of files) log.info(logOptions, `${pc.green(existing.includes(file.path) ? 'overwrote' : 'created')} ${file.path}`);
      log.info(
        logOptions,
        [
          '',
          `Next steps:`,
          `  npx reelwright validate ${datasetArg} -t ${id}${project}   ${pc.dim('# check the sample rows')}`,
          `  npx reelwright studio${project}   ${pc.dim(`# live preview: pick "${id}" (its sample ${dataset} comes with it); saving index.tsx reloads it`)}`,
          `  npx reelwright render ${datasetArg} -t ${id}${project}   ${pc.dim(`# MP4s in outputs/${id}/`)}`,
          `Then edit templates/${id}/index.tsx (its README.md says what each slot does).`,
        ].join('\n'),
      );
    });
}
