import { EncodeError } from '../errors/index.js';
import { probeMedia } from './probe-media.js';
import { runFfmpeg } from './run-ffmpeg.js';

/** A pixel darker than this (0–1 of the luma range) counts as black (`blackdetect` `pix_th`). */
export const DEFAULT_BLACK_PIXEL_THRESHOLD = 0.1;

/** Frame-difference level below which the picture counts as unchanged (`freezedetect` `n`, in dB). */
export const DEFAULT_FREEZE_NOISE_DB = -60;

/**
 * Shortest stillness that counts as a freeze, in seconds (`freezedetect` `d`). Half a second:
 * long enough that a slow, deliberate shot is not a "freeze", short enough to catch a stalled
 * generation in a 5 s clip.
 */
export const DEFAULT_FREEZE_MIN_SECONDS = 0.5;

/** Frames are analysed at most this wide: defects are visible at any size, and it is ~10× faster at 720p. */
const ANALYSIS_WIDTH = 320;

/** Options for `detectClipDefects`. */
export type DetectClipDefectsOptions = {
  /** The clip to check. */
  file: string;
  /** See `DEFAULT_BLACK_PIXEL_THRESHOLD`. */
  blackPixelThreshold?: number;
  /** See `DEFAULT_FREEZE_NOISE_DB`. */
  freezeNoiseDb?: number;
  /** See `DEFAULT_FREEZE_MIN_SECONDS`. */
  freezeMinSeconds?: number;
  signal?: AbortSignal | null;
};

/** A time range in seconds. */
export type TimeSpan = { start: number; end: number };

/** What the clip QA gate needs to judge a clip. */
export type ClipDefects = {
  /** Share of the clip's duration (0–1) that is black. */
  blackRatio: number;
  /** Share of the clip's duration (0–1) that is frozen (unchanged for at least `freezeMinSeconds`). */
  frozenRatio: number;
  /** Duration of the clip in seconds. */
  durationSeconds: number;
  /** The black spans, for messages ("black from 0.0 s to 2.0 s"). */
  blackSpans: TimeSpan[];
  /** The frozen spans. */
  frozenSpans: TimeSpan[];
};

function sumSpans(spans: TimeSpan[]): number {
  return spans.reduce((sum, span) => sum + Math.max(0, span.end - span.start), 0);
}

function ratio(part: number, whole: number): number {
  if (!(whole > 0)) return 0;
  return Math.min(1, Math.max(0, part / whole));
}

/** Parses `black_start:0 black_end:1.96667` lines of ffmpeg's `blackdetect`. */
function parseBlack(stderr: string, durationSeconds: number, frameSeconds: number): TimeSpan[] {
  const spans: TimeSpan[] = [];
  for (const match of stderr.matchAll(/\[blackdetect @ [^\]]+\] black_start:\s*([\d.]+) black_end:\s*([\d.]+)/g)) {
    const start = Number(match[1]);
    let end = Number(match[2]);
    // A black run that lasts until the end is closed at the last frame's start time (ffmpeg 5.1
    // reports it at EOF that way): extend it by that last frame.
    if (end >= durationSeconds - 1.5 * frameSeconds) end = durationSeconds;
    spans.push({ start, end });
  }
  return spans;
}

/** Parses `lavfi.freezedetect.freeze_start: 0` / `freeze_end: 1` lines; an unclosed freeze runs to the end. */
function parseFrozen(stderr: string, durationSeconds: number): TimeSpan[] {
  const spans: TimeSpan[] = [];
  let open: number | null = null;
  for (const match of stderr.matchAll(/lavfi\.freezedetect\.freeze_(start|end):\s*([\d.]+)/g)) {
    const value = Number(match[2]);
    if (match[1] === 'start') open = value;
    else if (open !== null) {
      spans.push({ start: open, end: value });
      open = null;
    }
  }
  // ffmpeg 5.1 prints no freeze_end when the clip ends frozen.
  if (open !== null) spans.push({ start: open, end: durationSeconds });
  return spans;
}

/**
 * Measures how much of a clip is black and how much is frozen, with ffmpeg's `blackdetect` and
 * `freezedetect` filters (one decoding pass at ≤320 px wide). The clip QA gate compares the
 * ratios with its limits; this function judges nothing.
 *
 * @example
 * const { blackRatio, frozenRatio } = await detectClipDefects({ file: 'clip.mp4', signal });
 * if (blackRatio > 0.5) reject('mostly black');
 */
export async function detectClipDefects(options: DetectClipDefectsOptions): Promise<ClipDefects> {
  const pixelThreshold = options.blackPixelThreshold ?? DEFAULT_BLACK_PIXEL_THRESHOLD;
  const noiseDb = options.freezeNoiseDb ?? DEFAULT_FREEZE_NOISE_DB;
  const freezeSeconds = options.freezeMinSeconds ?? DEFAULT_FREEZE_MIN_SECONDS;
  const signal = options.signal ?? null;
  const bad = (message: string) => new EncodeError(`detectClipDefects: ${message}`, { code: 'RW_INVALID_OPTION' });
  if (!(pixelThreshold >= 0 && pixelThreshold <= 1)) throw bad(`options.blackPixelThreshold must be within 0–1, got ${pixelThreshold}.`);
  if (!(noiseDb < 0)) throw bad(`options.freezeNoiseDb must be negative (e.g. -60), got ${noiseDb}.`);
  if (!(freezeSeconds > 0)) throw bad(`options.freezeMinSeconds must be > 0, got ${freezeSeconds}.`);

  const info = await probeMedia({ file: options.file, signal });
  if (!info.video) {
    throw new EncodeError(`detectClipDefects: ${options.file} has no video stream. A B-roll clip must be a video.`, { code: 'RW_MEDIA_NO_VIDEO' });
  }
  const durationSeconds = info.durationSeconds;
  const frameSeconds = info.video.fps > 0 ? 1 / info.video.fps : 0;
  const { stderr } = await runFfmpeg({
    args: [
      '-hide_banner', '-nostats', '-nostdin', '-v', 'info',
      '-i', options.file, '-map', '0:v:0', '-an', '-sn', '-dn',
      '-vf',
      `scale=w='min(iw,${ANALYSIS_WIDTH})':h=-2,` +
        `blackdetect=d=0:pix_th=${pixelThreshold},freezedetect=n=${noiseDb}dB:d=${freezeSeconds}`,
      '-f', 'null', '-',
    ],
    signal,
    captureStdout: false,
  });
  const blackSpans = parseBlack(stderr, durationSeconds, frameSeconds);
  const frozenSpans = parseFrozen(stderr, durationSeconds);
  return {
    blackRatio: ratio(sumSpans(blackSpans), durationSeconds),
    frozenRatio: ratio(sumSpans(frozenSpans), durationSeconds),
    durationSeconds,
    blackSpans,
    frozenSpans,
  };
}
