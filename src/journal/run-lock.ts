import { readFileSync, unlinkSync, utimesSync } from 'node:fs';

/** What the lock file holds (plain JSON), so a second run can say who is running. */
export type RunLockInfo = {
  pid: number;
  host: string;
  /** ISO 8601 time the lock was taken. */
  startedAt: string;
  command: string;
  /** Random id of this acquisition; release only deletes a lock file that still carries it. */
  token: string;
  /** Linux process start time (clock ticks since boot) of `pid`, to detect a reused pid; null elsewhere. */
  procStart: number | null;
};

/** How often the holder refreshes the lock file's mtime (read as a heartbeat by other hosts). */
export const DEFAULT_HEARTBEAT_MS = 10_000;

/**
 * A held run lock (see `acquireRunLock`). Release it with `release()`, `close()` or `await using`;
 * a process that dies without releasing leaves a stale lock the next run takes over.
 */
export class RunLock {
  /** Path of the lock file. */
  readonly file: string;
  /** What this lock wrote. */
  readonly info: RunLockInfo;
  /** The stale holder this lock replaced (a killed process), or null. */
  readonly tookOverFrom: RunLockInfo | null;
  #heartbeat: NodeJS.Timeout | null;
  #released = false;

  /** @internal Use `acquireRunLock`. */
  constructor(init: { file: string; info: RunLockInfo; tookOverFrom: RunLockInfo | null; heartbeatMs: number }) {
    this.file = init.file;
    this.info = init.info;
    this.tookOverFrom = init.tookOverFrom;
    this.#heartbeat = setInterval(() => this.#beat(), init.heartbeatMs);
    this.#heartbeat.unref();
  }

  /** True until released. */
  get held(): boolean {
    return !this.#released;
  }

  /** Deletes the lock file if it is still ours. Safe to call twice. */
  release(): void {
    if (this.#released) return;
    this.#released = true;
    if (this.#heartbeat) clearInterval(this.#heartbeat);
    this.#heartbeat = null;
    let current: string;
    try {
      current = readFileSync(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return; // already gone: nothing to release
      throw error;
    }
    // Only delete our own lock: if another process judged ours stale and took over, leave theirs.
    if (current.includes(`"token":"${this.info.token}"`)) unlinkSync(this.file);
  }

  /** Same as `release()`. */
  close(): void {
    this.release();
  }

  /** Same as `release()`, for `await using`. */
  async [Symbol.asyncDispose](): Promise<void> {
    this.release();
  }

  #beat(): void {
    const now = new Date();
    try {
      utimesSync(this.file, now, now);
    } catch {
      // The heartbeat is advisory (other hosts read it); a missing file is reported at release.
    }
  }
}
