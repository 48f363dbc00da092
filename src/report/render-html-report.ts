import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { log } from '../log/index.js';
import type { LogLevel, OnLog } from '../log/index.js';
import { escapeHtml } from './escape-html.js';
import { formatDuration } from './format-duration.js';
import { formatMicros } from './format-micros.js';
import { HTML_REPORT_SCRIPT } from './html-report-script.js';
import { HTML_REPORT_STYLE } from './html-report-style.js';
import { renderBarChartSvg } from './render-bar-chart-svg.js';
import { renderHistogramSvg } from './render-histogram-svg.js';
import { toScriptJson } from './to-script-json.js';
import type { Micros, RunReport } from './types.js';

/** Thumbnails larger than this are not embedded (a 160-px JPEG is 3–10 KB). */
export const DEFAULT_MAX_THUMBNAIL_BYTES = 64 * 1024;

/** Options for `renderHtmlReport`. */
export type RenderHtmlReportOptions = {
  report: RunReport;
  /** Folder the HTML file will live in: video links are relative to it. Null: relative to `baseDir`. */
  reportDir?: string | null;
  /** Folder that relative `outputPath`s in the journal are relative to; the current folder by default. */
  baseDir?: string;
  /** JPEG thumbnail file per row, keyed by `toRowId({ rowKey, variant })`; embedded as `data:` URIs. */
  thumbnails?: ReadonlyMap<string, string> | null;
  /** Largest thumbnail embedded, in bytes; `DEFAULT_MAX_THUMBNAIL_BYTES` by default. */
  maxThumbnailBytes?: number;
  logLevel?: LogLevel;
  onLog?: OnLog | null;
};

const money = (micros: Micros) => formatMicros({ micros, style: 'display' });
const percent = (value: number | null) => (value === null ? '–' : `${(value * 100).toFixed(value > 0 && value < 0.1 ? 1 : 0)}%`);
const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('base64');

/** A relative URL from the report's folder to a video, each path segment percent-encoded (so no row value can form a scheme or markup). */
function videoHref(outputPath: string, reportDir: string | null, baseDir: string): string {
  const absolute = path.resolve(baseDir, outputPath);
  const relative = reportDir === null ? path.relative(baseDir, absolute) : path.relative(path.resolve(reportDir), absolute);
  return relative.split(path.sep).map(encodeURIComponent).join('/');
}

function card(options: { label: string; value: string; sub?: string; className?: string; extra?: string }): string {
  return (
    `<div class="card${options.className ? ` ${options.className}` : ''}"><div class="label">${escapeHtml(options.label)}</div>` +
    `<div class="value">${escapeHtml(options.value)}</div>` +
    (options.sub ? `<div class="sub">${escapeHtml(options.sub)}</div>` : '') +
    (options.extra ?? '') +
    '</div>'
  );
}

function meter(fraction: number): string {
  const width = Math.max(0, Math.min(100, fraction * 100)).toFixed(1);
  return `<svg class="meter${fraction > 1 ? ' over' : ''}" viewBox="0 0 100 6" preserveAspectRatio="none" aria-hidden="true"><rect class="track" width="100" height="6" rx="3"></rect><rect class="fill" width="${width}" height="6" rx="3"></rect></svg>`;
}

