import { formatMicros } from './format-micros.js';
import { toCsvCell } from './to-csv-cell.js';
import type { Micros, ReportRow, ReportSlot, RunReport } from './types.js';

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
  'paid_for_clips_usd',
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

function rowCells(row: ReportRow): Cell[] {
  const slots = row.slots;
  // Paid per distinct clip: a row using one clip in two slots paid for it once.
  const paid = [...new Map(slots.map((s) => [s.clipId, s.paidMicros])).values()].reduce((a, b) => a + b, 0);
  return [
    'row',
    row.rowKey,
    row.variant,
    row.line,
    row.status,
    row.reason,
    row.errorCode,
    row.outputPath,
    slots.length,
    unique(slots.map((s) => s.origin)).join(';'),
    unique(slots.map((s) => (s.provider === null ? '' : `${s.provider}/${s.model ?? '?'}`)).filter(Boolean)).join(';'),
    slots.reduce((a, s) => a + s.attempts, 0),
    slots.reduce((a, s) => a + s.failedAttempts, 0),
    slots.reduce((a, s) => a + s.rejectedAttempts, 0),
    unique(slots.flatMap((s) => s.problems.map((p) => `${s.slot}: ${p.status} ${p.code ?? ''}${p.message ? ` (${p.message})` : ''}`.trim()))).join('; '),
    usd(paid),
    usd(row.generationMicros),
    row.renderWallSeconds,
    row.renderCpuSeconds,
    usd(row.computeMicros),
    usd(row.totalMicros),
    slots.map(describeSlot).join(' | '),
  ];
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
  for (const row of report.rows) lines.push(rowCells(row));
  for (const item of report.unattributed.items) {
    lines.push([
      'unattributed',
      null,
      null,
      null,
      null,
      item.why,
      null,
      null,
      1,
      null,
      `${item.provider}/${item.model}`,
      item.attempts,
      null,
      null,
      null,
      usd(item.amountMicros),
      usd(item.amountMicros),
      null,
      null,
      usd(0),
      usd(item.amountMicros),
      `clip ${item.clipId}`,
    ]);
  }
  return `\uFEFF${lines.map((cells) => cells.map(toCsvCell).join(',')).join('\r\n')}\r\n`;
}
