import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, copyFile, mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { throwIfAborted } from '../../../errors/index.js';
import { QueueError } from '../../queue-error.js';
import { listDirFiles } from '../list-dir-files.js';
import type { DirManifest, LocalizeDirOptions, OutputTarget, PutDirOptions, RenderStorage, StorageKey } from '../types.js';

/** How long `localizeDir` re-checks a folder that does not match its manifest yet (NFS attribute caches lag ~3 s). */
export const DEFAULT_SETTLE_MS = 10_000;

/** Options of `createSharedDirStorage`. */
export type CreateSharedDirStorageOptions = {
  /** The shared folder as mounted on this machine (each machine may mount it elsewhere). */
  root: string;
  /** Create `root` when missing (default false: a missing mount must not silently become a local folder). */
  create?: boolean;
};

function isErrno(error: unknown, ...codes: string[]): boolean {
  return typeof error === 'object' && error !== null && codes.includes(String((error as NodeJS.ErrnoException).code));
}

function tempName(base: string): string {
  return `.${base}.${randomBytes(6).toString('hex')}.tmp`;
}

/**
 * `RenderStorage` on a folder that every machine mounts (NFS, SMB, a bind mount, or just a local folder when coordinator
 * and workers share one machine). Keys are paths under `root`:
 *
 * ```
 * <root>/bundles/<bundle hash>/        index.html, bundle.js, assets (the browser bundle)
 * <root>/templates/<source hash>/      the template's source folder (workers compile it for Node themselves)
 * <root>/media/<sha256>/<name>         row images and B-roll clip files referenced by props
 * <root>/frames/<clip>-<w>x<h>-<fps>/  pre-decoded B-roll frames
 * <root>/outputs/<run>/<task hash>/<name>.mp4   rendered videos until the coordinator collects them
 * ```
 *
 * Files and folders are published under a temporary name and renamed into place, so a reader sees a complete object
 * or none; content-addressed keys are never overwritten.
 */
export class SharedDirStorage implements RenderStorage {
  readonly kind = 'shared-dir';
  readonly root: string;

  constructor(root: string) {
    this.root = path.resolve(root);
  }

  get location(): string {
    return this.root;
  }

