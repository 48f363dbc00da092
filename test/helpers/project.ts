/**
 * Temporary copies of the fixture projects under `test/fixtures/projects/`, and small readers for what a
 * CLI run leaves in them (journal, output folder, file fingerprints).
 */
import { createHash } from 'node:crypto';
import { watch } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openJournal, type Journal } from '../../src/journal/index.js';
import { expect } from 'vitest';
import type { RunSummary } from '../../src/run/index.js';
import { REPO_ROOT, lastJsonEvent, runCli } from './cli.js';

/** A throw-away copy of a fixture project. */
export type TempProject = {
  /** Absolute project folder (the CLI's working folder). */
  dir: string;
  /** `path.join(dir, ...parts)`. */
  path(...parts: string[]): string;
  /** Deletes the copy. */
  remove(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
};

/**
 * Copies `test/fixtures/projects/<name>` to a fresh temporary folder.
 *
 * @example
 * await using project = await copyProject('small');
 */
export async function copyProject(name = 'small'): Promise<TempProject> {
  const dir = await mkdtemp(path.join(tmpdir(), `rw-e2e-${name}-`));
  await cp(path.join(REPO_ROOT, 'test', 'fixtures', 'projects', name), dir, { recursive: true });
  const remove = () => rm(dir, { recursive: true, force: true });
  return { dir, path: (...parts) => path.join(dir, ...parts), remove, [Symbol.asyncDispose]: remove };
}

/** Opens the project's journal, runs `read`, and closes it (call only while no CLI process runs in it). */
export function readJournal<T>(projectDir: string, read: (journal: Journal) => T): T {
  const journal = openJournal({ file: path.join(projectDir, '.reelwright', 'journal.db'), secretValues: [] });
  try {
    return read(journal);
  } finally {
    journal.close();
  }
}

/**
 * Every row record with status `rendered`, over every run of the journal, as `"<rowKey>#<variant>"`
 * (sorted): a row × variant appears once per time it was rendered.
 */
export function renderedJobs(projectDir: string): string[] {
  return readJournal(projectDir, (journal) =>
    journal
      .listRuns({ limit: 1000 })
      .flatMap((run) => journal.listRows(run.id))
      .filter((row) => row.status === 'rendered')
      .map((row) => `${row.rowKey}#${row.variant}`)
      .sort(),
  );
}

/** File names in a folder (sorted); `[]` when it does not exist. */
export async function listNames(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/** The `.mp4` files of an output folder, sorted (temporary files excluded). */
export async function listVideos(outDir: string): Promise<string[]> {
  return (await listNames(outDir)).filter((n) => n.endsWith('.mp4') && !n.includes('.tmp'));
}

/** Identity of a file on disk: proves a file was left untouched (same inode, mtime, bytes). */
export type FileFingerprint = { ino: number; mtimeMs: number; size: number; sha256: string };

/** Fingerprints a file. */
export async function fingerprint(file: string): Promise<FileFingerprint> {
  const [info, bytes] = await Promise.all([stat(file), readFile(file)]);
  return { ino: info.ino, mtimeMs: info.mtimeMs, size: info.size, sha256: createHash('sha256').update(bytes).digest('hex') };
}

/**
 * Resolves with the name of the first entry of `dir` that `match` accepts, already there or created later
 * (inotify through `fs.watch`, no polling). The folder is created when missing (unless `create: false`), so
 * it can be watched before the process that fills it starts. Rejects when `until` settles first (pass the
 * watched process's exit), or when the folder is gone.
 */
export async function waitForEntry(dir: string, match: (name: string) => boolean, until: Promise<unknown>, options: { create?: boolean } = {}): Promise<string> {
  if (options.create !== false) await mkdir(dir, { recursive: true });
  return new Promise<string>((resolve, reject) => {
    let settled = false;
    const finish = (error: Error | null, name?: string) => {
      if (settled) return;
      settled = true;
      watcher.close();
      if (error) reject(error);
      else resolve(name as string);
    };
    const watcher = watch(dir, (_event, name) => {
      if (name && match(name)) finish(null, name);
    });
    watcher.on('error', (error) => finish(error));
    // Entries created before the watcher started are found by one listing after it started.
    readdir(dir).then(
      (names) => {
        const found = names.find(match);
        if (found) finish(null, found);
      },
      (error: Error) => finish(error),
    );
    until.then(
      () => finish(new Error(`the process ended before an entry matching ${match.toString()} appeared in ${dir}`)),
      (error: Error) => finish(error),
    );
  });
}

/** A `render --json` that exited 0: its summary, and the run's journaled rows as `rowKey → [status, reason]`. */
export type RenderedRun = { summary: RunSummary; rows: Record<string, [string, string | null]> };

/**
 * Runs `reelwright render <args> --json` in `projectDir`, expects exit 0, and reads the run's rows from the journal.
 *
 * @example
 * const { summary, rows } = await renderRows(project.dir, ['datasets/people.csv', '-t', 'card']);
 */
export async function renderRows(projectDir: string, args: readonly string[]): Promise<RenderedRun> {
  const result = await runCli(['render', ...args, '--json'], { cwd: projectDir });
  expect(result.code, result.stderr).toBe(0);
  const summary = lastJsonEvent<RunSummary>(result, 'summary');
  const rows = readJournal(projectDir, (journal) => Object.fromEntries(journal.listRows(summary.runId).map((r) => [r.rowKey, [r.status, r.reason] as [string, string | null]])));
  return { summary, rows };
}
