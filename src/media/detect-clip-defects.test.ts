import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectClipDefects, makeTestClip, runFfmpeg } from './index.js';

let dir: string;
const clip = (name: string) => path.join(dir, `${name}.mp4`);

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'rw-defects-'));
  for (const kind of ['black', 'frozen', 'motion', 'numbered'] as const) {
    await makeTestClip({ outFile: clip(kind), seconds: 2, fps: 30, width: 160, height: 90, kind });
  }
  // One second of black, then one second of motion.
  await runFfmpeg({
    args: [
      '-v', 'error', '-y', '-f', 'lavfi',
      '-i', 'color=c=black:s=160x90:r=30:d=1[a];gradients=s=160x90:r=30:speed=0.05:d=1[b];[a][b]concat=n=2:v=1,format=yuv420p',
      '-c:v', 'libx264', clip('half-black'),
    ],
  });
  // Motion, then the last frame held for 1.5 s (a stalled generation).
  await runFfmpeg({
    args: [
      '-v', 'error', '-y', '-f', 'lavfi',
      '-i', 'gradients=s=160x90:r=30:speed=0.05:d=1,tpad=stop_mode=clone:stop_duration=1.5,format=yuv420p',
      '-c:v', 'libx264', clip('stalled'),
    ],
  });
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('detectClipDefects', () => {
  it('flags an all-black clip as fully black (and frozen)', async () => {
    const defects = await detectClipDefects({ file: clip('black') });
    expect(defects.durationSeconds).toBeCloseTo(2, 2);
    expect(defects.blackRatio).toBeCloseTo(1, 2);
    expect(defects.frozenRatio).toBeCloseTo(1, 2);
    expect(defects.blackSpans).toEqual([{ start: 0, end: defects.durationSeconds }]);
  });

  it('flags a still picture as frozen but not black', async () => {
    const defects = await detectClipDefects({ file: clip('frozen') });
    expect(defects.blackRatio).toBe(0);
    expect(defects.frozenRatio).toBeCloseTo(1, 2);
  });

  it('passes a moving clip with no black and no freeze', async () => {
    for (const name of ['motion', 'numbered']) {
      const defects = await detectClipDefects({ file: clip(name) });
      expect(defects, name).toMatchObject({ blackRatio: 0, frozenRatio: 0, blackSpans: [], frozenSpans: [] });
    }
  });

  it('measures the black share of a clip that starts black', async () => {
    const defects = await detectClipDefects({ file: clip('half-black') });
    expect(defects.blackRatio).toBeGreaterThan(0.45);
    expect(defects.blackRatio).toBeLessThan(0.55);
    expect(defects.blackSpans).toHaveLength(1);
    expect(defects.blackSpans[0]!.start).toBe(0);
  });

  it('finds a freeze that lasts until the end of the clip', async () => {
    const defects = await detectClipDefects({ file: clip('stalled') });
    expect(defects.durationSeconds).toBeCloseTo(2.5, 1);
    // ~1.5 s of 2.5 s are the held frame.
    expect(defects.frozenRatio).toBeGreaterThan(0.5);
    expect(defects.frozenRatio).toBeLessThan(0.7);
    expect(defects.frozenSpans.at(-1)!.end).toBe(defects.durationSeconds);
    expect(defects.blackRatio).toBe(0);
  });

  it('rejects a file without video with RW_MEDIA_NO_VIDEO', async () => {
    const audio = path.join(dir, 'tone.m4a');
    await runFfmpeg({ args: ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'sine=d=0.5', '-c:a', 'aac', audio] });
    await expect(detectClipDefects({ file: audio })).rejects.toMatchObject({ code: 'RW_MEDIA_NO_VIDEO' });
  });
});
