import path from 'node:path';
import { renderHtmlReport } from './render-html-report.js';
import type { RenderHtmlReportOptions } from './render-html-report.js';
import { replaceFiles } from './replace-files.js';

/** Options for `writeHtmlReport`: those of `renderHtmlReport` (video links are relative to the file's folder) plus the file. */
export type WriteHtmlReportOptions = Omit<RenderHtmlReportOptions, 'reportDir'> & {
  /** Destination file; replaced atomically (temporary file + rename). */
  file: string;
};

/**
 * Writes the self-contained HTML report (see `renderHtmlReport`) atomically, with video links
 * relative to the file's folder.
 *
 * @example
 * await writeHtmlReport({ report, file: 'outputs/report.html', thumbnails });
 */
export async function writeHtmlReport(options: WriteHtmlReportOptions): Promise<void> {
  const { file, ...render } = options;
  await replaceFiles({ files: [{ file, data: renderHtmlReport({ ...render, reportDir: path.dirname(path.resolve(file)) }) }] });
}
