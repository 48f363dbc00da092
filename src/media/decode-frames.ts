import { EncodeError } from '../errors/index.js';
import { probeMedia } from './probe-media.js';
import { runFfmpeg } from './run-ffmpeg.js';

/** Options for `decodeFrames`. */
export type DecodeFramesOptions = {
  /** Video file to decode. */
  file: string;
  /** Resample to this frame rate first (ffmpeg `fps` filter); default: every decoded frame. */
  fps?: number;
  /** Scale to this width (give `height` too); default: the stream's size. */
  width?: number;
  /** Scale to this height (give `width` too). */
  height?: number;
  signal?: AbortSignal | null;
};

/**
 * Decodes a video into raw `rgb24` frames (row-major, 3 bytes per pixel, no padding), one
 * Buffer per frame, in presentation order. Meant for tests and small clips: every frame is
 * held in memory.
 *
 * @example
 * const frames = await decodeFrames({ file: 'out.mp4', width: 64, height: 36 });
 * expect(frames).toHaveLength(30);
 * @see hashFrames
 */
export async function decodeFrames(options: DecodeFramesOptions): Promise<Buffer[]> {
  if ((options.width === undefined) !== (options.height === undefined)) {
    throw new EncodeError('decodeFrames: give both options.width and options.height, or neither.', { code: 'RW_INVALID_OPTION' });
  }
  let width = options.width;
  let height = options.height;
  if (width === undefined || height === undefined) {
    const info = await probeMedia({ file: options.file, signal: options.signal ?? null });
    if (!info.video) throw new EncodeError(`decodeFrames: ${options.file} has no video stream.`, { code: 'RW_MEDIA_NO_VIDEO' });
    width = info.video.width;
    height = info.video.height;
  }
  const filters: string[] = [];
  if (options.fps !== undefined) filters.push(`fps=${options.fps}`);
  if (options.width !== undefined) filters.push(`scale=${width}:${height}:flags=bicubic`);
  const { stdout } = await runFfmpeg({
    args: [
      '-v', 'error', '-i', options.file, '-map', '0:v:0',
      ...(filters.length > 0 ? ['-vf', filters.join(',')] : []),
      '-fps_mode', 'passthrough',
      '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-',
    ],
    signal: options.signal ?? null,
  });
  const frameSize = width * height * 3;
  if (stdout.length % frameSize !== 0) {
    throw new EncodeError(`decodeFrames: ${options.file} decoded to ${stdout.length} bytes, not a whole number of ${width}x${height} frames.`, {
      code: 'RW_FFMPEG_FAILED',
    });
  }
  const frames: Buffer[] = [];
  for (let offset = 0; offset < stdout.length; offset += frameSize) frames.push(stdout.subarray(offset, offset + frameSize));
  return frames;
}
