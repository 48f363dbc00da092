import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, statSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { Database, Statement } from 'better-sqlite3';
import type { SqlFile } from '../journal/index.js';
import { ClipCacheError } from './cache/clip-cache-error.js';
import { hashFile } from './cache/hash-file.js';
import type {
  ClipCacheEntry,
  ClipQaRecord,
  CorruptClip,
  PruneClipsOptions,
  PruneClipsResult,
  PutClipMeta,
  VerifyClipsResult,
} from './cache/types.js';
import type { ClipId } from './types.js';

/** A stray file younger than this may be a `put` between its move and its index write: left alone. */
export const ORPHAN_GRACE_MS = 3_600_000;

/** What `ClipCache` needs (built by `openClipCache`). */
export type ClipCacheInit = {
  db: Database;
  /** `<stateDir>/clips`. */
  dir: string;
  sql: ReadonlyMap<string, SqlFile>;
  now: () => number;
};

type EntryRow = {
  clip_id: string;
  file_hash: string;
  bytes: number;
  provider: string;
  model: string;
  prompt: string;
  task_id: string | null;
  cost_usd: number | null;
  cost_source: string | null;
  qa_json: string | null;
  pinned: number;
  draft: number;
  created_at: number;
  last_used_at: number;
};

const HASH_DIR = /^[0-9a-f]{2}$/;
const HASH_FILE = /^([0-9a-f]{64})\.mp4$/;

function errno(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | null)?.code;
}

/**
 * The content-addressed clip cache: files at `<stateDir>/clips/<sha256[0:2]>/<sha256>.mp4`, indexed
 * with provenance in its own SQLite file `<stateDir>/clips/index.db` (not the journal: the clips
 * folder stays self-describing, so it can be copied or shared between projects on its own).
 * Several clip ids may point at the same bytes; a file is deleted only when no entry uses it.
 * Open it with `openClipCache`. Writers: the run owner, and `cache` commands (which should hold
 * the run lock); SQLite serialises concurrent writers and files move by atomic rename.
 *
 * @see openClipCache
 */
export class ClipCache {
  /** The cache folder, `<stateDir>/clips`. */
  readonly dir: string;
  #db: Database | null;
  readonly #sql: ReadonlyMap<string, SqlFile>;
  readonly #prepared = new Map<string, Statement>();
  readonly #now: () => number;

  /** @internal Use `openClipCache`. */
  constructor(init: ClipCacheInit) {
    this.dir = init.dir;
    this.#db = init.db;
    this.#sql = init.sql;
    this.#now = init.now;
  }

  /** Where the file with this content hash lives. */
  pathOf(fileHash: string): string {
    return join(this.dir, fileHash.slice(0, 2), `${fileHash}.mp4`);
  }

  /** True when the clip is indexed (no file check: fast enough for a 100,000-row plan's `cacheIndex`). */
  has(clipId: ClipId): boolean {
    return this.#stmt('has-entry').get({ clip_id: clipId }) !== undefined;
  }

  /**
   * The cached clip, or null. Checks that its file exists with the indexed size: a missing file
   * drops the entry; a file of the wrong size is quarantined. Records the use (for `olderThanMs`).
   */
  get(clipId: ClipId): ClipCacheEntry | null {
    const row = this.#stmt('get-entry').get({ clip_id: clipId }) as EntryRow | undefined;
    if (!row) return null;
    const file = this.pathOf(row.file_hash);
    let size: number;
    try {
      size = statSync(file).size;
    } catch (error) {
      if (errno(error) !== 'ENOENT') throw error;
      this.#stmt('delete-entries-by-file').run({ file_hash: row.file_hash });
      return null;
    }
    if (size !== row.bytes) {
      this.#quarantine(row.file_hash);
      return null;
    }
    const now = this.#now();
    this.#stmt('touch-entry').run({ clip_id: clipId, now });
    return this.#toEntry({ ...row, last_used_at: now });
  }

