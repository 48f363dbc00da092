import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { probeMedia, runFfmpeg } from '../media/index.js';
import { DEFAULT_THUMBNAIL_WIDTH, makeThumbnail } from './index.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'rw-thumb-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function testVideo(file: string, seconds: number): Promise<string> {
  await runFfmpeg({
    args: ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', `testsrc2=size=640x360:rate=25:duration=${seconds}`, '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-y', file],
    captureStdout: false,
  });
  return file;
}

describe('makeThumbnail', () => {
  it('writes a 160-px-wide JPEG of the frame at 1 s, keeping the aspect ratio', async () => {
    const video = await testVideo(path.join(dir, 'in.mp4'), 2);
    const outFile = path.join(dir, 'thumbs', 'in.jpg');
    await makeThumbnail({ video, outFile });
    const bytes = readFileSync(outFile);
    expect([...bytes.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
    expect(bytes.length).toBeLessThan(20_000);
    const info = await probeMedia({ file: outFile });
    expect(info.video).toMatchObject({ width: DEFAULT_THUMBNAIL_WIDTH, height: 90 });
    expect(readdirSync(path.dirname(outFile))).toEqual(['in.jpg']);
  });

  it('takes the first frame of a video shorter than 1 s', async () => {
    const video = await testVideo(path.join(dir, 'short.mp4'), 0.4);
    const outFile = path.join(dir, 'short.jpg');
    await makeThumbnail({ video, outFile });
    expect((await probeMedia({ file: outFile })).video?.width).toBe(160);
  });

  it('rejects a file that is not a video with an EncodeError and leaves nothing behind', async () => {
    const notVideo = path.join(dir, 'notes.mp4');
    writeFileSync(notVideo, 'not a video');
    await expect(makeThumbnail({ video: notVideo, outFile: path.join(dir, 't', 'x.jpg') })).rejects.toMatchObject({ name: 'EncodeError' });
    expect(readdirSync(path.join(dir, 't'))).toEqual([]);
  });
});
