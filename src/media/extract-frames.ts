import { randomBytes } from 'node:crypto';
import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { EncodeError, throwIfAborted } from '../errors/index.js';
import { runFfmpeg } from './run-ffmpeg.js';

/** JPEG quality (1–100, like Chromium's) of extracted frames. */
export const DEFAULT_EXTRACT_JPEG_QUALITY = 90;

/** Name of the marker file written last into a complete frame folder. */
export const EXTRACT_DONE_MARKER = 'done.json';

/** File name pattern of extracted frames: `000001.jpg` is the frame at time 0. */
const FRAME_PATTERN = '%06d.jpg';

/**
 * How a clip is fitted into the requested size.
 * - `cover`: scaled to fill the whole frame, the overflow cropped evenly from both sides.
 * - `contain`: scaled to fit inside the frame, the rest padded with black evenly on both sides.
 */
export type FrameFit = 'cover' | 'contain';

/** Options for `extractFrames`. */
export type ExtractFramesOptions = {
  /** The clip to decode. */
  input: string;
  /**
   * Folder that receives the frames. It is the cache key: when it already holds a complete
   * extraction (`done.json`), nothing is decoded. Name it after what decides its content
   * (clip id, fps, size, fit).
   */
  outDir: string;
  /** Frames per second to sample at; frame `k` (file `k+1`) shows the clip at time `k / fps`. */
  fps: number;
  /** Width of every frame in pixels. */
  width: number;
  /** Height of every frame in pixels. */
  height: number;
  fit: FrameFit;
  /** JPEG quality 1–100 (approximated with ffmpeg's `-q:v`); defaults to `DEFAULT_EXTRACT_JPEG_QUALITY`. */
  jpegQuality?: number;
  signal?: AbortSignal | null;
};

/** A complete frame folder. */
export type ExtractFramesResult = {
  /** Number of frames: `000001.jpg` … `count` (zero-padded to six digits). */
  count: number;
  /** printf-style path of the frames: `<outDir>/%06d.jpg`, numbered from 1. */
  pattern: string;
  /** True when the folder was already complete and nothing was decoded. */
  cached: boolean;
};

/** Contents of `done.json`. */
type DoneMarker = { version: 1; count: number; fps: number; width: number; height: number; fit: FrameFit; jpegQuality: number };

function check(condition: boolean, message: string): void {
  if (!condition) throw new EncodeError(`extractFrames: ${message}`, { code: 'RW_INVALID_OPTION' });
}

/** Maps a 1–100 quality to mjpeg's qscale (2 = best … 31 = worst). */
function qscaleFor(quality: number): number {
  return Math.round(2 + ((100 - quality) * 29) / 99);
}

async function readMarker(dir: string): Promise<DoneMarker | null> {
  try {
    return JSON.parse(await readFile(path.join(dir, EXTRACT_DONE_MARKER), 'utf8')) as DoneMarker;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw error;
  }
}

function fromMarker(marker: DoneMarker, wanted: Omit<DoneMarker, 'count' | 'version'>, outDir: string): ExtractFramesResult {
  const same = marker.fps === wanted.fps && marker.width === wanted.width && marker.height === wanted.height && marker.fit === wanted.fit;
  if (!same) {
    throw new EncodeError(
      `extractFrames: ${outDir} already holds frames at ${marker.fps} fps, ${marker.width}x${marker.height}, ${marker.fit}; ` +
        `asked for ${wanted.fps} fps, ${wanted.width}x${wanted.height}, ${wanted.fit}. Put the settings in the folder name so each has its own cache folder.`,
      { code: 'RW_EXTRACT_CACHE_MISMATCH' },
    );
  }
  return { count: marker.count, pattern: path.join(outDir, FRAME_PATTERN), cached: true };
}

/** The ffmpeg filter chain: resample to `fps`, then fit into `width`×`height`. */
function filterFor(fps: number, width: number, height: number, fit: FrameFit): string {
  // round=up makes output frame k the input frame on screen at time k/fps (checked for
  // 24/25/30/60 fps in and out in the tests); the default `near` picks the next frame up to half
  // a frame early.
  const resample = `fps=${fps}:round=up`;
  // Explicit scale factors instead of force_original_aspect_ratio, whose rounding can land one
  // pixel short of the frame (crop/pad then fail). The epsilons absorb floating-point noise.
  const factor = fit === 'cover' ? `max(${width}/iw,${height}/ih)` : `min(${width}/iw,${height}/ih)`;
  const size =
    fit === 'cover'
      ? `w='ceil(iw*${factor}-0.000001)':h='ceil(ih*${factor}-0.000001)'`
      : `w='floor(iw*${factor}+0.000001)':h='floor(ih*${factor}+0.000001)'`;
  // Odd sizes: 4:2:0 crop/pad round to even sizes, so fit in RGB and let the JPEG encoder subsample.
  const rgb = width % 2 === 1 || height % 2 === 1 ? ',format=rgb24' : '';
  const fitted =
    fit === 'cover'
      ? `scale=${size}:flags=bicubic${rgb},crop=${width}:${height}`
      : `scale=${size}:flags=bicubic${rgb},pad=${width}:${height}:(ow-iw)/2:(oh-ih)/2:color=black`;
  return `${resample},${fitted},setsar=1`;
}