  #path(key: StorageKey): string {
    return path.join(this.root, ...key.split('/'));
  }

  async has(key: StorageKey): Promise<boolean> {
    return (await stat(this.#path(key)).catch(() => null)) !== null;
  }

  async putFile(key: StorageKey, file: string, signal?: AbortSignal | null): Promise<void> {
    throwIfAborted(signal);
    const dest = this.#path(key);
    if (await this.has(key)) return;
    await mkdir(path.dirname(dest), { recursive: true });
    const temp = path.join(path.dirname(dest), tempName(path.basename(dest)));
    try {
      await copyFile(file, temp, constants.COPYFILE_FICLONE);
      await rename(temp, dest);
    } finally {
      await rm(temp, { force: true });
    }
  }

  async putDir(key: StorageKey, dir: string, options: PutDirOptions = {}): Promise<DirManifest> {
    const signal = options.signal ?? null;
    const manifest = await listDirFiles(dir, options);
    const dest = this.#path(key);
    if (await this.has(key)) return manifest;
    await mkdir(path.dirname(dest), { recursive: true });
    const temp = path.join(path.dirname(dest), tempName(path.basename(dest)));
    try {
      for (const entry of manifest.files) {
        throwIfAborted(signal);
        const target = path.join(temp, ...entry.path.split('/'));
        await mkdir(path.dirname(target), { recursive: true });
        await copyFile(path.join(dir, ...entry.path.split('/')), target, constants.COPYFILE_FICLONE);
      }
      await mkdir(temp, { recursive: true });
      try {
        await rename(temp, dest);
      } catch (error) {
        // Another coordinator published the same content-addressed folder first: theirs is as good as ours.
        if (!isErrno(error, 'ENOTEMPTY', 'EEXIST', 'EISDIR')) throw error;
      }
    } finally {
      await rm(temp, { recursive: true, force: true });
    }
    return manifest;
  }

  async localizeFile(key: StorageKey, signal?: AbortSignal | null): Promise<string> {
    throwIfAborted(signal);
    const file = this.#path(key);
    const info = await stat(file).catch(() => null);
    if (!info?.isFile()) {
      throw new QueueError(`Nothing is stored under "${key}" in ${this.root} (expected a file at ${file}). Is the same shared folder mounted on this machine?`, {
        code: 'RW_STORAGE_MISSING',
      });
    }
    return file;
  }

  async localizeDir(key: StorageKey, options: LocalizeDirOptions = {}): Promise<string> {
    const dir = this.#path(key);
    const settleMs = options.settleMs ?? DEFAULT_SETTLE_MS;
    const started = Date.now();
    for (;;) {
      throwIfAborted(options.signal);
      const problem = await checkDir(dir, options.manifest ?? null);
      if (problem === null) return dir;
      if (Date.now() - started >= settleMs) {
        throw new QueueError(`${dir} (storage key "${key}") ${problem.message}. Is the same shared folder mounted on this machine, and did its publisher finish?`, {
          code: problem.missing ? 'RW_STORAGE_MISSING' : 'RW_STORAGE_INCOMPLETE',
        });
      }
      // Polling a filesystem we do not control (NFS attribute caches): there is no event to wait for.
      await sleep(250, undefined, { signal: options.signal ?? undefined }).catch(() => undefined);
    }
  }

  async prepareOutput(key: StorageKey): Promise<OutputTarget> {
    const file = this.#path(key);
    await mkdir(path.dirname(file), { recursive: true });
    // The renderer writes through a temporary name and renames: the shared folder never shows a partial MP4.
    return { file, commit: async () => undefined };
  }

  async getFile(key: StorageKey, file: string, signal?: AbortSignal | null): Promise<void> {
    const source = await this.localizeFile(key, signal);
    await mkdir(path.dirname(file), { recursive: true });
    const temp = path.join(path.dirname(file), tempName(path.basename(file)));
    try {
      await copyFile(source, temp, constants.COPYFILE_FICLONE);
      await rename(temp, file);
    } finally {
      await rm(temp, { force: true });
    }
  }

  async remove(key: StorageKey): Promise<void> {
    await rm(this.#path(key), { recursive: true, force: true });
  }

  async close(): Promise<void> {
    // Nothing is held open: every call opens and closes its own files.
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

/** Null when `dir` exists and matches `manifest` (every file present with its size); else what is wrong. */
async function checkDir(dir: string, manifest: DirManifest | null): Promise<{ message: string; missing: boolean } | null> {
  const info = await stat(dir).catch(() => null);
  if (!info?.isDirectory()) return { message: 'does not exist', missing: true };
  for (const entry of manifest?.files ?? []) {
    const file = await stat(path.join(dir, ...entry.path.split('/'))).catch(() => null);
    if (!file?.isFile()) return { message: `lacks ${entry.path} listed in its manifest`, missing: false };
    if (file.size !== entry.bytes) return { message: `has ${entry.path} at ${file.size} bytes, the manifest says ${entry.bytes}`, missing: false };
  }
  return null;
}

/**
 * Opens a shared folder as `RenderStorage`. The folder must exist and be writable (unless `create`), so a forgotten
 * mount fails here with `RW_STORAGE_UNAVAILABLE` instead of filling the local disk.
 *
 * @example
 * const storage = await createSharedDirStorage({ root: '/mnt/reelwright' });
 * @see RenderStorage
 */
export async function createSharedDirStorage(options: CreateSharedDirStorageOptions): Promise<SharedDirStorage> {
  if (typeof options.root !== 'string' || options.root.trim() === '') {
    throw new QueueError('options.root must be the path of the shared folder, e.g. /mnt/reelwright.', { code: 'RW_QUEUE_BAD_OPTION' });
  }
  const root = path.resolve(options.root);
  if (options.create) await mkdir(root, { recursive: true });
  const info = await stat(root).catch(() => null);
  if (!info?.isDirectory()) {
    throw new QueueError(`The shared folder ${root} does not exist. Mount it (the same folder on every machine), or create it when this is the only machine.`, {
      code: 'RW_STORAGE_UNAVAILABLE',
    });
  }
  try {
    await access(root, constants.W_OK);
  } catch (error) {
    throw new QueueError(`The shared folder ${root} is not writable by this user; workers write outputs into it.`, { code: 'RW_STORAGE_UNAVAILABLE', cause: error });
  }
  return new SharedDirStorage(root);
}
