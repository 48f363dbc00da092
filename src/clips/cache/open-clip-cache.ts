import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadSqlFiles, openDatabase } from '../../journal/index.js';
import { ClipCache } from '../clip-cache.js';

const SQL_DIR = fileURLToPath(new URL('./sql/', import.meta.url));
const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));

/** File name of the cache index inside `<stateDir>/clips/`. */
export const CLIP_CACHE_INDEX_FILE_NAME = 'index.db';

/** Options of `openClipCache`. */
export type OpenClipCacheOptions = {
  /** The project's state folder; the cache lives in `<stateDir>/clips/`. */
  stateDir: string;
  /** Clock in ms since the epoch; `Date.now` by default. */
  now?: () => number;
};

/**
 * Opens (creating when missing) the clip cache of a state folder: content-addressed files under
 * `<stateDir>/clips/` and their SQLite index `<stateDir>/clips/index.db` (WAL, migrated forward).
 *
 * @example
 * await using cache = openClipCache({ stateDir: '.reelwright' });
 * const hit = cache.get(clipId);
 * @see ClipCache
 */
export function openClipCache(options: OpenClipCacheOptions): ClipCache {
  const dir = join(options.stateDir, 'clips');
  const db = openDatabase({ file: join(dir, CLIP_CACHE_INDEX_FILE_NAME), migrationsDir: MIGRATIONS_DIR });
  return new ClipCache({ db, dir, sql: loadSqlFiles({ dir: SQL_DIR }), now: options.now ?? Date.now });
}
