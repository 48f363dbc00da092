import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CancelledError } from '../errors/index.js';
import { decodeFrames, extractFrames, makeTestClip, probeMedia, readFrameIndex } from '../media/index.js';
import { loadTemplate } from '../template/index.js';
import type { TemplateDefinition } from '../template/index.js';
import { BrowserSession, bundleTemplate, computeDuration, renderVideo, serveFiles } from './index.js';
import type { BundleTemplateResult, FileServer, RenderVideoProgress } from './index.js';

const FIXTURES = fileURLToPath(new URL('../../test/fixtures/templates/', import.meta.url));

type Loaded = { bundle: BundleTemplateResult; template: TemplateDefinition };

describe('renderVideo', () => {
  let work: string;
  let cacheDir: string;
  let server: FileServer;
  let session: BrowserSession;
  let hello: Loaded;

  const load = async (entry: string): Promise<Loaded> => ({
    bundle: await bundleTemplate({ entry, cacheDir }),
    template: (await loadTemplate({ entry, cacheDir })).definition,
  });

  beforeAll(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'rw-render-'));
    cacheDir = path.join(work, 'cache');
    server = await serveFiles();
    session = await BrowserSession.launch({ width: 160, height: 90 });
    hello = await load(path.join(FIXTURES, 'hello-card', 'index.tsx'));
  });

  afterAll(async () => {
    await session?.close();
    await server?.close();
    await rm(work, { recursive: true, force: true });
  });

  it('renders two rows to MP4s with the right frame count and size, without reloading the page between rows', async () => {
    const progress: RenderVideoProgress[] = [];
    const ada = await renderVideo({
      session,
      server,
      ...hello,
      variant: 'landscape',
      props: { name: 'Ada', accent: '#e0457b' },
      clipFrames: {},
      outFile: path.join(work, 'out', 'ada.mp4'),
      randomSeed: 'ada',
      onProgress: (event) => progress.push(event),
    });
    expect(ada.frames).toBe(10);
    // The text slides in over frames 0–5 and then holds still: frames 6–9 repeat frame 5's image.
    expect(ada).toMatchObject({ capturedFrames: 6, reusedFrames: 4 });
    expect(progress.at(0)?.stage).toBe('init');
    expect(progress.at(-1)).toMatchObject({ stage: 'done', framesDone: 10, framesTotal: 10 });

    await session.evaluate({ expression: 'window.__sameDocument = true' });
    const grace = await renderVideo({
      session,
      server,
      ...hello,
      variant: 'landscape',
      props: { name: 'Grace', accent: '#22aa55', seconds: 0.5 },
      clipFrames: {},
      outFile: path.join(work, 'out', 'grace.mp4'),
      randomSeed: 'grace',
    });
    expect(grace.frames).toBe(5);
    expect(await session.evaluate({ expression: 'window.__sameDocument === true' })).toBe(true);

    for (const [file, frames] of [
      [ada.outFile, 10],
      [grace.outFile, 5],
    ] as const) {
      const info = await probeMedia({ file });
      expect(info.video).toMatchObject({ codec: 'h264', width: 160, height: 90, fps: 10, frameCount: frames, pixelFormat: 'yuv420p' });
    }
    expect((await readdir(path.join(work, 'out'))).sort()).toEqual(['ada.mp4', 'grace.mp4']);
  });

  it('renders another variant at its own size in the same browser', async () => {
    const square = await renderVideo({
      session,
      server,
      ...hello,
      variant: 'square',
      props: { name: 'Linus', accent: '#3355ff', seconds: 0.3 },
      clipFrames: {},
      outFile: path.join(work, 'square.mp4'),
      randomSeed: 'linus',
    });
    const info = await probeMedia({ file: square.outFile });
    expect(info.video).toMatchObject({ width: 96, height: 96, frameCount: 3 });
  });

  it('gives the same MP4 bytes with and without frame reuse, and for the same row twice', async () => {
    const common = {
      session,
      server,
      ...hello,
      variant: 'landscape',
      props: { name: 'Barbara', accent: '#aa3300', seconds: 0.6 },
      clipFrames: {},
      randomSeed: 'barbara',
    };
    const reused = await renderVideo({ ...common, outFile: path.join(work, 'reuse-a.mp4') });
    const again = await renderVideo({ ...common, outFile: path.join(work, 'reuse-b.mp4') });
    const every = await renderVideo({ ...common, outFile: path.join(work, 'every.mp4'), frameReuse: false });
    expect(every).toMatchObject({ frames: 6, capturedFrames: 6, reusedFrames: 0 });
    // Frames 0–3 move, 4–5 hold still.
    expect(reused).toMatchObject({ frames: 6, capturedFrames: 4, reusedFrames: 2 });
    const bytes = await readFile(reused.outFile);
    expect(bytes.equals(await readFile(again.outFile))).toBe(true);
    // Reuse must not change a single pixel: a recaptured unchanged frame has the same JPEG bytes as the reused one.
    expect(bytes.equals(await readFile(every.outFile))).toBe(true);
  });

  it('shows clip frame f at video frame f, from pre-decoded frames and through the <video> fallback', async () => {
    const broll = await load(path.join(FIXTURES, 'broll-card', 'index.tsx'));
    const { file: clip } = await makeTestClip({ outFile: path.join(work, 'numbered.mp4'), seconds: 1, fps: 10, width: 192, height: 108, kind: 'numbered' });
    const clipUrl = server.mountFile(clip);
    const framesDir = path.join(work, 'numbered-frames');
    const { count } = await extractFrames({ input: clip, outDir: framesDir, fps: 10, width: 192, height: 108, fit: 'cover' });
    const predecoded = { [clipUrl]: { urlPrefix: server.mount('clips/numbered', framesDir), count, fps: 10 } };
    await using own = await BrowserSession.launch({ width: 192, height: 108 });
    for (const [name, clipFrames] of [
      ['frames', predecoded],
      ['video', {}],
    ] as const) {
      const result = await renderVideo({
        session: own,
        server,
        ...broll,
        variant: 'default',
        props: { clip: clipUrl },
        clipFrames,
        outFile: path.join(work, `broll-${name}.mp4`),
        randomSeed: 'clip',
        frameTimeoutMs: 5_000,
      });
      expect(result.capturedFrames, name).toBe(10);
      const frames = await decodeFrames({ file: result.outFile });
      const shown = await Promise.all(frames.map((image) => readFrameIndex({ image, width: 192, height: 108 })));
      expect(shown, name).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    }
  });

  it('reuses the captured image while a pre-decoded clip holds its last frame, and shows the right frame throughout', async () => {
    const broll = await load(path.join(FIXTURES, 'broll-card', 'index.tsx'));
    const { file: clip } = await makeTestClip({ outFile: path.join(work, 'half.mp4'), seconds: 0.5, fps: 10, width: 192, height: 108, kind: 'numbered' });
    const clipUrl = server.mountFile(clip);
    const framesDir = path.join(work, 'half-frames');
    const { count } = await extractFrames({ input: clip, outDir: framesDir, fps: 10, width: 192, height: 108, fit: 'cover' });
    expect(count).toBe(5);
    const common = {
      session,
      server,
      ...broll,
      variant: 'default',
      props: { clip: clipUrl },
      clipFrames: { [clipUrl]: { urlPrefix: server.mount('clips/half', framesDir), count, fps: 10 } },
      randomSeed: 'half',
      frameTimeoutMs: 5_000,
    };
    const result = await renderVideo({ ...common, outFile: path.join(work, 'half-held.mp4') });
    expect({ captured: result.capturedFrames, reused: result.reusedFrames }).toEqual({ captured: 5, reused: 5 });
    const frames = await decodeFrames({ file: result.outFile });
    const shown = await Promise.all(frames.map((image) => readFrameIndex({ image, width: 192, height: 108 })));
    expect(shown).toEqual([0, 1, 2, 3, 4, 4, 4, 4, 4, 4]);
    // Pre-decoded clip frames are deterministic: the same row, rendered again without reuse, gives the same bytes.
    const again = await renderVideo({ ...common, outFile: path.join(work, 'half-again.mp4'), frameReuse: false });
    expect(again.capturedFrames).toBe(10);
    expect((await readFile(again.outFile)).equals(await readFile(result.outFile))).toBe(true);
  });

  it('fails a row whose pre-decoded B-roll frame is missing, naming the frame URL, and leaves no file behind', async () => {
    const broll = await load(path.join(FIXTURES, 'broll-card', 'index.tsx'));
    const { file: clip } = await makeTestClip({ outFile: path.join(work, 'gone.mp4'), seconds: 1, fps: 10, width: 192, height: 108, kind: 'numbered' });
    const clipUrl = server.mountFile(clip);
    const emptyDir = path.join(work, 'gone-frames');
    await rm(emptyDir, { recursive: true, force: true });
    await mkdir(emptyDir, { recursive: true });
    const outDir = path.join(work, 'gone-out');
    const error = await renderVideo({
      session,
      server,
      ...broll,
      variant: 'default',
      props: { clip: clipUrl },
      clipFrames: { [clipUrl]: { urlPrefix: server.mount('clips/gone', emptyDir), count: 10, fps: 10 } },
      outFile: path.join(outDir, 'gone.mp4'),
      randomSeed: 'gone',
      frameTimeoutMs: 5_000,
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'RenderError', code: 'RW_TEMPLATE_RUNTIME' });
    expect((error as Error).message).toMatch(/Image failed to load: http:\/\/\S+\/000001\.jpg/);
    expect(await readdir(outDir).catch(() => [])).toEqual([]);
  });

  it('fails with RW_TEMPLATE_RUNTIME naming the frame and the message, and leaves no file behind', async () => {
    const broken = await load(path.join(FIXTURES, 'throws-at-frame', 'index.tsx'));
    const outDir = path.join(work, 'broken');
    const error = await renderVideo({
      session,
      server,
      ...broken,
      variant: 'default',
      props: { name: 'Widget' },
      clipFrames: {},
      outFile: path.join(outDir, 'widget.mp4'),
      randomSeed: 'widget',
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'RenderError', code: 'RW_TEMPLATE_RUNTIME' });
    expect((error as Error).message).toMatch(/template "throws-at-frame" variant "default" failed at frame 3: .*price of Widget is not a number/);
    expect(await readdir(outDir)).toEqual([]);
  });

  it('turns a frame that never becomes ready into RW_FRAME_TIMEOUT naming the frame and what it waits for', async () => {
    const entry = path.join(work, 'never-ready.tsx');
    await writeFile(
      entry,
      `import { AbsoluteFill, defineTemplate, delayRender, useCurrentFrame } from 'reelwright';
function NeverReady() {
  // A frame that asks the page to wait for something that never arrives.
  if (useCurrentFrame() === 2) delayRender('logo.png from the CDN');
  return <AbsoluteFill style={{ background: '#000' }} />;
}
export default defineTemplate({ id: 'never-ready', version: '1', fps: 10, width: 64, height: 36, duration: 0.5, slots: {}, component: NeverReady });
`,
    );
    await using fresh = await BrowserSession.launch({ width: 64, height: 36 });
    const error = await renderVideo({
      session: fresh,
      server,
      ...(await load(entry)),
      variant: 'default',
      props: {},
      clipFrames: {},
      outFile: path.join(work, 'never', 'never.mp4'),
      randomSeed: 'x',
      // Long enough for a fresh browser's first navigation and mount on a loaded 2-core machine (0.5 s was not).
      frameTimeoutMs: 3_000,
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'RW_FRAME_TIMEOUT' });
    expect((error as Error).message).toMatch(/^frame 2 of 5 \(template "never-ready" variant "default"\) did not finish within 3 s/);
    expect((error as Error).message).toContain('Still waiting on: logo.png from the CDN.');
    expect(await readdir(path.join(work, 'never'))).toEqual([]);
  });

  it('reloads the page for the next row after a frame timed out', async () => {
    const entry = path.join(work, 'slow-once.tsx');
    await writeFile(
      entry,
      `import { AbsoluteFill, defineTemplate, delayRender, useCurrentFrame } from 'reelwright';
function SlowOnce({ stuck }: { stuck: string }) {
  if (stuck === 'yes' && useCurrentFrame() === 1) delayRender('a fetch that never answers');
  return <AbsoluteFill style={{ background: '#345' }} />;
}
export default defineTemplate({ id: 'slow-once', version: '1', fps: 10, width: 64, height: 36, duration: 0.3,
  slots: { stuck: { kind: 'choice', options: ['yes', 'no'] } }, component: SlowOnce });
`,
    );
    const slow = await load(entry);
    await using own = await BrowserSession.launch({ width: 64, height: 36 });
    const row = (stuck: string) => ({
      session: own,
      server,
      ...slow,
      variant: 'default',
      props: { stuck },
      clipFrames: {},
      outFile: path.join(work, `slow-${stuck}.mp4`),
      randomSeed: stuck,
      frameTimeoutMs: 500,
    });
    await expect(renderVideo(row('yes'))).rejects.toMatchObject({ code: 'RW_FRAME_TIMEOUT' });
    expect(own.state).toBe('timed-out');
    // Without a reload the stuck handle from the first row would block this one too.
    const next = await renderVideo(row('no'));
    expect(next.frames).toBe(3);
    expect(own.state).toBe('ready');
  });

  it('stops on abort with CancelledError and leaves no file under the final name', async () => {
    const controller = new AbortController();
    const outDir = path.join(work, 'aborted');
    const error = await renderVideo({
      session,
      server,
      ...hello,
      variant: 'landscape',
      props: { name: 'Ken', accent: '#000000', seconds: 3 },
      clipFrames: {},
      outFile: path.join(outDir, 'ken.mp4'),
      randomSeed: 'ken',
      onProgress: (event) => {
        if (event.framesDone === 4) controller.abort(new Error('stop'));
      },
      signal: controller.signal,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CancelledError);
    expect(await readdir(outDir)).toEqual([]);
    // The session is still usable for the next row.
    expect(session.state).toBe('ready');
  });

  it('rejects an unknown variant before starting anything', async () => {
    await expect(
      renderVideo({
        session,
        server,
        ...hello,
        variant: 'portrait',
        props: { name: 'X' },
        clipFrames: {},
        outFile: path.join(work, 'x.mp4'),
        randomSeed: 'x',
      }),
    ).rejects.toMatchObject({ code: 'RW_INVALID_OPTION', message: expect.stringContaining('"landscape", "square"') });
  });
});

describe('computeDuration', () => {
  it('rounds seconds × fps from a number or a function of the row', () => {
    expect(computeDuration({ template: { id: 't', fps: 30, duration: 2.5 }, props: {} })).toEqual({ seconds: 2.5, durationInFrames: 75 });
    expect(computeDuration({ template: { id: 't', fps: 30, duration: (row) => Number(row['n']) / 7 }, props: { n: 10 } }).durationInFrames).toBe(43);
  });

  it('rejects a duration that is not a positive number or shorter than a frame', () => {
    expect(() => computeDuration({ template: { id: 't', fps: 30, duration: () => Number.NaN }, props: {} })).toThrow(
      expect.objectContaining({ code: 'RW_TEMPLATE_DURATION_INVALID', message: expect.stringContaining('from duration(row)') }),
    );
    expect(() => computeDuration({ template: { id: 't', fps: 30, duration: 0.01 }, props: {} })).toThrow(/shorter than one frame/);
    expect(() =>
      computeDuration({
        template: {
          id: 't',
          fps: 30,
          duration: () => {
            throw new Error('no seconds column');
          },
        },
        props: {},
      }),
    ).toThrow(/duration\(row\) threw: no seconds column/);
  });
});
