import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeFrames, makeTestClip, probeMedia, readFrameIndex, runFfmpeg, startEncoder } from './index.js';

const W = 160;
const H = 90;
let dir: string;
/** JPEG frames 0..29 of a numbered clip. */
let jpegs: Buffer[];

async function jpegFramesOf(file: string, outDir: string): Promise<Buffer[]> {
  await runFfmpeg({ args: ['-v', 'error', '-i', file, '-q:v', '2', path.join(outDir, '%04d.jpg')] });
  const names = (await readdir(outDir)).filter((n) => n.endsWith('.jpg')).sort();
  return Promise.all(names.map((n) => readFile(path.join(outDir, n))));
}

async function indexesOf(file: string): Promise<number[]> {
  const frames = await decodeFrames({ file });
  const out: number[] = [];
  for (const frame of frames) out.push(await readFrameIndex({ image: frame, width: W, height: H }));
  return out;
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'rw-encoder-'));
  const clip = path.join(dir, 'numbered.mp4');
  await makeTestClip({ outFile: clip, seconds: 1, fps: 30, width: W, height: H, kind: 'numbered' });
  const jpegDir = path.join(dir, 'jpegs');
  await mkdir(jpegDir);
  jpegs = await jpegFramesOf(clip, jpegDir);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('startEncoder', () => {
  it('encodes JPEG frames into a constant-frame-rate H.264 yuv420p MP4 with every frame in order', async () => {
    const outFile = path.join(dir, 'out', 'ordered.mp4');
    const encoder = await startEncoder({ outFile, fps: 30, width: W, height: H });
    for (const jpeg of jpegs) await encoder.writeFrame(jpeg);
    const result = await encoder.finish();

    expect(result).toMatchObject({ file: outFile, frameCount: 30, durationSeconds: 1 });
    expect(result.bytes).toBeGreaterThan(0);
    expect(await readdir(path.dirname(outFile))).toEqual(['ordered.mp4']);
    const info = await probeMedia({ file: outFile });
    expect(info.video).toMatchObject({ codec: 'h264', pixelFormat: 'yuv420p', width: W, height: H, fps: 30, frameCount: 30 });
    expect(info.durationSeconds).toBeCloseTo(1, 2);
    expect(await indexesOf(outFile)).toEqual(Array.from({ length: 30 }, (_, i) => i));
  });

  it('repeats a frame when the same Buffer is written again', async () => {
    const outFile = path.join(dir, 'repeated.mp4');
    const encoder = await startEncoder({ outFile, fps: 30, width: W, height: H });
    const first = jpegs[0]!;
    await encoder.writeFrame(first);
    await encoder.writeFrame(first);
    await encoder.writeFrame(first);
    await encoder.writeFrame(jpegs[7]!);
    await encoder.writeFrame(jpegs[7]!);
    const result = await encoder.finish();

    expect(result.frameCount).toBe(5);
    expect(await indexesOf(outFile)).toEqual([0, 0, 0, 7, 7]);
  });

  it('scales frames of another size to the requested output size', async () => {
    const outFile = path.join(dir, 'scaled.mp4');
    const encoder = await startEncoder({ outFile, fps: 25, width: 320, height: 180 });
    for (const jpeg of jpegs.slice(0, 5)) await encoder.writeFrame(jpeg);
    await encoder.finish();
    const info = await probeMedia({ file: outFile });
    expect(info.video).toMatchObject({ width: 320, height: 180, fps: 25, frameCount: 5 });
  });

  it('keeps colours: a solid JPEG colour decodes back within a few levels (BT.709 tagged)', async () => {
    const jpegPath = path.join(dir, 'solid.jpg');
    await runFfmpeg({ args: ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'color=c=0xC83C1E:s=64x64', '-frames:v', '1', '-q:v', '1', jpegPath] });
    const outFile = path.join(dir, 'solid.mp4');
    const encoder = await startEncoder({ outFile, fps: 30, width: 64, height: 64 });
    await encoder.writeFrame(await readFile(jpegPath));
    await encoder.finish();
    const [frame] = await decodeFrames({ file: outFile });
    const center = ((32 * 64) + 32) * 3;
    const rgb = [frame![center]!, frame![center + 1]!, frame![center + 2]!];
    expect(Math.abs(rgb[0]! - 0xc8)).toBeLessThanOrEqual(4);
    expect(Math.abs(rgb[1]! - 0x3c)).toBeLessThanOrEqual(4);
    expect(Math.abs(rgb[2]! - 0x1e)).toBeLessThanOrEqual(4);
  });

  it('creates nothing under the final name until finish, and abort leaves no file at all', async () => {
    const folder = path.join(dir, 'aborted');
    const outFile = path.join(folder, 'never.mp4');
    const encoder = await startEncoder({ outFile, fps: 30, width: W, height: H });
    for (const jpeg of jpegs.slice(0, 10)) await encoder.writeFrame(jpeg);
    const during = await readdir(folder);
    expect(during).not.toContain('never.mp4');
    // ffmpeg may or may not have created its temporary output yet; only that name is allowed.
    expect(during.every((name) => /^\.never\.mp4\.[0-9a-f]{12}\.tmp\.mp4$/.test(name))).toBe(true);

    await encoder.abort();
    await encoder.abort();
    expect(await readdir(folder)).toEqual([]);
    await expect(encoder.writeFrame(jpegs[0]!)).rejects.toMatchObject({ code: 'RW_CANCELLED' });
    await expect(encoder.finish()).rejects.toMatchObject({ code: 'RW_CANCELLED' });
    expect(await readdir(folder)).toEqual([]);
  });

  it('with writeInPlace writes only outFile (no temporary name of its own) and abort deletes it', async () => {
    const folder = path.join(dir, 'in-place');
    const kept = await startEncoder({ outFile: path.join(folder, '.kept.tmp.mp4'), fps: 30, width: W, height: H, writeInPlace: true });
    for (const jpeg of jpegs.slice(0, 5)) await kept.writeFrame(jpeg);
    expect((await readdir(folder)).filter((name) => name !== '.kept.tmp.mp4')).toEqual([]);
    const result = await kept.finish();
    expect(await readdir(folder)).toEqual(['.kept.tmp.mp4']);
    expect(result.frameCount).toBe(5);
    expect((await probeMedia({ file: path.join(folder, '.kept.tmp.mp4') })).video?.frameCount).toBe(5);

    const dropped = await startEncoder({ outFile: path.join(folder, '.dropped.tmp.mp4'), fps: 30, width: W, height: H, writeInPlace: true });
    for (const jpeg of jpegs.slice(0, 5)) await dropped.writeFrame(jpeg);
    await dropped.abort();
    expect(await readdir(folder)).toEqual(['.kept.tmp.mp4']);
  });

  it('stops a write that waits for backpressure when the signal aborts, and deletes the partial file', async () => {
    const folder = path.join(dir, 'signalled');
    const big = path.join(dir, 'noise.jpg');
    // Noise compresses badly: a ~300 kB JPEG overflows the pipe, so writes must wait for 'drain'.
    await runFfmpeg({
      args: ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'color=c=gray:s=640x360,noise=alls=100:allf=u', '-frames:v', '1', '-q:v', '1', big],
    });
    const jpeg = await readFile(big);
    expect(jpeg.length).toBeGreaterThan(100_000);
    const controller = new AbortController();
    const encoder = await startEncoder({ outFile: path.join(folder, 'x.mp4'), fps: 30, width: 640, height: 360, signal: controller.signal });
    await encoder.writeFrame(jpeg);
    const pending = encoder.writeFrame(jpeg);
    controller.abort(new Error('user pressed Ctrl-C'));
    await expect(pending.then(() => encoder.writeFrame(jpeg))).rejects.toMatchObject({ code: 'RW_CANCELLED' });
    await expect(encoder.finish()).rejects.toMatchObject({ code: 'RW_CANCELLED' });
    await encoder.abort();
    expect(await readdir(folder)).toEqual([]);
  });

  it('fails with RW_FFMPEG_FAILED and the ffmpeg message when a frame is corrupt, leaving no file', async () => {
    const folder = path.join(dir, 'corrupt');
    const encoder = await startEncoder({ outFile: path.join(folder, 'bad.mp4'), fps: 30, width: W, height: H });
    await encoder.writeFrame(jpegs[0]!);
    await encoder.writeFrame(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x01, 0x02, 0xff, 0xd9]));
    await encoder.writeFrame(jpegs[1]!).catch(() => undefined);
    const failure = await encoder.finish().then(
      () => null,
      (error: unknown) => error,
    );
    expect(failure).toMatchObject({ code: 'RW_FFMPEG_FAILED', name: 'EncodeError' });
    expect((failure as Error).message).toMatch(/JPEG|Invalid data/i);
    expect(await readdir(folder)).toEqual([]);
  });

  it('rejects a frame that is not a JPEG before sending it to ffmpeg', async () => {
    const encoder = await startEncoder({ outFile: path.join(dir, 'png.mp4'), fps: 30, width: W, height: H });
    await expect(encoder.writeFrame(Buffer.from('\x89PNG\r\n\x1a\n'))).rejects.toMatchObject({ code: 'RW_ENCODER_BAD_FRAME' });
    await encoder.abort();
  });

  it('refuses to finish a video without frames', async () => {
    const folder = path.join(dir, 'empty');
    const encoder = await startEncoder({ outFile: path.join(folder, 'empty.mp4'), fps: 30, width: W, height: H });
    await expect(encoder.finish()).rejects.toMatchObject({ code: 'RW_ENCODE_NO_FRAMES' });
    expect(await readdir(folder)).toEqual([]);
  });

  it('validates options before starting ffmpeg', async () => {
    await expect(startEncoder({ outFile: path.join(dir, 'odd.mp4'), fps: 30, width: 161, height: H })).rejects.toMatchObject({
      code: 'RW_INVALID_OPTION',
      message: expect.stringMatching(/options\.width must be an even integer/),
    });
    await expect(startEncoder({ outFile: path.join(dir, 'fps.mp4'), fps: 0, width: W, height: H })).rejects.toMatchObject({
      code: 'RW_INVALID_OPTION',
    });
  });
});
