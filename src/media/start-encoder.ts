import { randomBytes } from 'node:crypto';
import { mkdir, rename, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { CancelledError, EncodeError } from '../errors/index.js';
import { log } from '../log/index.js';
import { spawnFfmpeg } from './spawn-ffmpeg.js';

/** x264 constant-rate factor: visually lossless for motion-graphics cards at 720p/1080p. */
export const DEFAULT_CRF = 20;

/**
 * x264 preset. Measured on the 2-core reference machine (ffmpeg 5.1), 300 JPEG frames at
 * 1280x720 (q≈90, busy test pattern), one thread, CRF 20:
 *
 * | preset | fps | CPU ms/frame | file size |
 * | --- | --- | --- | --- |
 * | ultrafast | 186 | ~5 | 2.5× |
 * | superfast | 114 | 7.9 | 1.65× |
 * | **veryfast** | 90 | 10.8 | 1× |
 * | faster | 66 | 15 | 1.1× |
 *
 * Capture (beginFrame, 11–15 fps) is the bottleneck, so the encoder needs ~15% of one core at
 * `veryfast`; faster presets would save a few ms of CPU per frame at the price of much larger
 * files, slower ones would take CPU from Chromium. With this preset `DEFAULT_X264_PARAMS` apply.
 */
export const DEFAULT_PRESET: X264Preset = 'veryfast';

/**
 * ffmpeg threads for the JPEG decoder, the scaler and x264. Measured as above: `veryfast` runs
 * 90 fps with 1 thread, 124 with 2, 153 with auto, at the same total CPU (~3.2 s user for 300
 * frames). More threads only let ffmpeg grab both cores in bursts while Chromium, the
 * bottleneck, wants them; one thread still outruns capture ~6×. A fixed count also keeps x264
 * output reproducible across machines with different core counts.
 */
export const DEFAULT_THREADS = 1;

/**
 * x264 settings added to the `veryfast` preset (`-x264-params`): diamond motion search and subpixel refinement 1
 * (`superfast`'s search, but `veryfast`'s partitions and lookahead). Measured on the 2-core machine over the 150
 * bench-card frames (1280x720 JPEG q90, one thread, CRF 20), whole ffmpeg CPU (decode + colour conversion + x264):
 *
 * | settings | CPU ms/frame | file size | SSIM (dB) |
 * | --- | --- | --- | --- |
 * | veryfast | 14.7 | 877 KB | 24.91 |
 * | **veryfast + me=dia:subme=1** | 11.0 | 852 KB | 24.82 |
 * | superfast | 10.6 | 1 795 KB | 26.60 |
 *
 * A quarter less encoder CPU (which Chromium gets back when both share two cores) for a 0.1 dB SSIM loss at a 3%
 * smaller file; `superfast` costs as much and doubles the file. Other presets are used as x264 defines them.
 */
export const DEFAULT_X264_PARAMS = 'me=dia:subme=1';

/** Lines of ffmpeg stderr kept for error messages. */
const STDERR_LIMIT = 16 * 1024;

/** Options for `startEncoder`. */
export type StartEncoderOptions = {
  /** Final MP4 path. Nothing appears there until `finish()` succeeds. Its folder is created. */
  outFile: string;
  /** Frames per second of the output (constant frame rate); each written frame lasts 1/fps. */
  fps: number;
  /** Output width in pixels (even). Frames of another size are scaled to it. */
  width: number;
  /** Output height in pixels (even). */
  height: number;
  /** x264 CRF, 0–51; defaults to `DEFAULT_CRF`. */
  crf?: number;
  /** x264 preset (`ultrafast` … `veryslow`); defaults to `DEFAULT_PRESET`. */
  preset?: X264Preset;
  /** ffmpeg threads; defaults to `DEFAULT_THREADS`. */
  threads?: number;
  /** Aborting kills ffmpeg and deletes the temporary file, like `abort()`. */
  signal?: AbortSignal | null;
  /**
   * Write straight to `outFile` instead of a temporary name renamed on `finish()`: for a caller whose `outFile` is
   * already a temporary name it renames itself (a temporary file of a temporary file would escape the clean-up of
   * `.<name>.<random>.tmp.mp4` files). `abort()` and a failed `finish()` still delete it. Default false.
   */
  writeInPlace?: boolean;
};

/** x264 presets, fastest first. */
export type X264Preset = 'ultrafast' | 'superfast' | 'veryfast' | 'faster' | 'fast' | 'medium' | 'slow' | 'slower' | 'veryslow';

const PRESETS: readonly X264Preset[] = ['ultrafast', 'superfast', 'veryfast', 'faster', 'fast', 'medium', 'slow', 'slower', 'veryslow'];

/** What a finished encode produced. */
export type EncodeResult = {
  /** The final path (`options.outFile`). */
  file: string;
  /** Frames written (repeated frames included). */
  frameCount: number;
  /** `frameCount / fps`. */
  durationSeconds: number;
  /** Size of the MP4 in bytes. */
  bytes: number;
  /** Wall-clock seconds from `startEncoder` to the end of `finish()`. */
  elapsedSeconds: number;
};

/**
 * A streaming H.264 encoder fed with JPEG frames: the port the render stage writes to.
 * Call `writeFrame` once per output frame in order, then exactly one of `finish` or `abort`.
 */
export interface Encoder {
  /**
   * Queues one JPEG as the next frame. Resolves at once while ffmpeg keeps up, or when its stdin
   * has drained (backpressure). A caller may keep several writes in flight and await the oldest
   * (every pending write resolves at the same drain). Writing the same Buffer
   * again repeats the frame (cheap: x264 codes it as skip blocks). Do not mutate a Buffer after
   * passing it. Rejects with `EncodeError` `RW_FFMPEG_FAILED` if ffmpeg died, `CancelledError` after
   * abort.
   */
  writeFrame(jpeg: Buffer): Promise<void>;
  /** Closes the input, waits for ffmpeg, and renames the temporary file to `outFile`. */
  finish(): Promise<EncodeResult>;
  /** Kills ffmpeg and deletes the temporary file; `outFile` is never created. Safe to call twice. */
  abort(): Promise<void>;
}

function check(condition: boolean, message: string): void {
  if (!condition) throw new EncodeError(`startEncoder: ${message}`, { code: 'RW_INVALID_OPTION' });
}

/** Deletes a file that may not exist. */
async function removeQuietly(file: string): Promise<void> {
  try {
    await unlink(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

/**
 * Starts ffmpeg reading JPEG frames from stdin (`image2pipe`/`mjpeg`) and writing a
 * constant-frame-rate H.264 (`libx264`, `yuv420p`, BT.709 limited range, `+faststart`) MP4
 * to a temporary name next to `outFile` (`.<name>.<random>.tmp.mp4`).
 *
 * @example
 * const encoder = await startEncoder({ outFile: 'out/row-1.mp4', fps: 30, width: 1280, height: 720 });
 * try {
 *   for (const jpeg of frames) await encoder.writeFrame(jpeg);
 *   const { frameCount } = await encoder.finish();
 * } catch (error) {
 *   await encoder.abort();
 *   throw error;
 * }
 * @see Encoder
 */
export async function startEncoder(options: StartEncoderOptions): Promise<Encoder> {
  const { outFile, fps, width, height } = options;
  const crf = options.crf ?? DEFAULT_CRF;
  const preset = options.preset ?? DEFAULT_PRESET;
  const threads = options.threads ?? DEFAULT_THREADS;
  const signal = options.signal ?? null;
  check(typeof outFile === 'string' && outFile.length > 0, 'options.outFile must be a non-empty path.');
  check(Number.isFinite(fps) && fps > 0 && fps <= 240, `options.fps must be a number in (0, 240], got ${fps}.`);
  check(Number.isInteger(width) && width >= 2 && width % 2 === 0, `options.width must be an even integer ≥ 2 (yuv420p), got ${width}.`);
  check(Number.isInteger(height) && height >= 2 && height % 2 === 0, `options.height must be an even integer ≥ 2 (yuv420p), got ${height}.`);
  check(Number.isInteger(crf) && crf >= 0 && crf <= 51, `options.crf must be an integer 0–51, got ${crf}.`);
  check(PRESETS.includes(preset), `options.preset must be one of ${PRESETS.join(', ')}, got ${JSON.stringify(preset)}.`);
  check(Number.isInteger(threads) && threads >= 0 && threads <= 64, `options.threads must be an integer 0–64 (0 = auto), got ${threads}.`);
  if (signal?.aborted) throw new CancelledError(`Encoding ${outFile} was cancelled before it started.`, signal.reason);

  const dir = path.dirname(path.resolve(outFile));
  await mkdir(dir, { recursive: true });
  const tempFile = options.writeInPlace ? path.resolve(outFile) : path.join(dir, `.${path.basename(outFile)}.${randomBytes(6).toString('hex')}.tmp.mp4`);
  const started = performance.now();
  const rate = String(fps);

  const ff = spawnFfmpeg({
    args: [
      // -xerror: a corrupt JPEG fails the encode; without it ffmpeg drops the frame and the video runs short.
      '-hide_banner', '-nostdin', '-loglevel', 'error', '-xerror',
      '-threads', String(threads),
      // The input's codec and rate are known: probe one frame, not 5 s of stream, so the output starts at once.
      '-probesize', '32', '-analyzeduration', '0',
      '-f', 'image2pipe', '-c:v', 'mjpeg', '-framerate', rate, '-i', '-',
      // JPEG is full-range BT.601; convert to the limited-range BT.709 that players assume for HD.
      '-vf', `scale=${width}:${height}:flags=bicubic:out_color_matrix=bt709:out_range=tv,format=yuv420p`,
      '-filter_threads', String(Math.max(1, threads)),
      '-c:v', 'libx264', '-preset', preset, '-crf', String(crf), '-threads', String(threads),
      ...(preset === DEFAULT_PRESET ? ['-x264-params', DEFAULT_X264_PARAMS] : []),
      '-colorspace', 'bt709', '-color_primaries', 'bt709', '-color_trc', 'bt709', '-color_range', 'tv',
      '-r', rate, '-fps_mode', 'cfr',
      '-movflags', '+faststart',
      '-an', '-f', 'mp4', '-y', tempFile,
    ],
    captureStdout: false,
    stderrLimit: STDERR_LIMIT,
  });

  /**
   * - `open`: frames may be written.
   * - `finishing`: stdin closed, waiting for ffmpeg to exit.
   * - `finished`: the MP4 is at `outFile`.
   * - `aborted`: ffmpeg killed or failed; the temporary file is (being) deleted.
   */
  type State = 'open' | 'finishing' | 'finished' | 'aborted';
  let state: State = 'open';
  let frameCount = 0;
  /** Why the encoder cannot go on: ffmpeg died, or it was aborted. */
  let failure: Error | null = null;
  /**
   * The one wait for 'drain' that every blocked writer shares (one listener, however many frames are in flight);
   * rejected if ffmpeg exits first.
   */
  let drain: { promise: Promise<void>; reject: (error: Error) => void } | null = null;
  const stdin = ff.child.stdin;

  /** Resolves with null when ffmpeg exited 0, or with the reason it did not. */
  const exited: Promise<Error | null> = ff.exited.then(
    () => null,
    (error: unknown) => {
      failure ??= error instanceof Error ? error : new Error(String(error));
      drain?.reject(failure);
      drain = null;
      return failure;
    },
  );

  /** Makes sure ffmpeg is gone and its partial output deleted. */
  const shutDown = async (reason: unknown): Promise<void> => {
    state = 'aborted';
    signal?.removeEventListener('abort', onAbort);
    ff.kill(reason);
    await exited;
    await removeQuietly(tempFile);
  };

  const abort = async (reason?: unknown): Promise<void> => {
    if (state === 'finished' || state === 'aborted') return;
    failure ??= new CancelledError(`Encoding ${outFile} was aborted.`, reason);
    await shutDown(reason ?? 'abort');
  };
  const onAbort = () => {
    abort(signal?.reason).catch((error: unknown) => {
      // Only the temporary file's deletion can fail here; an event handler cannot rethrow.
      log.warn({ logLevel: 'warn', tag: 'startEncoder()' }, `could not delete ${tempFile}:`, error);
    });
  };
  signal?.addEventListener('abort', onAbort, { once: true });

  // If ffmpeg dies on its own (bad JPEG, disk full), drop the partial file right away.
  void exited.then(async (error) => {
    if (error && state === 'open') await shutDown(undefined);
  });

  const writeFrame = (jpeg: Buffer): Promise<void> => {
    if (failure) return Promise.reject(failure);
    if (state !== 'open') {
      return Promise.reject(new EncodeError(`startEncoder: writeFrame() after finish() for ${outFile}.`, { code: 'RW_ENCODER_CLOSED' }));
    }
    if (!Buffer.isBuffer(jpeg) || jpeg.length < 4 || jpeg[0] !== 0xff || jpeg[1] !== 0xd8) {
      return Promise.reject(
        new EncodeError(`startEncoder: frame ${frameCount} for ${outFile} is not a JPEG (expected bytes FF D8 …). Capture frames as JPEG.`, {
          code: 'RW_ENCODER_BAD_FRAME',
        }),
      );
    }
    frameCount++;
    if (stdin.write(jpeg)) return Promise.resolve();
    if (!drain) {
      let reject!: (error: Error) => void;
      const promise = new Promise<void>((resolve, rejectDrain) => {
        reject = rejectDrain;
        stdin.once('drain', () => {
          drain = null;
          resolve();
        });
      });
      // A writer may stop waiting (an aborted render); the rejection must not go unhandled then.
      promise.catch(() => undefined);
      drain = { promise, reject };
    }
    return drain.promise;
  };

  const finish = async (): Promise<EncodeResult> => {
    if (failure) {
      await shutDown(undefined);
      throw failure;
    }
    if (state !== 'open') throw new EncodeError(`startEncoder: finish() called twice for ${outFile}.`, { code: 'RW_ENCODER_CLOSED' });
    state = 'finishing';
    if (frameCount === 0) {
      failure = new EncodeError(`startEncoder: no frames were written for ${outFile}; an empty video cannot be encoded.`, { code: 'RW_ENCODE_NO_FRAMES' });
      await shutDown(undefined);
      throw failure;
    }
    stdin.end();
    const error = await exited;
    // `abort()` may have run while ffmpeg was finishing: then the file must not appear.
    if (error || (state as State) !== 'finishing') {
      await shutDown(undefined);
      throw failure ?? error;
    }
    signal?.removeEventListener('abort', onAbort);
    if (tempFile !== path.resolve(outFile)) await rename(tempFile, outFile);
    state = 'finished';
    const { size } = await stat(outFile);
    return { file: outFile, frameCount, durationSeconds: frameCount / fps, bytes: size, elapsedSeconds: (performance.now() - started) / 1000 };
  };

  return { writeFrame, finish, abort: () => abort() };
}
