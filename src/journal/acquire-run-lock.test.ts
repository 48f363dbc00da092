import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir, hostname } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireRunLock, RUN_LOCK_FILE_NAME } from './index.js';
import type { RunLockInfo } from './index.js';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

let dir: string;
const children: ChildProcessWithoutNullStreams[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rw-lock-'));
});
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

/** Starts a fixture and returns an async reader of its stdout lines. */
function start(name: string, ...args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', fixture(name), ...args], { stdio: 'pipe' });
  children.push(child);
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async (): Promise<string> => {
    const { value, done } = await lines.next();
    if (done) throw new Error(`${name} exited before printing a line`);
    return value as string;
  };
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return { child, next, exited };
}

describe('acquireRunLock', () => {
  it('lets exactly one of two processes racing at the same instant win; the other is told who runs', async () => {
    for (let round = 0; round < 3; round++) {
      const a = start('race-lock.ts', dir);
      const b = start('race-lock.ts', dir);
      expect(await a.next()).toBe('ready');
      expect(await b.next()).toBe('ready');
      a.child.stdin.write('go\n');
      b.child.stdin.write('go\n');
      const results = (await Promise.all([a.next(), b.next()])).map((l) => JSON.parse(l) as { ok: boolean; pid: number; code?: string; message?: string });
      const winners = results.filter((r) => r.ok);
      const losers = results.filter((r) => !r.ok);
      expect(winners).toHaveLength(1);
      expect(losers).toHaveLength(1);
      const winner = winners[0]!;
      expect(losers[0]).toMatchObject({ code: 'RW_RUN_LOCKED' });
      expect(losers[0]?.message).toContain(`pid ${winner.pid} on host "${hostname()}", command "race ${winner.pid}"`);
      expect(losers[0]?.message).toMatch(/started \d{4}-\d\d-\d\dT/);
      const info = JSON.parse(readFileSync(join(dir, RUN_LOCK_FILE_NAME), 'utf8')) as RunLockInfo;
      expect(info.pid).toBe(winner.pid);
      a.child.stdin.end();
      b.child.stdin.end();
      await Promise.all([a.exited, b.exited]);
      expect(existsSync(join(dir, RUN_LOCK_FILE_NAME))).toBe(false);
    }
  });

  it('takes over a lock left by a SIGKILLed process and reports whose it was', async () => {
    const holder = start('hold-lock.ts', dir);
    expect(await holder.next()).toBe('locked');
    await expect(acquireRunLock({ stateDir: dir, command: 'render' })).rejects.toMatchObject({ code: 'RW_RUN_LOCKED', holder: { pid: holder.child.pid, command: 'render held.csv' } });
    holder.child.kill('SIGKILL');
    await holder.exited;
    await using lock = await acquireRunLock({ stateDir: dir, command: 'render again' });
    expect(lock.tookOverFrom?.pid).toBe(holder.child.pid);
    expect(JSON.parse(readFileSync(lock.file, 'utf8'))).toMatchObject({ pid: process.pid, command: 'render again' });
  });

  it('treats a lock whose pid was reused by another process as stale', async () => {
    // Our own pid is alive, but with a different start time it is not the process that locked.
    const info: RunLockInfo = { pid: process.pid, host: hostname(), startedAt: new Date(0).toISOString(), command: 'old', token: 'x', procStart: 1 };
    writeFileSync(join(dir, RUN_LOCK_FILE_NAME), JSON.stringify(info));
    await using lock = await acquireRunLock({ stateDir: dir, command: 'render' });
    expect(lock.tookOverFrom?.command).toBe('old');
  });

  it('never takes over a live lock from another host unless its heartbeat is older than staleAfterMs', async () => {
    const info: RunLockInfo = { pid: 1, host: 'elsewhere.example', startedAt: new Date().toISOString(), command: 'render remote', token: 'y', procStart: null };
    writeFileSync(join(dir, RUN_LOCK_FILE_NAME), JSON.stringify(info));
    await expect(acquireRunLock({ stateDir: dir, command: 'render' })).rejects.toMatchObject({ code: 'RW_RUN_LOCKED', message: expect.stringMatching(/host "elsewhere.example"/) });
    await using lock = await acquireRunLock({ stateDir: dir, command: 'render', staleAfterMs: -1 });
    expect(lock.tookOverFrom?.host).toBe('elsewhere.example');
  });

  it('waits for the holder with wait: true and gets the lock once it is released', async () => {
    const first = await acquireRunLock({ stateDir: dir, command: 'render first' });
    let waitingFor: RunLockInfo | null = null;
    const waited = new Promise<void>((resolve) => {
      void acquireRunLock({
        stateDir: dir,
        command: 'render second',
        wait: true,
        pollMs: 5,
        onWait: (holder) => {
          waitingFor = holder;
          resolve();
        },
      }).then((second) => {
        secondLock = second;
      });
    });
    let secondLock: Awaited<ReturnType<typeof acquireRunLock>> | null = null;
    await waited;
    expect(waitingFor).toMatchObject({ command: 'render first', pid: process.pid });
    expect(secondLock).toBeNull();
    first.release();
    await expect.poll(() => secondLock?.info.command).toBe('render second');
    secondLock!.release();
  });

  it('stops waiting when its signal aborts', async () => {
    await using first = await acquireRunLock({ stateDir: dir, command: 'render first' });
    const controller = new AbortController();
    const pending = acquireRunLock({ stateDir: dir, command: 'second', wait: true, pollMs: 5, signal: controller.signal, onWait: () => controller.abort() });
    await expect(pending).rejects.toMatchObject({ code: 'RW_CANCELLED' });
    expect(first.held).toBe(true);
  });

  it('does not delete a lock that another process took over from it', async () => {
    const lock = await acquireRunLock({ stateDir: dir, command: 'render' });
    const theirs = JSON.stringify({ pid: 2, host: 'other', startedAt: new Date().toISOString(), command: 'x', token: 'theirs', procStart: null });
    writeFileSync(lock.file, theirs);
    lock.release();
    expect(readFileSync(lock.file, 'utf8')).toBe(theirs);
  });
});
