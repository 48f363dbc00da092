import { randomBytes } from 'node:crypto';
import { rename, rm } from 'node:fs/promises';
import { EncodeError } from '../errors/index.js';
import { probeMedia, runFfmpeg } from '../media/index.js';
import type { MediaInfo } from '../media/index.js';
import type { ClipAspect } from '../template/index.js';

/** Frame rate every clip is normalized to (the renderer's clock). */
export const DEFAULT_CLIP_FPS = 30;
/** Resolution assumed when a request names none. */
export const DEFAULT_CLIP_RESOLUTION = '720p';

const HEIGHTS: Readonly<Record<string, number>> = { '540p': 540, '720p': 720, '1080p': 1080, '4k': 2160 };

/** The frame size a request's aspect and resolution stand for: `16:9` at `720p` → 1280×720, `9:16` → 720×1280, `1:1` → 720×720. */
export function clipFrameSize(request: { aspect: ClipAspect; resolution: string | null }): { width: number; height: number } {
  const short = HEIGHTS[request.resolution ?? DEFAULT_CLIP_RESOLUTION] ?? 720;
  const long = Math.round((short * 16) / 9 / 2) * 2;
  if (request.aspect === '16:9') return { width: long, height: short };
  if (request.aspect === '9:16') return { width: short, height: long };
  return { width: short, height: short };
}

/** Options for `normalizeClip`. */
export type NormalizeClipOptions = {
  inFile: string;
  /** Where the normalized MP4 goes; it appears only when complete. */
  outFile: string;
  width: number;
  height: number;
  /** Frames per second (default `DEFAULT_CLIP_FPS`). */
  fps?: number;
  signal?: AbortSignal | null;
};

/** What `normalizeClip` produced, as ffprobe reads it back. */
export type NormalizeClipResult = { file: string; info: MediaInfo };

/**
 * Re-encodes a provider clip to what the renderer expects: H.264, yuv420p, constant `fps`, exactly
 * `width`×`height` (scaled to cover, then centre-cropped, so nothing is stretched), square pixels,
 * `+faststart`; an audio track (Veo with audio) is kept as AAC. The result is probed and verified;
 * a mismatch throws `EncodeError` (`RW_CLIP_NORMALIZE_FAILED`).
 *
 * @example
 * await normalizeClip({ inFile: 'raw.mp4', outFile: 'clip.mp4', width: 1280, height: 720 });
 */
export async function normalizeClip(options: NormalizeClipOptions): Promise<NormalizeClipResult> {
  const fps = options.fps ?? DEFAULT_CLIP_FPS;
  const { width, height } = options;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 2 || height < 2 || width % 2 || height % 2) {
    throw new EncodeError(`normalizeClip: width and height must be even whole numbers ≥ 2, got ${width}×${height}.`, { code: 'RW_INVALID_OPTION' });
  }
  const partFile = `${options.outFile}.${randomBytes(4).toString('hex')}.part.mp4`;
  try {
    await runFfmpeg({
      args: [
        '-v', 'error', '-y', '-nostdin',
        '-i', options.inFile,
        '-map', '0:v:0', '-map', '0:a:0?',
        '-vf', `scale=${width}:${height}:force_original_aspect_ratio=increase,crop=${width}:${height},setsar=1,fps=${fps}`,
        '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '18', '-pix_fmt', 'yuv420p',
        '-c:a', 'aac', '-b:a', '128k',
        '-movflags', '+faststart',
        partFile,
      ],
      signal: options.signal ?? null,
      captureStdout: false,
    });
    const info = await probeMedia({ file: partFile, signal: options.signal ?? null });
    const v = info.video;
    if (!v || v.codec !== 'h264' || v.pixelFormat !== 'yuv420p' || v.width !== width || v.height !== height || Math.abs(v.fps - fps) > 0.01) {
      throw new EncodeError(
        `normalizeClip: ${options.inFile} came out as ${v ? `${v.codec} ${v.pixelFormat} ${v.width}×${v.height} @ ${v.fps} fps` : 'no video'}, expected h264 yuv420p ${width}×${height} @ ${fps} fps.`,
        { code: 'RW_CLIP_NORMALIZE_FAILED' },
      );
    }
    await rename(partFile, options.outFile);
    return { file: options.outFile, info };
  } catch (error) {
    await rm(partFile, { force: true });
    throw error;
  }
}
