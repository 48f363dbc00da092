import { randomBytes } from 'node:crypto';
import { link, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { ConfigError } from '../errors/index.js';

/** Name of the lock file inside the inbox (a dotfile, so the watcher never takes it for data). */
export const INBOX_LOCK_NAME = '.reelwright-watch.lock';

/** Options for `acquireInboxLock`. */
export type AcquireInboxLockOptions = {
  /** The inbox folder. */
  inbox: string;
};

/** A held inbox lock. */
export type InboxLock = {
  /** Absolute path of the lock file. */
  readonly file: string;
  /** Deletes the lock file if it is still ours. Safe to call twice. */
  release(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
};

/** What the lock file holds. */
type LockRecord = { pid: number; hostname: string; startedAt: string; token: string };

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readRecord(file: string): Promise<LockRecord | null> {
  try {
    const value = JSON.parse(await readFile(file, 'utf8')) as Partial<LockRecord>;
    if (typeof value.pid === 'number' && typeof value.hostname === 'string' && typeof value.token === 'string') return value as LockRecord;
    return null;
  } catch {
    // Missing or unreadable: the caller treats both as "no usable owner record".
    return null;
  }
}

/** Creates `file` with `content` atomically, failing with EEXIST when it exists (hard link of a complete temp file). */
async function createExclusive(file: string, content: string): Promise<void> {
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temporary, content);
  try {
    await link(temporary, file);
  } finally {
    await rm(temporary, { force: true });
  }
}

/**
 * Makes this process the only watcher of an inbox, so that two watchers never process (or resume) the same file.
 * A lock left by a crashed watcher on this machine (its pid no longer runs) is taken over.
 *
 * @throws ConfigError `RW_INBOX_LOCKED` when another live watcher (or one on another machine) holds the inbox.
 * @example
 * await using lock = await acquireInboxLock({ inbox: '/data/inbox' });
 */
export async function acquireInboxLock(options: AcquireInboxLockOptions): Promise<InboxLock> {
  const file = path.resolve(options.inbox, INBOX_LOCK_NAME);
  const record: LockRecord = { pid: process.pid, hostname: hostname(), startedAt: new Date().toISOString(), token: randomBytes(8).toString('hex') };
  const content = `${JSON.stringify(record)}\n`;
  for (let attempt = 0; ; attempt += 1) {
    try {
      await createExclusive(file, content);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = await readRecord(file);
      const stale = owner !== null && owner.hostname === record.hostname && !isAlive(owner.pid);
      if (!stale || attempt > 0) {
        const who = owner ? `process ${owner.pid} on ${owner.hostname} (since ${owner.startedAt})` : 'an unknown process';
        throw new ConfigError(
          `The inbox ${path.resolve(options.inbox)} is already watched by ${who}: two watchers would process the same files. ` +
            `Stop the other watcher, or delete ${file} if it is not running.`,
          { code: 'RW_INBOX_LOCKED', cause: error },
        );
      }
      // The owner crashed (its pid is gone): take the lock over. Two watchers starting in the same instant after a
      // crash could both get here; the exclusive create below still lets only one of them win in the common case.
      await rm(file, { force: true });
    }
  }
  let released = false;
  const release = async (): Promise<void> => {
    if (released) return;
    released = true;
    const current = await readRecord(file);
    if (current?.token === record.token) await rm(file, { force: true });
  };
  return { file, release, [Symbol.asyncDispose]: release };
}
