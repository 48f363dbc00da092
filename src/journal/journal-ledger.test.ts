import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ClipId } from '../clips/index.js';
import { loadSqlFiles, openJournal } from './index.js';

const clipA = 'a'.repeat(64) as ClipId;
const clipB = 'b'.repeat(64) as ClipId;
const start = (over: Partial<Parameters<ReturnType<typeof openJournal>['beginAttempt']>[0]> = {}) => ({
  clipId: clipA,
  runId: null,
  provider: 'runway',
  model: 'gen4.5',
  promptHash: 'f'.repeat(64),
  attemptNo: 1,
  seed: 42,
  estimatedCostUsd: 0.6,
  ...over,
});

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rw-journal-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('the clip ledger', () => {
  it('records an attempt from begin through task id to a paid success', async () => {
    let clock = 1_000;
    await using journal = openJournal({ file: join(dir, 'journal.db'), now: () => clock++ });
    const run = journal.beginRun({ command: 'render' });
    const id = journal.beginAttempt(start({ runId: run.id }));
    expect(journal.getAttempt(id)).toMatchObject({ status: 'started', taskId: null, estimatedCostUsd: 0.6, runId: run.id });

    journal.recordTaskId(id, 'task-1', 0.55);
    expect(journal.findInflightAttempt(clipA)).toEqual({ attemptId: id, taskId: 'task-1', provider: 'runway', model: 'gen4.5', seed: 42, attemptNo: 1 });

    journal.finishAttempt(id, { status: 'succeeded', costUsd: 0.6, costSource: 'provider credits', file: '/c/x.mp4', fileHash: 'h'.repeat(64) });
    expect(journal.findInflightAttempt(clipA)).toBeNull();
    const done = journal.getAttempt(id);
    expect(done).toMatchObject({
      status: 'succeeded',
      taskId: 'task-1',
      costUsd: 0.6,
      costSource: 'provider credits',
      providerEstimatedCostUsd: 0.55,
      fileHash: 'h'.repeat(64),
    });
    expect(done?.endedAt).toBeGreaterThan(done?.submittedAt ?? Infinity);

    const finished = journal.finishRun({ runId: run.id, status: 'completed' });
    expect(finished.totals).toMatchObject({ attempts: 1, clipCostUsd: 0.6 });
  });

  it('keeps failed and rejected attempts with their cost and failure code', async () => {
    await using journal = openJournal({ file: join(dir, 'journal.db') });
    const a = journal.beginAttempt(start());
    journal.recordTaskId(a, 'task-a', null);
    journal.finishAttempt(a, { status: 'failed', costUsd: 0, costSource: 'refunded', failureCode: 'SAFETY.OUTPUT', message: 'output refused', retryable: true });
    const b = journal.beginAttempt(start({ attemptNo: 2 }));
    journal.recordTaskId(b, 'task-b', null);
    journal.finishAttempt(b, { status: 'rejected', costUsd: 0.6, costSource: 'list price', failureCode: 'RW_QA_BLACK_FRAMES', message: 'all black' });
    const attempts = journal.listAttempts({ clipId: clipA });
    expect(attempts.map((x) => [x.status, x.failureCode, x.costUsd, x.retryable])).toEqual([
      ['failed', 'SAFETY.OUTPUT', 0, true],
      ['rejected', 'RW_QA_BLACK_FRAMES', 0.6, null],
    ]);
  });

  it('finds the in-flight attempt from a fresh journal after the writer was SIGKILLed', async () => {
    const file = join(dir, 'journal.db');
    const fixture = fileURLToPath(new URL('./fixtures/kill-after-task-id.ts', import.meta.url));
    const child = spawnSync(process.execPath, ['--import', 'tsx', fixture, file, clipB, 'task-killed'], { encoding: 'utf8' });
    expect(child.signal).toBe('SIGKILL');
    const { attemptId, runId } = JSON.parse(child.stdout) as { attemptId: number; runId: string };

    await using journal = openJournal({ file });
    expect(journal.findInflightAttempt(clipB)).toEqual({ attemptId, taskId: 'task-killed', provider: 'runway', model: 'gen4.5', seed: 7, attemptNo: 1 });
    expect(journal.listAttempts({ clipId: clipB }).map((a) => a.status)).toEqual(['submitted', 'started']);

    journal.abandonUnsubmittedAttempts(clipB);
    expect(journal.listAttempts({ clipId: clipB }).map((a) => [a.status, a.costUsd])).toEqual([
      ['submitted', null],
      ['abandoned', null],
    ]);
    // The resumed run polls the in-flight task to completion instead of paying again.
    journal.finishAttempt(attemptId, { status: 'succeeded', costUsd: 0.6, costSource: 'provider credits', file: '/c.mp4', fileHash: 'c'.repeat(64) });
    expect(journal.findInflightAttempt(clipB)).toBeNull();
    // The dead run is still marked running until the next run starts.
    expect(journal.getRun(runId)?.status).toBe('running');
    journal.beginRun({ command: 'render' });
    expect(journal.getRun(runId)?.status).toBe('interrupted');
  });

  it('refuses to record a task id twice and names the attempt state', async () => {
    await using journal = openJournal({ file: join(dir, 'journal.db') });
    const id = journal.beginAttempt(start());
    journal.recordTaskId(id, 't1', null);
    expect(() => journal.recordTaskId(id, 't2', null)).toThrow(expect.objectContaining({ code: 'RW_JOURNAL_BAD_TRANSITION', message: expect.stringMatching(/"submitted", expected started/) }));
    journal.finishAttempt(id, { status: 'cancelled', costUsd: 0, costSource: 'none' });
    expect(() => journal.finishAttempt(id, { status: 'cancelled', costUsd: 0, costSource: 'none' })).toThrow(expect.objectContaining({ code: 'RW_JOURNAL_BAD_TRANSITION' }));
    expect(() => journal.recordTaskId(9999, 't', null)).toThrow(expect.objectContaining({ code: 'RW_JOURNAL_UNKNOWN_ATTEMPT' }));
  });

  it('rejects an attempt for a run that was never begun', async () => {
    await using journal = openJournal({ file: join(dir, 'journal.db') });
    expect(() => journal.beginAttempt(start({ runId: 'nope' }))).toThrow(expect.objectContaining({ code: 'RW_JOURNAL_UNKNOWN_RUN', message: expect.stringMatching(/"nope".*beginRun/) }));
    expect(journal.listAttempts()).toEqual([]);
  });
});

