import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ClipId } from '../clips/index.js';
import { loadMigrations, openDatabase, openJournal } from './index.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rw-migrate-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const migrationsDir = fileURLToPath(new URL('./migrations/', import.meta.url));

describe('journal migrations', () => {
  it('migrates a version-1 journal forward and keeps its runs and attempts', async () => {
    const file = join(dir, 'journal.db');
    const latest = loadMigrations({ dir: migrationsDir }).at(-1)?.version ?? 0;
    expect(latest).toBeGreaterThanOrEqual(2);

    // Build a journal as reelwright with schema version 1 left it.
    const old = openDatabase({ file, migrationsDir, upToVersion: 1 });
    expect(old.pragma('user_version', { simple: true })).toBe(1);
    old.prepare(`INSERT INTO runs (id, started_at, command, status) VALUES ('old-run', 1, 'render', 'completed')`).run();
    old.prepare(`INSERT INTO clips (clip_id, status, created_at, updated_at) VALUES ('${'a'.repeat(64)}', 'succeeded', 1, 1)`).run();
    old.prepare(
      `INSERT INTO attempts (clip_id, run_id, provider, model, prompt_hash, attempt_no, status, task_id, cost_usd, cost_source, estimated_cost_usd, started_at)
       VALUES ('${'a'.repeat(64)}', 'old-run', 'luma', 'ray-2', 'p', 1, 'succeeded', 'task-old', 1.2, 'list price', 1.2, 1)`,
    ).run();
    expect(() => old.prepare('SELECT * FROM rows').all()).toThrow(/no such table/);
    old.close();

    await using journal = openJournal({ file });
    expect(journal.schemaVersion).toBe(latest);
    expect(journal.getRun('old-run')).toMatchObject({ status: 'completed', command: 'render' });
    expect(journal.listAttempts({ runId: 'old-run' })).toMatchObject([{ taskId: 'task-old', costUsd: 1.2, clipId: 'a'.repeat(64) as ClipId }]);
    // Tables of later versions now exist and work.
    expect(journal.listRows('old-run')).toEqual([]);
    expect(journal.listClipUses('old-run')).toEqual([]);
  });

  it('migrates a version-3 journal to record output sizes, leaving renders journaled before without one', async () => {
    const file = join(dir, 'journal.db');
    const old = openDatabase({ file, migrationsDir, upToVersion: 3 });
    old.prepare(`INSERT INTO runs (id, started_at, command, status) VALUES ('old-run', 1, 'render', 'completed')`).run();
    old.prepare(
      `INSERT INTO renders (template_id, row_key, variant, run_id, manifest_hash, manifest_json, output_path, rendered_at)
       VALUES ('card', 'ada', 'landscape', 'old-run', 'm-old', '{}', '/out/ada.mp4', 1)`,
    ).run();
    old.close();

    await using journal = openJournal({ file });
    expect(journal.schemaVersion).toBeGreaterThanOrEqual(4);
    // No size known: the planner keeps the old behaviour (exists → up to date) for this render.
    expect([...journal.iterateRenderHashes('card')]).toEqual([{ rowKey: 'ada', variant: 'landscape', manifestHash: 'm-old', outputPath: '/out/ada.mp4', outputFile: null }]);
    expect(journal.getRender({ templateId: 'card', rowKey: 'ada', variant: 'landscape' })?.outputFile).toBeNull();
  });

  it('opens an already-current journal without re-running migrations', async () => {
    const file = join(dir, 'journal.db');
    openJournal({ file }).close();
    await using journal = openJournal({ file });
    const run = journal.beginRun({ command: 'render' });
    expect(journal.getRun(run.id)?.status).toBe('running');
  });
});

describe('migrateDatabase with two processes opening a new project', () => {
  it('skips a migration another connection applied after this one read the version', async () => {
    const { default: BetterSqlite3 } = await import('better-sqlite3');
    const { migrateDatabase } = await import('./migrate-database.js');
    const file = join(dir, 'journal.db');
    const migrations = loadMigrations({ dir: migrationsDir });
    const latest = migrations.at(-1)!.version;
    const first = new BetterSqlite3(file);
    const second = new BetterSqlite3(file);
    try {
      // The second connection has read version 0; the first migrates the file before the second takes the lock.
      const racing = Object.assign([...migrations], {
        [Symbol.iterator]: function* () {
          migrateDatabase({ db: first, migrations, label: 'first' });
          yield* migrations;
        },
      });
      expect(migrateDatabase({ db: second, migrations: racing, label: 'second' })).toEqual({ from: 0, to: latest });
      expect(second.pragma('user_version', { simple: true })).toBe(latest);
    } finally {
      first.close();
      second.close();
    }
  });
});
