import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { DatasetError, TemplateError } from '../errors/index.js';
import { projectPaths } from '../run/index.js';

/** Spreadsheet files people pass by mistake; reelwright reads CSV, TSV, JSON and NDJSON only. */
const SPREADSHEET_EXTENSIONS = new Set(['.xlsx', '.xls', '.xlsm', '.ods', '.numbers']);

/** A `--template` value that names a folder under templates/ (not a path to a template file or folder). */
function isTemplateId(value: string): boolean {
  return !value.includes('/') && !value.includes(path.sep) && !/\.(tsx|ts|jsx|js|mjs)$/.test(value) && /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/.test(value);
}

/**
 * Checks, before a command's action runs, the two mistakes people make most when starting out, and says how to fix
 * them: a spreadsheet file (.xlsx, .ods, …) as the dataset, and a template id from a folder without `templates/`
 * (running from a subfolder). Commands without a `<dataset>` argument or `--template` option are left alone.
 */
export function checkCommandInputs(command: Command): void {
  const datasetAt = command.registeredArguments.findIndex((a) => a.name() === 'dataset');
  const dataset = datasetAt >= 0 ? command.processedArgs[datasetAt] : undefined;
  if (typeof dataset === 'string') {
    const ext = path.extname(dataset).toLowerCase();
    if (SPREADSHEET_EXTENSIONS.has(ext)) {
      throw new DatasetError(
        `${dataset} is a spreadsheet file (${ext}); reelwright reads CSV, TSV, JSON or NDJSON. ` +
          'Save it as CSV (Excel: File → Save As → CSV UTF-8; LibreOffice: File → Save As → Text CSV) and pass the .csv file.',
        { code: 'RW_DATASET_FORMAT' },
      );
    }
  }
  const opts = command.opts<{ template?: unknown; project?: unknown }>();
  if (typeof opts.template === 'string' && isTemplateId(opts.template.trim())) {
    const { templatesDir } = projectPaths({ projectDir: typeof opts.project === 'string' ? opts.project : null });
    if (!existsSync(templatesDir)) {
      throw new TemplateError(
        `Template "${opts.template.trim()}" was not found: there is no templates folder at ${templatesDir}. ` +
          'Run reelwright from the project folder (the one with templates/) or pass --project <dir>.',
        { code: 'RW_TEMPLATE_NOT_FOUND' },
      );
    }
    if (!readdirSync(templatesDir, { withFileTypes: true }).some((e) => e.isDirectory())) {
      throw new TemplateError(
        `Template "${opts.template.trim()}" was not found: the templates folder ${templatesDir} is empty. ` +
          '`reelwright new <id>` starts a template there; or run reelwright from the project folder (the one with templates/) or pass --project <dir>.',
        { code: 'RW_TEMPLATE_NOT_FOUND' },
      );
    }
  }
}
