import { EncodeError } from '../errors/index.js';
import { runFfmpeg } from './run-ffmpeg.js';

/**
 * How `makeTestClip({ kind: 'numbered' })` writes a frame's index into the picture, and how
 * `readFrameIndex` reads it back. The frame is cut into a `cols` × `rows` grid of cells, read
 * left to right, top to bottom. Cells `0..indexBits-1` hold the index in binary (least
 * significant bit first), the remaining `checkBits` cells hold `checksum(index)`. A white cell is
 * a 1, a black cell a 0. Each cell's square is inset by `inset` of the cell size on every side,
 * so neighbouring cells never bleed into each other after scaling and H.264 compression.
 */
export const FRAME_INDEX_LAYOUT = {
  cols: 6,
  rows: 4,
  indexBits: 16,
  checkBits: 8,
  /** Fraction of a cell left black on each side of its square. */
  inset: 0.15,
  /** 8-bit check value: `(lo + 3·hi + 165) mod 256` with `lo`/`hi` the low/high index bytes. */
  checksum: (index: number): number => ((index % 256) + 3 * Math.floor(index / 256) + 165) % 256,
  /** The same checksum as an ffmpeg expression over the frame number `n`. */
  checksumExpression: 'mod(mod(n,256)+3*floor(n/256)+165,256)',
  /** Highest index the code can carry. */
  maxIndex: 0xffff,
} as const;

/** Pixel layout of a raw frame given to `readFrameIndex`. */
export type RawPixelFormat = 'rgb24' | 'rgba' | 'gray';

/** A rectangle in pixels inside the image (where the numbered clip is displayed). */
export type PixelRegion = { x: number; y: number; width: number; height: number };

/** Options for `readFrameIndex`. */
export type ReadFrameIndexOptions = {
  /**
   * The image: an encoded picture (JPEG, PNG — anything ffmpeg decodes) when `width`/`height`
   * are absent, or raw pixels (`pixelFormat`, row-major, no padding) when they are given.
   */
  image: Buffer;
  /** Width of the raw image in pixels; give it together with `height` for raw pixels. */
  width?: number;
  /** Height of the raw image in pixels. */
  height?: number;
  /** Layout of raw pixels; defaults to `rgb24` (what `decodeFrames` returns). */
  pixelFormat?: RawPixelFormat;
  /**
   * Where the numbered clip sits in the image; defaults to the whole image. Use it when a
   * template shows the clip in part of the frame.
   */
  region?: PixelRegion | null;
};

/** Side of the square (in pixels) each cell becomes when an encoded image is normalised. */
const CELL_PX = 8;

const BYTES_PER_PIXEL: Record<RawPixelFormat, number> = { rgb24: 3, rgba: 4, gray: 1 };

function lumaAt(image: Buffer, offset: number, format: RawPixelFormat): number {
  if (format === 'gray') return image[offset] ?? 0;
  const r = image[offset] ?? 0;
  const g = image[offset + 1] ?? 0;
  const b = image[offset + 2] ?? 0;
  return 0.299 * r + 0.587 * g + 0.114 * b;
}

/** Average luma over the middle 40% of every cell, in reading order. */
function sampleCells(image: Buffer, width: number, format: RawPixelFormat, region: PixelRegion): number[] {
  const { cols, rows } = FRAME_INDEX_LAYOUT;
  const bpp = BYTES_PER_PIXEL[format];
  const cells: number[] = [];
  for (let row = 0; row < rows; row++) {
    for (let col = 0; col < cols; col++) {
      const cellW = region.width / cols;
      const cellH = region.height / rows;
      const x0 = Math.floor(region.x + cellW * (col + 0.3));
      const x1 = Math.max(x0 + 1, Math.ceil(region.x + cellW * (col + 0.7)));
      const y0 = Math.floor(region.y + cellH * (row + 0.3));
      const y1 = Math.max(y0 + 1, Math.ceil(region.y + cellH * (row + 0.7)));
      let sum = 0;
      let count = 0;
      for (let y = y0; y < y1; y++) {
        for (let x = x0; x < x1; x++) {
          sum += lumaAt(image, (y * width + x) * bpp, format);
          count++;
        }
      }
      cells.push(sum / count);
    }
  }
  return cells;
}

