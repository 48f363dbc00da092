/**
 * The HTML report's inline stylesheet. System fonts only (no web font, no network); the page's
 * Content-Security-Policy allows exactly this text by its hash.
 */
export const HTML_REPORT_STYLE = `
:root {
  --bg: #f4f5f8; --panel: #ffffff; --ink: #1c2333; --muted: #667085; --line: #e3e6ee;
  --accent: #4f46e5; --accent-soft: #eef0ff; --green: #16a34a; --red: #dc2626; --amber: #d97706;
  --blue: #2563eb; --gray: #6b7280;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color: var(--ink); background: var(--bg);
}
* { box-sizing: border-box; }
body { margin: 0; padding: 28px 32px 48px; font-size: 14px; line-height: 1.45; }
header.top { display: flex; flex-wrap: wrap; align-items: baseline; gap: 6px 16px; margin-bottom: 20px; }
header.top h1 { font-size: 22px; margin: 0; letter-spacing: -0.01em; }
header.top .meta { color: var(--muted); font-size: 13px; }
header.top .meta b { color: var(--ink); font-weight: 600; }
h2 { font-size: 15px; margin: 0 0 12px; letter-spacing: 0.01em; }
section { margin-top: 22px; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(190px, 1fr)); gap: 12px; }
.card { background: var(--panel); border: 1px solid var(--line); border-radius: 12px; padding: 14px 16px; box-shadow: 0 1px 2px rgba(16, 24, 40, 0.04); }
.card .label { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: 0.04em; }
.card .value { font-size: 24px; font-weight: 650; margin-top: 4px; font-variant-numeric: tabular-nums; }
.card .sub { color: var(--muted); font-size: 12.5px; margin-top: 2px; }
.card.hero { background: linear-gradient(135deg, #4f46e5, #7c3aed); color: #fff; border: none; }
.card.hero .label, .card.hero .sub { color: rgba(255, 255, 255, 0.82); }
.card.warn { border-color: #f5c26b; background: #fffaf0; }
.card.ok .value { color: var(--green); }
.meter { width: 100%; height: 6px; margin-top: 8px; display: block; border-radius: 3px; }
.meter .track { fill: var(--line); }
.meter .fill { fill: var(--accent); }
.meter.over .fill { fill: var(--red); }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(360px, 1fr)); gap: 12px; }
.panel { background: var(--panel); border: 1px solid var(--line); border-radius: 12px; padding: 16px; box-shadow: 0 1px 2px rgba(16, 24, 40, 0.04); }
.chart { width: 100%; height: auto; display: block; }
.chart .bar { fill: var(--accent); }
.chart .bar.fail { fill: var(--red); }
.chart .bar.hist { fill: #7c83f0; }
.chart .chart-label { font-size: 12px; fill: var(--ink); }
.chart .chart-value { font-size: 11.5px; fill: var(--muted); font-variant-numeric: tabular-nums; }
.chart .chart-caption { font-size: 11px; fill: var(--muted); }
.chart .axis { stroke: var(--line); stroke-width: 1; }
.empty { color: var(--muted); margin: 8px 0; }
table { width: 100%; border-collapse: collapse; font-variant-numeric: tabular-nums; }
th, td { text-align: left; padding: 8px 10px; border-bottom: 1px solid var(--line); vertical-align: middle; }
th { font-size: 12px; color: var(--muted); font-weight: 600; text-transform: uppercase; letter-spacing: 0.03em; background: #fafbfd; position: sticky; top: 0; z-index: 1; }
td.num, th.num { text-align: right; white-space: nowrap; }
th { white-space: nowrap; }
td .key { max-width: 280px; }
th button { all: unset; cursor: pointer; display: inline-flex; gap: 4px; align-items: center; }
th button:hover, th button:focus-visible { color: var(--accent); }
th[aria-sort="ascending"] button::after { content: "▲"; font-size: 9px; }
th[aria-sort="descending"] button::after { content: "▼"; font-size: 9px; }
.toolbar { display: flex; flex-wrap: wrap; gap: 10px; align-items: center; margin-bottom: 12px; }
.toolbar input, .toolbar select { font: inherit; padding: 7px 10px; border: 1px solid var(--line); border-radius: 8px; background: #fff; color: var(--ink); }
.toolbar input { min-width: 260px; }
.toolbar .count { color: var(--muted); margin-left: auto; }
tr.row { cursor: pointer; }
tr.row:hover td { background: #f8f9ff; }
tr.details td { background: #fbfbfe; padding: 10px 16px 14px; }
.key { font-weight: 600; word-break: break-all; }
.small { color: var(--muted); font-size: 12px; }
.reason { color: var(--muted); font-size: 12px; max-width: 320px; overflow-wrap: anywhere; }
.badge { display: inline-block; padding: 2px 8px; border-radius: 999px; font-size: 12px; font-weight: 600; }
.badge.rendered { background: #dcfce7; color: #166534; }
.badge.failed { background: #fee2e2; color: #991b1b; }
.badge.skipped { background: #f1f2f4; color: #4b5563; }
.badge.up_to_date { background: #dbeafe; color: #1e40af; }
.badge.unfinished { background: #fef3c7; color: #92400e; }
.chip { display: inline-block; padding: 1px 7px; border-radius: 6px; font-size: 11.5px; margin: 1px 3px 1px 0; background: var(--accent-soft); color: #3730a3; }
.chip.cache { background: #e0f2fe; color: #075985; }
.chip.shared { background: #f3e8ff; color: #6b21a8; }
.chip.local { background: #f1f2f4; color: #4b5563; }
.thumb { width: 64px; height: 36px; object-fit: cover; border-radius: 4px; display: block; background: #dfe3ec; }
.thumb.none { background: repeating-linear-gradient(45deg, #eceef3, #eceef3 6px, #e3e6ee 6px, #e3e6ee 12px); }
a { color: var(--accent); }
.slots th { position: static; background: transparent; }
.slots td { font-size: 12.5px; }
.problem { color: var(--red); }
.more { margin-top: 12px; font: inherit; padding: 7px 14px; border-radius: 8px; border: 1px solid var(--line); background: #fff; cursor: pointer; }
.more[hidden] { display: none; }
footer { margin-top: 28px; color: var(--muted); font-size: 12.5px; }
footer ol { padding-left: 18px; }
`;
