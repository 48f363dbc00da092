import { watch } from 'node:fs';
import type { FSWatcher, Stats } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { assertNever, CancelledError, ConfigError, ReelwrightError, throwIfAborted, toErrorRecord } from '../errors/index.js';
import type { ErrorRecord } from '../errors/index.js';
import { pathExists, writeFilesAtomic } from '../fs/index.js';
import { log } from '../log/index.js';
import type { LogLevel, LogOptions, OnLog } from '../log/index.js';
import type { RunSummary } from '../run/index.js';
import { acquireInboxLock } from './acquire-inbox-lock.js';
import type { InboxLock } from './acquire-inbox-lock.js';
import { INBOX_PARTIAL_SUFFIXES, isInboxDataFile, SIDECAR_SUFFIX } from './is-inbox-data-file.js';
import { pickFreeName } from './pick-free-name.js';
import { resolveInboxJob } from './resolve-inbox-job.js';
import type { InboxJob } from './resolve-inbox-job.js';

/** How long a file's size and mtime must stay unchanged before it counts as completely written. */
export const DEFAULT_STABLE_MS = 2_000;
/** How often the inbox is listed and pending files are checked (the safety net behind `fs.watch`). */
export const DEFAULT_POLL_MS = 500;

/** Sub-folders of the inbox the watcher owns. */
export const INBOX_FOLDERS = { processing: 'processing', done: 'done', failed: 'failed' } as const;
/** Written next to a file in `done/` (and in `failed/` when the run produced a summary). */
export const SUMMARY_SUFFIX = '.summary.json';
/** Written next to a file in `failed/`: the validation report, or the error. */
export const REPORT_SUFFIX = '.report.txt';
/**
 * Written next to a file in `processing/` just before it moves to `done/` or `failed/` (only with `onFiled`): where it
 * goes. Removed once `onFiled` has recorded the move; one left behind by a crash is finished by the next watcher.
 */
export const FILING_SUFFIX = '.filing';

/**
 * What `onFile` reports about one file.
 * - `done`: the run went through (rows may still have failed: see `summary.counts`); the file moves to `done/` with
 *   `<name>.summary.json`. A summary with `status: 'cancelled'` instead leaves the file in `processing/`, where the
 *   next watcher start resumes it; one with `status: 'failed'` (the run broke or could not start, e.g. another run
 *   held the lock) moves it to `failed/` with `summary.error` as the report.
 * - `invalid`: nothing in the file is valid; it moves to `failed/` with `report` as `<name>.report.txt` (and the
 *   summary, when there is one, as `<name>.summary.json`).
 */
export type InboxFileResult =
  | { outcome: 'done'; summary: RunSummary }
  | { outcome: 'invalid'; report: string; summary: RunSummary | null };

/** What `onFile` learns about the file besides its path. */
export type InboxFileContext = {
  /** Template, variants and output naming, from the sidecar, the naming rule or the default (see `resolveInboxJob`). */
  job: InboxJob;
  /** The name the file had when it was dropped. */
  originalName: string;
  /** True when the file was found in `processing/` at start: a previous watcher stopped or crashed while running it. */
  resumed: boolean;
  /** Fires when the watcher stops. Pass it to `runBatch`; the file then stays in `processing/` and is resumed later. */
  signal: AbortSignal;
};

/**
 * Runs one dropped file (plans and renders it). `file` is the file's path inside `<inbox>/processing/`; relative paths
 * in it mean the inbox, where the user dropped it (the CLI passes the inbox as `runBatch`'s `assetsDir`).
 * A thrown error moves the file to `failed/` with the error as its report, unless the watcher is stopping.
 */
export type OnInboxFile = (file: string, context: InboxFileContext) => Promise<InboxFileResult>;

/**
 * Something the watcher did; data for tests and front ends, not log lines.
 * - `partial`: a file with a partial-download name (`*.part`, `*.tmp`, `*.crdownload`) was seen; renamed to a data
 *   name, it counts as complete after one confirming look.
 * - `waiting`: a data file was seen but is not yet stable (still being written, or just appeared).
 * - `queued`: a file is complete and waits its turn; `position` is its 1-based place in the queue.
 * - `started`: a file was moved into `processing/` (or found there at start: `resumed`) and handed to `onFile`.
 * - `done`: the file and its summary are in `done/`.
 * - `failed`: the file and its report are in `failed/`; `reason` says whether the data was invalid or an error happened.
 * - `interrupted`: the run was cancelled; the file stays in `processing/` and is resumed when a watcher starts.
 * - `idle`: nothing is queued or running.
 */