/**
 * Decodes a clip into JPEG files `000001.jpg…` at exactly `fps` and `width`×`height`, for the
 * renderer to show B-roll as pre-decoded frames: file `k` (1-based) is the clip's frame on
 * screen at time `(k-1) / fps`. The frames are written into a temporary sibling folder, which is
 * renamed to `outDir` once complete (with `done.json` written last), so `outDir` is either
 * absent or complete. A complete `outDir` is returned as is (a cache); a folder at `outDir`
 * without `done.json` is treated as left over and replaced.
 *
 * @example
 * const { count, pattern } = await extractFrames({
 *   input: 'cache/clips/ab12.mp4', outDir: 'cache/frames/ab12-30fps-1280x720-cover',
 *   fps: 30, width: 1280, height: 720, fit: 'cover', signal,
 * });
 */
export async function extractFrames(options: ExtractFramesOptions): Promise<ExtractFramesResult> {
  const { input, outDir, fps, width, height, fit } = options;
  const jpegQuality = options.jpegQuality ?? DEFAULT_EXTRACT_JPEG_QUALITY;
  const signal = options.signal ?? null;
  check(typeof input === 'string' && input.length > 0, 'options.input must be a file path.');
  check(typeof outDir === 'string' && outDir.length > 0, 'options.outDir must be a folder path.');
  check(Number.isFinite(fps) && fps > 0 && fps <= 240, `options.fps must be a number in (0, 240], got ${fps}.`);
  check(Number.isInteger(width) && width > 0, `options.width must be a positive integer, got ${width}.`);
  check(Number.isInteger(height) && height > 0, `options.height must be a positive integer, got ${height}.`);
  check(fit === 'cover' || fit === 'contain', `options.fit must be "cover" or "contain", got ${JSON.stringify(fit)}.`);
  check(Number.isInteger(jpegQuality) && jpegQuality >= 1 && jpegQuality <= 100, `options.jpegQuality must be an integer 1–100, got ${jpegQuality}.`);
  const wanted = { fps, width, height, fit, jpegQuality };

  const existing = await readMarker(outDir);
  if (existing) return fromMarker(existing, wanted, outDir);
  throwIfAborted(signal);

  const resolved = path.resolve(outDir);
  await mkdir(path.dirname(resolved), { recursive: true });
  const tempDir = `${resolved}.${randomBytes(6).toString('hex')}.tmp`;
  await mkdir(tempDir);
  try {
    await runFfmpeg({
      args: [
        '-v', 'error', '-nostdin',
        '-i', input,
        '-map', '0:v:0', '-an', '-sn', '-dn',
        '-vf', filterFor(fps, width, height, fit),
        '-fps_mode', 'passthrough',
        '-pix_fmt', 'yuvj420p', '-q:v', String(qscaleFor(jpegQuality)),
        '-start_number', '1',
        '-f', 'image2', path.join(tempDir, FRAME_PATTERN),
      ],
      signal,
    });
    const count = (await readdir(tempDir)).filter((name) => /^\d{6}\.jpg$/.test(name)).length;
    if (count === 0) {
      throw new EncodeError(`extractFrames: ${input} decoded to no frames at ${fps} fps. Is it a video with at least one frame?`, {
        code: 'RW_EXTRACT_NO_FRAMES',
      });
    }
    const marker: DoneMarker = { version: 1, count, ...wanted };
    await writeFile(path.join(tempDir, EXTRACT_DONE_MARKER), `${JSON.stringify(marker)}\n`);
    throwIfAborted(signal);
    try {
      await rename(tempDir, resolved);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw error;
      // Another worker finished the same folder first: use theirs.
      const theirs = await readMarker(resolved);
      if (theirs) return fromMarker(theirs, wanted, outDir);
      // A folder without the marker is left over from something else: replace it.
      await rm(resolved, { recursive: true, force: true });
      await rename(tempDir, resolved);
    }
    return { count, pattern: path.join(outDir, FRAME_PATTERN), cached: false };
  } finally {
    // After a successful rename this is a no-op; after a failure it drops the partial frames.
    await rm(tempDir, { recursive: true, force: true });
  }
}
