import { renderJsonReport } from './render-json-report.js';
import { replaceFiles } from './replace-files.js';
import type { RunReport } from './types.js';

/** Options for `writeJsonReport`. */
export type WriteJsonReportOptions = {
  report: RunReport;
  /** Destination file; replaced atomically (temporary file + rename). */
  file: string;
};

/**
 * Writes the JSON report (see `renderJsonReport`) atomically.
 *
 * @example
 * await writeJsonReport({ report, file: 'outputs/report.json' });
 */
export async function writeJsonReport(options: WriteJsonReportOptions): Promise<void> {
  await replaceFiles({ files: [{ file: options.file, data: renderJsonReport({ report: options.report }) }] });
}