export type InboxEvent =
  | { type: 'partial'; name: string; size: number }
  | { type: 'waiting'; name: string; size: number }
  | { type: 'queued'; name: string; position: number }
  | { type: 'started'; name: string; file: string; resumed: boolean; job: InboxJob }
  | { type: 'done'; name: string; file: string; summaryFile: string }
  | { type: 'failed'; name: string; file: string; reason: 'invalid' | 'error'; reportFile: string; error: ErrorRecord | null }
  | { type: 'interrupted'; name: string; file: string }
  | { type: 'idle' };

/** Receives watcher events. */
export type OnInboxEvent = (event: InboxEvent) => void;

/** A file that left `processing/`, as `onFiled` gets it. */
export type InboxFiling = {
  /** Where the file was while it ran, `<inbox>/processing/<name>`: the dataset path its runs recorded. */
  from: string;
  /** Where it is now, in `done/` or `failed/`. */
  to: string;
  /** Fires when the watcher stops: stop waiting (e.g. for a lock) and throw; the filing is offered again at the next start. */
  signal: AbortSignal;
};

/**
 * Records that a file moved from `processing/` to `done/` or `failed/` (the CLI points the journal's runs at the new
 * path, so that `reproduce` finds the dataset). Awaited after the move, before the `done`/`failed` event and before the
 * next file starts. Must be idempotent: after a crash, or when it threw, it is called again when a watcher starts.
 */
export type OnInboxFiled = (filing: InboxFiling) => Promise<void>;

/** Options for `watchInbox`. */
export type WatchInboxOptions = {
  /** The folder to watch. It must exist; `processing/`, `done/` and `failed/` are created inside it. */
  inbox: string;
  /** Runs one file; see `OnInboxFile`. Called for one file at a time, in the order files became complete. */
  onFile: OnInboxFile;
  /** Template for files with neither a sidecar nor a `<template-id>--` name (`--template`); null for none. */
  defaultTemplate?: string | null;
  /** Template ids that exist, to refuse a file naming another one before anything runs; null skips the check. */
  knownTemplates?: readonly string[] | null;
  /** Milliseconds a file's size and mtime must stay unchanged to count as complete. Default `DEFAULT_STABLE_MS`. */
  stableMs?: number;
  /** Milliseconds between inbox scans and stability checks. Default `DEFAULT_POLL_MS`. */
  pollMs?: number;
  /** Stops the watcher (like `close()`). */
  signal?: AbortSignal | null;
  /** Level of the watcher's own log lines. Default `info`. */
  logLevel?: LogLevel;
  /** Takes over logging. */
  onLog?: OnLog | null;
  /** Receives `InboxEvent`s. */
  onEvent?: OnInboxEvent | null;
  /** Records where each file went when it leaves `processing/`; see `OnInboxFiled`. */
  onFiled?: OnInboxFiled | null;
};

/** A running inbox watcher. */
export type InboxWatcher = {
  /** Absolute path of the inbox. */
  readonly inbox: string;
  /** Resolves once the watcher has stopped (through `close()` or the signal) and released the inbox. Never rejects. */
  readonly closed: Promise<void>;
  /**
   * Stops watching, cancels the running file's `signal` and waits for `onFile` to settle (the file stays in
   * `processing/`), then releases the inbox lock. Queued files stay in the inbox. Safe to call twice.
   */
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
};

/** A data file in the inbox, with the size and mtime it had when last looked at. */
type Candidate = { name: string; size: number; mtimeMs: number; firstSeen: number };
/** A file seen in the inbox that is not yet stable; `renamedIn` when it first appeared under a partial name. */
type Observation = Candidate & { sameSince: number; renamedIn: boolean };
/** How a file ends. */
type Settlement =
  | { kind: 'done'; summary: RunSummary }
  | { kind: 'invalid'; report: string; summary: RunSummary | null }
  | { kind: 'error'; error: unknown; summary: RunSummary | null };

type Resolved = {
  inbox: string;
  onFile: OnInboxFile;
  defaultTemplate: string | null;
  knownTemplates: readonly string[] | null;
  stableMs: number;
  pollMs: number;
  signal: AbortSignal | null;
  logOptions: LogOptions;
  onEvent: OnInboxEvent | null;
  onFiled: OnInboxFiled | null;
};

function isErrno(error: unknown, code: string): boolean {
  return (error as NodeJS.ErrnoException | null)?.code === code;
}

/** `leads.csv.part`, `.leads.csv.tmp`, …: a file still being written under a temporary name. */
function isPartialName(name: string): boolean {
  const lower = name.toLowerCase();
  return INBOX_PARTIAL_SUFFIXES.some((suffix) => lower.endsWith(suffix));
}

function sameStats(a: { size: number; mtimeMs: number }, b: Stats): boolean {
  return a.size === b.size && a.mtimeMs === b.mtimeMs;
}

