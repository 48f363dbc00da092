import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { JournalError } from './journal-error.js';

/** One forward migration: `migrations/<NNN>-<name>.sql` brings the schema to `version`. */
export type Migration = {
  /** The `user_version` after this migration ran (the file's number). */
  version: number;
  /** File name, e.g. `001-ledger.sql`. */
  file: string;
  /** The whole file; run with `db.exec` inside one transaction. */
  sql: string;
};

/** Options of `loadMigrations`. */
export type LoadMigrationsOptions = {
  /** Absolute folder holding `NNN-name.sql` files. */
  dir: string;
};

const cache = new Map<string, readonly Migration[]>();

/**
 * Reads the numbered migrations of a folder, sorted by number (cached per process).
 * Numbers must be 1, 2, 3… without gaps, so a schema version always names the same tables.
 */
export function loadMigrations(options: LoadMigrationsOptions): readonly Migration[] {
  const hit = cache.get(options.dir);
  if (hit) return hit;
  const migrations: Migration[] = [];
  for (const file of readdirSync(options.dir)) {
    const match = /^(\d+)-[\w-]+\.sql$/.exec(file);
    if (!match) continue;
    migrations.push({ version: Number(match[1]), file, sql: readFileSync(join(options.dir, file), 'utf8') });
  }
  migrations.sort((a, b) => a.version - b.version);
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) {
      throw new JournalError(`Migrations in ${options.dir}: expected version ${i + 1}, found ${m.file}. Number migrations 001, 002, … without gaps.`, {
        code: 'RW_JOURNAL_MIGRATIONS',
      });
    }
  });
  cache.set(options.dir, migrations);
  return migrations;
}
