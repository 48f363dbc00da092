import { randomBytes } from 'node:crypto';
import { closeSync, linkSync, mkdirSync, openSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { CancelledError } from '../errors/index.js';
import { RunLock, DEFAULT_HEARTBEAT_MS } from './run-lock.js';
import type { RunLockInfo } from './run-lock.js';
import { RunLockedError } from './run-locked-error.js';
import { collectSecretValues } from './collect-secret-values.js';
import { scrubText } from './scrub-secrets.js';

/** Name of the lock file inside the state folder. */
export const RUN_LOCK_FILE_NAME = 'run.lock';
/** How often a waiting run checks the lock again. */
export const DEFAULT_LOCK_POLL_MS = 500;
/** A takeover marker older than this belongs to a process that died mid-takeover. */
const TAKEOVER_STALE_MS = 30_000;

/** Options of `acquireRunLock`. */
export type AcquireRunLockOptions = {
  /** The project's state folder (e.g. `.reelwright`); created when missing. */
  stateDir: string;
  /** What is running, shown to a second run (`render data.csv`); secret-looking flags are redacted. */
  command: string;
  /** Wait for the holder to finish instead of failing with `RW_RUN_LOCKED`. */
  wait?: boolean;
  /**
   * A lock written on another host whose heartbeat (file mtime) is older than this is stale.
   * On this host liveness is checked by pid, and a live process is never overtaken.
   * Null (the default): never guess about other hosts.
   */
  staleAfterMs?: number | null;
  /** Poll interval while waiting; `DEFAULT_LOCK_POLL_MS`. */
  pollMs?: number;
  /** Stops waiting (rejects with `CancelledError`). */
  signal?: AbortSignal | null;
  /** Called once when the run starts waiting, with the holder (for a "waiting for …" line). */
  onWait?: ((holder: RunLockInfo) => void) | null;
};

type Holder = { info: RunLockInfo | null; raw: string; mtimeMs: number };

function errno(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | null)?.code;
}

/** Linux start time of a process (field 22 of /proc/<pid>/stat), or null off Linux / when gone. */
function procStartOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces and parentheses: split after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const value = Number(fields[19]);
    return Number.isFinite(value) ? value : null;
  } catch {
    return null; // not Linux, or the process is gone: liveness falls back to kill(pid, 0)
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errno(error) === 'EPERM'; // exists, owned by someone else
  }
}

function readHolder(file: string): Holder | null {
  try {
    const raw = readFileSync(file, 'utf8');
    const mtimeMs = statSync(file).mtimeMs;
    let info: RunLockInfo | null = null;
    try {
      const parsed = JSON.parse(raw) as Partial<RunLockInfo>;
      if (typeof parsed.pid === 'number' && typeof parsed.host === 'string' && typeof parsed.token === 'string') info = parsed as RunLockInfo;
    } catch {
      info = null; // unreadable: written by hand or truncated by a full disk; treated as stale below
    }
    return { info, raw, mtimeMs };
  } catch (error) {
    if (errno(error) === 'ENOENT') return null;
    throw error;
  }
}

function isStale(holder: Holder, staleAfterMs: number | null, now: number): boolean {
  const { info } = holder;
  if (info === null) return true;
  if (info.host === hostname()) {
    if (!isAlive(info.pid)) return true;
    // Same pid, different process start: the pid was reused after the holder died.
    const start = procStartOf(info.pid);
    return info.procStart !== null && start !== null && start !== info.procStart;
  }
  return staleAfterMs !== null && now - holder.mtimeMs > staleAfterMs;
}

/**
 * Removes a stale lock file, serialised through an exclusive `run.lock.takeover` marker so two
 * processes that both saw the same stale lock cannot delete each other's fresh one: the marker's
 * holder re-reads the lock and deletes it only if it is still the stale one.
 */
