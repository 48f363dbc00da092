import path from 'node:path';
import { pathExists } from '../fs/index.js';

/** Options for `pickFreeName`. */
export type PickFreeNameOptions = {
  /** Folder the file will be moved into. */
  dir: string;
  /** Wanted base name, e.g. `leads.csv`. */
  name: string;
  /** Suffixes of companion files that must be free too (e.g. `.summary.json`); none by default. */
  companions?: readonly string[];
  /** Clock for the collision suffix; defaults to `new Date()`. */
  now?: () => Date;
};

/**
 * Returns `name` when neither it nor any companion exists in `dir`; otherwise the same name with a UTC timestamp
 * before the extension: `leads.csv` → `leads.2025-05-01T02-00-00-123Z.csv` (then `…-123Z-2.csv`, … in the same ms).
 * The extension stays last so the file keeps its type, and the `<template-id>--` prefix stays first.
 *
 * Only safe against a single writer: the inbox lock makes the watcher that writer.
 */
export async function pickFreeName(options: PickFreeNameOptions): Promise<string> {
  const companions = options.companions ?? [];
  const isFree = async (candidate: string): Promise<boolean> => {
    for (const suffix of ['', ...companions]) {
      if (await pathExists(path.join(options.dir, candidate + suffix))) return false;
    }
    return true;
  };
  if (await isFree(options.name)) return options.name;
  const extension = path.extname(options.name);
  const stem = options.name.slice(0, options.name.length - extension.length);
  const stamp = (options.now ?? (() => new Date()))().toISOString().replace(/[:.]/g, '-');
  for (let n = 1; ; n += 1) {
    const candidate = `${stem}.${stamp}${n === 1 ? '' : `-${n}`}${extension}`;
    if (await isFree(candidate)) return candidate;
  }
}
