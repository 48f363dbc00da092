import { open } from 'node:fs/promises';
import path from 'node:path';
import { hashFile } from '../clips/index.js';
import { IMAGE_SNIFF_BYTES, sniffImageType, type DatasetRow } from '../dataset/index.js';
import { CancelledError, ReelwrightError, throwIfAborted } from '../errors/index.js';
import type { InputImageEntry, InputImageIndex } from '../plan/index.js';
import type { SlotMap } from '../template/index.js';
import { fetchRemoteMedia } from './fetch-remote-media.js';
import { InputImageStore, type InputImage } from './input-image-store.js';

/** Code of a row whose first-frame image cannot be used (a plan problem: the row is skipped, the batch goes on). */
export const FIRST_FRAME_PROBLEM_CODE = 'RW_PLAN_FIRST_FRAME';

/** Images read at once (local hashing and remote fetches). */
export const DEFAULT_IMAGE_CONCURRENCY = 4;

/** Options of `collectInputImages`. */
export type CollectInputImagesOptions = {
  template: { readonly id: string; readonly slots: SlotMap };
  /** Valid rows; an image value is an absolute file path (the dataset reader resolved it) or an http(s) URL. */
  rows: readonly DatasetRow[];
  /** The dataset's label for messages (`datasets/team.csv`). */
  datasetLabel: string;
  /** The file's column feeding a slot, for messages (null: the slot has no column). */
  columnOf: (slot: string) => string | null;
  /** Where remote images are kept (`ProjectPaths.mediaDir`, shared with the render stage). */
  mediaDir: string;
  /** Fetch remote images from loopback and private addresses too (off: rows are untrusted input). */
  allowPrivateMedia: boolean;
  signal: AbortSignal | null;
};

/** What `collectInputImages` found. */
export type CollectInputImagesResult = {
  /** Every usable image by hash (for the providers' `resolveInputImage`). */
  store: InputImageStore;
  /** Row × B-roll slot → image hash or problem, for `planBatch`'s `inputImages`. */
  index: InputImageIndex;
};

type Outcome = { ok: true; image: InputImage } | { ok: false; problem: string };

/** Image types a first frame may have: what the providers take as an input image. */
const FIRST_FRAME_TYPES: ReadonlySet<string> = new Set(['image/png', 'image/jpeg', 'image/webp', 'image/gif']);

