import { spawn } from 'node:child_process';
import type { RunSummary } from '../run/index.js';

/** Time limit of the hook. */
export const DEFAULT_ON_COMPLETE_TIMEOUT_MS = 60_000;
/** After SIGTERM (timeout or cancel), how long the hook gets before SIGKILL. */
export const DEFAULT_ON_COMPLETE_KILL_GRACE_MS = 5_000;
/** Bytes kept from the end of the hook's stdout and of its stderr. */
export const ON_COMPLETE_OUTPUT_TAIL_BYTES = 4_096;

/** Options for `runOnComplete`. */
export type RunOnCompleteOptions = {
  /** Program and arguments (never a shell string; see `parseCommandLine` for `--on-complete "<cmd> <args…>"`). */
  command: readonly string[];
  /** Written to the hook's stdin as one line of JSON, then stdin is closed. */
  summary: RunSummary;
  /** Kill the hook after this many ms. Default `DEFAULT_ON_COMPLETE_TIMEOUT_MS`. */
  timeoutMs?: number;
  /** Kill the hook when fired. */
  signal?: AbortSignal | null;
  /** Working folder of the hook; defaults to the current one. */
  cwd?: string;
  /** Environment of the hook; defaults to this process's environment. */
  env?: NodeJS.ProcessEnv;
  /** Ms between SIGTERM and SIGKILL. Default `DEFAULT_ON_COMPLETE_KILL_GRACE_MS`. */
  killGraceMs?: number;
};

/** How the hook ended. Never thrown: a failing hook is logged by the caller and never fails the run. */
export type RunOnCompleteResult = {
  /** True when the hook exited with code 0 within the time limit. */
  ok: boolean;
  /** Exit code, or null when it was killed by a signal or never started. */
  exitCode: number | null;
  /** The signal that ended it, or null. */
  exitSignal: NodeJS.Signals | null;
  /** True when it was killed for running longer than `timeoutMs`. */
  timedOut: boolean;
  /** Wall time from spawn to exit. */
  durationMs: number;
  /** Last `ON_COMPLETE_OUTPUT_TAIL_BYTES` of stdout / stderr, as UTF-8. */
  stdoutTail: string;
  stderrTail: string;
  /**
   * Why it is not ok, or null: `RW_HOOK_SPAWN_FAILED` (not found, not executable), `RW_HOOK_FAILED` (non-zero exit or
   * killed), `RW_HOOK_TIMEOUT`, `RW_CANCELLED`, `RW_INVALID_OPTION`.
   */
  error: { code: string; message: string } | null;
};

/** Keeps the last `limit` bytes of a stream. */
function tail(limit: number): { push(chunk: Buffer): void; text(): string } {
  let chunks: Buffer[] = [];
  let size = 0;
  return {
    push(chunk) {
      chunks.push(chunk);
      size += chunk.length;
      if (size > limit * 2) {
        const joined = Buffer.concat(chunks);
        chunks = [joined.subarray(joined.length - limit)];
        size = limit;
      }
    },
    text() {
      const joined = Buffer.concat(chunks);
      return joined.subarray(Math.max(0, joined.length - limit)).toString('utf8');
    },
  };
}

/**
 * Runs the `--on-complete` hook: spawns `command` without a shell (`shell: false`, argument array), writes the run
 * summary as JSON to its stdin, and reports how it ended. Nothing from the dataset reaches the command line; the hook
 * only sees the summary on stdin. On timeout or cancel the hook's process group gets SIGTERM, then SIGKILL after
 * `killGraceMs`. Never throws.
 *
 * @example
 * const result = await runOnComplete({ command: parseCommandLine(flags.onComplete), summary });
 * if (!result.ok) log.warn(logOptions, `--on-complete failed: ${result.error?.message}\n${result.stderrTail}`);
 * @see parseCommandLine
 */
