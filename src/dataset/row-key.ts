import crypto from 'node:crypto';
import path from 'node:path';
import type { RowValues } from '../template/index.js';

/** Options of `rowKey`. */
export type RowKeyOptions = {
  /** The row's coerced values. */
  values: RowValues;
  /** The template's `rowKey` slot, or `null` to key the row by a hash of its values. */
  keySlot: string | null;
  /** Data slot names, sorted: the key order of the canonical JSON. */
  slotOrder: readonly string[];
  /** Image slots: absolute paths under `baseDir` are hashed relative to it, so moving the project keeps keys. */
  imageSlots: ReadonlySet<string>;
  /** The dataset folder. */
  baseDir: string;
};

/** A row's identity. */
export type RowKeyResult = {
  /** The `rowKey` value as text, or the first 16 hex digits of the sha256 of the canonical values. */
  key: string;
  /** sha256 (hex) of the canonical values and the key: changes whenever the row's content does. */
  hash: string;
};

/** Hex digits kept for a hash key: 64 bits, so two of 100,000 different rows share a key with odds of about 1 in 3.7 billion. */
const SHORT_HASH_CHARS = 16;

/** `"slot":` prefixes, built once per slot name (rows repeat the same few names). */
const quotedKeys = new Map<string, string>();

function canonicalJson(options: RowKeyOptions): string {
  let json = '{';
  for (const slot of options.slotOrder) {
    let value = options.values[slot];
    if (value === undefined) continue;
    if (options.imageSlots.has(slot) && typeof value === 'string' && path.isAbsolute(value)) {
      value = path.relative(options.baseDir, value).split(path.sep).join('/');
    }
    let quoted = quotedKeys.get(slot);
    if (quoted === undefined) quotedKeys.set(slot, (quoted = `${JSON.stringify(slot)}:`));
    json += `${json.length > 1 ? ',' : ''}${quoted}${typeof value === 'number' ? String(value) : JSON.stringify(value)}`;
  }
  return `${json}}`;
}

/** One-shot `crypto.hash` (Node ≥ 20.12: no Hash object per call, about twice as fast on short texts); `createHash` before. */
const oneShot = (crypto as { hash?: (algorithm: string, data: string, encoding: 'hex') => string }).hash;

const sha256: (text: string) => string =
  typeof oneShot === 'function' ? (text) => oneShot('sha256', text, 'hex') : (text) => crypto.createHash('sha256').update(text).digest('hex');

/**
 * Names a row: by its `rowKey` slot when the template declares one, else by a short stable hash
 * of its values (same values, same key, on any machine). Also returns the row hash that
 * incremental runs compare to decide whether a row changed. The canonical JSON has sorted keys,
 * leaves out empty optional slots, and writes local image paths relative to the dataset folder.
 *
 * @example
 * rowKey({ values: { name: 'Ada' }, keySlot: null, slotOrder: ['name'], imageSlots: new Set(), baseDir: '/data' });
 * // { key: '3f1c…' (16 hex digits), hash: '…' (64 hex digits) }
 */
export function rowKey(options: RowKeyOptions): RowKeyResult {
  const canonical = canonicalJson(options);
  const keyValue = options.keySlot === null ? undefined : options.values[options.keySlot];
  const key = keyValue === undefined ? sha256(canonical).slice(0, SHORT_HASH_CHARS) : String(keyValue);
  return { key, hash: sha256(`${canonical}\n${key}`) };
}
