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
export type { FormatMicrosOptions } from './format-micros.js';
export { toRowId } from './to-row-id.js';
export type { ToRowIdOptions } from './to-row-id.js';
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
