import { renderCsvReport } from './render-csv-report.js';
import { replaceFiles } from './replace-files.js';
import type { RunReport } from './types.js';

/** Options for `writeCsvReport`. */
export type WriteCsvReportOptions = {
  report: RunReport;
  /** Destination file; replaced atomically (temporary file + rename). */
  file: string;
};

/**
 * Writes the CSV report (see `renderCsvReport`) atomically.
 *
 * @example
 * await writeCsvReport({ report, file: 'outputs/report.csv' });
 */
export async function writeCsvReport(options: WriteCsvReportOptions): Promise<void> {
  await replaceFiles({ files: [{ file: options.file, data: renderCsvReport({ report: options.report }) }] });
}
