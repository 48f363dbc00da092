import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { EncodeError } from '../errors/index.js';
import { runFfmpeg } from '../media/index.js';

/** Where in the video the thumbnail frame is taken, in seconds (the first frame is often a blank fade-in). */
export const DEFAULT_THUMBNAIL_AT_SECONDS = 1;
/** Thumbnail width in pixels; the height keeps the aspect ratio (rounded to an even number). */
export const DEFAULT_THUMBNAIL_WIDTH = 160;

/** Options for `makeThumbnail`. */
export type MakeThumbnailOptions = {
  /** The MP4 to take a frame from. */
  video: string;
  /** The JPEG to write; replaced atomically (temporary file + rename). */
  outFile: string;
  /** `DEFAULT_THUMBNAIL_AT_SECONDS` by default; a video shorter than this gives its first frame. */
  atSeconds?: number;
  /** `DEFAULT_THUMBNAIL_WIDTH` by default. */
  width?: number;
  /** Kills ffmpeg when fired (rejects with `CancelledError`). */
  signal?: AbortSignal | null;
};

async function nonEmpty(file: string): Promise<boolean> {
  try {
    return (await stat(file)).size > 0;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

/**
 * Writes a small JPEG thumbnail of a video (one frame at `atSeconds`, `width` pixels wide) for
 * the HTML report, through ffmpeg with an argument array. Rejects with `EncodeError` when ffmpeg
 * fails or the video has no frame.
 *
 * @example
 * await makeThumbnail({ video: 'outputs/cust-42.mp4', outFile: 'outputs/.thumbs/cust-42.jpg' });
 * @see writeHtmlReport (its `thumbnails` option)
 */
export async function makeThumbnail(options: MakeThumbnailOptions): Promise<void> {
  const at = options.atSeconds ?? DEFAULT_THUMBNAIL_AT_SECONDS;
  const width = options.width ?? DEFAULT_THUMBNAIL_WIDTH;
  await mkdir(path.dirname(options.outFile), { recursive: true });
  const temporary = path.join(path.dirname(options.outFile), `.${path.basename(options.outFile)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const grab = (seconds: number) =>
    runFfmpeg({
      args: ['-hide_banner', '-loglevel', 'error', '-y', '-ss', String(seconds), '-i', options.video, '-frames:v', '1', '-vf', `scale=${width}:-2`, '-q:v', '5', '-f', 'image2', '-update', '1', '-c:v', 'mjpeg', temporary],
      signal: options.signal ?? null,
      captureStdout: false,
    });
  try {
    await grab(at);
    // Seeking past the end writes no frame: fall back to the first one.
    if (at > 0 && !(await nonEmpty(temporary))) await grab(0);
    if (!(await nonEmpty(temporary))) {
      throw new EncodeError(`makeThumbnail: ${options.video} has no video frame to take. Check that it is a finished MP4.`, { code: 'RW_THUMBNAIL_NO_FRAME' });
    }
    await rename(temporary, options.outFile);
  } catch (error) {
    // Cleanup only: the original error goes to the caller.
    await rm(temporary, { force: true });
    throw error;
  }
}
