import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathExists } from './path-exists.js';

/** Options for `writeFolderAtomic`. */
export type WriteFolderAtomicOptions = {
  /** The folder to create; its name should identify its content (a hash), since an existing one is kept. */
  dir: string;
  /** Files inside it, by `/`-separated relative name. */
  files: ReadonlyArray<{ name: string; contents: Uint8Array }>;
};

/** Whether `writeFolderAtomic` wrote the folder. */
export type WriteFolderAtomicResult = {
  /** False when the folder already existed, or another writer finished the same folder first. */
  written: boolean;
};

/**
 * Writes a content-addressed folder once: when `dir` already exists nothing is written; otherwise the files go to a
 * temporary sibling folder that is renamed to `dir`, so a reader never sees half of it. When the rename fails
 * because another process finished the same folder first (every file is in place), that folder is kept.
 *
 * @example
 * const { written } = await writeFolderAtomic({ dir: `.reelwright/cache/bundles/${hash}`, files });
 */
export async function writeFolderAtomic(options: WriteFolderAtomicOptions): Promise<WriteFolderAtomicResult> {
  const { dir, files } = options;
  if (await pathExists(dir)) return { written: false };
  const parent = path.dirname(dir);
  await mkdir(parent, { recursive: true });
  const temp = path.join(parent, `.tmp-${path.basename(dir).slice(0, 32)}-${randomBytes(6).toString('hex')}`);
  try {
    for (const file of files) {
      const target = path.join(temp, ...file.name.split('/'));
      await mkdir(path.dirname(target), { recursive: true });
      await writeFile(target, file.contents);
    }
    await rename(temp, dir);
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    // Another process finished the same folder first: its files have the same bytes.
    if (await pathExists(dir) && (await Promise.all(files.map((file) => pathExists(path.join(dir, ...file.name.split('/')))))).every(Boolean)) {
      return { written: false };
    }
    throw error;
  }
  return { written: true };
}
