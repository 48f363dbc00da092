import { closeSync, openSync, readSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { assertNever } from '../errors/index.js';
import { shortenValue } from './shorten-value.js';
import { IMAGE_FORMAT_NAMES, IMAGE_SNIFF_BYTES, sniffImageType } from './sniff-image-type.js';
import type { DataSlot, ProblemRule } from './types.js';

/** Where image paths may point. Build it once per dataset (see `createRowContext`). */
export type ImageRoots = {
  /** Absolute folder relative image paths resolve from: the dataset file's folder, or the assets folder the caller chose. */
  baseDir: string;
  /** How messages name `baseDir`; default "the dataset folder". */
  baseLabel?: string;
  /** Absolute folders an image may be in: the dataset folder, then any allowed extra roots. */
  roots: readonly string[];
  /** The same folders with symbolic links resolved, to catch links that lead outside. */
  realRoots: readonly string[];
  /** Checked paths, because many rows share one logo. Cleared when it grows large. */
  cache: Map<string, CoerceCellResult>;
};

/** Options of `coerceCell`. */
export type CoerceCellOptions = {
  /** The slot the cell feeds. */
  slot: DataSlot;
  /** The cell as read: a string from CSV, any JSON value from JSON; `undefined` when absent. */
  value: unknown;
  /** Where image paths may point (image slots only). */
  images: ImageRoots;
};

/**
 * The outcome of coercing one cell.
 * - `ok: true`: `value` is the typed value (`undefined` for an empty optional cell).
 * - `ok: false`: the cell breaks `rule`; `message` says how, without the location.
 */
export type CoerceCellResult = { ok: true; value: string | number | undefined } | { ok: false; rule: ProblemRule; message: string };

/** How messages name the folder relative image paths start in, when the caller gives no other name. */
const DEFAULT_BASE_LABEL = 'the dataset folder';

/** Size at which the image cache is cleared, so memory stays flat on huge files. */
const IMAGE_CACHE_LIMIT = 10_000;

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const DECIMAL_COMMA = /^[+-]?\d+,\d+$/;
const THOUSANDS = /^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$/;
const COLOR = /^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;
const SCHEME = /^([a-zA-Z][a-zA-Z0-9+.-]*):/;
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

function ok(value: string | number | undefined): CoerceCellResult {
  return { ok: true, value };
}

function fail(rule: ProblemRule, message: string): CoerceCellResult {
  return { ok: false, rule, message };
}

function show(text: string): string {
  return JSON.stringify(shortenValue(text));
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  return JSON.stringify(value);
}

function coerceNumber(raw: unknown, text: string): CoerceCellResult {
  if (typeof raw === 'number') return Number.isFinite(raw) ? ok(raw) : fail('number', `expected a number, got ${String(raw)}.`);
  if (NUMBER.test(text)) {
    const value = Number(text);
    if (Number.isFinite(value)) return ok(value);
    return fail('number', `${show(text)} is too large to be a number.`);
  }
  let hint = '';
  if (DECIMAL_COMMA.test(text)) {
    hint = /,\d{3}$/.test(text) ? ' Use "." as the decimal separator and no thousands separators (write 12500 or 12.5).' : ' Use "." as the decimal separator.';
  } else if (THOUSANDS.test(text)) {
    hint = ' Leave out the thousands separators (write 1234.5, not 1,234.5).';
  } else if (/\d/.test(text)) {
    hint = ' Write digits only, with "." for decimals: no currency signs, units or spaces.';
  }
  return fail('number', `expected a number, got ${show(text)}.${hint}`);
}

function coerceColor(text: string): CoerceCellResult {
  const match = COLOR.exec(text);
  if (!match) return fail('color', `expected a colour like "#4f46e5" or "#fff", got ${show(text)}.`);
  if (!text.startsWith('#')) return fail('color', `expected a colour like "#4f46e5" or "#fff", got ${show(text)}. Add "#" in front.`);
  let hex = (match[1] as string).toLowerCase();
  if (hex.length === 3) hex = `${hex[0]}${hex[0]}${hex[1]}${hex[1]}${hex[2]}${hex[2]}`;
  return ok(`#${hex}`);
}

function daysInMonth(year: number, month: number): number {
  return month === 2 ? (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function coerceDate(text: string): CoerceCellResult {
  const match = DATE.exec(text);
  if (!match) return fail('date', `expected a date written as YYYY-MM-DD (for example 2026-03-14), got ${show(text)}.`);
  const [, y, m, d, hh, mm, ss] = match;
  const year = Number(y);
  const month = Number(m);
  const day = Number(d);
  const date = `${y}-${m}-${d}`;
  if (month < 1 || month > 12) return fail('date', `${date} is not a real date: there is no month ${month}. Write dates as YYYY-MM-DD.`);
  const days = daysInMonth(year, month);
  if (day < 1 || day > days) return fail('date', `${date} is not a real date: ${MONTHS[month - 1]} ${year} has ${days} days.`);
  if ((hh !== undefined && Number(hh) > 23) || (mm !== undefined && Number(mm) > 59) || (ss !== undefined && Number(ss) > 60)) {
    return fail('date', `${show(text)} has an impossible time of day. Write the date alone, as YYYY-MM-DD.`);
  }
  // A full ISO date-time is reduced to its date as written (no time-zone shift).
  return ok(date);
}

function coerceChoice(slot: Extract<DataSlot, { kind: 'choice' }>, text: string): CoerceCellResult {
  const lower = text.toLowerCase();
  for (const option of slot.options) if (option.toLowerCase() === lower) return ok(option);
  return fail('choice', `expected one of ${slot.options.map((o) => JSON.stringify(o)).join(', ')}, got ${show(text)}.`);
}

function isInside(root: string, target: string): boolean {
  return target.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
}

/** Words for messages about a media file slot: image slots and audio slots share the path and URL rules. */
type MediaWords = { rule: 'image' | 'audio'; adjective: string; noun: string; plural: string; file: string; example: string };
const IMAGE_WORDS: MediaWords = { rule: 'image', adjective: 'image', noun: 'image', plural: 'images', file: 'an image file', example: 'images/logo.png' };
const AUDIO_WORDS: MediaWords = { rule: 'audio', adjective: 'audio', noun: 'audio file', plural: 'audio files', file: 'an audio file', example: 'audio/voice.m4a' };

function checkMediaPath(text: string, images: ImageRoots, w: MediaWords): CoerceCellResult {
  const base = images.baseLabel ?? DEFAULT_BASE_LABEL;
  const relative = text.replace(/\\/g, '/');
  if (relative.includes('\0')) return fail(w.rule, `${show(text)} is not a valid file path.`);
  const resolved = path.resolve(images.baseDir, relative);
  if (!images.roots.some((root) => isInside(root, resolved))) {
    return path.isAbsolute(relative)
      ? fail(w.rule, `${show(text)} is outside ${base}. Use a path relative to ${base}, such as ${w.example}, or an https:// URL.`)
      : fail(w.rule, `${show(text)} points outside ${base}. Keep ${w.plural} inside ${base} (for example ${w.example}) or use an https:// URL.`);
  }
  let real: string;
  try {
    real = realpathSync(resolved);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      return fail(
        w.rule,
        `${w.adjective} file not found: ${show(text)} (looked for ${resolved}). Relative ${w.adjective} paths start in ${base}: check the spelling, put the file there, or use an https:// URL.`,
      );
    }
    return fail(w.rule, `cannot open ${w.noun} ${show(text)} (${code ?? 'error'}). Check that the file is readable.`);
  }
  if (!images.realRoots.some((root) => isInside(root, real))) {
    return fail(w.rule, `${show(text)} is a link to a file outside ${base}. Copy the ${w.noun} into ${base} instead.`);
  }
  const info = statSync(real);
  if (!info.isFile()) return fail(w.rule, `${show(text)} is a folder, not ${w.file}.`);
  if (w.rule === 'image') {
    const problem = checkImageContent(text, real, resolved, info.size);
    if (problem) return problem;
  }
  return ok(resolved);
}

/**
 * An image file must be one the renderer can show, judged by its first bytes (not its name): a CSV or a PDF in an image
 * column would otherwise pass here and fail only at render. Reads `IMAGE_SNIFF_BYTES` once per distinct cell (cached by the caller).
 */
function checkImageContent(text: string, file: string, served: string, size: number): CoerceCellResult | null {
  const fix = 'Point the cell at an image file.';
  if (size === 0) return fail('image', `${show(text)} is an empty file, not an image. ${fix}`);
  const head = Buffer.alloc(Math.min(size, IMAGE_SNIFF_BYTES));
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (error) {
    return fail('image', `cannot open image ${show(text)} (${(error as NodeJS.ErrnoException).code ?? 'error'}). Check that the file is readable.`);
  }
  let read: number;
  try {
    read = readSync(fd, head, 0, head.length, 0);
  } catch (error) {
    return fail('image', `cannot read image ${show(text)} (${(error as NodeJS.ErrnoException).code ?? 'error'}). Check that the file is readable.`);
  } finally {
    closeSync(fd);
  }
  const type = sniffImageType(head.subarray(0, read));
  if (type === null) return fail('image', `${show(text)} is not an image (${IMAGE_FORMAT_NAMES}, judged by its first bytes). ${fix}`);
  // The renderer's file server names an SVG's type by its extension; under another name the browser does not draw it.
  if (type === 'image/svg+xml' && path.extname(served).toLowerCase() !== '.svg') {
    return fail('image', `${show(text)} is an SVG image, but its name does not end in .svg, so the renderer cannot show it. Rename the file to end in .svg.`);
  }
  return null;
}

/** An image or audio cell: an http(s) URL, or a confined path relative to `images.baseDir` (a local image must be one). */
function coerceMedia(text: string, images: ImageRoots, w: MediaWords): CoerceCellResult {
  const base = images.baseLabel ?? DEFAULT_BASE_LABEL;
  const scheme = SCHEME.exec(text);
  // One letter before ":" is a Windows drive (C:\…), an absolute path: checked like any path.
  if (scheme && (scheme[1] as string).length > 1) {
    const name = (scheme[1] as string).toLowerCase();
    if (name !== 'http' && name !== 'https') {
      return fail(w.rule, `"${name}:" links are not allowed for ${w.plural}. Use an https:// URL or a path relative to ${base}, such as ${w.example}.`);
    }
    try {
      if (new URL(text).hostname !== '') return ok(text);
    } catch {
      // Falls through to the message below: an unparsable URL is a problem, not an exception.
    }
    return fail(w.rule, `${show(text)} is not a valid web address.`);
  }
  if (/^[a-zA-Z]:/.test(text)) {
    return fail(w.rule, `${show(text)} is outside ${base}. Use a path relative to ${base}, such as ${w.example}, or an https:// URL.`);
  }
  // Messages differ per kind: an audio slot's answer is cached apart from an image slot's.
  const key = w.rule === 'image' ? text : `${w.rule}\0${text}`;
  const cached = images.cache.get(key);
  if (cached) return cached;
  const result = checkMediaPath(text, images, w);
  if (images.cache.size >= IMAGE_CACHE_LIMIT) images.cache.clear();
  images.cache.set(key, result);
  return result;
}

/**
 * Turns one cell into the slot's typed value. Whitespace is trimmed; an empty cell takes the
 * slot's default, stays `undefined` for an optional slot, or is a `required` problem.
 *
 * - text: kept as written (numbers from JSON become text). Lengths are checked by the schema.
 * - number: `"42"` → 42, `"3.5"` → 3.5; `"12,50"` is refused with a hint to use ".".
 * - color: `#rgb` or `#rrggbb`, returned as lowercase `#rrggbb`.
 * - date: `YYYY-MM-DD`, or a full ISO date-time reduced to its date; impossible dates are refused.
 * - choice: matched ignoring case and returned as declared.
 * - image: an http(s) URL, or a path relative to `images.baseDir` (the dataset folder unless the
 *   caller chose an assets folder) that exists and stays inside it (or inside an allowed root),
 *   returned as an absolute path, and a local file must be an image (PNG, JPEG, WebP, GIF, SVG or
 *   AVIF by its first bytes; read once per distinct cell). Other schemes are refused.
 *   An image default is the template's own asset and is passed through unchanged.
 * - audio: the same rules as image (URL or confined path), with messages about audio files.
 *
 * Range, length and integer rules are left to the JSON Schema check that follows.
 *
 * @example
 * coerceCell({ slot: { kind: 'number' }, value: ' 3.5 ', images }); // { ok: true, value: 3.5 }
 */
export function coerceCell(options: CoerceCellOptions): CoerceCellResult {
  const { slot, value: raw, images } = options;
  let text: string;
  if (raw === undefined || raw === null) text = '';
  else if (typeof raw === 'string') text = raw.trim();
  else if (typeof raw === 'number' || typeof raw === 'boolean') text = String(raw);
  else return fail('type', `expected ${slot.kind === 'text' ? 'text' : `a ${slot.kind}`}, got ${describe(raw)}.`);

  if (text === '') {
    if (slot.default !== undefined) {
      if (slot.kind === 'image' || slot.kind === 'audio') return ok(slot.default);
      // A blank default would come straight back here: keep it as it is.
      if (typeof slot.default === 'string' && slot.default.trim() === '') return ok(slot.default);
      return coerceCell({ slot, value: slot.default, images });
    }
    if (slot.optional) return ok(undefined);
    return fail('required', 'this cell is empty, but a value is required.');
  }
  if (typeof raw === 'boolean' && slot.kind !== 'text' && slot.kind !== 'choice') {
    return fail(slot.kind === 'number' ? 'number' : 'type', `expected ${slot.kind === 'number' ? 'a number' : `a ${slot.kind}`}, got ${text}.`);
  }

  switch (slot.kind) {
    case 'text':
      return ok(text);
    case 'number':
      return coerceNumber(raw, text);
    case 'color':
      return coerceColor(text);
    case 'date':
      return coerceDate(text);
    case 'choice':
      return coerceChoice(slot, text);
    case 'image':
      return coerceMedia(text, images, IMAGE_WORDS);
    case 'audio':
      return coerceMedia(text, images, AUDIO_WORDS);
    default:
      return assertNever(slot, 'slot kind');
  }
}
