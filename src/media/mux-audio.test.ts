import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { measureAudioLevel, muxAudio, probeMedia, runFfmpeg } from './index.js';
import type { AudioTrack } from './index.js';

/** MD5 of the video stream's packets: equal when the video was copied untouched. */
async function videoStreamMd5(file: string): Promise<string> {
  const { stdout } = await runFfmpeg({ args: ['-v', 'error', '-i', file, '-map', '0:v:0', '-c', 'copy', '-f', 'md5', '-'] });
  return stdout.toString('utf8').trim();
}

describe('muxAudio', () => {
  let dir: string;
  let video: string;
  let tone: string;

  const track = (overrides: Partial<AudioTrack> = {}): AudioTrack => ({
    file: tone,
    fileStart: 0,
    fileDuration: 2,
    at: 0,
    playbackRate: 1,
    volume: [{ t: 0, v: 1 }],
    ...overrides,
  });

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'rw-mux-test-'));
    video = path.join(dir, 'video.mp4');
    tone = path.join(dir, 'tone.m4a');
    await runFfmpeg({ args: ['-v', 'error', '-f', 'lavfi', '-i', 'color=c=blue:s=64x36:r=10:d=2', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-y', video] });
    // A 44.1 kHz mono file: the mux must resample and upmix it.
    await runFfmpeg({ args: ['-v', 'error', '-f', 'lavfi', '-i', 'sine=f=440:r=44100:d=3', '-c:a', 'aac', '-b:a', '96k', '-y', tone] });
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('adds a 48 kHz stereo AAC track of exactly the video length and copies the video stream untouched', async () => {
    const outFile = path.join(dir, 'plain.mp4');
    // The tone is 3 s long; the video 2 s: the mix is cut to the video.
    const result = await muxAudio({ videoFile: video, outFile, durationSeconds: 2, tracks: [track({ fileDuration: 3 })] });
    expect(result.bytes).toBeGreaterThan(0);
    const info = await probeMedia({ file: outFile });
    expect(info.audio).toMatchObject({ codec: 'aac', sampleRate: 48_000, channels: 2 });
    expect(info.audio?.durationSeconds).toBeCloseTo(2, 1);
    expect(Math.abs((info.audio?.durationSeconds ?? 0) - 2)).toBeLessThanOrEqual(0.1 / 2);
    expect(await videoStreamMd5(outFile)).toBe(await videoStreamMd5(video));
  });

  it('pads a short track with silence up to the video length', async () => {
    const outFile = path.join(dir, 'short.mp4');
    await muxAudio({ videoFile: video, outFile, durationSeconds: 2, tracks: [track({ fileDuration: 0.5 })] });
    const info = await probeMedia({ file: outFile });
    expect(Math.abs((info.audio?.durationSeconds ?? 0) - 2)).toBeLessThanOrEqual(0.05);
    expect((await measureAudioLevel({ file: outFile, start: 0.1, end: 0.4 })).meanDb).toBeGreaterThan(-30);
    expect((await measureAudioLevel({ file: outFile, start: 0.7, end: 1.9 })).maxDb).toBeLessThan(-80);
  });

  it('places a track at its start time: silence before, sound after', async () => {
    const outFile = path.join(dir, 'late.mp4');
    await muxAudio({ videoFile: video, outFile, durationSeconds: 2, tracks: [track({ at: 0.5, fileDuration: 1.5 })] });
    expect((await measureAudioLevel({ file: outFile, start: 0, end: 0.45 })).maxDb).toBeLessThan(-80);
    expect((await measureAudioLevel({ file: outFile, start: 0.55, end: 1.9 })).meanDb).toBeGreaterThan(-30);
  });

  it('follows a gain envelope (a linear fade to silence) and sums overlapping tracks', async () => {
    const outFile = path.join(dir, 'fade.mp4');
    await muxAudio({
      videoFile: video,
      outFile,
      durationSeconds: 2,
      tracks: [
        track({ volume: [{ t: 0, v: 1 }, { t: 1, v: 1 }, { t: 2, v: 0 }] }),
        // A second copy at half gain in the first half second only.
        track({ fileDuration: 0.5, volume: [{ t: 0, v: 0.5 }] }),
      ],
    });
    const summed = await measureAudioLevel({ file: outFile, start: 0.1, end: 0.4 });
    const full = await measureAudioLevel({ file: outFile, start: 0.6, end: 0.9 });
    const fading = await measureAudioLevel({ file: outFile, start: 1.7, end: 1.95 });
    // 1 + 0.5 in phase is 3.5 dB louder than 1 alone.
    expect(summed.meanDb - full.meanDb).toBeGreaterThan(3);
    expect(summed.meanDb - full.meanDb).toBeLessThan(4);
    expect(full.meanDb - fading.meanDb).toBeGreaterThan(10);
  });

  it('changes tempo with playbackRate: 1 s of file at rate 2 lasts 0.5 s', async () => {
    const outFile = path.join(dir, 'fast.mp4');
    await muxAudio({ videoFile: video, outFile, durationSeconds: 2, tracks: [track({ fileDuration: 1, playbackRate: 2 })] });
    expect((await measureAudioLevel({ file: outFile, start: 0.1, end: 0.4 })).meanDb).toBeGreaterThan(-30);
    expect((await measureAudioLevel({ file: outFile, start: 0.6, end: 1.9 })).maxDb).toBeLessThan(-80);
  });

  it('gives the same bytes for the same inputs', async () => {
    const options = { videoFile: video, durationSeconds: 2, tracks: [track({ at: 0.3, fileStart: 0.2, fileDuration: 1, volume: [{ t: 0, v: 0 }, { t: 0.5, v: 0.8 }] })] };
    const a = await muxAudio({ ...options, outFile: path.join(dir, 'same-a.mp4') });
    const b = await muxAudio({ ...options, outFile: path.join(dir, 'same-b.mp4') });
    expect((await readFile(a.file)).equals(await readFile(b.file))).toBe(true);
  });

  it('fails with RW_AUDIO_MUX_FAILED naming an undecodable file and leaves nothing behind', async () => {
    const outDir = await mkdtemp(path.join(dir, 'bad-'));
    const garbage = path.join(dir, 'not-audio.m4a');
    await writeFile(garbage, 'this is not audio');
    const error = await muxAudio({ videoFile: video, outFile: path.join(outDir, 'bad.mp4'), durationSeconds: 2, tracks: [track({ file: garbage })] }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ name: 'EncodeError', code: 'RW_AUDIO_MUX_FAILED' });
    expect((error as Error).message).toContain('not-audio.m4a');
    expect(await readdir(outDir)).toEqual([]);
  });

  it('rejects an empty track list and a bad track before starting ffmpeg', async () => {
    const outFile = path.join(dir, 'never.mp4');
    await expect(muxAudio({ videoFile: video, outFile, durationSeconds: 2, tracks: [] })).rejects.toMatchObject({ code: 'RW_INVALID_OPTION' });
    await expect(muxAudio({ videoFile: video, outFile, durationSeconds: 2, tracks: [track({ playbackRate: 8 })] })).rejects.toThrow(
      /options\.tracks\[0\]\.playbackRate must be 0\.25–4, got 8/,
    );
  });
});
