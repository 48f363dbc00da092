import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractFrames, makeTestClip, readFrameIndex, runFfmpeg } from './index.js';
import type { PixelRegion } from './index.js';

let dir: string;
let numbered30: string;
let numbered24: string;
let still: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'rw-extract-'));
  numbered30 = path.join(dir, 'numbered-30fps.mp4');
  numbered24 = path.join(dir, 'numbered-24fps.mp4');
  still = path.join(dir, 'still.mp4');
  await makeTestClip({ outFile: numbered30, seconds: 1, fps: 30, width: 160, height: 90, kind: 'numbered' });
  await makeTestClip({ outFile: numbered24, seconds: 1, fps: 24, width: 160, height: 90, kind: 'numbered' });
  await makeTestClip({ outFile: still, seconds: 0.2, fps: 30, width: 160, height: 90, kind: 'frozen' });
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function frameFile(pattern: string, k: number): string {
  return pattern.replace('%06d', String(k).padStart(6, '0'));
}

/** Reads the index shown by frames 1..count (each width×height), decoding the sequence in one ffmpeg run. */
async function indexes(pattern: string, count: number, width: number, height: number, region?: PixelRegion): Promise<number[]> {
  const { stdout } = await runFfmpeg({
    args: ['-v', 'error', '-f', 'image2', '-start_number', '1', '-i', pattern, '-frames:v', String(count), '-fps_mode', 'passthrough', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'],
  });
  const size = width * height * 3;
  expect(stdout.length).toBe(size * count);
  const out: number[] = [];
  for (let k = 0; k < count; k++) {
    out.push(await readFrameIndex({ image: stdout.subarray(k * size, (k + 1) * size), width, height, region: region ?? null }));
  }
  return out;
}

/** Size and top-left pixel of a JPEG, via ffmpeg. */
async function corner(file: string, width: number, height: number): Promise<number[]> {
  const { stdout } = await runFfmpeg({ args: ['-v', 'error', '-i', file, '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'] });
  expect(stdout.length).toBe(width * height * 3);
  return [stdout[0]!, stdout[1]!, stdout[2]!];
}

describe('extractFrames', () => {
  it('writes one JPEG per source frame at the source rate, frame k showing source frame k-1', async () => {
    const outDir = path.join(dir, 'frames', 'same-rate');
    const result = await extractFrames({ input: numbered30, outDir, fps: 30, width: 160, height: 90, fit: 'cover' });
    expect(result).toEqual({ count: 30, pattern: path.join(outDir, '%06d.jpg'), cached: false });
    const names = (await readdir(outDir)).sort();
    expect(names).toHaveLength(31);
    expect(names[0]).toBe('000001.jpg');
    expect(names).toContain('done.json');
    expect(await indexes(result.pattern, 30, 160, 90)).toEqual(Array.from({ length: 30 }, (_, i) => i));
  });

  it('maps frame k to the source frame on screen at time k/fps when resampling down (30 → 15 fps) and across rates (30 → 24)', async () => {
    const half = await extractFrames({ input: numbered30, outDir: path.join(dir, 'frames', '15fps'), fps: 15, width: 160, height: 90, fit: 'cover' });
    expect(half.count).toBe(15);
    expect(await indexes(half.pattern, 15, 160, 90)).toEqual(Array.from({ length: 15 }, (_, k) => 2 * k));

    const film = await extractFrames({ input: numbered30, outDir: path.join(dir, 'frames', '24fps'), fps: 24, width: 160, height: 90, fit: 'cover' });
    expect(film.count).toBe(24);
    expect(await indexes(film.pattern, 24, 160, 90)).toEqual(Array.from({ length: 24 }, (_, k) => Math.floor((k * 30) / 24)));
  });

  it('repeats source frames when resampling up (24 → 30 fps) without showing a frame early', async () => {
    const result = await extractFrames({ input: numbered24, outDir: path.join(dir, 'frames', '24to30'), fps: 30, width: 80, height: 45, fit: 'cover' });
    expect(result.count).toBe(30);
    expect(await indexes(result.pattern, 30, 80, 45)).toEqual(Array.from({ length: 30 }, (_, k) => Math.floor((k * 24) / 30)));
  });

  it('pads with black for contain and fills the frame for cover', async () => {
    const contain = await extractFrames({ input: numbered30, outDir: path.join(dir, 'frames', 'contain'), fps: 30, width: 160, height: 160, fit: 'contain' });
    // 160x90 centred in 160x160: the picture sits at y 35..125.
    expect(await indexes(contain.pattern, 3, 160, 160, { x: 0, y: 35, width: 160, height: 90 })).toEqual([0, 1, 2]);
    expect(await corner(frameFile(contain.pattern, 1), 160, 160)).toEqual([0, 0, 0]);

    const cover = await extractFrames({ input: still, outDir: path.join(dir, 'frames', 'cover'), fps: 30, width: 90, height: 90, fit: 'cover' });
    const [r, g, b] = await corner(frameFile(cover.pattern, 1), 90, 90);
    // The still's background is 0x2a5d8f: a cover frame has no black bars.
    expect(Math.abs(r! - 0x2a) + Math.abs(g! - 0x5d) + Math.abs(b! - 0x8f)).toBeLessThan(24);
  });

  it('produces exactly the requested size, odd sizes included, for both fits', async () => {
    for (const [fit, width, height] of [['cover', 81, 47], ['contain', 81, 47], ['cover', 37, 64], ['contain', 100, 33]] as const) {
      const result = await extractFrames({ input: numbered30, outDir: path.join(dir, 'frames', `odd-${fit}-${width}x${height}`), fps: 5, width, height, fit });
      expect(result.count).toBe(5);
      await corner(frameFile(result.pattern, 5), width, height);
    }
  });

  it('returns a complete folder from the cache without decoding again', async () => {
    const outDir = path.join(dir, 'frames', 'cached');
    const first = await extractFrames({ input: numbered30, outDir, fps: 10, width: 64, height: 36, fit: 'cover' });
    const sentinel = path.join(outDir, 'sentinel');
    await writeFile(sentinel, 'untouched');
    const second = await extractFrames({ input: path.join(dir, 'does-not-exist.mp4'), outDir, fps: 10, width: 64, height: 36, fit: 'cover' });
    expect(second).toEqual({ ...first, cached: true });
    expect(await readFile(sentinel, 'utf8')).toBe('untouched');
  });

  it('refuses a cached folder that holds frames of other settings', async () => {
    const outDir = path.join(dir, 'frames', 'settings');
    await extractFrames({ input: numbered30, outDir, fps: 10, width: 64, height: 36, fit: 'cover' });
    await expect(extractFrames({ input: numbered30, outDir, fps: 12, width: 64, height: 36, fit: 'cover' })).rejects.toMatchObject({
      code: 'RW_EXTRACT_CACHE_MISMATCH',
      message: expect.stringMatching(/10 fps.*asked for 12 fps/),
    });
  });

  it('replaces a folder left without done.json', async () => {
    const outDir = path.join(dir, 'frames', 'leftover');
    await mkdir(outDir, { recursive: true });
    await writeFile(path.join(outDir, '000001.jpg'), 'half-written');
    const result = await extractFrames({ input: numbered30, outDir, fps: 5, width: 32, height: 18, fit: 'cover' });
    expect(result).toMatchObject({ count: 5, cached: false });
    expect((await readFile(frameFile(result.pattern, 1))).subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
  });

  it('leaves neither the folder nor a temporary folder behind when decoding fails', async () => {
    const parent = path.join(dir, 'failing');
    const outDir = path.join(parent, 'frames');
    const broken = path.join(dir, 'broken.mp4');
    await writeFile(broken, 'this is not a video');
    await expect(extractFrames({ input: broken, outDir, fps: 30, width: 64, height: 36, fit: 'cover' })).rejects.toMatchObject({
      code: 'RW_FFMPEG_FAILED',
    });
    expect(await readdir(parent)).toEqual([]);
  });

  it('does nothing when the signal has already fired', async () => {
    const parent = path.join(dir, 'cancelled');
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    await expect(
      extractFrames({ input: numbered30, outDir: path.join(parent, 'frames'), fps: 30, width: 64, height: 36, fit: 'cover', signal: controller.signal }),
    ).rejects.toMatchObject({ code: 'RW_CANCELLED' });
    await expect(readdir(parent)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