function summaryCards(report: RunReport): string {
  const s = report.summary;
  const usable = s.byProviderModel.reduce((a, p) => a + p.usableClips, 0);
  const attempts = s.byProviderModel.reduce((a, p) => a + p.attempts, 0);
  const cards = [
    card({
      label: 'Total spend',
      value: money(s.spend.totalMicros),
      sub: `AI generation ${money(s.spend.generationMicros)} · compute ${money(s.spend.computeMicros)}`,
      className: 'hero',
    }),
    card({
      label: 'Cost per finished video',
      value: s.costPerFinishedVideoMicros === null ? '–' : money(s.costPerFinishedVideoMicros),
      sub: `${s.rows.rendered} rendered`,
    }),
    card({
      label: 'Rows',
      value: String(s.rows.total),
      sub: `${s.rows.rendered} rendered · ${s.rows.failed} failed · ${s.rows.skipped} skipped · ${s.rows.upToDate} up to date${s.rows.unfinished > 0 ? ` · ${s.rows.unfinished} unfinished` : ''}`,
      className: s.rows.failed > 0 ? 'warn' : '',
    }),
    card({
      label: 'Cost per usable clip',
      value: usable === 0 ? '–' : money(Math.round(s.spend.generationMicros / usable)),
      sub: usable === 0 ? 'no clip generated in this run' : `${(attempts / usable).toFixed(2)} attempts per usable clip`,
    }),
    card({
      label: 'Cache',
      value: percent(s.cache.hitRate),
      sub: `${s.cache.hits} of ${s.cache.distinctClips} clips · saved ${money(s.cache.savedMicros)}`,
    }),
    card({
      label: 'Dedupe',
      value: percent(s.dedupe.rate),
      sub: `${s.dedupe.dedupedUses} of ${s.dedupe.uses} uses shared · saved ${money(s.dedupe.savedMicros)}`,
    }),
  ];
  if (s.budget) {
    cards.push(
      card({
        label: 'Budget used',
        value: percent(s.budget.usedFraction),
        sub: `${money(s.budget.usedMicros)} of ${money(s.budget.limitMicros)}`,
        className: s.budget.usedFraction > 1 ? 'warn' : '',
        extra: meter(s.budget.usedFraction),
      }),
    );
  }
  cards.push(
    card({
      label: 'Wall time',
      value: formatDuration({ seconds: s.time.wallSeconds }),
      sub: `${s.time.frames.toLocaleString('en-US')} frames · ${s.time.effectiveFps === null ? '–' : s.time.effectiveFps.toFixed(1)} fps effective`,
    }),
    card({
      label: 'Ledger check',
      value: s.ledger.balanced ? 'Reconciled' : 'Does not add up',
      sub: `${money(s.ledger.totalMicros)} over ${s.ledger.attempts} attempts · ${money(report.unattributed.totalMicros)} unattributed`,
      className: s.ledger.balanced ? 'ok' : 'warn',
    }),
  );
  if (s.ledger.unknownCostAttempts > 0) {
    cards.push(
      card({
        label: 'Cost unknown',
        value: String(s.ledger.unknownCostAttempts),
        sub: `attempts with no journaled cost; list price ${money(s.ledger.unknownCostEstimateMicros)}`,
        className: 'warn',
      }),
    );
  }
  return `<div class="cards">${cards.join('')}</div>`;
}

function providerTable(report: RunReport): string {
  const lines = report.summary.byProviderModel.map(
    (p) =>
      `<tr><td class="key">${escapeHtml(`${p.provider} / ${p.model ?? ''}`)}</td><td class="num">${p.attempts}</td><td class="num">${p.usableClips}</td>` +
      `<td class="num">${p.failed}</td><td class="num">${p.rejected}</td><td class="num">${escapeHtml(percent(p.failureRate))}</td>` +
      `<td class="num">${p.attemptsPerUsableClip === null ? '–' : p.attemptsPerUsableClip.toFixed(2)}</td>` +
      `<td class="num">${p.costPerUsableClipMicros === null ? '–' : escapeHtml(money(p.costPerUsableClipMicros))}</td><td class="num">${escapeHtml(money(p.paidMicros))}</td></tr>`,
  );
  if (lines.length === 0) return '<p class="empty">No generation attempts in this run.</p>';
  return (
    '<table><thead><tr><th>Provider / model</th><th class="num">Attempts</th><th class="num">Usable clips</th><th class="num">Failed</th><th class="num">QA rejected</th>' +
    '<th class="num">Failure rate</th><th class="num">Attempts per usable clip</th><th class="num">Cost per usable clip</th><th class="num">Paid</th></tr></thead>' +
    `<tbody>${lines.join('')}</tbody></table>`
  );
}