  /**
   * Adds a clip: hashes `tmpFile`, moves it into place under its hash (consuming it; a copy then
   * rename across filesystems), then indexes it. The file appears under its final name only
   * complete, and the index only points at files already in place.
   */
  async put(clipId: ClipId, tmpFile: string, meta: PutClipMeta): Promise<ClipCacheEntry> {
    let bytes: number;
    try {
      bytes = statSync(tmpFile).size;
    } catch (error) {
      throw new ClipCacheError(`put(${clipId}): cannot read ${tmpFile} (${errno(error) ?? String(error)}). Pass the path of the downloaded clip file.`, {
        code: 'RW_CACHE_BAD_FILE',
        cause: error,
      });
    }
    if (bytes === 0) throw new ClipCacheError(`put(${clipId}): ${tmpFile} is empty; a clip file must contain video.`, { code: 'RW_CACHE_BAD_FILE' });
    const fileHash = await hashFile({ file: tmpFile });
    const dest = this.pathOf(fileHash);
    mkdirSync(join(this.dir, fileHash.slice(0, 2)), { recursive: true });
    if (existsSync(dest) && statSync(dest).size === bytes) {
      unlinkSync(tmpFile); // same bytes already cached (content-addressed)
    } else {
      try {
        renameSync(tmpFile, dest);
      } catch (error) {
        if (errno(error) !== 'EXDEV') throw error;
        const partial = `${dest}.${randomBytes(4).toString('hex')}.partial`;
        copyFileSync(tmpFile, partial);
        renameSync(partial, dest);
        unlinkSync(tmpFile);
      }
    }
    const db = this.#open();
    const previous = this.#stmt('get-entry').get({ clip_id: clipId }) as EntryRow | undefined;
    db.transaction(() => {
      this.#stmt('put-entry').run({
        clip_id: clipId,
        file_hash: fileHash,
        bytes,
        provider: meta.provider,
        model: meta.model,
        prompt: meta.prompt,
        task_id: meta.taskId,
        cost_usd: meta.costUsd,
        cost_source: meta.costSource ?? null,
        qa_json: meta.qa == null ? null : JSON.stringify(meta.qa),
        pinned: meta.pinned ? 1 : 0,
        draft: meta.draft ? 1 : 0,
        now: this.#now(),
      });
    }).immediate();
    if (previous && previous.file_hash !== fileHash) this.#deleteFileIfUnused(previous.file_hash);
    const row = this.#stmt('get-entry').get({ clip_id: clipId }) as EntryRow;
    return this.#toEntry(row);
  }

  /** Every cached clip, oldest first. */
  list(): ClipCacheEntry[] {
    return (this.#stmt('list-entries').all() as EntryRow[]).map((r) => this.#toEntry(r));
  }

  /** Entries whose clip id starts with `prefix` (at most 20), for commands that take a short key. */
  findByPrefix(prefix: string): ClipCacheEntry[] {
    return (this.#stmt('find-entries-by-prefix').all({ prefix }) as EntryRow[]).map((r) => this.#toEntry(r));
  }

  /** Pins a clip: `prune` never removes it. Throws `RW_CACHE_UNKNOWN_CLIP` when it is not cached. */
  pin(clipId: ClipId): void {
    this.#setPinned(clipId, true);
  }

  /** Unpins a clip. Throws `RW_CACHE_UNKNOWN_CLIP` when it is not cached. */
  unpin(clipId: ClipId): void {
    this.#setPinned(clipId, false);
  }

  /**
   * Frees space: first removes clips unused for longer than `olderThanMs`, then the least recently
   * used ones until the files fit in `maxBytes`. Never removes a pinned clip or one in `protect`
   * (referenced by an unfinished run). Index rows go first, then files no entry uses any more, so
   * a reader never gets an entry whose file was deleted under it. Also deletes stray files older
   * than `ORPHAN_GRACE_MS` that no entry points at.
   */
  async prune(options: PruneClipsOptions): Promise<PruneClipsResult> {
    const entries = this.list();
    const now = this.#now();
    const refs = new Map<string, number>();
    const sizes = new Map<string, number>();
    for (const e of entries) {
      refs.set(e.fileHash, (refs.get(e.fileHash) ?? 0) + 1);
      sizes.set(e.fileHash, e.bytes);
    }
    let total = [...sizes.values()].reduce((a, b) => a + b, 0);
    const removable = entries.filter((e) => !e.pinned && !options.protect.has(e.clipId)).sort((a, b) => a.lastUsedAt - b.lastUsedAt);
    const removed: ClipCacheEntry[] = [];
    const freedHashes: string[] = [];
    const remove = (e: ClipCacheEntry) => {
      removed.push(e);
      const left = (refs.get(e.fileHash) ?? 1) - 1;
      refs.set(e.fileHash, left);
      if (left === 0) {
        total -= e.bytes;
        freedHashes.push(e.fileHash);
      }
    };
    const rest: ClipCacheEntry[] = [];
    for (const e of removable) {
      if (options.olderThanMs != null && now - e.lastUsedAt > options.olderThanMs) remove(e);
      else rest.push(e);
    }
    if (options.maxBytes != null) {
      for (const e of rest) {
        if (total <= options.maxBytes) break;
        remove(e);
      }
    }
    const freedBytes = freedHashes.reduce((sum, h) => sum + (sizes.get(h) ?? 0), 0);
    const orphansRemoved: string[] = [];
    if (!options.dryRun) {
      this.#open()
        .transaction(() => {
          for (const e of removed) this.#stmt('delete-entry').run({ clip_id: e.clipId });
        })
        .immediate();
      for (const hash of freedHashes) this.#deleteFileIfUnused(hash);
      for (const orphan of this.#orphans()) {
        if (now - statSync(orphan).mtimeMs > ORPHAN_GRACE_MS) {
          unlinkSync(orphan);
          orphansRemoved.push(orphan);
        }
      }
    }
    return { removed, freedBytes, remainingBytes: total, overLimit: options.maxBytes != null && total > options.maxBytes, orphansRemoved };
  }

  /**
   * Re-hashes every cached file. A missing file drops its entries; a file whose bytes do not
   * match its name is moved to `<stateDir>/clips/quarantine/` and its entries dropped (the next run
   * regenerates those clips). Stray files are reported, not touched.
   */
  async verify(): Promise<VerifyClipsResult> {
    const byHash = new Map<string, ClipCacheEntry[]>();
    for (const e of this.list()) byHash.set(e.fileHash, [...(byHash.get(e.fileHash) ?? []), e]);
    const result: VerifyClipsResult = { checked: 0, ok: 0, missing: [], corrupt: [], orphans: [] };
    for (const [hash, entries] of byHash) {
      const file = this.pathOf(hash);
      if (!existsSync(file)) {
        this.#stmt('delete-entries-by-file').run({ file_hash: hash });
        result.missing.push(...entries);
        continue;
      }
      result.checked++;
      const actual = await hashFile({ file });
      if (actual === hash) {
        result.ok++;
        continue;
      }
      const corrupt: CorruptClip = { clipIds: entries.map((e) => e.clipId), expectedHash: hash, actualHash: actual, quarantinedTo: this.#quarantine(hash) };
      result.corrupt.push(corrupt);
    }
    result.orphans = this.#orphans();
    return result;
  }

  /** Closes the index. Safe to call twice. */
  close(): void {
    if (this.#db === null) return;
    this.#db.close();
    this.#db = null;
    this.#prepared.clear();
  }

  /** Same as `close()`, for `await using`. */
  async [Symbol.asyncDispose](): Promise<void> {
    this.close();
  }

  #open(): Database {
    if (this.#db === null) throw new ClipCacheError(`The clip cache ${this.dir} is closed.`, { code: 'RW_CACHE_CLOSED' });
    return this.#db;
  }

  #stmt(name: string): Statement {
    const hit = this.#prepared.get(name);
    if (hit) return hit;
    const file = this.#sql.get(name);
    if (!file?.statements[0]) throw new ClipCacheError(`clips/cache/sql/${name}.sql is missing.`, { code: 'RW_CACHE_SQL' });
    const statement = this.#open().prepare(file.statements[0]);
    this.#prepared.set(name, statement);
    return statement;
  }

  #setPinned(clipId: ClipId, pinned: boolean): void {
    const result = this.#stmt('set-pinned').run({ clip_id: clipId, pinned: pinned ? 1 : 0 });
    if (result.changes !== 1) {
      throw new ClipCacheError(`Clip ${clipId} is not in the cache at ${this.dir}. List cached clips with \`reelwright cache ls\`.`, { code: 'RW_CACHE_UNKNOWN_CLIP' });
    }
  }

  /** Moves a file out of the cache into quarantine and drops every entry pointing at it. */
  #quarantine(hash: string): string {
    const dir = join(this.dir, 'quarantine');
    mkdirSync(dir, { recursive: true });
    const to = join(dir, `${hash}-${this.#now()}.mp4`);
    this.#stmt('delete-entries-by-file').run({ file_hash: hash });
    try {
      renameSync(this.pathOf(hash), to);
    } catch (error) {
      if (errno(error) !== 'ENOENT') throw error;
    }
    return to;
  }

  #deleteFileIfUnused(hash: string): void {
    const count = this.#stmt('count-file-refs').pluck().get({ file_hash: hash }) as number;
    if (count > 0) return;
    try {
      unlinkSync(this.pathOf(hash));
    } catch (error) {
      if (errno(error) !== 'ENOENT') throw error;
    }
  }

  /** Files under `<hh>/` that no entry points at. */
  #orphans(): string[] {
    const known = new Set((this.#stmt('list-entries').all() as EntryRow[]).map((r) => r.file_hash));
    const orphans: string[] = [];
    for (const sub of existsSync(this.dir) ? readdirSync(this.dir) : []) {
      if (!HASH_DIR.test(sub)) continue;
      for (const name of readdirSync(join(this.dir, sub))) {
        const match = HASH_FILE.exec(name);
        if (!match || !known.has(match[1] as string)) orphans.push(join(this.dir, sub, name));
      }
    }
    return orphans;
  }

  #toEntry(row: EntryRow): ClipCacheEntry {
    return {
      clipId: row.clip_id as ClipId,
      file: this.pathOf(row.file_hash),
      fileHash: row.file_hash,
      bytes: row.bytes,
      provider: row.provider,
      model: row.model,
      prompt: row.prompt,
      taskId: row.task_id,
      costUsd: row.cost_usd,
      costSource: row.cost_source,
      qa: row.qa_json === null ? null : (JSON.parse(row.qa_json) as ClipQaRecord),
      pinned: row.pinned === 1,
      draft: row.draft === 1,
      createdAt: row.created_at,
      lastUsedAt: row.last_used_at,
    };
  }
}
