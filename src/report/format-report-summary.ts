import { formatDuration } from './format-duration.js';
import { formatMicros } from './format-micros.js';
import type { Micros, RunReport } from './types.js';

/** Options for `formatReportSummary`. */
export type FormatReportSummaryOptions = { report: RunReport };

const money = (micros: Micros) => formatMicros({ micros, style: 'display' });
const percent = (value: number | null) => (value === null ? '–' : `${Math.round(value * 100)}%`);

/**
 * A run report's summary as plain text lines for a terminal (what `reelwright report` prints to
 * stderr): rows, spend split into AI and compute, cost per finished video, cost and attempts per
 * usable clip by provider and model, failures by code, cache and dedupe savings, budget, speed, and
 * the ledger check. Row values are not included, so nothing from the dataset reaches the terminal.
 *
 * @example
 * for (const line of formatReportSummary({ report })) log.info(logOptions, line);
 */
export function formatReportSummary(options: FormatReportSummaryOptions): string[] {
  const { report } = options;
  const s = report.summary;
  const run = report.run;
  const lines = [
    `Run ${run.id} · ${run.status.replace(/_/g, ' ')}${run.templateId ? ` · ${run.templateId}${run.templateVersion ? ` ${run.templateVersion}` : ''}` : ''}`,
    `  Rows       ${s.rows.total}: ${s.rows.rendered} rendered, ${s.rows.failed} failed, ${s.rows.skipped} skipped, ${s.rows.upToDate} up to date${s.rows.unfinished ? `, ${s.rows.unfinished} unfinished` : ''}`,
    `  Spend      ${money(s.spend.totalMicros)} = ${money(s.spend.generationMicros)} AI generation + ${money(s.spend.computeMicros)} compute ($${s.computeUsdPerCpuHour}/CPU-hour)`,
    `  Per video  ${s.costPerFinishedVideoMicros === null ? '– (nothing rendered)' : money(s.costPerFinishedVideoMicros)}`,
  ];
  for (const p of s.byProviderModel) {
    lines.push(
      `  ${`${p.provider}/${p.model ?? ''}`.padEnd(24)} ${p.attempts} attempts, ${p.usableClips} usable` +
        (p.costPerUsableClipMicros === null ? '' : `, ${money(p.costPerUsableClipMicros)} and ${p.attemptsPerUsableClip?.toFixed(2)} attempts per usable clip`) +
        `, ${percent(p.failureRate)} failed, paid ${money(p.paidMicros)}`,
    );
  }
  if (s.failuresByCode.length > 0) {
    lines.push(`  Failures   ${s.failuresByCode.map((f) => `${f.code}${f.status === 'rejected' ? ' (QA)' : ''} ×${f.count} ${money(f.paidMicros)}`).join(', ')}`);
  }
  lines.push(
    `  Cache      ${s.cache.hits} of ${s.cache.distinctClips} clips (${percent(s.cache.hitRate)}), saved ${money(s.cache.savedMicros)}; dedupe ${s.dedupe.dedupedUses} of ${s.dedupe.uses} uses (${percent(s.dedupe.rate)}), saved ${money(s.dedupe.savedMicros)}`,
  );
  if (s.budget) lines.push(`  Budget     ${money(s.budget.usedMicros)} of ${money(s.budget.limitMicros)} (${percent(s.budget.usedFraction)})`);
  lines.push(`  Time       ${formatDuration({ seconds: s.time.wallSeconds })} wall, ${s.time.frames} frames, ${s.time.effectiveFps === null ? '–' : s.time.effectiveFps.toFixed(1)} fps effective`);
  lines.push(
    `  Ledger     ${s.ledger.balanced ? 'reconciled' : 'DOES NOT ADD UP'}: rows ${money(s.spend.rowsMicros - s.spend.computeMicros)} + unattributed ${money(s.spend.unattributedMicros)} = ${money(s.ledger.totalMicros)} over ${s.ledger.attempts} attempts` +
      (s.ledger.unknownCostAttempts > 0 ? `; ${s.ledger.unknownCostAttempts} attempts of unknown cost (list price ${money(s.ledger.unknownCostEstimateMicros)})` : ''),
  );
  return lines;
}