function unattributedSection(report: RunReport): string {
  if (report.unattributed.items.length === 0) return '';
  const lines = report.unattributed.items.map(
    (i) =>
      `<tr><td class="key">${escapeHtml(`${i.provider} / ${i.model}`)}</td><td class="small">${escapeHtml(i.clipId)}</td><td class="num">${i.attempts}</td>` +
      `<td>${escapeHtml(i.why)}</td><td class="num">${escapeHtml(money(i.amountMicros))}</td></tr>`,
  );
  return (
    `<section class="panel"><h2>Unattributed spend · ${escapeHtml(money(report.unattributed.totalMicros))}</h2>` +
    '<table><thead><tr><th>Provider / model</th><th>Clip</th><th class="num">Attempts</th><th>Why no row carries it</th><th class="num">Amount</th></tr></thead>' +
    `<tbody>${lines.join('')}</tbody></table></section>`
  );
}

function thumbnailUris(options: RenderHtmlReportOptions): Record<string, string> {
  const uris: Record<string, string> = {};
  if (!options.thumbnails) return uris;
  const logOptions = { logLevel: options.logLevel ?? 'info', tag: 'renderHtmlReport()', onLog: options.onLog ?? null };
  const max = options.maxThumbnailBytes ?? DEFAULT_MAX_THUMBNAIL_BYTES;
  const known = new Set(options.report.rows.map((r) => r.id));
  for (const [rowId, file] of options.thumbnails) {
    if (!known.has(rowId)) continue;
    let bytes: Buffer;
    try {
      bytes = readFileSync(file);
    } catch (error) {
      // A missing thumbnail must not cost the whole report: the row shows a placeholder instead.
      log.warn(logOptions, `Thumbnail ${file} cannot be read (${(error as Error).message}); the row shows a placeholder.`);
      continue;
    }
    if (bytes.length > max || bytes[0] !== 0xff || bytes[1] !== 0xd8 || bytes[2] !== 0xff) {
      log.warn(logOptions, `Thumbnail ${file} is not a JPEG of at most ${max} bytes (${bytes.length} bytes); the row shows a placeholder.`);
      continue;
    }
    uris[rowId] = `data:image/jpeg;base64,${bytes.toString('base64')}`;
  }
  return uris;
}

/**
 * The report as ONE self-contained HTML page: inline CSS and script, charts as inline SVG,
 * thumbnails as `data:` URIs, system fonts; a Content-Security-Policy that allows no network
 * request at all (`default-src 'none'`, the script and stylesheet allowed by hash). Shows summary
 * cards, spend by provider/model, the distribution of cost per row, failures by code, a per
 * provider/model table, and a sortable, filterable row table with a link to each video (relative to
 * `reportDir`) and each row's slots on click. Every row value is escaped in the markup and reaches
 * the script only as JSON data (`toScriptJson`), which builds the table with `textContent`.
 *
 * @example
 * const html = renderHtmlReport({ report, reportDir: 'outputs' });
 * @see writeHtmlReport
 */
