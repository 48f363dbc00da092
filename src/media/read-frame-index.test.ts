import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FRAME_INDEX_LAYOUT, decodeFrames, hashFrames, makeTestClip, probeMedia, readFrameIndex, runFfmpeg } from './index.js';

let dir: string;
let numbered: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'rw-frame-index-'));
  numbered = path.join(dir, 'numbered.mp4');
  await makeTestClip({ outFile: numbered, seconds: 2, fps: 25, width: 192, height: 108, kind: 'numbered' });
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('makeTestClip and readFrameIndex', () => {
  it('writes a numbered H.264 clip whose every frame reads back as its own index', async () => {
    const info = await probeMedia({ file: numbered });
    expect(info.video).toMatchObject({ codec: 'h264', pixelFormat: 'yuv420p', width: 192, height: 108, fps: 25, frameCount: 50 });
    const frames = await decodeFrames({ file: numbered });
    expect(frames).toHaveLength(50);
    const read: number[] = [];
    for (const frame of frames) read.push(await readFrameIndex({ image: frame, width: 192, height: 108 }));
    expect(read).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it('reads the index from a small rescaled frame and from an encoded JPEG', async () => {
    const small = await decodeFrames({ file: numbered, width: 48, height: 28 });
    expect(await readFrameIndex({ image: small[33]!, width: 48, height: 28 })).toBe(33);
    const jpeg = path.join(dir, 'frame-41.jpg');
    await runFfmpeg({ args: ['-v', 'error', '-y', '-i', numbered, '-vf', 'select=eq(n\\,41)', '-frames:v', '1', '-q:v', '8', jpeg] });
    expect(await readFrameIndex({ image: await readFile(jpeg) })).toBe(41);
  });

  it('reads the index of a clip shown in part of a larger RGBA image when given its region', async () => {
    const frame = (await decodeFrames({ file: numbered }))[17]!;
    // Paste the 192x108 rgb24 frame at (20, 30) into a 300x200 white rgba canvas.
    const canvas = Buffer.alloc(300 * 200 * 4, 255);
    for (let y = 0; y < 108; y++) {
      for (let x = 0; x < 192; x++) {
        const from = (y * 192 + x) * 3;
        const to = ((y + 30) * 300 + (x + 20)) * 4;
        canvas[to] = frame[from]!;
        canvas[to + 1] = frame[from + 1]!;
        canvas[to + 2] = frame[from + 2]!;
      }
    }
    expect(await readFrameIndex({ image: canvas, width: 300, height: 200, pixelFormat: 'rgba', region: { x: 20, y: 30, width: 192, height: 108 } })).toBe(17);
  });

  it('refuses an image that carries no index instead of returning a plausible number', async () => {
    const gray = Buffer.alloc(64 * 36 * 3, 200);
    await expect(readFrameIndex({ image: gray, width: 64, height: 36 })).rejects.toMatchObject({ code: 'RW_FRAME_INDEX_UNREADABLE' });
    const motion = path.join(dir, 'motion.mp4');
    await makeTestClip({ outFile: motion, seconds: 0.2, fps: 25, width: 64, height: 36, kind: 'motion' });
    const [frame] = await decodeFrames({ file: motion });
    await expect(readFrameIndex({ image: frame!, width: 64, height: 36 })).rejects.toMatchObject({ code: 'RW_FRAME_INDEX_UNREADABLE' });
  });

  it('checks that raw pixels match the declared size', async () => {
    await expect(readFrameIndex({ image: Buffer.alloc(10), width: 64, height: 36 })).rejects.toMatchObject({
      code: 'RW_INVALID_OPTION',
      message: expect.stringMatching(/64x36 rgb24 image has 6912 bytes, got 10/),
    });
  });

  it('has a checksum for every index the layout can carry', () => {
    expect(FRAME_INDEX_LAYOUT.indexBits + FRAME_INDEX_LAYOUT.checkBits).toBe(FRAME_INDEX_LAYOUT.cols * FRAME_INDEX_LAYOUT.rows);
    expect(FRAME_INDEX_LAYOUT.checksum(0)).not.toBe(0);
  });

  it('makes black, frozen and motion clips of the requested length and size', async () => {
    for (const kind of ['black', 'frozen', 'motion'] as const) {
      const file = path.join(dir, `${kind}.mp4`);
      const result = await makeTestClip({ outFile: file, seconds: 0.4, fps: 30, width: 64, height: 36, kind });
      expect(result).toEqual({ file, frameCount: 12 });
      expect((await probeMedia({ file })).video).toMatchObject({ width: 64, height: 36, frameCount: 12 });
    }
  });

  it('rejects odd sizes, which yuv420p cannot hold', async () => {
    await expect(makeTestClip({ outFile: path.join(dir, 'odd.mp4'), seconds: 1, fps: 30, width: 65, height: 36, kind: 'black' })).rejects.toMatchObject({
      code: 'RW_INVALID_OPTION',
    });
  });
});

describe('decodeFrames and hashFrames', () => {
  it('resamples to the requested fps and hashes each frame', async () => {
    const frames = await decodeFrames({ file: numbered, fps: 5, width: 32, height: 18 });
    expect(frames).toHaveLength(10);
    expect(frames[0]!.length).toBe(32 * 18 * 3);
    const hashes = await hashFrames({ file: numbered });
    expect(hashes).toHaveLength(50);
    expect(new Set(hashes).size).toBe(50);
    expect(hashes[0]).toMatch(/^[0-9a-f]{64}$/);
    expect(await hashFrames({ file: numbered })).toEqual(hashes);
  });
});
