import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFfmpeg } from '../../src/media/index.js';
import { startStudio } from '../../src/studio/index.js';
import type { Studio } from '../../src/studio/index.js';
import { launchPageBrowser } from '../helpers/launch-page-browser.js';

const FIXTURE = fileURLToPath(new URL('../fixtures/studio-project/', import.meta.url));
const TEMPLATE = 'templates/tune/index.tsx';
const DATASET = 'datasets/tune.csv';
const FPS = 30;
/** Seconds into the file heard at frame 0 (the template's `startFrom`). */
const START_FROM = 1.5;

/** A small template with music from `startFrom`, and a frame counter so frames differ. */
const TUNE_TEMPLATE = `import { AbsoluteFill, Audio, defineTemplate, useCurrentFrame, type SlotMap, type SlotProps } from 'reelwright';
import tone from './tone.m4a';

const slots = { title: { kind: 'text' } } as const satisfies SlotMap;

function Tune({ title }: SlotProps<typeof slots>) {
  const frame = useCurrentFrame();
  return (
    <AbsoluteFill style={{ background: '#124', color: '#fff', fontFamily: 'sans-serif', fontSize: 14 }}>
      {title} {frame}
      <Audio src={tone} startFrom={${START_FROM}} volume={0.8} />
    </AbsoluteFill>
  );
}

export default defineTemplate({ id: 'tune', version: '1', fps: ${FPS}, width: 160, height: 90, duration: 4, slots, component: Tune });
`;

type AudioState = { src: string; paused: boolean; muted: boolean; currentTime: number; volume: number };
type Snapshot = { frame: number; audio: AudioState[] };

/** The shown frame and the preview's audio elements, read in one go (a string expression, like studio.test.ts). */
async function snapshot(page: Page): Promise<Snapshot> {
  return page.evaluate(`(() => ({
    frame: Number(document.querySelector('iframe[data-active="true"]')?.dataset.frame ?? -1),
    audio: [...document.querySelectorAll('audio[data-testid="preview-audio"]')].map((a) => ({
      src: a.src, paused: a.paused, muted: a.muted, currentTime: a.currentTime, volume: a.volume,
    })),
  }))()`) as Promise<Snapshot>;
}

/** Waits until the playing track has played past `frame` on screen, then checks it is in step with the frame shown. */
async function expectInStep(page: Page, frame: number): Promise<Snapshot> {
  await page.waitForFunction(
    `(() => {
      const shown = Number(document.querySelector('iframe[data-active="true"]')?.dataset.frame ?? -1);
      const playing = [...document.querySelectorAll('audio[data-testid="preview-audio"]')].filter((a) => !a.paused);
      return shown >= ${frame} && playing.length === 1 && playing[0].currentTime > ${START_FROM + frame / FPS - 0.2};
    })()`,
    { timeout: 10_000, polling: 50 },
  );
  const now = await snapshot(page);
  expect(now.audio.filter((a) => !a.paused)).toHaveLength(1);
  const track = now.audio.find((a) => !a.paused)!;
  // The sound follows the playback clock and the picture follows it one render behind, so on a loaded machine they
  // can part by a frame's render time; a missing seek would be off by seconds.
  expect(Math.abs(track.currentTime - (now.frame / FPS + START_FROM))).toBeLessThan(0.5);
  return now;
}

describe('studio preview audio in a real browser', () => {
  let work: string;
  let studio: Studio;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'rw-studio-audio-'));
    const project = path.join(work, 'project');
    await cp(FIXTURE, project, { recursive: true });
    const folder = path.join(project, 'templates', 'tune');
    await mkdir(folder, { recursive: true });
    await writeFile(path.join(folder, 'index.tsx'), TUNE_TEMPLATE);
    await runFfmpeg({ args: ['-v', 'error', '-f', 'lavfi', '-i', 'sine=frequency=440:duration=8', '-c:a', 'aac', '-b:a', '64k', path.join(folder, 'tone.m4a')] });
    await writeFile(path.join(project, DATASET), 'title\nHello\n');
    studio = await startStudio({ projectDir: project, port: 0 });
    browser = await launchPageBrowser({ args: ['--autoplay-policy=no-user-gesture-required'] });
    page = await browser.newPage();
    await page.setViewport({ width: 1280, height: 800, deviceScaleFactor: 1 });
    await page.goto(`${studio.url}#t=${encodeURIComponent(TEMPLATE)}&d=${encodeURIComponent(DATASET)}`, { waitUntil: 'load' });
  });

  afterAll(async () => {
    await browser?.close();
    await studio?.close();
    await rm(work, { recursive: true, force: true });
  });

  it('plays the template audio in step with the preview, pauses with it, and mutes', async () => {
    await page.waitForFunction(
      `(() => {
        const frame = document.querySelector('iframe[data-active="true"]');
        return frame && frame.dataset.frame === '0' && document.querySelector('[data-testid="stage"]')?.dataset.state === 'idle';
      })()`,
      { timeout: 30_000, polling: 50 },
    );
    // Showing a frame without playing is silent.
    expect((await snapshot(page)).audio.every((a) => a.paused)).toBe(true);

    await page.click('[data-testid="play"]');
    const playing = await expectInStep(page, 15);
    const track = playing.audio.find((a) => !a.paused)!;
    expect(track.src).toMatch(/\/tone-[A-Z0-9]+\.m4a$/);
    expect(track.volume).toBeCloseTo(0.8, 5);
    expect(track.muted).toBe(false);
    // The studio serves the file the element plays.
    const file = await fetch(track.src);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('audio/mp4');

    await page.click('[data-testid="mute"]');
    await page.waitForSelector('[data-testid="mute"][aria-label="Unmute"][aria-pressed="true"]');
    const muted = await snapshot(page);
    expect(muted.audio.length).toBeGreaterThan(0);
    expect(muted.audio.every((a) => a.muted)).toBe(true);
    expect(muted.audio.some((a) => !a.paused)).toBe(true);
    expect(await page.evaluate(`localStorage.getItem('reelwright.studio.muted')`)).toBe('1');
    await page.click('[data-testid="mute"]');
    await page.waitForSelector('[data-testid="mute"][aria-label="Mute"][aria-pressed="false"]');
    expect((await snapshot(page)).audio.every((a) => !a.muted)).toBe(true);

    await page.click('[data-testid="play"]');
    await page.waitForSelector('[data-testid="play"][aria-label="Play"]');
    expect((await snapshot(page)).audio.every((a) => a.paused)).toBe(true);

    // A seek while paused stays silent; playing again starts the sound at the new place.
    await page.click('button[aria-label="Last frame"]');
    await page.waitForFunction(`document.querySelector('iframe[data-active="true"]')?.dataset.frame === '119'`, { timeout: 10_000, polling: 50 });
    await page.click('button[aria-label="Previous frame"]');
    await page.waitForFunction(`document.querySelector('iframe[data-active="true"]')?.dataset.frame === '118'`, { timeout: 10_000, polling: 50 });
    expect((await snapshot(page)).audio.every((a) => a.paused)).toBe(true);
    for (let i = 0; i < 58; i++) await page.keyboard.press('ArrowLeft');
    await page.waitForFunction(`document.querySelector('iframe[data-active="true"]')?.dataset.frame === '60'`, { timeout: 10_000, polling: 50 });
    await page.click('[data-testid="play"]');
    await expectInStep(page, 70);
    await page.click('[data-testid="play"]');
    await page.waitForSelector('[data-testid="play"][aria-label="Play"]');
    expect((await snapshot(page)).audio.every((a) => a.paused)).toBe(true);
  });
});
