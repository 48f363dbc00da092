import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { Database } from 'better-sqlite3';
import { loadMigrations } from './load-migrations.js';
import { migrateDatabase } from './migrate-database.js';

/** How long a writer waits for another connection's write lock before `SQLITE_BUSY`. */
export const DEFAULT_BUSY_TIMEOUT_MS = 10_000;

/** Options of `openDatabase`. */
export type OpenDatabaseOptions = {
  /** Database file; its folder is created when missing. */
  file: string;
  /** Folder of numbered migrations (`001-name.sql` …) applied forward at open. */
  migrationsDir: string;
  /** Milliseconds to wait on a locked database; `DEFAULT_BUSY_TIMEOUT_MS` by default. */
  busyTimeoutMs?: number;
  /** Stop after this schema version (tests use it to build an old database); newest by default. */
  upToVersion?: number;
};

/**
 * Opens a SQLite file the way every reelwright database is opened: WAL journal, `busy_timeout`,
 * foreign keys on, `synchronous = FULL` (a journaled paid call survives a power cut, not only a
 * kill), then migrates the schema forward.
 */
export function openDatabase(options: OpenDatabaseOptions): Database {
  mkdirSync(dirname(options.file), { recursive: true });
  const db = new BetterSqlite3(options.file);
  try {
    db.pragma(`busy_timeout = ${Math.max(0, Math.trunc(options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS))}`);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    const all = loadMigrations({ dir: options.migrationsDir });
    const migrations = options.upToVersion === undefined ? all : all.filter((m) => m.version <= (options.upToVersion as number));
    migrateDatabase({ db, migrations, label: options.file });
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}
