import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { runFfmpeg } from '../../media/index.js';
import { buildLocalClipGraph } from './build-local-clip-graph.js';

/** Frame rate of local clips. */
export const LOCAL_CLIP_FPS = 30;

/** `comment` tag of every local clip, so a placeholder is never mistaken for real footage. */
export const LOCAL_CLIP_COMMENT = 'reelwright local placeholder clip';

/** The `title` tag holds the prompt, cut to this many characters. */
export const LOCAL_CLIP_TITLE_MAX = 120;

/**
 * x264 settings of local clips. CRF 26 with `veryfast` keeps a 5 s 720p clip near 0.4 MB and its
 * generation near 2 s on two cores; the grain dithers away the banding a higher CRF would show.
 * Two x264 threads, fixed: the clip is byte-identical on any machine with this ffmpeg build, and
 * x264 output depends on the thread count.
 */
const X264_ARGS = ['-c:v', 'libx264', '-preset', 'veryfast', '-crf', '26', '-threads', '2'];

/** Options for `generateLocalClip`. */
export type GenerateLocalClipOptions = {
  /** Final MP4 path; written under a temporary name first and renamed when complete. */
  outFile: string;
  /** Normalized prompt. */
  prompt: string;
  seed: number | null;
  seconds: number;
  /** Even pixel sizes. */
  width: number;
  height: number;
  signal?: AbortSignal | null;
};

/** What `generateLocalClip` wrote. */
export type GenerateLocalClipResult = { file: string; frameCount: number; elapsedSeconds: number };

/** The prompt as a one-line `title` tag: control characters dropped, cut at `LOCAL_CLIP_TITLE_MAX`. */
function titleFor(prompt: string): string {
  // Control characters (NUL in particular) cannot go into a process argument.
  const clean = prompt.replace(/[\p{Cc}]/gu, ' ');
  const chars = [...clean];
  return chars.length <= LOCAL_CLIP_TITLE_MAX ? clean : `${chars.slice(0, LOCAL_CLIP_TITLE_MAX - 1).join('')}…`;
}

/**
 * Renders one placeholder B-roll clip with ffmpeg (see `buildLocalClipGraph` for the look):
 * H.264 `yuv420p`, `LOCAL_CLIP_FPS` fps, `round(seconds × fps)` frames, `+faststart`, with `title`
 * and `comment` tags and nothing else that varies (`+bitexact`, no input metadata), so the same
 * options give a byte-identical file.
 *
 * @example
 * await generateLocalClip({ outFile: 'clips/local-ab12.mp4', prompt: 'city at night', seed: 1, seconds: 5, width: 1280, height: 720 });
 */
export async function generateLocalClip(options: GenerateLocalClipOptions): Promise<GenerateLocalClipResult> {
  const started = performance.now();
  const frameCount = Math.max(1, Math.round(options.seconds * LOCAL_CLIP_FPS));
  const graph = buildLocalClipGraph({
    prompt: options.prompt,
    seed: options.seed,
    width: options.width,
    height: options.height,
    fps: LOCAL_CLIP_FPS,
    seconds: options.seconds,
  });
  const dir = path.dirname(path.resolve(options.outFile));
  await mkdir(dir, { recursive: true });
  const tempFile = path.join(dir, `.${path.basename(options.outFile)}.${randomBytes(6).toString('hex')}.tmp.mp4`);
  try {
    await runFfmpeg({
      args: [
        '-hide_banner', '-nostdin', '-v', 'error', '-y',
        '-filter_complex', graph.filterComplex,
        '-map', '[out]', '-frames:v', String(frameCount),
        ...X264_ARGS,
        '-pix_fmt', 'yuv420p', '-r', String(LOCAL_CLIP_FPS),
        '-colorspace', 'bt709', '-color_primaries', 'bt709', '-color_trc', 'bt709', '-color_range', 'tv',
        '-fflags', '+bitexact', '-flags:v', '+bitexact', '-map_metadata', '-1',
        '-metadata', `title=${titleFor(options.prompt)}`,
        '-metadata', `comment=${LOCAL_CLIP_COMMENT}`,
        '-movflags', '+faststart',
        '-f', 'mp4', tempFile,
      ],
      signal: options.signal ?? null,
      captureStdout: false,
    });
    await rename(tempFile, options.outFile);
  } finally {
    // No-op after the rename; drops a partial file after a failure or cancel.
    await rm(tempFile, { force: true });
  }
  return { file: options.outFile, frameCount, elapsedSeconds: (performance.now() - started) / 1000 };
}
