import { fileURLToPath } from 'node:url';
import { collectSecretValues } from './collect-secret-values.js';
import { Journal } from './journal.js';
import { loadSqlFiles } from './load-sql-files.js';
import { openDatabase } from './open-database.js';

/** Where the journal's SQL lives, next to this file. */
const SQL_DIR = fileURLToPath(new URL('./sql/', import.meta.url));
const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));

/** File name of the journal inside a project's state folder. */
export const DEFAULT_JOURNAL_FILE_NAME = 'journal.db';

/** Options of `openJournal`. */
export type OpenJournalOptions = {
  /** Database file, e.g. `.reelwright/journal.db`; created (with its folder) when missing. */
  file: string;
  /** Clock in ms since the epoch; `Date.now` by default (tests pass a fake). */
  now?: () => number;
  /** Literal secrets to cut out of every text written; the values of secret-looking environment variables by default. */
  secretValues?: readonly string[];
  /** Milliseconds to wait for another connection's write lock. */
  busyTimeoutMs?: number;
  /** @internal Stop migrating at this schema version (tests build old databases with it). */
  upToVersion?: number;
};

/**
 * Opens (creating or migrating forward) the project's SQLite journal: WAL mode, `busy_timeout`,
 * foreign keys on, schema migrated by `journal/migrations/NNN-*.sql`.
 *
 * @example
 * await using journal = openJournal({ file: '.reelwright/journal.db' });
 * const run = journal.beginRun({ command: 'render', templateId: 'welcome' });
 * @see Journal
 */
export function openJournal(options: OpenJournalOptions): Journal {
  const sql = loadSqlFiles({ dir: SQL_DIR });
  const db = openDatabase({
    file: options.file,
    migrationsDir: MIGRATIONS_DIR,
    ...(options.busyTimeoutMs === undefined ? {} : { busyTimeoutMs: options.busyTimeoutMs }),
    ...(options.upToVersion === undefined ? {} : { upToVersion: options.upToVersion }),
  });
  return new Journal({
    db,
    file: options.file,
    sql,
    now: options.now ?? Date.now,
    secretValues: options.secretValues ?? collectSecretValues({ env: process.env }),
  });
}
