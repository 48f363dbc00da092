/**
 * @module report
 * Per-row cost and run reports (CSV, JSON, a self-contained HTML page), built from the journal
 * alone: who caused each cent of AI and compute spend, how shared and cached clips are split, what
 * the cache and dedupe saved, and that it all reconciles with the ledger. Never parses logs, never
 * calls providers, never writes to the journal.
 */
export { buildRunReport, DEFAULT_COMPUTE_USD_PER_CPU_HOUR } from './build-run-report.js';
export type { BuildRunReportOptions } from './build-run-report.js';
export { splitMicros } from './split-micros.js';
export type { SplitMicrosOptions } from './split-micros.js';
export { formatMicros } from './format-micros.js';
export { formatDuration } from './format-duration.js';
export type { FormatDurationOptions } from './format-duration.js';
export { usdToMicros } from './usd-to-micros.js';
export type { FormatMicrosOptions } from './format-micros.js';
export { toRowId } from './to-row-id.js';
export type { ToRowIdOptions } from './to-row-id.js';
export { toCsvCell } from './to-csv-cell.js';
export { escapeHtml } from './escape-html.js';
export { toScriptJson } from './to-script-json.js';
export type { ToScriptJsonOptions } from './to-script-json.js';
export { renderCsvReport, CSV_REPORT_COLUMNS } from './render-csv-report.js';
export type { RenderCsvReportOptions } from './render-csv-report.js';
export { renderJsonReport } from './render-json-report.js';
export type { RenderJsonReportOptions } from './render-json-report.js';
export { renderHtmlReport, DEFAULT_MAX_THUMBNAIL_BYTES } from './render-html-report.js';
export type { RenderHtmlReportOptions } from './render-html-report.js';
export { writeCsvReport } from './write-csv-report.js';
export type { WriteCsvReportOptions } from './write-csv-report.js';
export { writeJsonReport } from './write-json-report.js';
export type { WriteJsonReportOptions } from './write-json-report.js';
export { writeHtmlReport } from './write-html-report.js';
export type { WriteHtmlReportOptions } from './write-html-report.js';
export { writeRunReports } from './write-run-reports.js';
export type { WriteRunReportsOptions, WriteRunReportsResult } from './write-run-reports.js';
export { makeThumbnail, DEFAULT_THUMBNAIL_AT_SECONDS, DEFAULT_THUMBNAIL_WIDTH } from './make-thumbnail.js';
export type { MakeThumbnailOptions } from './make-thumbnail.js';
export { formatReportSummary } from './format-report-summary.js';
export type { FormatReportSummaryOptions } from './format-report-summary.js';
export { summarizeRuns, DEFAULT_RUNS_LIMIT } from './summarize-runs.js';
export type { SummarizeRunsOptions, RunListing } from './summarize-runs.js';
export { ReportError } from './report-error.js';
export type {
  Micros,
  ReportClipOrigin,
  ReportRowStatus,
  ReportCostScope,
  ReportProblemStatus,
  ReportAttemptProblem,
  ReportSlot,
  ReportRow,
  ReportUnattributedItem,
  ReportUnattributed,
  ReportProviderStats,
  ReportFailureStats,
  ReportSummary,
  ReportRun,
  RunReport,
} from './types.js';
