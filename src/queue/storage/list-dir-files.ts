import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { throwIfAborted } from '../../errors/index.js';
import { QueueError } from '../queue-error.js';
import type { DirManifest, StoredFileEntry } from './types.js';

/** Most files a published folder may hold (a bundle or a template has a handful; clip frames a few hundred). */
export const DEFAULT_MAX_DIR_FILES = 10_000;
/** Largest published folder, in bytes. */
export const DEFAULT_MAX_DIR_BYTES = 2 * 1024 ** 3;
/** Names never published from a folder, at any depth (dot files are skipped too). */
export const DEFAULT_SKIP_NAMES: readonly string[] = ['node_modules', 'outputs'];

/** Options of `listDirFiles`. */
export type ListDirFilesOptions = {
  /** Skip these names at any depth; default `DEFAULT_SKIP_NAMES`. Dot files are always skipped. */
  skipNames?: readonly string[];
  /** Default `DEFAULT_MAX_DIR_FILES`. */
  maxFiles?: number;
  /** Default `DEFAULT_MAX_DIR_BYTES`. */
  maxBytes?: number;
  signal?: AbortSignal | null;
};

/**
 * Lists what publishing `dir` to storage copies: its files (POSIX paths relative to `dir`, sorted) with sizes, skipping
 * dot files and `skipNames`, following symlinks. Throws `QueueError` `RW_STORAGE_TOO_LARGE` past the limits and
 * `RW_STORAGE_MISSING` when `dir` is not a folder. Storage adapters and the task publisher share it, so the listing
 * that is hashed is the listing that is published.
 *
 * @example
 * const { files, bytes } = await listDirFiles('templates/welcome');
 */
export async function listDirFiles(dir: string, options: ListDirFilesOptions = {}): Promise<DirManifest> {
  const skipNames = options.skipNames ?? DEFAULT_SKIP_NAMES;
  const maxFiles = options.maxFiles ?? DEFAULT_MAX_DIR_FILES;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_DIR_BYTES;
  const files: StoredFileEntry[] = [];
  let bytes = 0;
  const walk = async (relative: string): Promise<void> => {
    throwIfAborted(options.signal);
    const entries = await readdir(path.join(dir, relative), { withFileTypes: true });
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      if (entry.name.startsWith('.') || skipNames.includes(entry.name)) continue;
      const child = relative === '' ? entry.name : `${relative}/${entry.name}`;
      const info = await stat(path.join(dir, ...child.split('/')));
      if (info.isDirectory()) {
        await walk(child);
        continue;
      }
      if (!info.isFile()) continue;
      files.push({ path: child, bytes: info.size });
      bytes += info.size;
      if (files.length > maxFiles || bytes > maxBytes) {
        throw new QueueError(
          `${dir} holds more than ${maxFiles} files or ${Math.round(maxBytes / 1024 ** 2)} MB, too much to publish to shared storage. ` +
            'Keep each template in its own folder (templates/<id>/) with only what it needs.',
          { code: 'RW_STORAGE_TOO_LARGE' },
        );
      }
    }
  };
  const info = await stat(dir).catch(() => null);
  if (!info?.isDirectory()) throw new QueueError(`${dir} is not a folder, so it cannot be published to shared storage.`, { code: 'RW_STORAGE_MISSING' });
  await walk('');
  return { type: 'dir-manifest', files, bytes };
}
