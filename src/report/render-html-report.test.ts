import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFfmpeg } from '../media/index.js';
import { buildRunReport, makeThumbnail, renderHtmlReport, toRowId, toScriptJson, writeRunReports } from './index.js';
import type { RunReport } from './index.js';
import { ROW_KEYS, seedBatch } from './fixtures/seed-batch.js';
import { launchPageBrowser } from '../../test/helpers/launch-page-browser.js';

const HOSTILE_KEY = '</script><img src=x onerror="window.__pwned=1">erin<!--';
const HOSTILE_REASON = 'line\u2028separator </script> & <b>bold</b>';

let dir: string;
let report: RunReport;
let htmlFile: string;
let browser: Browser;
let page: Page;
/** Every request the page made other than the report file itself and its inline `data:` thumbnails. */
const unexpectedRequests: string[] = [];
/** `data:` URLs Chromium reports as requests: decoded in the renderer, they never leave the process. */
const dataUrls: string[] = [];
const pageErrors: string[] = [];

/** The row key of each shown row: its small second line when the row is named by its video, else its label. */
async function rowKeys(): Promise<string[]> {
  return page.$$eval('#rw-rows tr.row td:nth-child(2)', (cells) => cells.map((c) => (c.querySelector('.rowkey') ?? c.querySelector('.key'))?.textContent ?? ''));
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'rw-report-html-'));
  const seeded = seedBatch({ dir });
  try {
    report = buildRunReport({ journal: seeded.journal, runId: seeded.runId, now: () => Date.UTC(2026, 0, 15, 12) });
  } finally {
    seeded.journal.close();
  }
  // Untrusted text in a row key and a reason: must show as text, never run.
  const erin = report.rows.find((r) => r.rowKey === 'erin');
  if (!erin) throw new Error('fixture has no erin');
  erin.rowKey = HOSTILE_KEY;
  erin.reason = HOSTILE_REASON;
  erin.id = toRowId({ rowKey: erin.rowKey, variant: erin.variant });

  // Real videos and thumbnails for the rendered rows.
  mkdirSync(seeded.outputsDir, { recursive: true });
  const source = path.join(seeded.outputsDir, 'source.mp4');
  await runFfmpeg({
    args: ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=640x360:rate=25:duration=2', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-y', source],
    captureStdout: false,
  });
  const thumbnails = new Map<string, string>();
  for (const row of report.rows) {
    if (row.outputPath === null) continue;
    copyFileSync(source, row.outputPath);
    const thumb = path.join(dir, 'thumbs', `${path.basename(row.outputPath, '.mp4')}.jpg`);
    await makeThumbnail({ video: row.outputPath, outFile: thumb });
    thumbnails.set(row.id, thumb);
  }
  const files = await writeRunReports({ report, dir: path.join(dir, 'reports'), baseName: 'report', thumbnails });
  htmlFile = files.html;

  browser = await launchPageBrowser();
  page = await browser.newPage();
  await page.setViewport({ width: 1360, height: 900 });
  const fileUrl = pathToFileURL(htmlFile).href;
  await page.setRequestInterception(true);
  page.on('request', (request) => {
    if (request.url() === fileUrl) {
      void request.continue();
      return;
    }
    if (request.url().startsWith('data:')) {
      dataUrls.push(request.url().slice(0, 23));
      void request.continue();
      return;
    }
    unexpectedRequests.push(request.url().slice(0, 120));
    void request.abort();
  });
  page.on('pageerror', (error) => pageErrors.push(String(error)));
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(message.text());
  });
  await page.goto(fileUrl, { waitUntil: 'load' });
  await page.waitForSelector('#rw-rows tr.row');
});

afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the HTML report in headless Chromium', () => {
  it('is one self-contained file that makes no request and runs without errors', async () => {
    const html = readFileSync(htmlFile, 'utf8');
    expect(html).not.toMatch(/<(link|script|img|iframe)[^>]+(src|href)=["']?(https?:|\/\/)/i);
    expect(html).toContain(`Content-Security-Policy`);
    expect(unexpectedRequests).toEqual([]);
    expect(dataUrls.filter((url) => url !== 'data:image/jpeg;base64,')).toEqual([]);
    expect(pageErrors).toEqual([]);
    expect(await page.$$eval('#rw-rows tr.row', (rows) => rows.length)).toBe(report.rows.length);
  });

  it('renders summary cards and the three charts, and takes a non-trivial screenshot', async () => {
    const cards = await page.$$eval('.card .label', (labels) => labels.map((l) => l.textContent));
    expect(cards).toEqual(expect.arrayContaining(['Total spend', 'Cost per finished video', 'Rows', 'Cache', 'Dedupe', 'Budget used', 'Ledger check']));
    expect(await page.$eval('.card.hero .value', (v) => v.textContent)).toBe('$2.6823');
    expect(await page.$$eval('svg.chart', (charts) => charts.length)).toBe(3);
    expect(await page.$$eval('svg.chart rect.bar', (bars) => bars.length)).toBeGreaterThanOrEqual(3 + 3 + 1);
    const shot = path.join(dir, 'report.png');
    await page.screenshot({ path: shot as `${string}.png`, fullPage: true });
    const png = readFileSync(shot);
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(png.readUInt32BE(16)).toBe(1360);
    expect(png.readUInt32BE(20)).toBeGreaterThan(900);
    expect(png.length).toBeGreaterThan(60_000);
    if (process.env['RW_KEEP_SCREENSHOT']) copyFileSync(shot, process.env['RW_KEEP_SCREENSHOT']);
  });

  it('sorts the rows when a header is clicked, ascending then descending', async () => {
    const before = await rowKeys();
    expect(before[0]).toBe('alice');
    await page.click('#rw-table th[data-key="total"] button');
    const ascending = await rowKeys();
    expect(ascending).not.toEqual(before);
    const totals = new Map(report.rows.map((r) => [r.rowKey, r.totalMicros]));
    const values = ascending.map((k) => totals.get(k) ?? NaN);
    expect(values).toEqual([...values].sort((a, b) => a - b));
    expect(ascending[0]).toBe('dave');
    expect(await page.$eval('#rw-table th[data-key="total"]', (th) => th.getAttribute('aria-sort'))).toBe('ascending');
    await page.click('#rw-table th[data-key="total"] button');
    const descending = await rowKeys();
    expect(descending[0]).toBe('bob');
    expect(descending.map((k) => totals.get(k) ?? NaN)).toEqual([...values].sort((a, b) => b - a));
  });

  it('filters the rows by typed text and by status', async () => {
    await page.type('#rw-filter', 'hyperlink');
    expect(await rowKeys()).toEqual(['=HYPERLINK("x")']);
    await page.$eval('#rw-filter', (input) => {
      (input as HTMLInputElement).value = '';
    });
    await page.type('#rw-filter', 'safety.input');
    expect(await rowKeys()).toEqual(['carol']);
    await page.$eval('#rw-filter', (input) => {
      (input as HTMLInputElement).value = '';
      input.dispatchEvent(new Event('input'));
    });
    await page.select('#rw-status', 'failed');
    expect(await rowKeys()).toEqual(['carol']);
    await page.select('#rw-status', 'all');
    expect(await rowKeys()).toHaveLength(ROW_KEYS.length);
    expect(await page.$eval('#rw-count', (c) => c.textContent)).toBe(`Showing ${ROW_KEYS.length} of ${ROW_KEYS.length} matching rows (${ROW_KEYS.length} in the run)`);
  });

  it('shows untrusted row text as text and never runs it', async () => {
    const keys = await rowKeys();
    expect(keys).toContain(HOSTILE_KEY);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.$$eval('img:not(.thumb)', (imgs) => imgs.length)).toBe(0);
    const reasons = await page.$$eval('#rw-rows .reason', (r) => r.map((x) => x.textContent));
    expect(reasons).toContain(HOSTILE_REASON);
  });

  it("names each row by its video's file name, keeping the row key as small text and title", async () => {
    const cells = await page.$$eval('#rw-rows tr.row td:nth-child(2)', (tds) =>
      tds.map((c) => [c.querySelector('.key')?.textContent ?? null, c.querySelector('.key')?.getAttribute('title') ?? null, c.querySelector('.rowkey')?.textContent ?? null]),
    );
    // A row without a video (failed) is named by its planned file name; only a row skipped before planning by its key.
    const nameOf = (r: (typeof report.rows)[number]) => (r.outputPath === null ? r.outputName : path.basename(r.outputPath));
    const expected = report.rows.map((r) => (nameOf(r) === null ? [r.rowKey, `row key ${r.rowKey}`, null] : [nameOf(r), `row key ${r.rowKey}`, r.rowKey]));
    const byJson = (a: unknown, b: unknown) => JSON.stringify(a).localeCompare(JSON.stringify(b));
    expect([...cells].sort(byJson)).toEqual([...expected].sort(byJson));
    expect(cells.filter((c) => c[2] !== null).length).toBeGreaterThan(0);
    expect(cells.map((c) => c[0])).toContain('row-0.mp4');
    // carol failed (no video): named by the file she was planned under.
    const carol = report.rows.find((r) => r.rowKey === 'carol')!;
    expect(carol).toMatchObject({ status: 'failed', outputPath: null, outputName: expect.stringMatching(/^row-\d+\.mp4$/) });
    expect(cells).toContainEqual([carol.outputName, 'row key carol', 'carol']);
  });

  it('links each video relative to the report folder, embeds thumbnails, and expands a row into its clips', async () => {
    const hrefs = await page.$$eval('#rw-rows a', (links) => links.map((a) => a.getAttribute('href')));
    expect(hrefs).toContain('../outputs/row-0.mp4');
    expect(await page.$$eval('#rw-rows img.thumb', (imgs) => imgs.map((i) => (i as HTMLImageElement).naturalWidth))).toEqual(new Array(6).fill(160));
    const carol = await page.$$('#rw-rows tr.row');
    const index = (await rowKeys()).indexOf('carol');
    await carol[index]?.click();
    const details = await page.$eval('#rw-rows tr.details', (d) => d.textContent ?? '');
    expect(details).toContain('SAFETY.INPUT.TEXT');
    expect(details).toContain('The prompt was refused by moderation.');
  });
});

describe('renderHtmlReport', () => {
  it('escapes row values in the embedded JSON so no value can close the script element', () => {
    const html = renderHtmlReport({ report });
    const data = /<script type="application\/json" id="rw-data">([\s\S]*?)<\/script>/.exec(html)?.[1] ?? '';
    expect(data).not.toMatch(/[<>\u2028\u2029]/);
    expect((JSON.parse(data) as { report: RunReport }).report.rows.map((r) => r.rowKey)).toContain(HOSTILE_KEY);
    expect(toScriptJson({ value: { a: '</script>\u2028&' } })).toBe('{"a":"\\u003c/script\\u003e\\u2028\\u0026"}');
  });
});
