import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CancelledError } from '../errors/index.js';
import { runFfmpeg } from '../media/index.js';
import { BrowserSession, serveFiles } from './index.js';
import type { CaptureMethod, FileServer } from './index.js';

/** Decodes a JPEG to RGB and returns its size and the colour at its centre. */
async function inspectJpeg(jpeg: Buffer): Promise<{ width: number; height: number; centre: [number, number, number] }> {
  const probe = await runFfmpeg({
    binary: 'ffprobe',
    args: ['-v', 'error', '-show_entries', 'stream=width,height', '-of', 'json', '-i', 'pipe:0'],
    stdin: jpeg,
  });
  const { streams } = JSON.parse(probe.stdout.toString()) as { streams: { width: number; height: number }[] };
  const { width, height } = streams[0]!;
  const { stdout } = await runFfmpeg({ args: ['-v', 'error', '-i', 'pipe:0', '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'], stdin: jpeg });
  const offset = (Math.floor(height / 2) * width + Math.floor(width / 2)) * 3;
  return { width, height, centre: [stdout[offset]!, stdout[offset + 1]!, stdout[offset + 2]!] };
}

function near(actual: readonly number[], expected: readonly number[], tolerance = 12): boolean {
  return actual.every((value, i) => Math.abs(value - expected[i]!) <= tolerance);
}

const CARD_HTML = `<!doctype html><meta charset="utf-8">
<style>html,body{margin:0;height:100%;overflow:hidden}
body{background:linear-gradient(135deg,#0b3d91,#e0457b);font:bold 20px sans-serif;color:#fff}
h1{margin:0;padding:16px;font-size:22px;text-shadow:0 0 6px #000}</style>
<body><h1 id="title">Hello Ada</h1></body>`;

const SOLID_HTML = `<!doctype html><style>html,body{margin:0;height:100%;background:rgb(255,0,0)}</style><body></body>`;

