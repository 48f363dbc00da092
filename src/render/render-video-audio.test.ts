import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { measureAudioLevel, probeMedia } from '../media/index.js';
import { loadTemplate } from '../template/index.js';
import type { TemplateDefinition } from '../template/index.js';
import { BrowserSession, PAGE_API_GLOBAL, bundleTemplate, renderVideo, serveFiles } from './index.js';
import type { AudioFrameEntry, BundleTemplateResult, FileServer, PageInit, RenderVideoResult } from './index.js';

const AUDIO_CARD = fileURLToPath(new URL('../../test/fixtures/templates/audio-card/index.tsx', import.meta.url));
/** Level of the fixture's tone (ffmpeg `sine`, amplitude 1/8) is about −21 dB mean; silence reads about −91 dB. */
const AUDIBLE_DB = -35;
const SILENT_DB = -80;

describe('renderVideo with <Audio>', () => {
  let work: string;
  let server: FileServer;
  let session: BrowserSession;
  let loaded: { bundle: BundleTemplateResult; template: TemplateDefinition };

  const render = (name: string, props: Record<string, unknown>, outDir = work): Promise<RenderVideoResult> =>
    renderVideo({
      session,
      server,
      ...loaded,
      variant: 'default',
      props,
      clipFrames: {},
      outFile: path.join(outDir, `${name}.mp4`),
      randomSeed: name,
    });

  beforeAll(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'rw-render-audio-'));
    const cacheDir = path.join(work, 'cache');
    server = await serveFiles();
    session = await BrowserSession.launch({ width: 64, height: 36 });
    loaded = {
      bundle: await bundleTemplate({ entry: AUDIO_CARD, cacheDir }),
      template: (await loadTemplate({ entry: AUDIO_CARD, cacheDir })).definition,
    };
  });

  afterAll(async () => {
    await session?.close();
    await server?.close();
    await rm(work, { recursive: true, force: true });
  });

  it('reports how long each <Audio> has left until its sequence (or the video) ends, which the studio fades out against', async () => {
    const url = `${server.mount(`bundles/${loaded.bundle.hash}`, loaded.bundle.dir)}index.html`;
    await session.navigate({ url, what: 'the audio-card bundle', timeoutMs: 20_000 });
    const api = `window[${JSON.stringify(PAGE_API_GLOBAL)}]`;
    const audioAt = async (mode: string, frame: number): Promise<AudioFrameEntry[]> => {
      const init: PageInit = { props: { mode }, config: { width: 64, height: 36, fps: 30, durationInFrames: 30, variant: 'default' }, clipFrames: {}, randomSeed: mode };
      await session.evaluate({ expression: `${api}.init(${JSON.stringify(init)})`, timeoutMs: 20_000 });
      return (await session.evaluate<{ audio: AudioFrameEntry[] }>({ expression: `${api}.renderFrame(${frame})`, timeoutMs: 20_000 })).audio;
    };
    // Frames 6–17 of 30: at frame 10, 8 frames (0.267 s) are left in the sequence; the whole-video bed has 20 (0.667 s).
    expect(await audioAt('sequence-fade', 10)).toEqual([expect.objectContaining({ fadeOutSeconds: 0.2, secondsLeft: expect.closeTo(8 / 30, 9) })]);
    expect(await audioAt('sequence-fade', 17)).toEqual([expect.objectContaining({ secondsLeft: expect.closeTo(1 / 30, 9) })]);
    expect(await audioAt('sequence-fade', 18)).toEqual([]);
    expect(await audioAt('fade', 10)).toEqual([expect.objectContaining({ fadeOutSeconds: 0.5, secondsLeft: expect.closeTo(20 / 30, 9) })]);
  });

  it('mixes an imported audio file into an AAC track of the video length, and still reuses unchanged frames', async () => {
    const result = await render('bed', { mode: 'bed' });
    expect(result.frames).toBe(30);
    // The card holds still: only the first frame is captured.
    expect(result.reusedFrames).toBeGreaterThan(0);
    expect(result.audio).toMatchObject({ tracks: 1, files: [expect.stringMatching(/tone-[A-Z0-9]+\.m4a$/)] });
    const info = await probeMedia({ file: result.outFile });
    expect(info.video).toMatchObject({ codec: 'h264', frameCount: 30 });
    expect(info.audio).toMatchObject({ codec: 'aac', sampleRate: 48_000, channels: 2 });
    expect(Math.abs((info.audio?.durationSeconds ?? 0) - 1)).toBeLessThanOrEqual(1 / 30);
    expect((await measureAudioLevel({ file: result.outFile })).meanDb).toBeGreaterThan(AUDIBLE_DB);
    expect(result.encode).toMatchObject({ file: result.outFile, frameCount: 30 });
    // Only the final file is left: no temporary video, no temporary mux output.
    expect((await readdir(work)).filter((name) => name.endsWith('.mp4'))).toEqual(['bed.mp4']);
  });

  it('starts an Audio inside a Sequence at the sequence start: silent before 0.5 s, audible after', async () => {
    const result = await render('sequence', { mode: 'sequence' });
    expect((await measureAudioLevel({ file: result.outFile, start: 0, end: 0.48 })).maxDb).toBeLessThan(SILENT_DB);
    expect((await measureAudioLevel({ file: result.outFile, start: 0.52, end: 0.98 })).meanDb).toBeGreaterThan(AUDIBLE_DB);
  });

  it('lowers the level at the end with fadeOutSeconds, and follows a volume function of the frame', async () => {
    const fade = await render('fade', { mode: 'fade' });
    const before = await measureAudioLevel({ file: fade.outFile, start: 0.1, end: 0.45 });
    const end = await measureAudioLevel({ file: fade.outFile, start: 0.85, end: 0.99 });
    expect(before.meanDb - end.meanDb).toBeGreaterThan(10);

    const ramp = await render('ramp', { mode: 'ramp' });
    const start = await measureAudioLevel({ file: ramp.outFile, start: 0, end: 0.1 });
    const full = await measureAudioLevel({ file: ramp.outFile, start: 0.6, end: 0.95 });
    expect(full.meanDb - start.meanDb).toBeGreaterThan(10);
    expect(full.meanDb).toBeGreaterThan(AUDIBLE_DB);
  });

  it('gives a template without Audio no audio stream', async () => {
    const result = await render('none', { mode: 'none' });
    expect(result.audio).toBeNull();
    expect((await probeMedia({ file: result.outFile })).hasAudio).toBe(false);
  });

  it('gives the same MP4 bytes, audio included, for the same row twice', async () => {
    const a = await render('same-a', { mode: 'fade' });
    const b = await render('same-b', { mode: 'fade' });
    expect((await readFile(a.outFile)).equals(await readFile(b.outFile))).toBe(true);
  });

  it('fails a render whose volume function leaves 0–1, naming the frame and the value', async () => {
    const error = await render('loud', { mode: 'loud' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'RW_TEMPLATE_RUNTIME' });
    expect((error as Error).message).toMatch(/failed at frame 10: <Audio src=".*tone-[A-Z0-9]+\.m4a">: volume at frame 10 is 1\.5; it must be a number from 0 to 1\./);
  });

  it('fails a render whose audio file is missing or undecodable with a message naming the file, and leaves nothing behind', async () => {
    const outDir = await mkdtemp(path.join(work, 'bad-'));
    const missing = path.join(work, 'gone', 'voice.m4a');
    const notFound = await render('missing', { mode: 'file', src: server.mountFile(missing) }, outDir).catch((e: unknown) => e);
    expect(notFound).toMatchObject({ name: 'RenderError', code: 'RW_AUDIO_NOT_FOUND' });
    expect((notFound as Error).message).toContain(`the audio file ${missing}`);
    expect((notFound as Error).message).toMatch(/^template "audio-card" variant "default", frame 0:/);

    const garbage = path.join(work, 'broken.mp3');
    await writeFile(garbage, 'not an mp3 at all');
    const unreadable = await render('broken', { mode: 'file', src: server.mountFile(garbage) }, outDir).catch((e: unknown) => e);
    expect(unreadable).toMatchObject({ code: 'RW_AUDIO_UNREADABLE' });
    expect((unreadable as Error).message).toContain(`the audio file ${garbage}`);

    const remote = await render('remote', { mode: 'file', src: 'https://example.com/music.mp3' }, outDir).catch((e: unknown) => e);
    expect(remote).toMatchObject({ code: 'RW_AUDIO_NOT_SERVED' });
    expect((remote as Error).message).toContain('<Audio src="https://example.com/music.mp3">');

    expect(await readdir(outDir)).toEqual([]);
  });
});
