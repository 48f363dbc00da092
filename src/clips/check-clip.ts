import { EncodeError } from '../errors/index.js';
import { detectClipDefects, probeMedia } from '../media/index.js';
import type { ClipDefects, MediaInfo } from '../media/index.js';

/** Limits of the clip QA gate. */
export type ClipQaLimits = {
  /** Largest share of the clip (0–1) that may be black. */
  maxBlackRatio: number;
  /** Largest share of the clip (0–1) that may be frozen. */
  maxFrozenRatio: number;
  /** Allowed difference between requested and actual duration, in seconds. */
  durationToleranceSeconds: number;
  /** Allowed relative difference between requested and actual aspect ratio (0.03 = 3 %). */
  aspectTolerance: number;
  /** Smallest acceptable size as a share of the expected width and height (upscaling a tiny clip looks bad). */
  minSizeRatio: number;
};

/**
 * Defaults: a clip more than half black or half frozen is not usable B-roll; providers deliver
 * durations within a few frames of the request; 3 % absorbs sizes like 1280×704 vs 16:9.
 */
export const DEFAULT_CLIP_QA_LIMITS: ClipQaLimits = {
  maxBlackRatio: 0.5,
  maxFrozenRatio: 0.5,
  durationToleranceSeconds: 0.5,
  aspectTolerance: 0.03,
  minSizeRatio: 0.9,
};

/**
 * Why a clip failed QA.
 * - `RW_CLIP_QA_UNDECODABLE`: ffprobe/ffmpeg cannot read it.
 * - `RW_CLIP_QA_NO_VIDEO`: no video stream.
 * - `RW_CLIP_QA_DURATION`: too short or too long.
 * - `RW_CLIP_QA_ASPECT`: wrong aspect ratio.
 * - `RW_CLIP_QA_RESOLUTION`: smaller than asked for.
 * - `RW_CLIP_QA_BLACK`: mostly black.
 * - `RW_CLIP_QA_FROZEN`: mostly frozen.
 */
export type ClipQaCode =
  | 'RW_CLIP_QA_UNDECODABLE'
  | 'RW_CLIP_QA_NO_VIDEO'
  | 'RW_CLIP_QA_DURATION'
  | 'RW_CLIP_QA_ASPECT'
  | 'RW_CLIP_QA_RESOLUTION'
  | 'RW_CLIP_QA_BLACK'
  | 'RW_CLIP_QA_FROZEN';

/** Options for `checkClip`. */
export type CheckClipOptions = {
  file: string;
  /** What was asked for: duration and the frame size the clip will be normalized to. */
  expect: { seconds: number; width: number; height: number };
  limits?: Partial<ClipQaLimits>;
  signal?: AbortSignal | null;
};

/**
 * The verdict.
 * - `ok: true`: usable; `info` and `defects` are the measurements.
 * - `ok: false`: rejected; `code` and a plain-words `message` for the journal; measurements when they were taken.
 */
export type CheckClipResult =
  | { ok: true; info: MediaInfo; defects: ClipDefects }
  | { ok: false; code: ClipQaCode; message: string; info: MediaInfo | null; defects: ClipDefects | null };

const pct = (ratio: number) => `${Math.round(ratio * 100)} %`;

/**
 * The clip QA gate: decodable, duration within tolerance, expected aspect and at least (nearly)
 * the expected size, not mostly black, not mostly frozen. It judges; `generateClip` journals a
 * failing clip as a `rejected` attempt (still paid) and regenerates it with a new seed.
 *
 * @example
 * const verdict = await checkClip({ file: 'raw.mp4', expect: { seconds: 5, width: 1280, height: 720 } });
 * if (!verdict.ok) console.log(verdict.code, verdict.message);
 */
export async function checkClip(options: CheckClipOptions): Promise<CheckClipResult> {
  const limits = { ...DEFAULT_CLIP_QA_LIMITS, ...options.limits };
  const signal = options.signal ?? null;
  const { seconds, width, height } = options.expect;
  let info: MediaInfo;
  try {
    info = await probeMedia({ file: options.file, signal });
  } catch (error) {
    if (!(error instanceof EncodeError)) throw error;
    return { ok: false, code: 'RW_CLIP_QA_UNDECODABLE', message: 'The clip cannot be read by ffprobe (not a video file, or truncated).', info: null, defects: null };
  }
  const v = info.video;
  if (!v || v.width <= 0 || v.height <= 0) {
    return { ok: false, code: 'RW_CLIP_QA_NO_VIDEO', message: 'The clip has no video stream.', info, defects: null };
  }
  if (Math.abs(info.durationSeconds - seconds) > limits.durationToleranceSeconds) {
    return {
      ok: false,
      code: 'RW_CLIP_QA_DURATION',
      message: `The clip lasts ${info.durationSeconds.toFixed(2)} s; ${seconds} s ± ${limits.durationToleranceSeconds} s was asked for.`,
      info,
      defects: null,
    };
  }
  const want = width / height;
  const got = v.width / v.height;
  if (Math.abs(got / want - 1) > limits.aspectTolerance) {
    return { ok: false, code: 'RW_CLIP_QA_ASPECT', message: `The clip is ${v.width}×${v.height} (aspect ${got.toFixed(3)}); aspect ${want.toFixed(3)} (${width}×${height}) was asked for.`, info, defects: null };
  }
  if (v.width < width * limits.minSizeRatio || v.height < height * limits.minSizeRatio) {
    return { ok: false, code: 'RW_CLIP_QA_RESOLUTION', message: `The clip is ${v.width}×${v.height}, smaller than the ${width}×${height} asked for.`, info, defects: null };
  }
  let defects: ClipDefects;
  try {
    defects = await detectClipDefects({ file: options.file, signal });
  } catch (error) {
    if (!(error instanceof EncodeError)) throw error;
    return { ok: false, code: 'RW_CLIP_QA_UNDECODABLE', message: `The clip's frames cannot be decoded: ${error.message.split('\n')[0]}`, info, defects: null };
  }
  if (defects.blackRatio > limits.maxBlackRatio) {
    return { ok: false, code: 'RW_CLIP_QA_BLACK', message: `The clip is ${pct(defects.blackRatio)} black (limit ${pct(limits.maxBlackRatio)}).`, info, defects };
  }
  if (defects.frozenRatio > limits.maxFrozenRatio) {
    return { ok: false, code: 'RW_CLIP_QA_FROZEN', message: `The clip is ${pct(defects.frozenRatio)} frozen (limit ${pct(limits.maxFrozenRatio)}).`, info, defects };
  }
  return { ok: true, info, defects };
}
