import type { RunReport } from './types.js';

/** Options for `renderJsonReport`. */
export type RenderJsonReportOptions = { report: RunReport };

/**
 * The report as pretty-printed JSON text that validates against `schemas/report.schema.json`
 * (amounts in integer micro-dollars, fields ending in `Micros`).
 *
 * @example
 * process.stdout.write(renderJsonReport({ report }));
 * @see writeJsonReport
 */
export function renderJsonReport(options: RenderJsonReportOptions): string {
  return `${JSON.stringify(options.report, null, 2)}\n`;
}
