import { writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestClip, probeMedia } from '../media/index.js';
import type { TestClipKind } from '../media/index.js';
import { checkClip, clipFrameSize, normalizeClip } from './index.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'rw-check-clip-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function clip(kind: TestClipKind, width = 256, height = 144, seconds = 2): Promise<string> {
  const outFile = path.join(dir, `${kind}-${width}x${height}-${seconds}.mp4`);
  await makeTestClip({ outFile, kind, width, height, seconds, fps: 24 });
  return outFile;
}

describe('checkClip', () => {
  it('passes a moving clip of the right length and shape', async () => {
    const verdict = await checkClip({ file: await clip('motion'), expect: { seconds: 2, width: 256, height: 144 } });
    expect(verdict).toMatchObject({ ok: true, defects: { blackRatio: 0 } });
  });

  it.each([
    ['black', 'RW_CLIP_QA_BLACK', /The clip is 100 % black \(limit 50 %\)/],
    ['frozen', 'RW_CLIP_QA_FROZEN', /The clip is \d+ % frozen \(limit 50 %\)/],
  ] as const)('rejects a %s clip', async (kind, code, message) => {
    expect(await checkClip({ file: await clip(kind), expect: { seconds: 2, width: 256, height: 144 } })).toMatchObject({ ok: false, code, message: expect.stringMatching(message) });
  });

  it('rejects a clip of the wrong length, aspect or a too small size', async () => {
    const motion = await clip('motion');
    expect(await checkClip({ file: motion, expect: { seconds: 5, width: 256, height: 144 } })).toMatchObject({ ok: false, code: 'RW_CLIP_QA_DURATION' });
    expect(await checkClip({ file: motion, expect: { seconds: 2, width: 144, height: 256 } })).toMatchObject({ ok: false, code: 'RW_CLIP_QA_ASPECT' });
    expect(await checkClip({ file: motion, expect: { seconds: 2, width: 1280, height: 720 } })).toMatchObject({ ok: false, code: 'RW_CLIP_QA_RESOLUTION', message: expect.stringMatching(/256×144, smaller than the 1280×720/) });
  });

  it('rejects a file that is not a video as undecodable', async () => {
    const file = path.join(dir, 'not-a-video.mp4');
    writeFileSync(file, '<Error><Code>AccessDenied</Code></Error>');
    expect(await checkClip({ file, expect: { seconds: 2, width: 256, height: 144 } })).toMatchObject({ ok: false, code: 'RW_CLIP_QA_UNDECODABLE' });
  });
});

describe('normalizeClip', () => {
  it('re-encodes to H.264 yuv420p at 30 fps and exactly the asked size, cropping instead of stretching', async () => {
    const source = await clip('motion', 200, 144, 1);
    const { info } = await normalizeClip({ inFile: source, outFile: path.join(dir, 'normalized.mp4'), width: 256, height: 144 });
    expect(info.video).toMatchObject({ codec: 'h264', pixelFormat: 'yuv420p', width: 256, height: 144, fps: 30 });
    expect((await probeMedia({ file: path.join(dir, 'normalized.mp4') })).durationSeconds).toBeCloseTo(1, 1);
  });

  it('derives the frame size from aspect and resolution', () => {
    expect(clipFrameSize({ aspect: '16:9', resolution: null })).toEqual({ width: 1280, height: 720 });
    expect(clipFrameSize({ aspect: '9:16', resolution: '1080p' })).toEqual({ width: 1080, height: 1920 });
    expect(clipFrameSize({ aspect: '1:1', resolution: '540p' })).toEqual({ width: 540, height: 540 });
  });
});
