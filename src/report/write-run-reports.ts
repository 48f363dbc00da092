import path from 'node:path';
import { renderCsvReport } from './render-csv-report.js';
import { renderHtmlReport } from './render-html-report.js';
import type { RenderHtmlReportOptions } from './render-html-report.js';
import { renderJsonReport } from './render-json-report.js';
import { replaceFiles } from './replace-files.js';

/** Options for `writeRunReports`. */
export type WriteRunReportsOptions = Omit<RenderHtmlReportOptions, 'reportDir'> & {
  /** Folder to write into; created when missing. */
  dir: string;
  /** File name without extension, e.g. `report-20260101T000000Z-ab12`. */
  baseName: string;
};

/** The three files written. */
export type WriteRunReportsResult = { csv: string; json: string; html: string };

/**
 * Writes the CSV, JSON and HTML reports of a run side by side, all or nothing: the three files are
 * written under temporary names and renamed into place only when all three are complete.
 *
 * @example
 * const files = await writeRunReports({ report, dir: 'outputs', baseName: `report-${report.run.id}` });
 * @see buildRunReport
 */
export async function writeRunReports(options: WriteRunReportsOptions): Promise<WriteRunReportsResult> {
  const { dir, baseName, ...render } = options;
  const files = { csv: path.join(dir, `${baseName}.csv`), json: path.join(dir, `${baseName}.json`), html: path.join(dir, `${baseName}.html`) };
  await replaceFiles({
    files: [
      { file: files.csv, data: renderCsvReport({ report: options.report }) },
      { file: files.json, data: renderJsonReport({ report: options.report }) },
      { file: files.html, data: renderHtmlReport({ ...render, reportDir: path.resolve(dir) }) },
    ],
  });
  return files;
}