export async function runOnComplete(options: RunOnCompleteOptions): Promise<RunOnCompleteResult> {
  const started = Date.now();
  const stdout = tail(ON_COMPLETE_OUTPUT_TAIL_BYTES);
  const stderr = tail(ON_COMPLETE_OUTPUT_TAIL_BYTES);
  const result = (fields: Partial<RunOnCompleteResult> & Pick<RunOnCompleteResult, 'ok' | 'error'>): RunOnCompleteResult => ({
    exitCode: null,
    exitSignal: null,
    timedOut: false,
    durationMs: Date.now() - started,
    stdoutTail: stdout.text(),
    stderrTail: stderr.text(),
    ...fields,
  });
  const command = options.command;
  if (!Array.isArray(command) || command.length === 0 || !command.every((part) => typeof part === 'string') || command[0] === '') {
    return result({ ok: false, error: { code: 'RW_INVALID_OPTION', message: 'options.command must be a non-empty array of strings: the program, then its arguments.' } });
  }
  if (command.some((part) => part.includes('\0'))) {
    return result({ ok: false, error: { code: 'RW_INVALID_OPTION', message: 'options.command must not contain NUL characters.' } });
  }
  const [program, ...args] = command as [string, ...string[]];
  const timeoutMs = options.timeoutMs ?? DEFAULT_ON_COMPLETE_TIMEOUT_MS;
  const killGraceMs = options.killGraceMs ?? DEFAULT_ON_COMPLETE_KILL_GRACE_MS;
  const signal = options.signal ?? null;
  if (signal?.aborted) return result({ ok: false, error: { code: 'RW_CANCELLED', message: `${program} was not started: the run was cancelled.` } });

  return new Promise<RunOnCompleteResult>((resolve) => {
    // detached: the hook gets its own process group, so a timeout also stops what it started (curl in a script).
    const detached = process.platform !== 'win32';
    const child = spawn(program, args, { shell: false, stdio: ['pipe', 'pipe', 'pipe'], cwd: options.cwd, env: options.env ?? process.env, detached });
    let settled = false;
    let timedOut = false;
    let cancelled = false;
    let killTimer: NodeJS.Timeout | null = null;

    const kill = (sig: NodeJS.Signals): void => {
      if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
      try {
        if (detached) process.kill(-child.pid, sig);
        else child.kill(sig);
      } catch {
        // The group is already gone (it exited between the check and the kill): nothing left to stop.
      }
    };
    const terminate = (): void => {
      kill('SIGTERM');
      killTimer ??= setTimeout(() => kill('SIGKILL'), killGraceMs);
    };
    const timer = setTimeout(() => {
      timedOut = true;
      terminate();
    }, timeoutMs);
    const onAbort = (): void => {
      cancelled = true;
      terminate();
    };
    signal?.addEventListener('abort', onAbort, { once: true });

    const finish = (value: RunOnCompleteResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (killTimer) clearTimeout(killTimer);
      signal?.removeEventListener('abort', onAbort);
      resolve(value);
    };

    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    // A hook that does not read stdin closes it early (EPIPE); that is its choice, not a failure.
    child.stdin.on('error', () => undefined);
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (child.pid !== undefined) return; // errors after spawn (kill failures) are reported through 'close'
      const hint = error.code === 'ENOENT' ? ' (not found: give the full path, or check PATH)' : error.code === 'EACCES' ? ' (not executable: chmod +x it)' : '';
      finish(result({ ok: false, error: { code: 'RW_HOOK_SPAWN_FAILED', message: `could not start ${program}: ${error.code ?? error.message}${hint}` } }));
    });
    child.on('close', (exitCode, exitSignal) => {
      const base = { exitCode, exitSignal, timedOut };
      if (timedOut) finish(result({ ...base, ok: false, error: { code: 'RW_HOOK_TIMEOUT', message: `${program} ran longer than ${timeoutMs} ms and was stopped.` } }));
      else if (cancelled) finish(result({ ...base, ok: false, error: { code: 'RW_CANCELLED', message: `${program} was stopped: the run was cancelled.` } }));
      else if (exitCode === 0) finish(result({ ...base, ok: true, error: null }));
      else {
        const how = exitSignal ? `was killed by ${exitSignal}` : `exited with code ${exitCode}`;
        finish(result({ ...base, ok: false, error: { code: 'RW_HOOK_FAILED', message: `${program} ${how}.` } }));
      }
    });
    child.stdin.end(`${JSON.stringify(options.summary)}\n`);
  });
}