export function renderHtmlReport(options: RenderHtmlReportOptions): string {
  const { report } = options;
  const s = report.summary;
  const reportDir = options.reportDir ?? null;
  const baseDir = options.baseDir ?? process.cwd();
  const links: Record<string, string> = {};
  for (const row of report.rows) if (row.outputPath !== null) links[row.id] = videoHref(row.outputPath, reportDir, baseDir);
  const data = toScriptJson({ value: { report, links, thumbs: thumbnailUris(options) } });

  const spendChart = renderBarChartSvg({
    title: 'Spend by provider and model',
    emptyText: 'No generation spend in this run.',
    items: s.byProviderModel.map((p) => ({
      label: `${p.provider} / ${p.model ?? ''}`,
      value: p.paidMicros,
      valueLabel: `${money(p.paidMicros)} · ${p.attempts} att.`,
    })),
  });
  const histogram = renderHistogramSvg({ title: 'Distribution of cost per row', emptyText: 'No rows.', values: report.rows.map((r) => r.totalMicros) });
  const failureChart = renderBarChartSvg({
    title: 'Failures by code',
    emptyText: 'No failed or rejected attempts.',
    barClass: 'bar fail',
    items: s.failuresByCode.map((f) => ({
      label: `${f.code}${f.status === 'rejected' ? ' (QA rejected)' : ''}`,
      value: f.count,
      valueLabel: `${f.count} · ${money(f.paidMicros)}`,
    })),
  });
  const run = report.run;
  const title = `Cost report · ${run.templateId ?? 'run'} · ${run.id}`;
  const csp = `default-src 'none'; img-src data:; style-src 'sha256-${sha256(HTML_REPORT_STYLE)}'; script-src 'sha256-${sha256(HTML_REPORT_SCRIPT)}'; base-uri 'none'; form-action 'none'`;
  const meta = [
    `run <b>${escapeHtml(run.id)}</b>`,
    `status <b>${escapeHtml(run.status.replace(/_/g, ' '))}</b>`,
    run.templateId ? `template <b>${escapeHtml(run.templateId)}${run.templateVersion ? ` ${escapeHtml(run.templateVersion)}` : ''}</b>` : '',
    run.dataset ? `dataset <b>${escapeHtml(run.dataset)}</b>` : '',
    `started ${escapeHtml(run.startedAt.replace('T', ' ').replace(/\.\d+Z$/, 'Z'))}`,
    run.error ? `error <b>${escapeHtml(run.error.code)}</b>: ${escapeHtml(run.error.message)}` : '',
  ].filter(Boolean);
  const th = (key: string, label: string, numeric = false) => `<th data-key="${key}"${numeric ? ' class="num"' : ''}><button type="button">${label}</button></th>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="reelwright">
<link rel="icon" href="data:,">
<title>${escapeHtml(title)}</title>
<style>${HTML_REPORT_STYLE}</style>
</head>
<body>
<header class="top"><h1>Cost report</h1><div class="meta">${meta.join(' · ')}</div></header>
${summaryCards(report)}
<section class="charts">
<div class="panel"><h2>Spend by provider and model</h2>${spendChart}</div>
<div class="panel"><h2>Cost per row</h2>${histogram}</div>
<div class="panel"><h2>Failures by code</h2>${failureChart}</div>
</section>
<section class="panel"><h2>Providers and models</h2>${providerTable(report)}</section>
<section class="panel">
<h2>Rows</h2>
<div class="toolbar">
<input id="rw-filter" type="search" placeholder="Filter by row, reason, provider, clip…" aria-label="Filter rows" autocomplete="off">
<select id="rw-status" aria-label="Status">
<option value="all">All statuses</option><option value="rendered">Rendered</option><option value="failed">Failed</option>
<option value="skipped">Skipped</option><option value="up_to_date">Up to date</option><option value="unfinished">Unfinished</option>
</select>
<span class="count" id="rw-count" aria-live="polite"></span>
</div>
<table id="rw-table">
<thead><tr><th>Thumb</th>${th('rowKey', 'Row')}${th('variant', 'Variant')}${th('line', 'Line', true)}${th('status', 'Status')}${th('clips', 'Clips')}${th('attempts', 'Attempts', true)}${th('generation', 'AI share', true)}${th('compute', 'Compute', true)}${th('total', 'Total', true)}<th>Video</th></tr></thead>
<tbody id="rw-rows"></tbody>
</table>
<button type="button" class="more" id="rw-more" hidden>Show more rows</button>
<noscript><p class="empty">The row table needs JavaScript; the same rows are in the CSV and JSON reports.</p></noscript>
</section>
${unattributedSection(report)}
<footer>
<p>Generated ${escapeHtml(report.generatedAt)} from the journal. Amounts are exact to the micro-dollar; compute at ${escapeHtml(`$${s.computeUsdPerCpuHour}`)} per CPU-hour.</p>
<ol>
<li>This run's AI spend is every attempt it journaled: succeeded, failed, QA-rejected and cancelled alike.</li>
<li>A clip generated in this run and used by k rows costs each of them 1/k (remainders go to the first rows, so the parts add up exactly).</li>
<li>Money spent on clips for rows that then failed or were skipped stays on those rows.</li>
<li>A clip from the cache costs 0 in this run; its row shows what was originally paid.</li>
<li>Spend no row can carry is listed as unattributed. Rows plus unattributed equal the ledger total.</li>
</ol>
</footer>
<script type="application/json" id="rw-data">${data}</script>
<script>${HTML_REPORT_SCRIPT}</script>
</body>
</html>
`;
}
