import { escapeHtml } from './escape-html.js';

/** One bar of a horizontal bar chart. */
export type BarChartItem = {
  /** Text left of the bar (untrusted: escaped). */
  label: string;
  /** Bar length, relative to the largest value; ≥ 0. */
  value: number;
  /** Text right of the bar, e.g. `$1.20 · 4 attempts`. */
  valueLabel: string;
};

/** Options for `renderBarChartSvg`. */
export type RenderBarChartSvgOptions = {
  items: readonly BarChartItem[];
  /** Accessible name of the chart. */
  title: string;
  /** CSS class of the bars (colour). */
  barClass?: string;
  /** Shown instead of a chart when there are no items. */
  emptyText: string;
};

/** Labels longer than this are cut with an ellipsis (the full text is in the bar's tooltip). */
const MAX_LABEL_CHARS = 52;
/** Each item: its label on one line, its bar and value on the next. */
const ROW_HEIGHT = 40;
const WIDTH = 400;
const VALUE_WIDTH = 120;

/**
 * A horizontal bar chart as inline SVG markup (no script, no external resource); every label is
 * escaped.
 *
 * @example
 * renderBarChartSvg({ title: 'Spend by provider', emptyText: 'No spend', items: [{ label: 'runway/gen4', value: 3, valueLabel: '$3.00' }] });
 */
export function renderBarChartSvg(options: RenderBarChartSvgOptions): string {
  const { items, title } = options;
  if (items.length === 0) return `<p class="empty">${escapeHtml(options.emptyText)}</p>`;
  const max = Math.max(...items.map((i) => i.value), 0);
  const barSpace = WIDTH - VALUE_WIDTH;
  const height = items.length * ROW_HEIGHT + 4;
  const bars = items.map((item, i) => {
    const y = i * ROW_HEIGHT;
    const length = max === 0 ? 0 : Math.max(2, Math.round((item.value / max) * barSpace));
    const label = item.label.length > MAX_LABEL_CHARS ? `${item.label.slice(0, MAX_LABEL_CHARS - 1)}…` : item.label;
    return (
      `<g><title>${escapeHtml(`${item.label}: ${item.valueLabel}`)}</title>` +
      `<text class="chart-label" x="0" y="${y + 12}">${escapeHtml(label)}</text>` +
      `<rect class="${escapeHtml(options.barClass ?? 'bar')}" x="0" y="${y + 18}" width="${length}" height="14" rx="4"></rect>` +
      `<text class="chart-value" x="${length + 6}" y="${y + 29}">${escapeHtml(item.valueLabel)}</text></g>`
    );
  });
  return `<svg class="chart" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="${escapeHtml(title)}" xmlns="http://www.w3.org/2000/svg">${bars.join('')}</svg>`;
}