async function readImage(file: string, httpsUrl: string | null): Promise<Outcome> {
  let head: Buffer;
  let bytes: number;
  try {
    const handle = await open(file, 'r');
    try {
      const info = await handle.stat();
      if (!info.isFile()) return { ok: false, problem: `${file} is not a file. Point the cell at an image file.` };
      bytes = info.size;
      const buffer = Buffer.alloc(IMAGE_SNIFF_BYTES);
      const { bytesRead } = await handle.read(buffer, 0, IMAGE_SNIFF_BYTES, 0);
      head = buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    const fix = code === 'ENOENT' ? "Check the file name and that the file is still in the assets folder (the dataset's folder, or --assets-dir)." : 'Check that the file is readable.';
    return { ok: false, problem: `cannot read the image file ${file} (${code}). ${fix}` };
  }
  const mediaType = sniffImageType(head);
  if (mediaType === null || !FIRST_FRAME_TYPES.has(mediaType)) {
    const what = mediaType === null ? 'is not' : `is ${mediaType === 'image/svg+xml' ? 'an SVG' : 'an AVIF'} image, not`;
    return { ok: false, problem: `${file} ${what} a PNG, JPEG, WebP or GIF image (judged by its first bytes). Save the first frame as PNG or JPEG.` };
  }
  let hash: string;
  try {
    hash = await hashFile({ file });
  } catch (error) {
    return { ok: false, problem: `cannot read the image file ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'}). Check that the file is readable.` };
  }
  return { ok: true, image: { hash, file, bytes, mediaType, httpsUrl } };
}

/**
 * Reads the first-frame image of every row for every B-roll slot with `firstFrame`, before planning: a local
 * image (the dataset reader already resolved it to an absolute path inside the assets folder: the dataset's folder or `assetsDir`) is hashed
 * where it is; a remote one is fetched first with `fetchRemoteMedia` (same limits and address rules as the
 * render stage, same `mediaDir`, so the render reuses the download). Bytes are hashed with `hashFile` (sha256),
 * the clip cache's content hash. Each distinct value is read once.
 *
 * An image that cannot be used — unreadable, not an image, a failed download — is a problem of that row
 * (`FIRST_FRAME_PROBLEM_CODE`, naming file, line, column and what to do); an empty image slot is no entry
 * (text→video). Nothing here throws for a row; only cancellation stops it.
 *
 * @example
 * const { store, index } = await collectInputImages({ template, rows, datasetLabel, columnOf, mediaDir, allowPrivateMedia: false, signal });
 * const plan = planBatch({ ..., inputImages: index });
 */
export async function collectInputImages(options: CollectInputImagesOptions): Promise<CollectInputImagesResult> {
  const store = new InputImageStore();
  const pairs = Object.entries(options.template.slots).flatMap(([slot, def]) =>
    def.kind === 'broll' && def.firstFrame !== undefined ? [{ slot, imageSlot: def.firstFrame }] : [],
  );
  const entries = new Map<number, Record<string, InputImageEntry>>();
  const index: InputImageIndex = { get: (rowIndex, slot) => entries.get(rowIndex)?.[slot] ?? null };
  if (pairs.length === 0) return { store, index };

  const outcomes = new Map<string, Promise<Outcome>>();
  const outcomeOf = (value: string): Promise<Outcome> => {
    let outcome = outcomes.get(value);
    if (!outcome) {
      outcome = (async (): Promise<Outcome> => {
        if (/^https?:\/\//i.test(value)) {
          let file: string;
          try {
            file = await fetchRemoteMedia({ url: value, cacheDir: options.mediaDir, allowPrivateAddresses: options.allowPrivateMedia, signal: options.signal });
          } catch (error) {
            if (error instanceof CancelledError || options.signal?.aborted) throw error;
            const message = error instanceof ReelwrightError ? error.message : String(error);
            return { ok: false, problem: `${message} Check the URL, or use an image file in the assets folder (the dataset's folder, or --assets-dir).` };
          }
          return readImage(file, /^https:\/\//i.test(value) ? value : null);
        }
        if (!path.isAbsolute(value)) {
          return { ok: false, problem: `${JSON.stringify(value)} is neither an http(s) URL nor an image file path. Use a path relative to the assets folder (the dataset's folder, or --assets-dir) or an https:// URL.` };
        }
        return readImage(value, null);
      })();
      outcomes.set(value, outcome);
    }
    return outcome;
  };

  const work: { row: DatasetRow; slot: string; imageSlot: string; value: string }[] = [];
  for (const row of options.rows) {
    for (const { slot, imageSlot } of pairs) {
      const value = row.values[imageSlot];
      if (typeof value === 'string' && value !== '') work.push({ row, slot, imageSlot, value });
    }
  }
  let next = 0;
  const worker = async () => {
    while (next < work.length) {
      const item = work[next++]!;
      throwIfAborted(options.signal);
      const outcome = await outcomeOf(item.value);
      let entry: InputImageEntry;
      if (outcome.ok) {
        store.add(outcome.image);
        entry = { ok: true, hash: outcome.image.hash };
      } else {
        const column = options.columnOf(item.imageSlot);
        const where = `${options.datasetLabel} line ${item.row.line}, ${column !== null ? `column "${column}"` : `slot "${item.imageSlot}"`}`;
        entry = {
          ok: false,
          code: FIRST_FRAME_PROBLEM_CODE,
          message: `${where}: the first frame of B-roll slot "${item.slot}" (image slot "${item.imageSlot}") cannot be used: ${outcome.problem}`,
        };
      }
      const forRow = entries.get(item.row.index) ?? {};
      forRow[item.slot] = entry;
      entries.set(item.row.index, forRow);
    }
  };
  await Promise.all(Array.from({ length: Math.min(DEFAULT_IMAGE_CONCURRENCY, work.length) }, worker));
  return { store, index };
}
