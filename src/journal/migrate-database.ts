import type { Database } from 'better-sqlite3';
import { JournalError } from './journal-error.js';
import type { Migration } from './load-migrations.js';

/** Options of `migrateDatabase`. */
export type MigrateDatabaseOptions = {
  db: Database;
  /** All migrations, sorted by version (see `loadMigrations`). */
  migrations: readonly Migration[];
  /** File name used in messages. */
  label: string;
};

/** What `migrateDatabase` did. */
export type MigrateDatabaseResult = { from: number; to: number };

/**
 * Brings a database forward to the newest schema. Each migration runs in its own transaction
 * together with the `user_version` bump, so a kill mid-migration leaves the previous version
 * intact. A database newer than this code is refused rather than guessed at.
 */
export function migrateDatabase(options: MigrateDatabaseOptions): MigrateDatabaseResult {
  const { db, migrations, label } = options;
  const latest = migrations.at(-1)?.version ?? 0;
  const from = db.pragma('user_version', { simple: true }) as number;
  if (from > latest) {
    throw new JournalError(
      `${label} has schema version ${from}, but this reelwright knows versions up to ${latest}. ` +
        'It was written by a newer reelwright: upgrade reelwright, or point it at another state folder.',
      { code: 'RW_JOURNAL_TOO_NEW' },
    );
  }
  for (const migration of migrations) {
    if (migration.version <= from) continue;
    db.transaction(() => {
      // Another process opening the same new project may have applied it while this one waited for the write lock.
      if ((db.pragma('user_version', { simple: true }) as number) >= migration.version) return;
      db.exec(migration.sql);
      // PRAGMA takes no bound parameters; the version is an integer we parsed ourselves.
      db.pragma(`user_version = ${migration.version}`);
    }).immediate();
  }
  return { from, to: Math.max(from, latest) };
}
