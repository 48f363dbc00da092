import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { EncodeError } from '../errors/index.js';
import { FRAME_INDEX_LAYOUT } from './read-frame-index.js';
import { runFfmpeg } from './run-ffmpeg.js';

/**
 * What a test clip shows.
 * - `numbered`: every frame carries its own index as a black/white grid (see `FRAME_INDEX_LAYOUT`),
 *   readable with `readFrameIndex` after scaling and H.264 compression.
 * - `black`: every frame is black (QA must flag it).
 * - `frozen`: a colourful picture that never changes (QA must flag it).
 * - `motion`: moving, changing picture (QA must pass it).
 */
export type TestClipKind = 'numbered' | 'black' | 'frozen' | 'motion';

/** Options for `makeTestClip`. */
export type MakeTestClipOptions = {
  /** Where to write the MP4 (its folder is created). */
  outFile: string;
  /** Length in seconds; the clip has exactly `round(seconds × fps)` frames. */
  seconds: number;
  /** Frames per second (integer). */
  fps: number;
  /** Width in pixels (even). */
  width: number;
  /** Height in pixels (even). */
  height: number;
  kind: TestClipKind;
  signal?: AbortSignal | null;
};

/** What `makeTestClip` produced. */
export type MakeTestClipResult = { file: string; frameCount: number };

function numberedFilter(width: number, height: number): string {
  const { cols, rows, indexBits, checkBits, inset, checksumExpression } = FRAME_INDEX_LAYOUT;
  const boxes: string[] = [];
  for (let cell = 0; cell < indexBits + checkBits; cell++) {
    const col = cell % cols;
    const row = Math.floor(cell / cols);
    // Integer cell edges so that cells tile the frame exactly.
    const x0 = Math.round((width * col) / cols);
    const x1 = Math.round((width * (col + 1)) / cols);
    const y0 = Math.round((height * row) / rows);
    const y1 = Math.round((height * (row + 1)) / rows);
    const dx = Math.round((x1 - x0) * inset);
    const dy = Math.round((y1 - y0) * inset);
    const value = cell < indexBits ? 'n' : checksumExpression;
    const bit = cell < indexBits ? cell : cell - indexBits;
    boxes.push(
      `drawbox=x=${x0 + dx}:y=${y0 + dy}:w=${x1 - x0 - 2 * dx}:h=${y1 - y0 - 2 * dy}:color=white:t=fill:` +
        `enable='eq(mod(floor((${value})/${2 ** bit}),2),1)'`,
    );
  }
  return boxes.join(',');
}

function sourceFor(options: MakeTestClipOptions): string {
  const { width, height, fps } = options;
  const size = `${width}x${height}`;
  switch (options.kind) {
    case 'numbered':
      return `color=c=black:s=${size}:r=${fps},${numberedFilter(width, height)}`;
    case 'black':
      return `color=c=black:s=${size}:r=${fps}`;
    case 'frozen':
      // One still picture: colour field with two boxes, identical in every frame.
      return (
        `color=c=0x2a5d8f:s=${size}:r=${fps},` +
        `drawbox=x=iw/8:y=ih/6:w=iw/3:h=ih/2:color=0xf0c040:t=fill,drawbox=x=iw/2:y=ih/3:w=iw/3:h=ih/3:color=0xd04060:t=fill`
      );
    case 'motion':
      // A rotating full-frame gradient: every pixel changes from one frame to the next.
      return `gradients=s=${size}:r=${fps}:c0=0x203080:c1=0xe0a040:c2=0x40a070:n=3:speed=0.05:seed=7`;
  }
}

function check(condition: boolean, message: string): void {
  if (!condition) throw new EncodeError(`makeTestClip: ${message}`, { code: 'RW_INVALID_OPTION' });
}

/**
 * Writes a small H.264/yuv420p MP4 made from ffmpeg's lavfi sources, for tests across the
 * repo: frame mapping (`numbered` + `readFrameIndex`) and the clip QA gate (`black`, `frozen`,
 * `motion`).
 *
 * @example
 * await makeTestClip({ outFile: 'numbered.mp4', seconds: 1, fps: 30, width: 192, height: 108, kind: 'numbered' });
 * @see readFrameIndex
 */
export async function makeTestClip(options: MakeTestClipOptions): Promise<MakeTestClipResult> {
  const { width, height, fps, seconds } = options;
  check(Number.isInteger(fps) && fps > 0, `options.fps must be a positive integer, got ${fps}.`);
  check(Number.isInteger(width) && width >= 2 && width % 2 === 0, `options.width must be an even integer ≥ 2, got ${width}.`);
  check(Number.isInteger(height) && height >= 2 && height % 2 === 0, `options.height must be an even integer ≥ 2, got ${height}.`);
  check(seconds > 0, `options.seconds must be > 0, got ${seconds}.`);
  const frameCount = Math.max(1, Math.round(seconds * fps));
  check(options.kind !== 'numbered' || frameCount - 1 <= FRAME_INDEX_LAYOUT.maxIndex, `a numbered clip holds at most ${FRAME_INDEX_LAYOUT.maxIndex + 1} frames.`);
  await mkdir(path.dirname(path.resolve(options.outFile)), { recursive: true });
  await runFfmpeg({
    args: [
      '-v', 'error', '-y',
      '-f', 'lavfi', '-i', sourceFor(options),
      '-frames:v', String(frameCount),
      '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '18', '-pix_fmt', 'yuv420p',
      '-movflags', '+faststart',
      options.outFile,
    ],
    signal: options.signal ?? null,
  });
  return { file: options.outFile, frameCount };
}