describe('the journal database', () => {
  it('runs in WAL mode with foreign keys on', async () => {
    const file = join(dir, 'journal.db');
    await using journal = openJournal({ file });
    journal.beginRun({ command: 'render' });
    expect(journal.journalMode).toBe('wal');
    expect(existsSync(`${file}-wal`)).toBe(true);
  });

  it('refuses a database written by a newer schema', async () => {
    const file = join(dir, 'journal.db');
    const journal = openJournal({ file });
    journal.close();
    const { default: Database } = await import('better-sqlite3');
    const raw = new Database(file);
    raw.pragma('user_version = 999');
    raw.close();
    expect(() => openJournal({ file })).toThrow(expect.objectContaining({ code: 'RW_JOURNAL_TOO_NEW', message: expect.stringMatching(/version 999/) }));
  });

  it('never writes API keys: secret option keys, secret flags and environment secret values are redacted', async () => {
    const file = join(dir, 'journal.db');
    const secret = 'sk-live-0123456789abcdef';
    {
      await using journal = openJournal({ file, secretValues: [secret] });
      const run = journal.beginRun({
        command: `render data.csv --runway-api-key ${secret} --luma-token=tok-zzzzzzzzzzzz`,
        options: { concurrency: 2, apiKey: secret, providers: { runway: { API_SECRET: 'other-secret-1' }, luma: { authToken: 'other-secret-2' } }, list: [{ password: 'pw-1234567890' }] },
      });
      expect(run.options).toEqual({
        concurrency: 2,
        apiKey: '[redacted]',
        providers: { runway: { API_SECRET: '[redacted]' }, luma: { authToken: '[redacted]' } },
        list: [{ password: '[redacted]' }],
      });
      expect(run.command).toBe('render data.csv --runway-api-key [redacted] --luma-token=[redacted]');
      const id = journal.beginAttempt(start({ runId: run.id }));
      journal.finishAttempt(id, { status: 'failed', costUsd: 0, costSource: 'none', failureCode: 'HTTP_401', message: `401: key ${secret} rejected (Authorization: Bearer ${secret})`, retryable: false });
      expect(journal.getAttempt(id)?.message).not.toContain(secret);
      journal.finishRun({ runId: run.id, status: 'failed', error: { code: 'RW_PROVIDER_AUTH', message: `bad key ${secret}` }, extraTotals: { token: secret, wallMs: 5 } });
    }
    const bytes = readdirSync(dir)
      .map((f) => readFileSync(join(dir, f)).toString('latin1'))
      .join('\n');
    for (const s of [secret, 'other-secret-1', 'other-secret-2', 'pw-1234567890', 'tok-zzzzzzzzzzzz']) expect(bytes).not.toContain(s);
    expect(bytes).toContain('[redacted]');
  });

  it('remembers an input-moderation refusal until a later attempt gets an answer', async () => {
    let clock = Date.UTC(2026, 10, 25, 18, 4);
    await using journal = openJournal({ file: join(dir, 'journal.db'), now: () => clock++ });
    const run = journal.beginRun({ command: 'render' });
    const refuse = (clipId: ClipId, attemptNo: number) => {
      const id = journal.beginAttempt(start({ clipId, runId: run.id, attemptNo }));
      journal.recordTaskId(id, `task-${clipId[0]}-${attemptNo}`, null);
      const message = 'Runway\'s content moderation refused the prompt (SAFETY.INPUT.TEXT). Runway said: "flagged".';
      journal.finishAttempt(id, { status: 'failed', costUsd: 0, costSource: 'x', failureCode: 'SAFETY.INPUT.TEXT', failureKind: 'moderation_input', message, retryable: false });
      return id;
    };
    const refusedA = refuse(clipA, 1);
    // Output moderation is not an input refusal.
    const b = journal.beginAttempt(start({ clipId: clipB, runId: run.id }));
    journal.finishAttempt(b, { status: 'failed', costUsd: 0.2, costSource: 'x', failureCode: 'SAFETY.OUTPUT.VIDEO', failureKind: 'moderation_output', message: 'output flagged', retryable: true });
    expect(journal.findInputRefusal(clipB)).toBeNull();
    expect(journal.getAttempt(b)?.failureKind).toBe('moderation_output');

    const refusal = journal.findInputRefusal(clipA);
    expect(refusal).toEqual({
      clipId: clipA,
      attemptId: refusedA,
      runId: run.id,
      runStartedAt: run.startedAt,
      provider: 'runway',
      model: 'gen4.5',
      failureCode: 'SAFETY.INPUT.TEXT',
      message: expect.stringContaining('Runway said: "flagged"'),
      refusedAt: expect.any(Number),
    });
    expect(journal.listInputRefusals()).toEqual([refusal]);

    // An attempt that never got an answer (killed mid-create, then abandoned) does not lift it.
    journal.beginAttempt(start({ runId: run.id, attemptNo: 2 }));
    expect(journal.findInputRefusal(clipA)).toMatchObject({ attemptId: refusedA });
    journal.abandonUnsubmittedAttempts(clipA);
    expect(journal.findInputRefusal(clipA)).toMatchObject({ attemptId: refusedA });
    // A task the provider accepted (a retry) does, and a new refusal stands again.
    const retry = journal.beginAttempt(start({ runId: run.id, attemptNo: 3 }));
    journal.recordTaskId(retry, 'task-retry', null);
    expect(journal.findInputRefusal(clipA)).toBeNull();
    expect(journal.listInputRefusals()).toEqual([]);
    journal.finishAttempt(retry, { status: 'failed', costUsd: 0, costSource: 'x', failureCode: 'SAFETY.INPUT.TEXT', failureKind: 'moderation_input', message: 'again', retryable: false });
    expect(journal.findInputRefusal(clipA)).toMatchObject({ attemptId: retry, message: 'again' });
    const later = refuse(clipB, 2);
    expect(journal.listInputRefusals().map((r) => r.attemptId)).toEqual([retry, later]);
  });

  it('declares in every SQL file header exactly the parameters its statements use', () => {
    const files = loadSqlFiles({ dir: fileURLToPath(new URL('./sql/', import.meta.url)) });
    expect(files.size).toBeGreaterThan(5);
    for (const file of files.values()) {
      expect({ file: file.name, params: [...file.declaredParams].sort() }).toEqual({ file: file.name, params: file.usedParams });
      expect(file.header[0], file.name).toMatch(/^[a-z][A-Za-z]+( \(query\))?: /);
    }
  });
});

describe('run ids', () => {
  it('gives every run its own id, even 1,500 runs started in the same second (4 hex digits clash ≈ 17 times there)', async () => {
    await using journal = openJournal({ file: join(dir, 'journal.db'), now: () => 1_764_000_000_000 });
    const ids = new Set<string>();
    for (let i = 0; i < 1_500; i++) ids.add(journal.beginRun({ command: 'render' }).id);
    expect(ids.size).toBe(1_500);
    for (const id of ids) expect(id).toMatch(/^\d{8}T\d{6}Z-[0-9a-f]{4}$/);
  });
});