function isInboxFileResult(value: unknown): value is InboxFileResult {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  if (record['outcome'] === 'done') return typeof record['summary'] === 'object' && record['summary'] !== null;
  if (record['outcome'] === 'invalid') return typeof record['report'] === 'string';
  return false;
}

function describeError(error: unknown): string {
  const lines: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && current !== null && depth < 5; depth += 1) {
    const record = toErrorRecord(current);
    lines.push(`${depth === 0 ? '' : 'caused by: '}${record.code}: ${record.message}`);
    current = current instanceof Error ? current.cause : undefined;
  }
  return `${lines.join('\n')}\n`;
}

async function moveIfExists(from: string, to: string): Promise<boolean> {
  try {
    await rename(from, to);
    return true;
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return false;
    throw error;
  }
}

function validate(options: WatchInboxOptions): Resolved {
  const fail = (what: string): never => {
    throw new ConfigError(`watchInbox: ${what}`, { code: 'RW_INVALID_OPTION' });
  };
  if (typeof options.inbox !== 'string' || options.inbox.length === 0) fail(`options.inbox must be a folder path, got ${JSON.stringify(options.inbox)}.`);
  if (typeof options.onFile !== 'function') fail('options.onFile must be a function (file, context) => Promise<InboxFileResult>.');
  if (options.onFiled != null && typeof options.onFiled !== 'function') fail('options.onFiled must be a function ({ from, to, signal }) => Promise<void>, or null.');
  const stableMs = options.stableMs ?? DEFAULT_STABLE_MS;
  if (!Number.isFinite(stableMs) || stableMs < 0) fail(`options.stableMs must be a number of milliseconds >= 0, got ${JSON.stringify(options.stableMs)}.`);
  const pollMs = options.pollMs ?? DEFAULT_POLL_MS;
  if (!Number.isFinite(pollMs) || pollMs < 1) fail(`options.pollMs must be a number of milliseconds >= 1, got ${JSON.stringify(options.pollMs)}.`);
  const defaultTemplate = options.defaultTemplate ?? null;
  if (defaultTemplate !== null && (typeof defaultTemplate !== 'string' || defaultTemplate.length === 0)) {
    fail(`options.defaultTemplate must be a template id or null, got ${JSON.stringify(defaultTemplate)}.`);
  }
  const knownTemplates = options.knownTemplates ?? null;
  if (defaultTemplate !== null && knownTemplates !== null && !knownTemplates.includes(defaultTemplate)) {
    throw new ConfigError(
      `The default template "${defaultTemplate}" does not exist. Known templates: ${knownTemplates.join(', ') || '(none)'}. Pass one of them with --template.`,
      { code: 'RW_INBOX_UNKNOWN_TEMPLATE' },
    );
  }
  return {
    inbox: path.resolve(options.inbox),
    onFile: options.onFile,
    defaultTemplate,
    knownTemplates,
    stableMs,
    pollMs,
    signal: options.signal ?? null,
    logOptions: { logLevel: options.logLevel ?? 'info', tag: 'watchInbox()', onLog: options.onLog ?? null },
    onEvent: options.onEvent ?? null,
    onFiled: options.onFiled ?? null,
  };
}

class RunningInboxWatcher implements InboxWatcher {
  readonly inbox: string;
  readonly closed: Promise<void>;
  readonly #options: Resolved;
  readonly #lock: InboxLock;
  readonly #dirs: { processing: string; done: string; failed: string };
  /** Filing markers found in `processing/` at start: moves whose `onFiled` never finished. Handled first. */
  readonly #refile: string[] = [];
  /** Files found in `processing/` at start; they run before anything new. */
  readonly #resume: string[] = [];
  readonly #observing = new Map<string, Observation>();
  readonly #queue: Candidate[] = [];
  readonly #queuedNames = new Set<string>();
  /** Files that could not be moved into `processing/`; ignored until their size or mtime changes. */
  readonly #blocked = new Map<string, { size: number; mtimeMs: number }>();
  /** Inode → name of partial-download files (`x.csv.part`) seen by the previous scan, to recognise their rename. */
  #partialInodes = new Map<number, string>();
  /** Keys of warnings already logged, so that a broken inbox does not log every poll. */
  readonly #warned = new Set<string>();
  #activeName: string | null = null;
  #activeController: AbortController | null = null;
  /** Aborted by `close()`: the `signal` of `onFiled`. */
  readonly #stopController = new AbortController();
  #timer: NodeJS.Timeout | null = null;
  #fsWatcher: FSWatcher | null = null;
  #ticking: Promise<void> | null = null;
  #tickAgain = false;
  #draining: Promise<void> | null = null;
  #stopping = false;
  #closing: Promise<void> | null = null;
  #resolveClosed: () => void = () => {};
  readonly #onAbort = (): void => void this.close();