function removeStale(file: string, stale: Holder): boolean {
  const marker = `${file}.takeover`;
  let fd: number;
  try {
    fd = openSync(marker, 'wx');
  } catch (error) {
    if (errno(error) !== 'EEXIST') throw error;
    try {
      if (Date.now() - statSync(marker).mtimeMs > TAKEOVER_STALE_MS) unlinkSync(marker);
    } catch (inner) {
      if (errno(inner) !== 'ENOENT') throw inner;
    }
    return false; // someone else is taking over; the caller looks again shortly
  }
  try {
    const current = readHolder(file);
    if (current !== null && current.raw === stale.raw) unlinkSync(file);
    return true;
  } finally {
    closeSync(fd);
    unlinkSync(marker);
  }
}

function describe(info: RunLockInfo, now: number): string {
  const minutes = Math.max(0, Math.round((now - Date.parse(info.startedAt)) / 60_000));
  return `pid ${info.pid} on host "${info.host}", command "${info.command}", started ${info.startedAt} (${minutes} min ago)`;
}

function sleep(ms: number, signal: AbortSignal | null): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new CancelledError('Stopped waiting for the run lock.', signal?.reason));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Takes the one-active-run lock of a state folder: `<stateDir>/run.lock`, created atomically
 * (the JSON is written to a temporary file, then hard-linked into place, which fails if the lock
 * exists — so the file is never seen half-written and exactly one of two racing processes wins).
 * A lock left by a dead process (pid gone on this host, or pid reused) is taken over; a live one
 * makes this throw `RunLockedError` (`RW_RUN_LOCKED`) naming it, or wait with `wait: true`.
 *
 * @example
 * await using lock = await acquireRunLock({ stateDir: '.reelwright', command: 'render data.csv' });
 * @see RunLock
 */
export async function acquireRunLock(options: AcquireRunLockOptions): Promise<RunLock> {
  const file = join(options.stateDir, RUN_LOCK_FILE_NAME);
  const signal = options.signal ?? null;
  const staleAfterMs = options.staleAfterMs ?? null;
  mkdirSync(options.stateDir, { recursive: true });
  const info: RunLockInfo = {
    pid: process.pid,
    host: hostname(),
    startedAt: new Date().toISOString(),
    command: scrubText(options.command, collectSecretValues({ env: process.env })),
    token: randomBytes(8).toString('hex'),
    procStart: procStartOf(process.pid),
  };
  const tmp = `${file}.${process.pid}.${info.token}.tmp`;
  writeFileSync(tmp, JSON.stringify(info));
  let tookOverFrom: RunLockInfo | null = null;
  let waiting = false;
  try {
    for (;;) {
      if (signal?.aborted) throw new CancelledError('Stopped waiting for the run lock.', signal.reason);
      try {
        linkSync(tmp, file);
        return new RunLock({ file, info, tookOverFrom, heartbeatMs: DEFAULT_HEARTBEAT_MS });
      } catch (error) {
        if (errno(error) !== 'EEXIST') throw error;
      }
      const holder = readHolder(file);
      if (holder === null) continue; // released between our link and our read: try again
      const now = Date.now();
      if (isStale(holder, staleAfterMs, now)) {
        tookOverFrom = holder.info;
        if (!removeStale(file, holder)) await sleep(10, signal);
        continue;
      }
      const held = holder.info as RunLockInfo;
      if (!options.wait) {
        throw new RunLockedError(
          `Another reelwright run is active in ${options.stateDir}: ${describe(held, now)}. ` +
            `Wait for it to finish, or start this one with --wait to queue behind it. If that process is gone on another machine, delete ${file}.`,
          held,
        );
      }
      if (!waiting) {
        waiting = true;
        options.onWait?.(held);
      }
      await sleep(options.pollMs ?? DEFAULT_LOCK_POLL_MS, signal);
    }
  } finally {
    try {
      unlinkSync(tmp);
    } catch (error) {
      if (errno(error) !== 'ENOENT') throw error;
    }
  }
}