function decodeCells(cells: number[], where: string): number {
  const { indexBits, checkBits, checksum } = FRAME_INDEX_LAYOUT;
  const bits = cells.map((luma) => (luma >= 128 ? 1 : 0));
  let index = 0;
  for (let bit = 0; bit < indexBits; bit++) index += (bits[bit] ?? 0) * 2 ** bit;
  let check = 0;
  for (let bit = 0; bit < checkBits; bit++) check += (bits[indexBits + bit] ?? 0) * 2 ** bit;
  const ambiguous = cells.filter((luma) => luma > 64 && luma < 192).length;
  if (check !== checksum(index)) {
    throw new EncodeError(
      `readFrameIndex: ${where} does not carry a readable frame index (bits ${bits.join('')}, ${ambiguous} cells neither black nor white; ` +
        `checksum ${check} ≠ ${checksum(index)} for index ${index}). Pass the image of a makeTestClip({ kind: 'numbered' }) frame, ` +
        'or give `region` when the clip fills only part of the image.',
      { code: 'RW_FRAME_INDEX_UNREADABLE' },
    );
  }
  return index;
}

function checkRegion(region: PixelRegion, width: number, height: number): void {
  const ok =
    Number.isInteger(region.x) &&
    Number.isInteger(region.y) &&
    Number.isInteger(region.width) &&
    Number.isInteger(region.height) &&
    region.x >= 0 &&
    region.y >= 0 &&
    region.width > 0 &&
    region.height > 0 &&
    region.x + region.width <= width &&
    region.y + region.height <= height;
  if (!ok) {
    throw new EncodeError(
      `readFrameIndex: options.region ${JSON.stringify(region)} must be whole pixels inside the ${width}x${height} image.`,
      { code: 'RW_INVALID_OPTION' },
    );
  }
}

/**
 * Reads back the frame index that `makeTestClip({ kind: 'numbered' })` drew into a frame.
 * For tests: decode frame N of a render (a JPEG from the capture, or raw RGB from
 * `decodeFrames`) and assert it shows the B-roll frame you expect. Works at any scale as long as
 * the whole numbered picture is visible (give `region` when it fills only part of the image).
 * Throws `EncodeError` `RW_FRAME_INDEX_UNREADABLE` when the checksum does not match, so a wrong
 * frame never reads as a plausible index.
 *
 * @example
 * const frames = await decodeFrames({ file: 'out.mp4' });
 * expect(await readFrameIndex({ image: frames[10]!, width: 320, height: 180 })).toBe(10);
 * @see makeTestClip
 */
export async function readFrameIndex(options: ReadFrameIndexOptions): Promise<number> {
  const { width, height } = options;
  if ((width === undefined) !== (height === undefined)) {
    throw new EncodeError('readFrameIndex: give both options.width and options.height for raw pixels, or neither for an encoded image.', {
      code: 'RW_INVALID_OPTION',
    });
  }
  if (width !== undefined && height !== undefined) {
    const format = options.pixelFormat ?? 'rgb24';
    const expected = width * height * BYTES_PER_PIXEL[format];
    if (options.image.length !== expected) {
      throw new EncodeError(
        `readFrameIndex: a ${width}x${height} ${format} image has ${expected} bytes, got ${options.image.length}. Check width, height and pixelFormat.`,
        { code: 'RW_INVALID_OPTION' },
      );
    }
    const region = options.region ?? { x: 0, y: 0, width, height };
    checkRegion(region, width, height);
    return decodeCells(sampleCells(options.image, width, format, region), `the ${width}x${height} raw image`);
  }
  // Encoded image: let ffmpeg decode, crop and shrink it so every cell becomes CELL_PX² pixels.
  const { cols, rows } = FRAME_INDEX_LAYOUT;
  const filters: string[] = [];
  if (options.region) {
    const r = options.region;
    filters.push(`crop=${r.width}:${r.height}:${r.x}:${r.y}`);
  }
  filters.push(`scale=${cols * CELL_PX}:${rows * CELL_PX}:flags=area`, 'format=gray');
  const { stdout } = await runFfmpeg({
    args: ['-v', 'error', '-i', '-', '-frames:v', '1', '-vf', filters.join(','), '-f', 'rawvideo', '-pix_fmt', 'gray', '-'],
    stdin: options.image,
  });
  const w = cols * CELL_PX;
  const h = rows * CELL_PX;
  if (stdout.length !== w * h) {
    throw new EncodeError(`readFrameIndex: ffmpeg returned ${stdout.length} bytes for a ${w}x${h} gray image; is the input an image?`, {
      code: 'RW_FRAME_INDEX_UNREADABLE',
    });
  }
  return decodeCells(sampleCells(stdout, w, 'gray', { x: 0, y: 0, width: w, height: h }), 'the encoded image');
}
