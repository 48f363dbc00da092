/**
 * @module journal
 * Owns the project's SQLite journal (better-sqlite3, WAL): runs, rows, clip requests, paid
 * generation attempts (the `ClipLedger`), renders and their manifests, clip uses; its numbered
 * migrations; the one-run-per-state-folder lock; and the SQLite opening rules shared with the
 * clip-cache index. Never calls providers, never renders, never decides what to do next — it
 * records what the run owner tells it, one transaction per transition (`journal/sql/*.sql`).
 */
export { openJournal, DEFAULT_JOURNAL_FILE_NAME } from './open-journal.js';
export type { OpenJournalOptions } from './open-journal.js';
export { Journal } from './journal.js';
export type { JournalInit } from './journal.js';
export { JournalError } from './journal-error.js';
export { openDatabase, DEFAULT_BUSY_TIMEOUT_MS } from './open-database.js';
export type { OpenDatabaseOptions } from './open-database.js';
export { loadSqlFiles, parseSqlFile } from './load-sql-files.js';
export type { SqlFile, LoadSqlFilesOptions } from './load-sql-files.js';
export { loadMigrations } from './load-migrations.js';
export type { Migration, LoadMigrationsOptions } from './load-migrations.js';
export { migrateDatabase } from './migrate-database.js';
export type { MigrateDatabaseOptions, MigrateDatabaseResult } from './migrate-database.js';
export { scrubSecrets, scrubText, SECRET_KEY_PATTERN, REDACTED } from './scrub-secrets.js';
export type { ScrubSecretsOptions } from './scrub-secrets.js';
export { collectSecretValues, MIN_SECRET_LENGTH } from './collect-secret-values.js';
export type { CollectSecretValuesOptions } from './collect-secret-values.js';
export type {
  RunStatus,
  RunTotals,
  RunRecord,
  BeginRunOptions,
  FinishRunOptions,
  RelocateRunDatasetOptions,
  AttemptStatus,
  AttemptRecord,
  ListAttemptsOptions,
  RowStatus,
  PlannedRowInput,
  RecordPlannedRowsOptions,
  RecordSkippedRowOptions,
  RowRef,
  MarkRowRenderedOptions,
  MarkRowFailedOptions,
  RowRecord,
  RenderRecord,
  RenderHashRecord,
  OutputFileRecord,
  ClipUseOrigin,
  ClipUseInput,
  ClipUseRecord,
  RecordClipUsesOptions,
  RecordClipRequestsOptions,
  ClipStatus,
  ClipRecord,
} from './types.js';
export { acquireRunLock, RUN_LOCK_FILE_NAME, DEFAULT_LOCK_POLL_MS } from './acquire-run-lock.js';
export type { AcquireRunLockOptions } from './acquire-run-lock.js';
export { RunLock, DEFAULT_HEARTBEAT_MS } from './run-lock.js';
export type { RunLockInfo } from './run-lock.js';
export { RunLockedError } from './run-locked-error.js';
