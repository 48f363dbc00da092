import { randomBytes } from 'node:crypto';
import { mkdir, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import { CancelledError, EncodeError, RenderError, throwIfAborted } from '../errors/index.js';
import { log } from '../log/index.js';
import type { LogLevel, OnLog } from '../log/index.js';
import { muxAudio, startEncoder } from '../media/index.js';
import type { Encoder, EncodeResult } from '../media/index.js';
import type { TemplateDefinition, VideoConfig } from '../template/index.js';
import { DEFAULT_JPEG_QUALITY } from './browser-session.js';
import type { BrowserSession } from './browser-session.js';
import type { BundleTemplateResult } from './bundle-template.js';
import { computeDuration } from './compute-duration.js';
import { PAGE_API_GLOBAL } from './page/page-api.js';
import type { ClipFrameSet, FrameResult, PageInit } from './page/page-api.js';
import { planAudioMix } from './plan-audio-mix.js';
import type { AudioFrame, AudioSource } from './plan-audio-mix.js';
import { resolveAudioSource } from './resolve-audio-source.js';
import type { FileServer } from './serve-files.js';

/** Deadline for one frame (render + media decode + capture), and for `init` (fonts and frame 0's media). */
export const DEFAULT_FRAME_TIMEOUT_MS = 30_000;

/**
 * Frames that may wait for ffmpeg before capture waits for it. ffmpeg takes a frame off its pipe only once it has
 * finished the previous one, so with a single frame in flight every capture waited for the encoder to catch up:
 * 12–13 ms per frame of a bench-card render (about a quarter of the frame time at concurrency 1) on the 2-core
 * machine, none with 16 in flight, and ffmpeg still finished within ~200 ms of the last frame. Costs at most this many
 * JPEGs of memory (~40 KB each at 720p).
 */
const FRAMES_IN_FLIGHT = 16;

/**
 * Milliseconds a frame's `renderFrame` may take before keep-alive `beginFrame`s start (see `EvaluateOptions.pumpAfterMs`).
 * Pumping at once (0) painted every frame two or three times: each keep-alive frame composites the new DOM while the
 * page still awaits its B-roll image, and then the capture composites it again. Measured on the 2-core machine over a
 * welcome render (same frames, byte for byte, either way), Chromium CPU per captured frame:
 *
 * | pump after | B-roll playing | B-roll held |
 * | --- | --- | --- |
 * | 0 ms | 46–51 ms | 28–30 ms |
 * | 50 ms (this) / never | 39–45 ms | 25–27 ms |
 *
 * Image loads and `decode()` finish without frames; only a `<video>` seek (the fallback for a clip without
 * pre-decoded frames) and `requestAnimationFrame` need them, and those still get them after this delay.
 */
const FRAME_PUMP_AFTER_MS = 50;

/**
 * Where a render stands.
 * - `init`: loading the page (if needed) and mounting the row.
 * - `frames`: rendering, capturing and encoding frames.
 * - `finishing`: waiting for ffmpeg to finish the MP4, then mixing in the audio (when the template plays any).
 * - `done`: the MP4 is at `outFile`.
 */
export type RenderVideoStage = 'init' | 'frames' | 'finishing' | 'done';

/** One progress event of `renderVideo`: data, not a log line. */
export type RenderVideoProgress = {
  stage: RenderVideoStage;
  /** Frames finished (captured or reused) so far. */
  framesDone: number;
  /** Frames in the video. */
  framesTotal: number;
  /** Frames captured from the browser so far. */
  capturedFrames: number;
  /** Frames that repeated the previous image because nothing changed. */
  reusedFrames: number;
  /** Milliseconds since `renderVideo` started. */
  elapsedMs: number;
};

/** Receives `renderVideo` progress. */
export type OnRenderVideoProgress = (progress: RenderVideoProgress) => void;

/** Options for `renderVideo`. */
export type RenderVideoOptions = {
  /** The browser to render in; its page is reused across rows (navigated only when the bundle changes). */
  session: BrowserSession;
  /** Serves the bundle (and clip frames, mounted by the caller). */
  server: FileServer;
  /** The template bundled for the browser. */
  bundle: Pick<BundleTemplateResult, 'dir' | 'hash'>;
  /** The same template loaded in Node (duration, fps, variants). */
  template: TemplateDefinition;
  /** Variant name, one of `Object.keys(template.variants)`. */
  variant: string;
  /** Slot values for this row; B-roll slots hold clip URLs, image slots URLs the page can load. */
  props: Record<string, unknown>;
  /** Clip URL (as found in `props`) → its pre-decoded frames; `{}` when there are none. */
  clipFrames: Record<string, ClipFrameSet>;
  /** Final MP4 path; written under a temporary name and renamed when complete. */
  outFile: string;
  /** Seed for the page's `Math.random` (usually the row key). */
  randomSeed: string;
  /** JPEG quality of captured frames, 0–100; defaults to `DEFAULT_JPEG_QUALITY`. */
  jpegQuality?: number;
  /**
   * Repeat the previous image when the page reports no change (default true). Turned off for a row whose B-roll clip
   * has no entry in `clipFrames` (it plays through a seeking `<video>`, which the page cannot report as a change).
   */
  frameReuse?: boolean;
  /** Deadline per frame and for init; defaults to `DEFAULT_FRAME_TIMEOUT_MS`. */
  frameTimeoutMs?: number;
  onProgress?: OnRenderVideoProgress | null;
  /** Stops the render: ffmpeg is killed and no file appears at `outFile`. */
  signal?: AbortSignal | null;
  logLevel?: LogLevel;
  onLog?: OnLog | null;
};

/** What `renderVideo` produced. */
export type RenderVideoResult = {
  /** Frames in the video. */
  frames: number;
  /** Frames captured from the browser. */
  capturedFrames: number;
  /** Frames that repeated the previous image. */
  reusedFrames: number;
  /** The finished MP4. */
  outFile: string;
  /** What the encoder reported (duration; `file` and `bytes` are the final MP4's). */
  encode: EncodeResult;
  /** The audio mixed in, or null when no `<Audio>` was heard (then the MP4 has no audio stream and no extra pass ran). */
  audio: RenderVideoAudio | null;
  /** Wall-clock milliseconds for the whole video. */
  wallMs: number;
};

/** The audio `renderVideo` mixed into the MP4. */
export type RenderVideoAudio = {
  /** Local files heard (each distinct file once). */
  files: string[];
  /** Stretches of those files mixed (a loop pass or a seek starts a new one). */
  tracks: number;
  /** Wall-clock seconds of the ffmpeg pass that added the AAC track (the cost of audio on top of the video encode). */
  muxSeconds: number;
};

/** What one in-page frame call returns: the page's answer plus errors collected while rendering. */
type FrameCall = FrameResult & { errors: string[] };

const api = `window[${JSON.stringify(PAGE_API_GLOBAL)}]`;

/** The in-page expression for one frame; a throw from `renderFrame` is reported as an error, not lost. */
function frameExpression(frame: number): string {
  return `(async () => {
  const api = ${api};
  if (!api) return { changed: true, audio: [], errors: ['The page host did not start: window.${PAGE_API_GLOBAL} is missing (see earlier errors).'] };
  try {
    const result = await api.renderFrame(${frame});
    return { changed: result.changed, audio: result.audio ?? [], errors: api.takeErrors() };
  } catch (error) {
    return { changed: true, audio: [], errors: [...api.takeErrors(), error instanceof Error ? error.name + ': ' + error.message : String(error)] };
  }
})()`;
}

function initExpression(init: PageInit): string {
  return `(async () => {
  const api = ${api};
  if (!api) return ['The page host did not start: window.${PAGE_API_GLOBAL} is missing. Is the bundle built with bundleTemplate()?'];
  try {
    await api.init(${JSON.stringify(init)});
    return api.takeErrors();
  } catch (error) {
    return [...api.takeErrors(), error instanceof Error ? error.name + ': ' + error.message : String(error)];
  }
})()`;
}

/**
 * Renders one row of one variant to an MP4: loads the bundle into the session's page unless it already shows it,
 * mounts the row, then renders each frame in the page, captures it (or repeats the previous JPEG when the page reports
 * no change) and streams it to the encoder while the next frame is being captured.
 *
 * Fails with `RenderError` `RW_TEMPLATE_RUNTIME` when the template throws (message names template, variant and frame),
 * `RW_FRAME_TIMEOUT` when a frame misses its deadline (the session should then be replaced), `RW_BROWSER_CRASHED`,
 * or `CancelledError`. On any failure ffmpeg is stopped and nothing appears at `outFile`.
 *
 * @example
 * const result = await renderVideo({
 *   session, server, bundle, template, variant: 'default', props: { name: 'Ada' }, clipFrames: {},
 *   outFile: 'outputs/ada.mp4', randomSeed: 'ada',
 * });
 * @see BrowserSession
 * @see bundleTemplate
 */
export async function renderVideo(options: RenderVideoOptions): Promise<RenderVideoResult> {
  const started = performance.now();
  const { session, server, bundle, template, variant, props, clipFrames, outFile, randomSeed } = options;
  const jpegQuality = options.jpegQuality ?? DEFAULT_JPEG_QUALITY;
  const frameReuse = options.frameReuse ?? true;
  const frameTimeoutMs = options.frameTimeoutMs ?? DEFAULT_FRAME_TIMEOUT_MS;
  const signal = options.signal ?? null;
  const logOptions = { logLevel: options.logLevel ?? 'info', onLog: options.onLog ?? null, tag: 'renderVideo()' };

  const size = template.variants[variant];
  if (!size) {
    throw new RenderError(
      `options.variant "${variant}" is not a variant of template "${template.id}"; it has ${Object.keys(template.variants).map((name) => `"${name}"`).join(', ')}.`,
      { code: 'RW_INVALID_OPTION' },
    );
  }
  if (!Number.isInteger(jpegQuality) || jpegQuality < 0 || jpegQuality > 100) {
    throw new RenderError(`options.jpegQuality must be an integer from 0 to 100, got ${JSON.stringify(jpegQuality)}.`, { code: 'RW_INVALID_OPTION' });
  }
  if (!(frameTimeoutMs > 0)) {
    throw new RenderError(`options.frameTimeoutMs must be a positive number of milliseconds, got ${JSON.stringify(frameTimeoutMs)}.`, {
      code: 'RW_INVALID_OPTION',
    });
  }
  if (typeof randomSeed !== 'string') {
    throw new RenderError(`options.randomSeed must be a string, got ${typeof randomSeed}.`, { code: 'RW_INVALID_OPTION' });
  }
  throwIfAborted(signal);

  // A B-roll clip without pre-decoded frames plays through a seeking <video>: a seek changes no DOM, so the page
  // cannot tell that the frame changed. Capture every frame then rather than freeze the clip.
  const seekedClips = Object.entries(template.slots)
    .filter(([, slot]) => slot.kind === 'broll')
    .map(([name]) => props[name])
    .filter((url): url is string => typeof url === 'string' && url !== '' && !(url in clipFrames));
  const reuseFrames = frameReuse && seekedClips.length === 0;
  if (frameReuse && !reuseFrames) {
    log.verbose(logOptions, `frame reuse is off for ${outFile}: ${seekedClips.join(', ')} has no pre-decoded frames and plays through <video>.`);
  }

  const { durationInFrames } = computeDuration({ template, props });
  const config: VideoConfig = { width: size.width, height: size.height, fps: template.fps, durationInFrames, variant };
  const where = `template "${template.id}" variant "${variant}"`;
  let capturedFrames = 0;
  let reusedFrames = 0;
  let framesDone = 0;
  const report = (stage: RenderVideoStage) =>
    options.onProgress?.({ stage, framesDone, framesTotal: durationInFrames, capturedFrames, reusedFrames, elapsedMs: performance.now() - started });

  const templateFailed = (errors: readonly string[], at: string) =>
    new RenderError(`${where} failed ${at}: ${errors.join('\n')}`, { code: 'RW_TEMPLATE_RUNTIME' });

  /** Adds what the page is still waiting for (delayRender labels) to a timeout message. */
  const explainTimeout = async (error: unknown): Promise<unknown> => {
    if (!(error instanceof RenderError) || error.code !== 'RW_FRAME_TIMEOUT' || session.state === 'crashed') return error;
    try {
      const labels = await session.evaluate<string[] | null>({
        expression: `typeof window.__reelwrightPending === 'function' ? window.__reelwrightPending() : null`,
        timeoutMs: 1_000,
        pumpAfterMs: null,
      });
      if (!labels || labels.length === 0) return error;
      return new RenderError(`${error.message} Still waiting on: ${labels.join(', ')}.`, { code: 'RW_FRAME_TIMEOUT', cause: error });
    } catch {
      // The page is stuck for good (e.g. an endless loop): the original message is all we have.
      return error;
    }
  };

  report('init');
  await session.setViewport({ width: size.width, height: size.height });
  const url = `${server.mount(`bundles/${bundle.hash}`, bundle.dir)}index.html`;
  // Same bundle: keep the page (no reload between rows). After a timeout the page may hold stale state: reload it.
  if (session.url !== url || session.state === 'timed-out') {
    log.verbose(logOptions, `loading ${url}`);
    await session.navigate({ url, what: `loading the bundle of ${where}`, timeoutMs: frameTimeoutMs, signal });
  }
  const init: PageInit = { props, config, clipFrames, randomSeed };
  let initErrors: string[];
  try {
    initErrors = await session.evaluate<string[]>({
      expression: initExpression(init),
      what: `mounting the row (${where}, fonts and frame 0's media)`,
      timeoutMs: frameTimeoutMs,
      signal,
    });
  } catch (error) {
    throw await explainTimeout(error);
  }
  if (initErrors.length > 0) throw templateFailed(initErrors, 'while mounting the row');

  throwIfAborted(signal);
  // The encoder writes the video under a temporary name; it is renamed to outFile as is, or becomes the input of the
  // audio pass (whether any <Audio> plays is only known once every frame has been rendered).
  const outDir = path.dirname(path.resolve(outFile));
  await mkdir(outDir, { recursive: true });
  let videoFile: string | null = path.join(outDir, `.${path.basename(outFile)}.${randomBytes(6).toString('hex')}.tmp.mp4`);
  let encoder: Encoder | null = await startEncoder({ outFile: videoFile, fps: template.fps, width: size.width, height: size.height, signal, writeInPlace: true });
  const audioFrames: AudioFrame[] = [];
  const audioSources = new Map<string, AudioSource>();
  try {
    let previous: Buffer | null = null;
    /** Writes not yet known to be taken by ffmpeg, oldest first (they all resolve at the same 'drain'). */
    const writes: Promise<void>[] = [];
    report('frames');
    for (let frame = 0; frame < durationInFrames; frame++) {
      throwIfAborted(signal);
      const what = `frame ${frame} of ${durationInFrames} (${where})`;
      let result: FrameCall;
      try {
        result = await session.evaluate<FrameCall>({
          expression: frameExpression(frame),
          what,
          timeoutMs: frameTimeoutMs,
          signal,
          pumpAfterMs: FRAME_PUMP_AFTER_MS,
        });
      } catch (error) {
        throw await explainTimeout(error);
      }
      if (result.errors.length > 0) throw templateFailed(result.errors, `at frame ${frame}`);
      if (result.audio.length > 0) {
        // Check a file the first time it is heard, so a missing or broken one fails here, not after the last frame.
        for (const entry of result.audio) {
          if (!audioSources.has(entry.src)) {
            audioSources.set(entry.src, await resolveAudioSource({ server, src: entry.src, where: `${where}, frame ${frame}`, signal }));
          }
        }
        audioFrames.push({ frame, audio: result.audio });
      }
      let jpeg: Buffer;
      if (reuseFrames && previous !== null && !result.changed) {
        jpeg = previous;
        reusedFrames++;
      } else {
        jpeg = await session.capture({ quality: jpegQuality, what, timeoutMs: frameTimeoutMs, signal });
        capturedFrames++;
      }
      previous = jpeg;
      // Capture runs ahead of the encoder by up to FRAMES_IN_FLIGHT frames; only then wait for it (backpressure).
      while (writes.length >= FRAMES_IN_FLIGHT) await writes.shift();
      const write = encoder.writeFrame(jpeg);
      write.catch(() => undefined);
      writes.push(write);
      framesDone++;
      report('frames');
    }
    await Promise.all(writes);
    report('finishing');
    const encoded = await encoder.finish();
    encoder = null;
    const tracks = planAudioMix({ frames: audioFrames, fps: template.fps, sources: audioSources });
    let audio: RenderVideoAudio | null = null;
    let bytes = encoded.bytes;
    if (tracks.length === 0) {
      await rename(videoFile, outFile);
    } else {
      try {
        const mux = await muxAudio({ videoFile, outFile, durationSeconds: durationInFrames / template.fps, tracks, signal });
        bytes = mux.bytes;
        audio = { files: [...new Set(tracks.map((track) => track.file))], tracks: tracks.length, muxSeconds: mux.elapsedSeconds };
      } catch (error) {
        if (error instanceof EncodeError && error.code === 'RW_AUDIO_MUX_FAILED') {
          throw new RenderError(`${where}: ${error.message}`, { code: 'RW_AUDIO_MUX_FAILED', cause: error });
        }
        throw error;
      }
      await unlink(videoFile);
    }
    videoFile = null;
    const encode: EncodeResult = { ...encoded, file: outFile, bytes };
    const wallMs = performance.now() - started;
    report('done');
    log.verbose(
      logOptions,
      `${outFile}: ${durationInFrames} frames (${capturedFrames} captured, ${reusedFrames} reused) in ${(wallMs / 1000).toFixed(2)} s` +
        (audio ? `, ${audio.tracks} audio tracks mixed in ${audio.muxSeconds.toFixed(2)} s` : ''),
    );
    return { frames: durationInFrames, capturedFrames, reusedFrames, outFile, encode, audio, wallMs };
  } catch (error) {
    // finish() cleans up after itself; any other failure must stop ffmpeg and drop its temporary file.
    if (encoder) await encoder.abort();
    if (videoFile) {
      await unlink(videoFile).catch((cleanup: NodeJS.ErrnoException) => {
        // Not written yet (the encoder failed or was aborted before finishing): nothing to delete.
        if (cleanup.code !== 'ENOENT') log.warn(logOptions, `could not delete ${videoFile}:`, cleanup);
      });
    }
    if (signal?.aborted && !(error instanceof CancelledError)) throw new CancelledError(`Rendering ${outFile} was cancelled.`, signal.reason);
    throw error;
  }
}
