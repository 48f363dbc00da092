import { escapeHtml } from './escape-html.js';
import { formatMicros } from './format-micros.js';
import type { Micros } from './types.js';

/** Options for `renderHistogramSvg`. */
export type RenderHistogramSvgOptions = {
  /** One amount per row. */
  values: readonly Micros[];
  /** Accessible name of the chart. */
  title: string;
  /** Shown instead of a chart when there are no values. */
  emptyText: string;
  /** Most bins drawn; `DEFAULT_HISTOGRAM_BINS` by default (fewer when there are few values). */
  maxBins?: number;
};

/** Most bins of the cost-per-row histogram. */
export const DEFAULT_HISTOGRAM_BINS = 12;

const WIDTH = 400;
const HEIGHT = 200;
const PAD_LEFT = 36;
const PAD_BOTTOM = 40;
const PAD_TOP = 18;

/**
 * A histogram of amounts (the distribution of cost per row) as inline SVG: equal-width bins from
 * the smallest to the largest amount, each bar labelled with its count, the axis with amounts.
 *
 * @example
 * renderHistogramSvg({ title: 'Cost per row', emptyText: 'No rows', values: report.rows.map((r) => r.totalMicros) });
 */
export function renderHistogramSvg(options: RenderHistogramSvgOptions): string {
  const { values } = options;
  if (values.length === 0) return `<p class="empty">${escapeHtml(options.emptyText)}</p>`;
  // A loop, not Math.min(...values): spreading 100,000 rows overflows the call stack.
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const binCount = min === max ? 1 : Math.max(1, Math.min(options.maxBins ?? DEFAULT_HISTOGRAM_BINS, Math.ceil(Math.sqrt(values.length)) + 1));
  const width = (max - min) / binCount;
  const counts = new Array<number>(binCount).fill(0);
  for (const v of values) {
    const bin = width === 0 ? 0 : Math.min(binCount - 1, Math.floor((v - min) / width));
    counts[bin] = (counts[bin] ?? 0) + 1;
  }
  const top = Math.max(...counts); // at most maxBins values
  const plotWidth = WIDTH - PAD_LEFT - 12;
  const plotHeight = HEIGHT - PAD_TOP - PAD_BOTTOM;
  const barWidth = plotWidth / binCount;
  const bars = counts.map((count, i) => {
    const h = top === 0 ? 0 : Math.round((count / top) * plotHeight);
    const x = PAD_LEFT + i * barWidth;
    const y = PAD_TOP + plotHeight - h;
    const from = formatMicros({ micros: Math.round(min + i * width), style: 'display' });
    const to = formatMicros({ micros: Math.round(min + (i + 1) * width), style: 'display' });
    const range = binCount === 1 ? from : `${from} – ${to}`;
    return (
      `<g><title>${escapeHtml(`${range}: ${count} row${count === 1 ? '' : 's'}`)}</title>` +
      `<rect class="bar hist" x="${(x + 2).toFixed(1)}" y="${y}" width="${Math.max(1, barWidth - 4).toFixed(1)}" height="${h}" rx="3"></rect>` +
      (count > 0 ? `<text class="chart-value" x="${(x + barWidth / 2).toFixed(1)}" y="${y - 4}" text-anchor="middle">${count}</text>` : '') +
      '</g>'
    );
  });
  const axisY = PAD_TOP + plotHeight;
  const left = formatMicros({ micros: min, style: 'display' });
  const right = formatMicros({ micros: max, style: 'display' });
  return (
    `<svg class="chart" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${escapeHtml(options.title)}" xmlns="http://www.w3.org/2000/svg">` +
    `<line class="axis" x1="${PAD_LEFT}" y1="${axisY}" x2="${WIDTH - 12}" y2="${axisY}"></line>` +
    bars.join('') +
    `<text class="chart-label" x="${PAD_LEFT}" y="${axisY + 18}">${escapeHtml(left)}</text>` +
    (binCount > 1 ? `<text class="chart-label" x="${WIDTH - 12}" y="${axisY + 18}" text-anchor="end">${escapeHtml(right)}</text>` : '') +
    `<text class="chart-caption" x="${PAD_LEFT + plotWidth / 2}" y="${axisY + 34}" text-anchor="middle">row total</text>` +
    `<text class="chart-caption" x="12" y="${PAD_TOP + plotHeight / 2}" text-anchor="middle" transform="rotate(-90 12 ${PAD_TOP + plotHeight / 2})">rows</text>` +
    '</svg>'
  );
}
