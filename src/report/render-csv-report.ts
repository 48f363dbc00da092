import { formatMicros } from './format-micros.js';
import { toCsvCell } from './to-csv-cell.js';
import type { Micros, ReportRow, ReportSlot, ReportUnattributedItem, RunReport } from './types.js';

/** Options for `renderCsvReport`. */
export type RenderCsvReportOptions = { report: RunReport };

/** The columns, in order. Amounts are USD with 6 decimals (exact micro-dollars). */
export const CSV_REPORT_COLUMNS = [
  'kind',
  'row_key',
  'variant',
  'line',
  'status',
  'reason',
  'error_code',
  'output_file',
  'clips',
  'clip_origins',
  'providers_models',
  'attempts',
  'failed_attempts',
  'qa_rejections',
  'failure_reasons',
  'clips_paid_this_run_usd',
  'clips_paid_earlier_usd',
  'ai_share_usd',
  'render_wall_s',
  'render_cpu_s',
  'compute_usd',
  'total_usd',
  'slot_details',
] as const;

type Cell = string | number | { number: string } | null;

const usd = (micros: Micros): Cell => ({ number: formatMicros({ micros, style: 'exact' }) });
const unique = (values: readonly string[]) => [...new Set(values)];

function describeSlot(s: ReportSlot): string {
  const who = s.provider === null ? 'unknown provider' : `${s.provider}/${s.model ?? '?'}`;
  const problems = s.problems.map((p) => `${p.status} ${p.code ?? ''}`.trim());
  return [
    `${s.slot}: ${s.origin} ${who} clip ${s.clipId.slice(0, 12)}`,
    `${s.attempts} attempt${s.attempts === 1 ? '' : 's'}${s.costScope === 'earlier_runs' ? ' (earlier runs)' : ''}${problems.length > 0 ? ` (${problems.join(', ')})` : ''}`,
    `paid ${formatMicros({ micros: s.paidMicros, style: 'exact' })}`,
    `share ${formatMicros({ micros: s.shareMicros, style: 'exact' })}${s.sharedByRows > 1 ? ` of ${s.sharedByRows} rows` : ''}`,
  ].join(', ');
}

type CsvLine = Partial<Record<(typeof CSV_REPORT_COLUMNS)[number], Cell>>;

function rowLine(row: ReportRow): CsvLine {
  const slots = row.slots;
  // The whole bill of each distinct clip (a row using one clip in two slots counts it once): this
  // run's attempts, and separately what cache hits originally cost. Shared clips repeat on every
  // row that uses them, so these columns are not meant to be summed; `ai_share_usd` is.
  const paid = (scope: ReportSlot['costScope']) =>
    [...new Map(slots.filter((s) => s.costScope === scope).map((s) => [s.clipId, s.paidMicros])).values()].reduce((a, b) => a + b, 0);
  return {
    kind: 'row',
    row_key: row.rowKey,
    variant: row.variant,
    line: row.line,
    status: row.status,
    reason: row.reason,
    error_code: row.errorCode,
    output_file: row.outputPath,
    clips: slots.length,
    clip_origins: unique(slots.map((s) => s.origin)).join(';'),
    providers_models: unique(slots.map((s) => (s.provider === null ? '' : `${s.provider}/${s.model ?? '?'}`)).filter(Boolean)).join(';'),
    attempts: slots.reduce((a, s) => a + s.attempts, 0),
    failed_attempts: slots.reduce((a, s) => a + s.failedAttempts, 0),
    qa_rejections: slots.reduce((a, s) => a + s.rejectedAttempts, 0),
    failure_reasons: unique(slots.flatMap((s) => s.problems.map((p) => `${s.slot}: ${p.status} ${p.code ?? ''}${p.message ? ` (${p.message})` : ''}`.trim()))).join('; '),
    clips_paid_this_run_usd: usd(paid('this_run')),
    clips_paid_earlier_usd: usd(paid('earlier_runs')),
    ai_share_usd: usd(row.generationMicros),
    render_wall_s: row.renderWallSeconds,
    render_cpu_s: row.renderCpuSeconds,
    compute_usd: usd(row.computeMicros),
    total_usd: usd(row.totalMicros),
    slot_details: slots.map(describeSlot).join(' | '),
  };
}

function unattributedLine(item: ReportUnattributedItem): CsvLine {
  return {
    kind: 'unattributed',
    reason: item.why,
    clips: 1,
    providers_models: `${item.provider}/${item.model}`,
    attempts: item.attempts,
    clips_paid_this_run_usd: usd(item.amountMicros),
    clips_paid_earlier_usd: usd(0),
    ai_share_usd: usd(item.amountMicros),
    compute_usd: usd(0),
    total_usd: usd(item.amountMicros),
    slot_details: `clip ${item.clipId}`,
  };
}

/**
 * The report as CSV text (RFC 4180): UTF-8 with a byte-order mark so spreadsheets pick the right
 * encoding, a header row (`CSV_REPORT_COLUMNS`), CRLF line ends, one line per row × variant
 * (`kind` = `row`) and one `unattributed` line per amount no row carries, so the `total_usd`
 * column sums to the run's total spend exactly. Untrusted text is quoted and neutralized against
 * formula injection by `toCsvCell`.
 *
 * @example
 * process.stdout.write(renderCsvReport({ report }));
 * @see writeCsvReport
 */
export function renderCsvReport(options: RenderCsvReportOptions): string {
  const { report } = options;
  const lines: Cell[][] = [[...CSV_REPORT_COLUMNS]];
  for (const line of [...report.rows.map(rowLine), ...report.unattributed.items.map(unattributedLine)]) {
    lines.push(CSV_REPORT_COLUMNS.map((column) => line[column] ?? null));
  }
  return `\uFEFF${lines.map((cells) => cells.map(toCsvCell).join(',')).join('\r\n')}\r\n`;
}
