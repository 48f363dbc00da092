/**
 * A key in render storage: a relative POSIX path of safe segments (`bundles/<hash>`, `outputs/<run>/<hash>/a.mp4`).
 * Only `toStorageKey` creates one, so a key read back from Redis is checked before it becomes a path.
 */
export type StorageKey = string & { readonly __brand: 'StorageKey' };

/** One file of a published folder: its path inside the folder (POSIX) and its size. */
export type StoredFileEntry = { path: string; bytes: number };

/**
 * What a published folder holds, so a reader can tell a complete copy from a partial one
 * (a shared filesystem that has not caught up yet, an interrupted download).
 */
export type DirManifest = { type: 'dir-manifest'; files: StoredFileEntry[]; bytes: number };

/** Options of `RenderStorage.putDir`. */
export type PutDirOptions = {
  /** Refuse folders with more files than this (a template pointing at a whole project folder by mistake). */
  maxFiles?: number;
  /** Refuse folders larger than this many bytes. */
  maxBytes?: number;
  /** Skip these names at any depth (`node_modules`, dot files are always skipped). */
  skipNames?: readonly string[];
  signal?: AbortSignal | null;
};

/** Options of `RenderStorage.localizeDir`. */
export type LocalizeDirOptions = {
  /** When given, every listed file must be present with its size before the local path is returned. */
  manifest?: DirManifest | null;
  /** How long to keep re-checking a folder that does not match its manifest yet (shared filesystems lag). */
  settleMs?: number;
  signal?: AbortSignal | null;
};

/** A place for a worker to write one output; `commit()` publishes it under its key. */
export type OutputTarget = {
  /** Absolute local path to write (atomically: temporary name, then rename). */
  file: string;
  /** Publishes the written file under its key (a no-op on a shared filesystem, an upload on an object store). */
  commit(signal?: AbortSignal | null): Promise<void>;
};

/**
 * Storage shared by the coordinator (`render --queue`) and every worker: template sources and bundles, row media,
 * pre-decoded clip frames and rendered outputs, addressed by `StorageKey`.
 *
 * Coordinators `put*`; workers `localize*` (get a local path to read) and write outputs through `prepareOutput`;
 * the coordinator then `getFile`s each output into its own output folder and `remove`s the stored copy.
 *
 * Adapters:
 * - `shared-dir/`: a folder every machine mounts (NFS, SMB, a bind mount); `localize*` returns paths under the
 *   local mount, nothing is copied on the worker.
 * - an S3-compatible store can follow: `put*` uploads objects under the key (a folder as one object per file plus its
 *   manifest), `localize*` downloads into a local cache folder keyed by the same key (content-addressed keys never
 *   change, so the cache never goes stale), `prepareOutput` hands out a local temporary file and `commit` uploads it.
 */
export interface RenderStorage {
  /** Adapter name for logs (`shared-dir`, `s3`). */
  readonly kind: string;
  /** Human-readable location for logs and errors (a folder, a bucket URL). */
  readonly location: string;
  /** True when something is stored under `key` (a file or a complete folder). */
  has(key: StorageKey): Promise<boolean>;
  /** Stores a local file under `key`. Keys are content-addressed, so an existing object is kept as it is. */
  putFile(key: StorageKey, file: string, signal?: AbortSignal | null): Promise<void>;
  /** Stores a local folder under `key` (atomically: readers see all of it or nothing) and returns its manifest. */
  putDir(key: StorageKey, dir: string, options?: PutDirOptions): Promise<DirManifest>;
  /** A local path from which the file under `key` can be read. */
  localizeFile(key: StorageKey, signal?: AbortSignal | null): Promise<string>;
  /** A local folder holding what is stored under `key`. */
  localizeDir(key: StorageKey, options?: LocalizeDirOptions): Promise<string>;
  /** Where a worker writes the output stored under `key`. */
  prepareOutput(key: StorageKey): Promise<OutputTarget>;
  /** Copies the file under `key` to the local path `file` (temporary name, then rename). */
  getFile(key: StorageKey, file: string, signal?: AbortSignal | null): Promise<void>;
  /** Deletes what is stored under `key`; nothing stored is fine. */
  remove(key: StorageKey): Promise<void>;
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}
