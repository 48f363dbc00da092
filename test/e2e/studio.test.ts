import { cp, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeFrames, probeMedia, runFfmpeg } from '../../src/media/index.js';
import { BrowserSession, TEXT_RENDERING_FLAGS, bundleTemplate, serveFiles } from '../../src/render/index.js';
import type { FileServer, PageInit } from '../../src/render/index.js';
import { startStudio } from '../../src/studio/index.js';
import { launchPageBrowser } from '../helpers/launch-page-browser.js';
import type { PrepareRowResponse, Studio, StudioDataset } from '../../src/studio/index.js';

const FIXTURE = fileURLToPath(new URL('../fixtures/studio-project/', import.meta.url));
const TEMPLATE = 'templates/card/index.tsx';
const DATASET = 'datasets/people.csv';
/** Screenshots of the whole studio page, for people to look at. */
const SCREENSHOT_DIR = path.join(tmpdir(), 'reelwright-studio-screenshots');

type Rgb = { width: number; height: number; data: Buffer };

/** Decodes a PNG or JPEG to raw RGB with ffmpeg. */
async function decode(image: Uint8Array): Promise<Rgb> {
  const probe = await runFfmpeg({ binary: 'ffprobe', args: ['-v', 'error', '-show_entries', 'stream=width,height', '-of', 'json', '-i', 'pipe:0'], stdin: Buffer.from(image) });
  const { streams } = JSON.parse(probe.stdout.toString()) as { streams: { width: number; height: number }[] };
  const { width, height } = streams[0]!;
  const { stdout } = await runFfmpeg({ args: ['-v', 'error', '-i', 'pipe:0', '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'], stdin: Buffer.from(image) });
  return { width, height, data: stdout };
}

/** Mean absolute difference per channel, in 0–255 units. */
function meanAbsDiff(a: Rgb, b: Rgb): number {
  expect([a.width, a.height]).toEqual([b.width, b.height]);
  let sum = 0;
  for (let i = 0; i < a.data.length; i++) sum += Math.abs(a.data[i]! - b.data[i]!);
  return sum / a.data.length;
}

/** Share of pixels where some channel differs by more than 32. */
function changedShare(a: Rgb, b: Rgb): number {
  let changed = 0;
  for (let i = 0; i < a.data.length; i += 3) {
    if (Math.abs(a.data[i]! - b.data[i]!) > 32 || Math.abs(a.data[i + 1]! - b.data[i + 1]!) > 32 || Math.abs(a.data[i + 2]! - b.data[i + 2]!) > 32) changed++;
  }
  return changed / (a.data.length / 3);
}

/** Text of an element (string expressions only: functions would carry the test transpiler's helpers into the page). */
async function textOf(page: Page, selector: string): Promise<string> {
  return page.evaluate(`document.querySelector(${JSON.stringify(selector)})?.textContent ?? ''`) as Promise<string>;
}

async function mountCount(page: Page): Promise<number> {
  return Number(await page.evaluate(`document.querySelector('iframe[data-active="true"]')?.dataset.mount ?? '0'`));
}

/**
 * Waits until the visible iframe shows `frame` (of the row keyed `seed`, when given) after more than `mountsBefore`
 * mounts, with nothing pending.
 */
async function waitForPreview(page: Page, options: { frame: number; mountsBefore?: number; seed?: string }): Promise<void> {
  await page.waitForFunction(
    `(() => {
      const frame = document.querySelector('iframe[data-active="true"]');
      const stage = document.querySelector('[data-testid="stage"]');
      return frame && stage && stage.dataset.state === 'idle' && frame.dataset.frame === ${JSON.stringify(String(options.frame))}
        && Number(frame.dataset.mount) > ${options.mountsBefore ?? 0}
        && ${options.seed === undefined ? 'true' : `frame.dataset.seed === ${JSON.stringify(options.seed)}`};
    })()`,
    { timeout: 60_000, polling: 50 },
  );
}

async function scrubTo(page: Page, frame: number): Promise<void> {
  await page.evaluate(`(() => {
    const input = document.querySelector('[data-testid="scrub"]');
    Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set.call(input, ${JSON.stringify(String(frame))});
    input.dispatchEvent(new Event('input', { bubbles: true }));
  })()`);
}

