import { existsSync } from 'node:fs';
import path from 'node:path';
import { acquireRunLock, openJournal } from '../journal/index.js';
import { projectPaths } from './project-paths.js';

/** Options of `recordDatasetMove`. */
export type RecordDatasetMoveOptions = {
  /** Project folder; default the current folder. */
  projectDir?: string | null;
  /** State folder; default `<project>/.reelwright`. */
  stateDir?: string | null;
  /** The dataset path the runs recorded (`runBatch` records the absolute path it read). */
  from: string;
  /** Where the file is now. */
  to: string;
  /** Stops waiting for the run lock (rejects with `CancelledError`). */
  signal?: AbortSignal | null;
};

/**
 * Points the journal's runs that read the dataset `from` at `to`, after the file moved: `reelwright watch` runs a dropped
 * file from `<inbox>/processing/` and then files it under `done/` or `failed/`, and `reproduceVideo` re-reads a run's
 * dataset from the path the journal names. Holds the project's run lock while it writes (journal writes belong to the
 * lock holder), waiting for a batch that holds it, as `watch` renders do. Writes nothing when the project has no journal
 * yet. Idempotent. Returns how many runs now name `to`.
 *
 * @example
 * await recordDatasetMove({ from: '/srv/inbox/processing/leads.csv', to: '/srv/inbox/done/leads.csv' }); // 1
 * @see watchInbox's `onFiled`, which the CLI wires to this.
 */
export async function recordDatasetMove(options: RecordDatasetMoveOptions): Promise<number> {
  const paths = projectPaths({ projectDir: options.projectDir ?? null, stateDir: options.stateDir ?? null });
  // No journal, no run that could name the file (and no reason to create an empty journal).
  if (!existsSync(paths.journalFile)) return 0;
  const lock = await acquireRunLock({
    stateDir: paths.stateDir,
    command: `watch: record that ${path.basename(options.from)} moved`,
    wait: true,
    signal: options.signal ?? null,
  });
  try {
    const journal = openJournal({ file: paths.journalFile, secretValues: [] });
    try {
      return journal.relocateRunDataset({ from: options.from, to: options.to });
    } finally {
      journal.close();
    }
  } finally {
    lock.release();
  }
}
