import { describe, expect, it } from 'vitest';
import { runFfmpeg, spawnFfmpeg } from './index.js';

describe('runFfmpeg', () => {
  it('returns stdout and stderr of a successful run', async () => {
    const { stdout } = await runFfmpeg({ binary: 'ffprobe', args: ['-v', 'error', '-print_format', 'json', '-show_format', '-f', 'lavfi', 'color=c=black:s=16x16:d=0.1'] });
    expect(JSON.parse(stdout.toString('utf8'))).toHaveProperty('format');
  });

  it('fails with RW_FFMPEG_FAILED and the tail of stderr', async () => {
    await expect(runFfmpeg({ args: ['-v', 'error', '-i', '/nonexistent/input.mp4', '-f', 'null', '-'] })).rejects.toMatchObject({
      code: 'RW_FFMPEG_FAILED',
      message: expect.stringMatching(/No such file or directory/),
    });
  });

  it('kills ffmpeg and rejects with CancelledError when the signal fires', async () => {
    const controller = new AbortController();
    const running = runFfmpeg({ args: ['-v', 'error', '-re', '-f', 'lavfi', '-i', 'color=c=black:s=16x16:d=60', '-f', 'null', '-'], signal: controller.signal });
    controller.abort(new Error('user stop'));
    await expect(running).rejects.toMatchObject({ code: 'RW_CANCELLED', cause: expect.objectContaining({ message: 'user stop' }) });
  });

  it('does not start when the signal has already fired', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(runFfmpeg({ args: ['-version'], signal: controller.signal })).rejects.toMatchObject({ code: 'RW_CANCELLED' });
  });
});

describe('spawnFfmpeg', () => {
  it('streams stdin to ffmpeg and reports the exit', async () => {
    const ff = spawnFfmpeg({ args: ['-v', 'error', '-f', 'rawvideo', '-pix_fmt', 'gray', '-s', '4x4', '-i', '-', '-f', 'rawvideo', '-'] });
    ff.child.stdin.write(Buffer.alloc(16, 7));
    ff.child.stdin.end(Buffer.alloc(16, 9));
    const { stdout } = await ff.exited;
    expect([...stdout]).toEqual([...Buffer.alloc(16, 7), ...Buffer.alloc(16, 9)]);
  });
});