async function screenshotPreview(page: Page, save?: string): Promise<Rgb> {
  const frame = await page.$('iframe[data-active="true"]');
  if (!frame) throw new Error('no visible preview iframe');
  const png = await frame.screenshot({ type: 'png' });
  if (save) await writeFile(path.join(SCREENSHOT_DIR, save), png);
  return decode(png);
}

async function replaceName(page: Page, value: string): Promise<void> {
  await page.click('#field-name', { clickCount: 3 });
  await page.keyboard.press('Backspace');
  await page.keyboard.type(value);
}

async function api<T>(studio: Studio, route: string, body?: unknown): Promise<T> {
  const response = await fetch(new URL(route, studio.url), body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(response.ok, `${route}: ${response.status}`).toBe(true);
  return (await response.json()) as T;
}

describe('reelwright studio in a real browser', () => {
  let work: string;
  let project: string;
  let studio: Studio;
  let browser: Browser;
  let page: Page;
  /** Serves the render bundle and mirrors the studio's `/files/…` URLs, as the batch's file server does. */
  let server: FileServer;
  let session: BrowserSession | null = null;

  /** The preview's input for the second dataset row, straight from the API (what the page passes to init). */
  const initOf = async (cells?: Record<string, string>): Promise<PageInit> => {
    const dataset = await api<StudioDataset>(studio, `/api/dataset?ref=${DATASET}&template=${TEMPLATE}`);
    const row = dataset.rows[1]!;
    const prepared = await api<PrepareRowResponse>(studio, '/api/prepare', {
      template: TEMPLATE,
      dataset: DATASET,
      variant: 'landscape',
      cells: { ...row.cells, ...cells },
      line: row.line,
      index: row.index,
    });
    expect(prepared.ok).toBe(true);
    return prepared.init!;
  };

  /** The renderer's frame: the render-mode bundle in the renderer's BrowserSession, captured at `frame`. */
  const rendererFrame = async (init: PageInit, frame: number, save?: string): Promise<Rgb> => {
    const entry = path.join(project, TEMPLATE);
    const bundle = await bundleTemplate({ entry, cacheDir: path.join(work, 'render-cache'), mode: 'render' });
    session ??= await BrowserSession.launch({ width: init.config.width, height: init.config.height });
    await session.setViewport({ width: init.config.width, height: init.config.height });
    await session.navigate({ url: `${server.mount(`bundles/${bundle.hash}`, bundle.dir)}index.html` });
    const errors = await session.evaluate<string[]>({
      expression: `(async () => { const api = window.__reelwright; await api.init(${JSON.stringify(init)}); await api.renderFrame(${frame}); return api.takeErrors(); })()`,
    });
    expect(errors).toEqual([]);
    const jpeg = await session.capture({ quality: 100, what: `frame ${frame}` });
    if (save) await writeFile(path.join(SCREENSHOT_DIR, save), jpeg);
    return decode(jpeg);
  };

  beforeAll(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'rw-studio-e2e-'));
    project = path.join(work, 'project');
    await cp(FIXTURE, project, { recursive: true });
    await mkdir(SCREENSHOT_DIR, { recursive: true });
    // The default renderRow: the real batch pipeline (runBatch restricted to the row, with the render pool).
    studio = await startStudio({ projectDir: project, port: 0 });
    server = await serveFiles();
    server.mount('files/state', path.join(project, '.reelwright'));
    server.mount('files/datasets', path.join(project, 'datasets'));
    // The renderer's text flags, so a page screenshot matches a rendered frame.
    browser = await launchPageBrowser({ args: TEXT_RENDERING_FLAGS });
    page = await browser.newPage();
    await page.setViewport({ width: 1440, height: 900, deviceScaleFactor: 1 });
    await page.goto(studio.url, { waitUntil: 'load' });
  });

  afterAll(async () => {
    await browser?.close();
    await session?.close();
    await studio?.close();
    await server?.close();
    await rm(work, { recursive: true, force: true });
  });

  it('previews the chosen row at a scrubbed frame exactly as the renderer renders it', async () => {
    await page.waitForSelector(`[data-testid="template-select"] option[value="${TEMPLATE}"]`);
    await page.select('[data-testid="template-select"]', TEMPLATE);
    await page.waitForSelector(`[data-testid="dataset-select"] option[value="${DATASET}"]`);
    await page.select('[data-testid="dataset-select"]', DATASET);
    await page.waitForSelector('tr[data-row-index="1"]');
    await page.click('tr[data-row-index="1"]');
    await page.waitForFunction(`document.querySelector('#field-name')?.value === 'Grace Hopper'`);
    await page.click('[data-testid="zoom-100"]');
    const grace = (await api<StudioDataset>(studio, `/api/dataset?ref=${DATASET}&template=${TEMPLATE}`)).rows[1]!;
    await waitForPreview(page, { frame: 0, seed: grace.key! });
    await scrubTo(page, 7);
    await waitForPreview(page, { frame: 7, seed: grace.key! });
    expect(await textOf(page, '[data-testid="frame"]')).toBe('7 / 23');
    expect(await textOf(page, '[data-testid="timecode"]')).toBe('00:00:00:07');
    expect(await page.evaluate(`document.querySelector('[data-testid="clip-background"]')?.dataset.status`)).toBe('local');

    const preview = await screenshotPreview(page, 'preview-frame-7.png');
    expect([preview.width, preview.height]).toEqual([320, 180]);
    const rendered = await rendererFrame(await initOf(), 7, 'renderer-frame-7.jpg');
    const difference = meanAbsDiff(preview, rendered);
    expect(difference).toBeLessThan(2);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'studio-preview.png') });
  });

  it('updates the preview at once when a prop is edited, validated by the CLI rules', async () => {
    const before = await screenshotPreview(page);
    const mounts = await mountCount(page);
    await replaceName(page, 'Zed Shaw');
    await waitForPreview(page, { frame: 7, mountsBefore: mounts });
    await page.waitForFunction(`document.querySelector('[data-testid="counter-name"]')?.textContent === '8 / 24'`);
    const after = await screenshotPreview(page);
    expect(changedShare(before, after)).toBeGreaterThan(0.01);
    // Still the renderer's frame for the edited row.
    expect(meanAbsDiff(after, await rendererFrame(await initOf({ name: 'Zed Shaw' }), 7))).toBeLessThan(2);

    // A value the CLI refuses is refused here with the CLI's message, and the preview keeps the last valid values.
    await page.click('#field-score', { clickCount: 3 });
    await page.keyboard.type('12,5');
    await page.waitForSelector('[data-testid="row-invalid"]');
    expect(await textOf(page, '.form-field:has(#field-score) .problem')).toMatch(/expected a number, got "12,5"\. Use "\." as the decimal separator/);
    await page.click('#field-score', { clickCount: 3 });
    await page.keyboard.type('64');
    await page.waitForFunction(`!document.querySelector('[data-testid="row-invalid"]')`);
  });

  it('shows a template build error with file:line:column, then recovers on the same row, frame and edits', async () => {
    const entry = path.join(project, TEMPLATE);
    const original = await readFile(entry, 'utf8');
    const before = await screenshotPreview(page);
    const broken = original.replace('const shown = Math.round(', 'const shown = = Math.round(');
    const line = broken.split('\n').findIndex((text) => text.includes('const shown = =')) + 1;
    await writeFile(entry, broken);
    await page.waitForSelector('[data-testid="error-overlay"]', { timeout: 60_000 });
    expect(await page.evaluate(`document.querySelector('[data-testid="build-status"]').dataset.status`)).toBe('error');
    expect(await textOf(page, '[data-testid="error-location"]')).toMatch(new RegExp(`^templates/card/index\\.tsx:${line}:\\d+$`));
    expect(await textOf(page, '[data-testid="error-overlay"] pre')).toMatch(/Unexpected "="/);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'studio-build-error.png') });

    const mounts = await mountCount(page);
    await writeFile(entry, original);
    await page.waitForFunction(`!document.querySelector('[data-testid="error-overlay"]')`, { timeout: 60_000 });
    await waitForPreview(page, { frame: 7, mountsBefore: mounts });
    expect(await textOf(page, '[data-testid="frame"]')).toBe('7 / 23');
    expect(await page.evaluate(`document.querySelector('tr[aria-selected="true"]')?.dataset.rowIndex`)).toBe('1');
    expect(await page.evaluate(`document.querySelector('#field-name').value`)).toBe('Zed Shaw');
    expect(meanAbsDiff(before, await screenshotPreview(page))).toBeLessThan(0.5);
  });

  it('shows a runtime error at its line in the template source, and clears it when the row is fixed', async () => {
    const source = await readFile(path.join(project, TEMPLATE), 'utf8');
    const line = source.split('\n').findIndex((text) => text.includes("throw new Error('the name")) + 1;
    await replaceName(page, 'crash');
    await page.waitForSelector('[data-testid="error-overlay"]');
    expect(await textOf(page, '[data-testid="error-overlay"] h2')).toBe('Runtime error at frame 7');
    expect(await textOf(page, '[data-testid="error-overlay"] pre')).toMatch(/the name "crash" is reserved for the runtime error test \(in <Card>\)/);
    await page.waitForSelector('[data-testid="error-location"]');
    expect(await textOf(page, '[data-testid="error-location"]')).toMatch(new RegExp(`^templates/card/index\\.tsx:${line}:\\d+$`));
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'studio-runtime-error.png') });
    await page.click('[data-testid="reset-row"]');
    await page.waitForFunction(`!document.querySelector('[data-testid="error-overlay"]')`);
    expect(await page.evaluate(`document.querySelector('#field-name').value`)).toBe('Grace Hopper');
  });

  it('lists an invalid row with the CLI wording and switches variants keeping the frame', async () => {
    await page.click('tr[data-row-index="2"]');
    await page.waitForFunction(`document.querySelector('[data-testid="row-problems"]')?.textContent.includes('problems')`);
    const problems = await textOf(page, '[data-testid="row-problems"]');
    expect(problems).toContain('people.csv line 4, column "score": expected a number, got "12,5". Use "." as the decimal separator.');
    expect(problems).toMatch(/people\.csv line 4, column "tier": expected one of "bronze", "silver", "gold", got "platinum"/);
    expect(problems).toMatch(/people\.csv line 4, column "since": 2025-02-30 is not a real date/);
    await page.waitForSelector('[data-testid="row-invalid"]');
    // The form shows the cells as written (an impossible date stays visible) and no thumbnail of another row's image.
    expect(await page.evaluate(`document.querySelector('#field-since').value`)).toBe('2025-02-30');
    expect(await page.evaluate(`document.querySelector('#field-score').getAttribute('aria-invalid')`)).toBe('true');
    expect(await page.$('.form-field:has(#field-badge) img.image-thumb')).toBeNull();
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'studio-invalid-row.png') });

    // Row 0's own preview must be up before counting mounts: on a loaded machine its mount can land after the
    // variant click, and would then pass for the square one.
    const first = (await api<StudioDataset>(studio, `/api/dataset?ref=${DATASET}&template=${TEMPLATE}`)).rows[0]!;
    const beforeRow = await mountCount(page);
    await page.click('tr[data-row-index="0"]');
    await waitForPreview(page, { frame: 7, mountsBefore: beforeRow, seed: first.key! });
    const mounts = await mountCount(page);
    await page.click('[data-variant="square"]');
    await page.waitForSelector('[data-variant="square"][aria-pressed="true"]');
    await waitForPreview(page, { frame: 7, mountsBefore: mounts });
    expect(await page.evaluate(`document.querySelector('iframe[data-active="true"]').style.width`)).toBe('200px');
    await page.click('[data-variant="landscape"]');
    await page.waitForSelector('[data-variant="landscape"][aria-pressed="true"]');
    await page.waitForFunction(`document.querySelector('iframe[data-active="true"]').style.width === '320px'`);
  });

  it('follows edits made to the dataset file on disk', async () => {
    const file = path.join(project, DATASET);
    const original = await readFile(file, 'utf8');
    await writeFile(file, `${original}Katherine Johnson,#7c3aed,99,images/badge.svg,gold,2023-08-26\n`);
    await page.waitForSelector('tr[data-row-index="3"][data-row-ok="true"]', { timeout: 30_000 });
    expect(await textOf(page, '[data-testid="row-counts"]')).toMatch(/4 rows · 3 valid · 1 with problems/);
    await writeFile(file, original);
    await page.waitForFunction(`!document.querySelector('tr[data-row-index="3"]')`, { timeout: 30_000 });
  });

  it('plays in real time from the parent and steps one frame at a time', async () => {
    await waitForPreview(page, { frame: 7 });
    await page.click('[data-testid="play"]');
    const started = Date.now();
    await page.waitForFunction(`Number(document.querySelector('iframe[data-active="true"]').dataset.frame) >= 13`, { timeout: 10_000, polling: 'raf' });
    // Six frames at 12 fps take half a second: real time, not as fast as possible.
    expect(Date.now() - started).toBeGreaterThanOrEqual(400);
    await page.click('[data-testid="play"]');
    await page.waitForFunction(`document.querySelector('[data-testid="play"]').getAttribute('aria-label') === 'Play'`);
    const paused = Number(await page.evaluate(`document.querySelector('iframe[data-active="true"]').dataset.frame`));
    await page.click('button[aria-label="Next frame"]');
    await waitForPreview(page, { frame: Math.min(23, paused + 1) });
    await page.click('button[aria-label="First frame"]');
    await waitForPreview(page, { frame: 0 });
    await page.waitForFunction(`document.querySelector('[data-testid="timecode"]').textContent === '00:00:00:00'`);
  });

  it('renders the selected row to a valid MP4 through the batch pipeline, with progress, and links it', async () => {
    await page.click('tr[data-row-index="1"]');
    await page.waitForFunction(`document.querySelector('#field-name')?.value === 'Grace Hopper'`);
    const grace = (await api<StudioDataset>(studio, `/api/dataset?ref=${DATASET}&template=${TEMPLATE}`)).rows[1]!;
    await scrubTo(page, 7);
    await waitForPreview(page, { frame: 7, seed: grace.key! });
    const preview = await screenshotPreview(page);
    // Listen to the same event stream the page follows, to see the batch's progress events arrive.
    await page.evaluate(`(() => {
      window.__renderEvents = [];
      new EventSource('/api/events').onmessage = (message) => {
        const event = JSON.parse(message.data);
        if (event.type === 'render') window.__renderEvents.push(event.job);
      };
    })()`);
    // The render takes the variant chosen in the top bar.
    expect(await page.$('[data-variant="landscape"][aria-pressed="true"]')).not.toBeNull();
    await page.click('[data-testid="render-row"]');
    await page.waitForSelector('[data-testid="render-status"]');
    await page.waitForSelector('[data-testid="render-status"][data-status="done"]', { timeout: 110_000 });
    const href = (await page.evaluate(`document.querySelector('[data-testid="render-link"]').getAttribute('href')`)) as string;
    // The batch's own output name and folder: outputs/<template id>/<row key>-<variant>.mp4.
    expect(href).toBe(`/files/outputs/card/${grace.key}-landscape.mp4`);
    const response = await fetch(new URL(href, studio.url));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('video/mp4');
    const file = path.join(project, 'outputs', 'card', `${grace.key}-landscape.mp4`);
    expect((await stat(file)).size).toBeGreaterThan(1000);
    const info = await probeMedia({ file });
    expect(info.video).toMatchObject({ codec: 'h264', width: 320, height: 180, fps: 12, frameCount: 24 });
    const events = (await page.evaluate('window.__renderEvents')) as { status: string; progress: { stage: string } | null }[];
    expect(events.some((event) => event.status === 'running' && event.progress?.stage === 'render')).toBe(true);
    expect(events.at(-1)?.status).toBe('done');
    // The batch's video shows the previewed frame (H.264 at the encoder's quality adds a little noise).
    const frames = await decodeFrames({ file });
    const encoded: Rgb = { width: 320, height: 180, data: frames[7]! };
    expect(meanAbsDiff(preview, encoded)).toBeLessThan(4);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'studio-rendered.png') });
  });
});