  constructor(options: Resolved, lock: InboxLock) {
    this.#options = options;
    this.#lock = lock;
    this.inbox = options.inbox;
    this.#dirs = {
      processing: path.join(options.inbox, INBOX_FOLDERS.processing),
      done: path.join(options.inbox, INBOX_FOLDERS.done),
      failed: path.join(options.inbox, INBOX_FOLDERS.failed),
    };
    this.closed = new Promise<void>((resolve) => {
      this.#resolveClosed = resolve;
    });
  }

  async start(): Promise<void> {
    const { inbox, pollMs } = this.#options;
    // Resume first: a file in processing/ was moved there by a watcher that stopped or crashed while running it.
    const leftovers: { name: string; mtimeMs: number }[] = [];
    for (const entry of await readdir(this.#dirs.processing, { withFileTypes: true })) {
      if (entry.isFile() && entry.name.endsWith(FILING_SUFFIX)) this.#refile.push(entry.name);
      if (!entry.isFile() || !isInboxDataFile(entry.name)) continue;
      const info = await stat(path.join(this.#dirs.processing, entry.name));
      leftovers.push({ name: entry.name, mtimeMs: info.mtimeMs });
    }
    leftovers.sort((a, b) => a.mtimeMs - b.mtimeMs || a.name.localeCompare(b.name));
    this.#resume.push(...leftovers.map((l) => l.name));
    if (leftovers.length > 0) this.#log('info', `resuming ${leftovers.length} file(s) left in processing/: ${leftovers.map((l) => l.name).join(', ')}`);

    try {
      // fs.watch only wakes the scanner early; the periodic scan is the source of truth (events can be missed).
      this.#fsWatcher = watch(inbox, { persistent: false }, (_event, filename) => {
        const name = filename?.toString();
        if (name && isInboxDataFile(name) && !this.#observing.has(name) && !this.#queuedNames.has(name)) this.#requestTick();
      });
      this.#fsWatcher.on('error', (error) => {
        this.#warnOnce('fs.watch', `file-system events stopped (${error.message}); still scanning every ${pollMs} ms`);
        this.#fsWatcher?.close();
        this.#fsWatcher = null;
      });
    } catch (error) {
      this.#warnOnce('fs.watch', `file-system events are unavailable (${(error as Error).message}); scanning every ${pollMs} ms`);
    }
    this.#timer = setInterval(() => this.#requestTick(), pollMs);
    this.#options.signal?.addEventListener('abort', this.#onAbort, { once: true });
    this.#log('info', `watching ${inbox} (complete after ${this.#options.stableMs} ms unchanged)`);
    this.#requestTick();
    this.#kick();
  }

  close(): Promise<void> {
    this.#closing ??= (async () => {
      this.#stopping = true;
      if (this.#timer) clearInterval(this.#timer);
      this.#fsWatcher?.close();
      this.#options.signal?.removeEventListener('abort', this.#onAbort);
      this.#activeController?.abort(new CancelledError('The inbox watcher was stopped.'));
      this.#stopController.abort(new CancelledError('The inbox watcher was stopped.'));
      await this.#draining;
      await this.#ticking;
      try {
        await this.#lock.release();
      } catch (error) {
        this.#log('warn', `could not release the inbox lock ${this.#lock.file}:`, error);
      }
      this.#log('verbose', `stopped watching ${this.inbox}`);
      this.#resolveClosed();
    })();
    return this.#closing;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  #log(level: 'trace' | 'verbose' | 'info' | 'warn' | 'error', ...parts: unknown[]): void {
    log[level](this.#options.logOptions, ...parts);
  }

  #warnOnce(key: string, message: string): void {
    if (this.#warned.has(key)) return;
    this.#warned.add(key);
    this.#log('warn', message);
  }

  #emit(event: InboxEvent): void {
    try {
      this.#options.onEvent?.(event);
    } catch (error) {
      this.#log('warn', `onEvent threw on a ${event.type} event:`, error);
    }
  }

  #requestTick(): void {
    if (this.#stopping) return;
    if (this.#ticking) {
      this.#tickAgain = true;
      return;
    }
    this.#ticking = this.#tick()
      .catch((error: unknown) => this.#log('error', 'inbox scan failed:', error))
      .finally(() => {
        this.#ticking = null;
        if (this.#tickAgain) {
          this.#tickAgain = false;
          this.#requestTick();
        }
      });
  }

  /** Lists the inbox, updates what is being observed, and queues files that became stable. */
  async #tick(): Promise<void> {
    const { inbox, stableMs } = this.#options;
    let entries;
    try {
      entries = await readdir(inbox, { withFileTypes: true });
      this.#warned.delete('scan');
    } catch (error) {
      this.#warnOnce('scan', `cannot list the inbox ${inbox} (${(error as Error).message}); retrying every ${this.#options.pollMs} ms`);
      return;
    }
    const seen = new Set<string>();
    const ready: Candidate[] = [];
    const partialInodes = new Map<number, string>();
    for (const entry of entries) {
      const name = entry.name;
      if (entry.isFile() && isPartialName(name)) {
        try {
          const info = await stat(path.join(inbox, name));
          partialInodes.set(info.ino, name);
          this.#emit({ type: 'partial', name, size: info.size });
        } catch {
          // Renamed or deleted since the listing: the next scan sees where it went.
        }
        continue;
      }
      if (!isInboxDataFile(name) || this.#queuedNames.has(name) || this.#activeName === name) continue;
      if (!entry.isFile()) {
        if (entry.isSymbolicLink()) this.#warnOnce(`symlink:${name}`, `ignoring ${name}: it is a symbolic link; drop the file itself`);
        continue;
      }
      let info: Stats;
      try {
        info = await stat(path.join(inbox, name));
      } catch (error) {
        // Moved away or deleted between listing and stat: nothing to watch.
        if (!isErrno(error, 'ENOENT')) this.#warnOnce(`stat:${name}`, `cannot stat ${name}: ${(error as Error).message}`);
        continue;
      }
      seen.add(name);
      const blocked = this.#blocked.get(name);
      if (blocked && sameStats(blocked, info)) continue;
      this.#blocked.delete(name);
      const now = Date.now();
      const previous = this.#observing.get(name);
      if (!previous || !sameStats(previous, info)) {
        // A new name whose inode was a partial download one scan ago was renamed in: the writer declared it complete.
        const renamedFrom = previous ? null : (this.#partialInodes.get(info.ino) ?? null);
        if (renamedFrom) this.#log('verbose', `${name} was renamed from ${renamedFrom}; confirming it once`);
        this.#observing.set(name, {
          name,
          size: info.size,
          mtimeMs: info.mtimeMs,
          firstSeen: previous?.firstSeen ?? now,
          sameSince: now,
          renamedIn: renamedFrom !== null,
        });
        this.#emit({ type: 'waiting', name, size: info.size });
        continue;
      }
      // Unchanged since the previous look. Complete when it has been quiet for stableMs while we watched; or when it
      // arrived complete, renamed from a partial name or already stableMs old (moved in): this second look confirmed it.
      const quiet = now - previous.sameSince >= stableMs;
      const arrivedComplete = previous.renamedIn || now - info.mtimeMs >= stableMs;
      if (quiet || arrivedComplete) {
        this.#observing.delete(name);
        ready.push({ name, size: info.size, mtimeMs: info.mtimeMs, firstSeen: previous.firstSeen });
      } else {
        this.#emit({ type: 'waiting', name, size: info.size });
      }
    }
    this.#partialInodes = partialInodes;
    for (const name of this.#observing.keys()) if (!seen.has(name)) this.#observing.delete(name);
    for (const name of this.#blocked.keys()) if (!seen.has(name)) this.#blocked.delete(name);
    if (this.#stopping || ready.length === 0) return;
    ready.sort((a, b) => a.firstSeen - b.firstSeen || a.mtimeMs - b.mtimeMs || a.name.localeCompare(b.name));
    for (const candidate of ready) {
      this.#queue.push(candidate);
      this.#queuedNames.add(candidate.name);
      this.#log('verbose', `${candidate.name} is complete (${candidate.size} bytes); queued at position ${this.#queue.length}`);
      this.#emit({ type: 'queued', name: candidate.name, position: this.#queue.length });
    }
    this.#kick();
  }

  /** Starts the one processing loop unless it runs already. */
  #kick(): void {
    if (this.#draining || this.#stopping) return;
    this.#draining = this.#drain()
      .catch((error: unknown) => this.#log('error', 'inbox processing loop failed:', error))
      .finally(() => {
        this.#draining = null;
        // A file may have been queued while the loop was finishing.
        if (!this.#stopping && (this.#queue.length > 0 || this.#resume.length > 0 || this.#refile.length > 0)) this.#kick();
      });
  }

  async #drain(): Promise<void> {
    while (!this.#stopping) {
      // Unfinished filings first: they must record their move before any run reads from processing/ again.
      const marker = this.#refile.shift();
      if (marker !== undefined) {
        await this.#guard(marker, () => this.#finishFiling(path.join(this.#dirs.processing, marker)));
        continue;
      }
      const resumed = this.#resume.shift();
      if (resumed !== undefined) {
        await this.#guard(resumed, () => this.#startResumed(resumed));
        continue;
      }
      const next = this.#queue.shift();
      if (!next) break;
      this.#activeName = next.name;
      this.#queuedNames.delete(next.name);
      try {
        await this.#guard(next.name, () => this.#startQueued(next));
      } finally {
        this.#activeName = null;
      }
    }
    if (!this.#stopping && this.#queue.length === 0 && this.#resume.length === 0 && this.#refile.length === 0) this.#emit({ type: 'idle' });
  }

  /** One file's unexpected failure (a disk error while moving it) must not stop the loop. */
  async #guard(name: string, work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (error) {
      this.#log('error', `${name}: could not be filed (it stays where it is and is retried when the watcher restarts):`, error);
    }
  }

  async #startResumed(name: string): Promise<void> {
    const file = path.join(this.#dirs.processing, name);
    // The data file moves first, then its sidecar: a crash in between leaves the sidecar in the inbox.
    const sidecar = `${file}${SIDECAR_SUFFIX}`;
    const strayed = path.join(this.inbox, `${name}${SIDECAR_SUFFIX}`);
    try {
      await stat(sidecar);
    } catch (error) {
      if (!isErrno(error, 'ENOENT')) throw error;
      await moveIfExists(strayed, sidecar);
    }
    await this.#run(file, name, true);
  }

  async #startQueued(candidate: Candidate): Promise<void> {
    const source = path.join(this.inbox, candidate.name);
    let info: Stats;
    try {
      info = await stat(source);
    } catch (error) {
      if (!isErrno(error, 'ENOENT')) throw error;
      this.#log('verbose', `${candidate.name} disappeared before its turn`);
      return;
    }
    if (!sameStats(candidate, info)) {
      // Written to again while it waited in the queue: watch it again until it is stable.
      this.#log('verbose', `${candidate.name} changed while queued; waiting for it to be stable again`);
      return;
    }
    // A filing marker left by a failed `onFiled` keeps its name taken, so that its retry moves only the runs of its file.
    const processingName = await pickFreeName({ dir: this.#dirs.processing, name: candidate.name, companions: [SIDECAR_SUFFIX, FILING_SUFFIX] });
    const file = path.join(this.#dirs.processing, processingName);
    try {
      // Same folder tree, so rename is atomic: the file is either still in the inbox or in processing/.
      await rename(source, file);
    } catch (error) {
      if (isErrno(error, 'ENOENT')) return;
      this.#blocked.set(candidate.name, { size: info.size, mtimeMs: info.mtimeMs });
      this.#log('error', `${candidate.name}: cannot move it into processing/ (${(error as Error).message}); it is skipped until it changes`);
      return;
    }
    await moveIfExists(`${source}${SIDECAR_SUFFIX}`, `${file}${SIDECAR_SUFFIX}`);
    await this.#run(file, candidate.name, false);
  }

  /** Resolves the job, runs `onFile`, and files the result. `file` is in `processing/`. */
  async #run(file: string, originalName: string, resumed: boolean): Promise<void> {
    let job: InboxJob;
    try {
      job = await resolveInboxJob({ file, defaultTemplate: this.#options.defaultTemplate, knownTemplates: this.#options.knownTemplates });
    } catch (error) {
      await this.#settle(file, { kind: 'error', error, summary: null });
      return;
    }
    const controller = new AbortController();
    this.#activeController = controller;
    this.#log('info', `${resumed ? 'resuming' : 'picked up'} ${originalName}: template ${job.template} (from ${job.templateSource})`);
    this.#emit({ type: 'started', name: originalName, file, resumed, job });
    let result: unknown;
    try {
      if (this.#stopping) controller.abort(new CancelledError('The inbox watcher was stopped.'));
      result = await this.#options.onFile(file, { job, originalName, resumed, signal: controller.signal });
    } catch (error) {
      if (controller.signal.aborted) {
        this.#interrupted(file);
        return;
      }
      await this.#settle(file, { kind: 'error', error, summary: null });
      return;
    } finally {
      this.#activeController = null;
    }
    if (!isInboxFileResult(result)) {
      const error = new ConfigError(
        `onFile returned ${JSON.stringify(result)} for ${originalName}; it must resolve with { outcome: 'done', summary } or { outcome: 'invalid', report, summary }.`,
        { code: 'RW_INBOX_BAD_RESULT' },
      );
      await this.#settle(file, { kind: 'error', error, summary: null });
      return;
    }
    switch (result.outcome) {
      case 'done':
        if (result.summary.status === 'cancelled') this.#interrupted(file);
        else if (result.summary.status === 'failed') {
          // The run itself broke or could not start (e.g. RW_RUN_LOCKED): not done, whatever onFile called it.
          const record = result.summary.error ?? { code: 'RW_RUN_FAILED', message: 'the run failed without an error record' };
          const error = new ReelwrightError(record.message, { code: record.code as `RW_${string}` });
          await this.#settle(file, { kind: 'error', error, summary: result.summary });
        } else await this.#settle(file, { kind: 'done', summary: result.summary });
        return;
      case 'invalid':
        await this.#settle(file, { kind: 'invalid', report: result.report, summary: result.summary ?? null });
        return;
      default:
        assertNever(result, 'onFile result');
    }
  }

  #interrupted(file: string): void {
    const name = path.basename(file);
    this.#log('warn', `${name}: the run was cancelled; it stays in processing/ and resumes when the watcher starts again`);
    this.#emit({ type: 'interrupted', name, file });
  }

  /** Calls `onFiled` for a move and removes its marker; when `onFiled` throws, the marker stays for the next start. */
  async #recordFiling(marker: string, move: { from: string; to: string }): Promise<void> {
    const onFiled = this.#options.onFiled;
    if (!onFiled) return;
    try {
      await onFiled({ ...move, signal: this.#stopController.signal });
    } catch (error) {
      // Stopping (the signal fired while onFiled waited) is expected; anything else is worth an error line.
      this.#log(
        this.#stopController.signal.aborted ? 'warn' : 'error',
        `${path.basename(move.from)}: could not record that it moved to ${path.relative(this.inbox, move.to)} (retried when the watcher starts again):`,
        error,
      );
      return;
    }
    await rm(marker, { force: true });
  }

  /** Finishes a filing found at start: records the move if it happened, else drops the marker (the file runs again). */
  async #finishFiling(marker: string): Promise<void> {
    let move: { from: string; to: string } | null = null;
    try {
      const value = JSON.parse(await readFile(marker, 'utf8')) as Partial<Record<'from' | 'to', unknown>>;
      if (typeof value.from === 'string' && typeof value.to === 'string') move = { from: value.from, to: value.to };
    } catch (error) {
      if (!(error instanceof SyntaxError)) throw error;
    }
    if (move === null) {
      // Written atomically by #settle, so only a hand-edited file gets here: nothing to record.
      this.#log('warn', `ignoring ${path.basename(marker)}: it is not a filing record; deleting it`);
    } else if (await pathExists(move.from)) {
      this.#log('verbose', `${path.basename(move.from)} never left processing/; it runs again`);
    } else {
      this.#log('info', `recording that ${path.basename(move.from)} moved to ${path.relative(this.inbox, move.to)} (the previous watcher stopped before it did)`);
      await this.#recordFiling(marker, move);
      return;
    }
    await rm(marker, { force: true });
  }

  /** Moves a file out of `processing/` into `done/` or `failed/`, writing its summary or report first. */
  async #settle(file: string, settlement: Settlement): Promise<void> {
    const name = path.basename(file);
    const dir = settlement.kind === 'done' ? this.#dirs.done : this.#dirs.failed;
    const finalName = await pickFreeName({ dir, name, companions: [SUMMARY_SUFFIX, REPORT_SUFFIX, SIDECAR_SUFFIX] });
    const finalFile = path.join(dir, finalName);
    // Companions first, the data file last: after a crash in between, the file is still in processing/ and is run
    // again (the render is incremental), and its new companions get a fresh name instead of overwriting these.
    const summary = settlement.summary;
    const summaryFile = `${finalFile}${SUMMARY_SUFFIX}`;
    if (summary) {
      // `dataset` is rewritten to where the file now lives: processing/ is only a waypoint.
      await writeFilesAtomic({ files: [{ file: summaryFile, data: `${JSON.stringify({ ...summary, dataset: finalFile }, null, 2)}\n` }] });
    }
    const reportFile = `${finalFile}${REPORT_SUFFIX}`;
    if (settlement.kind === 'invalid') await writeFilesAtomic({ files: [{ file: reportFile, data: settlement.report.endsWith('\n') ? settlement.report : `${settlement.report}\n` }] });
    if (settlement.kind === 'error') {
      await writeFilesAtomic({ files: [{ file: reportFile, data: `reelwright could not process ${name}.\n\n${describeError(settlement.error)}` }] });
    }
    // With onFiled, a marker naming the destination is written before the move and removed once onFiled recorded it. A
    // crash before the move leaves the file in processing/ (the marker is dropped at start and the file runs again); a
    // crash after it leaves the marker, and the next watcher calls onFiled before anything else. Recording the move
    // before it instead would point the journal at a path the file may never reach (a crash in between makes the re-run
    // pick a fresh name, since these companions now hold this one).
    const marker = `${file}${FILING_SUFFIX}`;
    if (this.#options.onFiled) await writeFilesAtomic({ files: [{ file: marker, data: `${JSON.stringify({ from: file, to: finalFile })}\n` }] });
    await rename(file, finalFile);
    await moveIfExists(`${file}${SIDECAR_SUFFIX}`, `${finalFile}${SIDECAR_SUFFIX}`);
    if (this.#options.onFiled) await this.#recordFiling(marker, { from: file, to: finalFile });
    switch (settlement.kind) {
      case 'done':
        this.#log('info', `${name} → ${path.relative(this.inbox, finalFile)} (summary: ${path.basename(summaryFile)})`);
        this.#emit({ type: 'done', name, file: finalFile, summaryFile });
        return;
      case 'invalid':
        this.#log('warn', `${name} has no valid rows → ${path.relative(this.inbox, finalFile)} (report: ${path.basename(reportFile)})`);
        this.#emit({ type: 'failed', name, file: finalFile, reason: 'invalid', reportFile, error: null });
        return;
      case 'error': {
        const error = toErrorRecord(settlement.error);
        this.#log('error', `${name} failed (${error.code}: ${error.message}) → ${path.relative(this.inbox, finalFile)}`);
        this.#emit({ type: 'failed', name, file: finalFile, reason: 'error', reportFile, error });
        return;
      }
      default:
        assertNever(settlement, 'settlement');
    }
  }
}

/**
 * Watches a folder for dropped datasets and runs each one once it is completely written: the "drop a CSV" front door.
 *
 * - **What is picked up:** `.csv`, `.tsv`, `.json`, `.ndjson`, `.jsonl` directly in the inbox; dotfiles, `*.tmp`,
 *   `*.part`, `*.crdownload` and sidecars are ignored (see `isInboxDataFile`).
 * - **Complete means:** size and mtime unchanged for `stableMs` while watched; or, for a file that arrived whole,
 *   unchanged across two looks one poll apart. Arrived whole = renamed from a partial name the watcher saw
 *   (`leads.csv.part` → `leads.csv`), or moved in with an mtime already `stableMs` old. Writers that may pause longer
 *   than `stableMs` mid-file should write to `name.csv.part` and rename when done.
 * - **Order:** one file at a time, first complete first (FIFO); files dropped meanwhile wait in the inbox.
 * - **Filing:** the file is renamed into `processing/` before `onFile` runs; then to `done/` with
 *   `<name>.summary.json`, or to `failed/` with `<name>.report.txt` (the validation report or the error). Name
 *   collisions get a timestamp before the extension. A sidecar `<name>.reelwright.json` moves along.
 * - **Crash safety:** files in `processing/` at start are resumed first (the render is incremental, so re-running is
 *   safe); files still in the inbox are found again by the first scan. A lock (`.reelwright-watch.lock`) keeps a
 *   second watcher off the same inbox. With `onFiled`, a move it had not recorded yet when it died is recorded by the
 *   next watcher before anything else runs (see `FILING_SUFFIX`).
 *
 * @throws ConfigError `RW_INVALID_OPTION`, `RW_INBOX_MISSING` (inbox is not a folder), `RW_INBOX_LOCKED`,
 *   `RW_INBOX_UNKNOWN_TEMPLATE` (default template not in `knownTemplates`); `CancelledError` when `signal` has fired.
 * @example
 * const watcher = await watchInbox({
 *   inbox: 'inbox', defaultTemplate: 'welcome', signal,
 *   onFile: async (file, { job, signal }) => ({ outcome: 'done', summary: await runBatch({ dataset: file, template: job.template, signal }) }),
 * });
 * await watcher.closed;
 * @see resolveInboxJob for the template rules (sidecar, naming rule, default).
 */
export async function watchInbox(options: WatchInboxOptions): Promise<InboxWatcher> {
  const resolved = validate(options);
  throwIfAborted(resolved.signal);
  let info: Stats;
  try {
    info = await stat(resolved.inbox);
  } catch (error) {
    throw new ConfigError(`The inbox folder ${resolved.inbox} does not exist. Create it or pass an existing folder.`, { code: 'RW_INBOX_MISSING', cause: error });
  }
  if (!info.isDirectory()) throw new ConfigError(`The inbox ${resolved.inbox} is not a folder. Pass a folder to watch.`, { code: 'RW_INBOX_MISSING' });
  for (const folder of Object.values(INBOX_FOLDERS)) await mkdir(path.join(resolved.inbox, folder), { recursive: true });
  const lock = await acquireInboxLock({ inbox: resolved.inbox });
  const watcher = new RunningInboxWatcher(resolved, lock);
  try {
    await watcher.start();
  } catch (error) {
    await watcher.close();
    throw error;
  }
  return watcher;
}