describe('BrowserSession', () => {
  let dir: string;
  let server: FileServer;
  let base: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'rw-session-'));
    await writeFile(path.join(dir, 'card.html'), CARD_HTML);
    await writeFile(path.join(dir, 'solid.html'), SOLID_HTML);
    server = await serveFiles();
    base = server.mount('pages', dir);
  });

  afterAll(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  for (const method of ['begin-frame', 'screenshot'] as const satisfies readonly CaptureMethod[]) {
    it(`captures what the page shows after each change with ${method} capture`, async () => {
      await using session = await BrowserSession.launch({ width: 160, height: 90, captureMethod: method });
      expect(session.captureMethod).toBe(method);
      await session.navigate({ url: `${base}solid.html` });
      expect(session.url).toBe(`${base}solid.html`);
      const red = await inspectJpeg(await session.capture({ quality: 90 }));
      expect(red.width).toBe(160);
      expect(red.height).toBe(90);
      expect(near(red.centre, [255, 0, 0]), `centre ${red.centre}`).toBe(true);
      await session.evaluate({ expression: `document.body.style.background = 'rgb(0, 0, 255)'` });
      const blue = await inspectJpeg(await session.capture({ quality: 90 }));
      expect(near(blue.centre, [0, 0, 255]), `centre ${blue.centre}`).toBe(true);
    });
  }

  it('picks begin-frame capture on the headless shell when asked for auto', async () => {
    await using session = await BrowserSession.launch({ width: 160, height: 90 });
    expect(session.captureMethod).toBe('begin-frame');
  });

  it('captures byte-identical frames in two separate browsers', async () => {
    const frames: Buffer[] = [];
    for (let run = 0; run < 2; run++) {
      await using session = await BrowserSession.launch({ width: 320, height: 180 });
      await session.navigate({ url: `${base}card.html` });
      frames.push(await session.capture({ quality: 85 }));
      await session.evaluate({ expression: `document.getElementById('title').textContent = 'Hello Grace'` });
      frames.push(await session.capture({ quality: 85 }));
    }
    expect(frames[0]!.equals(frames[2]!)).toBe(true);
    expect(frames[1]!.equals(frames[3]!)).toBe(true);
    expect(frames[0]!.equals(frames[1]!)).toBe(false);
  });

  it('resizes the viewport between variants', async () => {
    await using session = await BrowserSession.launch({ width: 160, height: 90 });
    await session.navigate({ url: `${base}solid.html` });
    await session.setViewport({ width: 90, height: 160 });
    expect(session.viewport).toEqual({ width: 90, height: 160 });
    const portrait = await inspectJpeg(await session.capture());
    expect([portrait.width, portrait.height]).toEqual([90, 160]);
    expect(near(portrait.centre, [255, 0, 0])).toBe(true);
  });

  it('keeps frames coming while awaiting a page promise, so requestAnimationFrame resolves', async () => {
    await using session = await BrowserSession.launch({ width: 160, height: 90 });
    await session.navigate({ url: `${base}solid.html` });
    const ticks = await session.evaluate<number>({
      expression: `new Promise((resolve) => { let n = 0; const tick = () => (++n === 3 ? resolve(n) : requestAnimationFrame(tick)); requestAnimationFrame(tick); })`,
      timeoutMs: 10_000,
    });
    expect(ticks).toBe(3);
  });

  it('turns a page promise that never settles into RW_FRAME_TIMEOUT naming the frame and the seconds', async () => {
    await using session = await BrowserSession.launch({ width: 160, height: 90 });
    await session.navigate({ url: `${base}solid.html` });
    const error = await session.evaluate({ expression: 'new Promise(() => {})', what: 'frame 7', timeoutMs: 400 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'RW_FRAME_TIMEOUT' });
    expect((error as Error).message).toMatch(/^frame 7 did not finish within 0\.4 s/);
    expect(session.state).toBe('timed-out');
  });

  it('reports an exception thrown in the page as RW_PAGE_ERROR with its message', async () => {
    await using session = await BrowserSession.launch({ width: 160, height: 90 });
    await session.navigate({ url: `${base}solid.html` });
    await expect(session.evaluate({ expression: `(() => { throw new Error('slot "price" is not a number') })()` })).rejects.toMatchObject({
      code: 'RW_PAGE_ERROR',
      message: expect.stringContaining('slot "price" is not a number'),
    });
    expect(session.state).toBe('ready');
  });

  it('reports a page that answers 404 as RW_PAGE_LOAD_FAILED', async () => {
    await using session = await BrowserSession.launch({ width: 160, height: 90 });
    await expect(session.navigate({ url: `${base}missing.html` })).rejects.toMatchObject({ code: 'RW_PAGE_LOAD_FAILED' });
  });

  it('turns a crashed page into RW_BROWSER_CRASHED for the pending and every later call', async () => {
    await using session = await BrowserSession.launch({ width: 160, height: 90 });
    await session.navigate({ url: `${base}solid.html` });
    const client = await session._page.createCDPSession();
    // Page.crash never answers: the renderer dies while handling it.
    client.send('Page.crash').catch(() => undefined);
    const pending = await session.evaluate({ expression: 'new Promise(() => {})', timeoutMs: 20_000 }).catch((e: unknown) => e);
    expect(pending).toMatchObject({ code: 'RW_BROWSER_CRASHED' });
    expect(session.state).toBe('crashed');
    await expect(session.capture()).rejects.toMatchObject({ code: 'RW_BROWSER_CRASHED' });
  });

  it('turns a killed browser process into RW_BROWSER_CRASHED', async () => {
    await using session = await BrowserSession.launch({ width: 160, height: 90 });
    await session.navigate({ url: `${base}solid.html` });
    const capture = session.evaluate({ expression: 'new Promise(() => {})', timeoutMs: 20_000 });
    process.kill(session.pid!, 'SIGKILL');
    await expect(capture).rejects.toMatchObject({ code: 'RW_BROWSER_CRASHED' });
    await expect(session.capture()).rejects.toMatchObject({ code: 'RW_BROWSER_CRASHED', message: /start a new one/ });
  });

  it('rejects a pending call with CancelledError when its signal fires', async () => {
    await using session = await BrowserSession.launch({ width: 160, height: 90 });
    await session.navigate({ url: `${base}solid.html` });
    const controller = new AbortController();
    const pending = session.evaluate({ expression: 'new Promise(() => {})', signal: controller.signal, timeoutMs: 20_000 });
    controller.abort(new Error('user pressed Ctrl-C'));
    await expect(pending).rejects.toBeInstanceOf(CancelledError);
  });

  it('reports memory usage of the page and the browser process tree', async () => {
    await using session = await BrowserSession.launch({ width: 160, height: 90 });
    await session.navigate({ url: `${base}card.html` });
    const usage = await session.getMemoryUsage();
    expect(usage.jsHeapUsedBytes).toBeGreaterThan(0);
    expect(usage.rssBytes).toBeGreaterThan(10 * 1024 * 1024);
    expect(usage.processCount).toBeGreaterThan(1);
  });

  it('fails with RW_CHROMIUM_MISSING and the install command when the binary is absent', async () => {
    await expect(BrowserSession.launch({ width: 160, height: 90, executablePath: path.join(dir, 'no-such-chromium') })).rejects.toMatchObject({
      code: 'RW_CHROMIUM_MISSING',
      message: expect.stringContaining('apt-get install -y chromium-headless-shell'),
    });
  });

  it('closes twice without error and refuses calls afterwards', async () => {
    const session = await BrowserSession.launch({ width: 160, height: 90 });
    const pid = session.pid!;
    await session.close();
    await session.close();
    expect(session.state).toBe('closed');
    expect(() => process.kill(pid, 0)).toThrow();
    await expect(session.capture()).rejects.toMatchObject({ code: 'RW_BROWSER_CLOSED' });
  });
});
