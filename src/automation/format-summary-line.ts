import type { RunSummary } from '../run/index.js';

/** Characters of the run id shown in the summary line: journal run ids (about 21) fit whole, so `reelwright report <id>` can use them. */
export const SUMMARY_RUN_ID_LENGTH = 32;

function formatDuration(ms: number): string {
  const seconds = Math.max(0, ms) / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const whole = Math.round(seconds);
  if (whole < 3600) return `${Math.floor(whole / 60)} min ${whole % 60} s`;
  return `${Math.floor(whole / 3600)} h ${Math.floor((whole % 3600) / 60)} min`;
}

function formatUsd(usd: number): string {
  if (!Number.isFinite(usd)) return '$?';
  // A few tenths of a cent of compute should not read as free.
  if (usd > 0 && usd < 0.005) return '<$0.01';
  return `$${usd.toFixed(2)}`;
}

/**
 * Formats a run summary as the one line the scheduler and the watcher log, e.g.
 * `run 20261125T163403Z-7241 completed: 10 rendered (3 new, 7 changed, 240 unchanged), 0 failed, $0.00 in 42.1 s`.
 *
 * Invalid and skipped rows are added only when there are some; a run that could not start or broke shows its error
 * code and message instead of counts.
 *
 * @example
 * log.info(logOptions, formatSummaryLine(summary));
 */
export function formatSummaryLine(summary: RunSummary): string {
  const id = summary.runId.length > SUMMARY_RUN_ID_LENGTH ? `${summary.runId.slice(0, SUMMARY_RUN_ID_LENGTH)}…` : summary.runId;
  const status = summary.status === 'budget_exceeded' ? 'stopped at the budget' : summary.status;
  const c = summary.counts;
  const parts = [
    `${c.rendered} rendered (${c.newRows} new, ${c.changedRows} changed, ${c.unchangedRows} unchanged)`,
    `${c.failed} failed`,
  ];
  if (c.invalid > 0) parts.push(`${c.invalid} invalid`);
  if (c.skipped > 0) parts.push(`${c.skipped} skipped`);
  const unknown = summary.spendUsd.unknown > 0 ? ` (+ up to ${formatUsd(summary.spendUsd.unknown)} of unknown cost)` : '';
  const tail = `${formatUsd(summary.spendUsd.total)}${unknown} in ${formatDuration(summary.wallMs)}`;
  if (summary.error && (summary.status === 'failed' || summary.exitCode === 2)) {
    return `run ${id} ${status}: ${summary.error.code}: ${summary.error.message} (${parts.join(', ')}, ${tail})`;
  }
  return `run ${id} ${status}: ${parts.join(', ')}, ${tail}`;
}
