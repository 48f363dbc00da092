/**
 * Runs the real `reelwright` binary (`node bin/reelwright.js`) in a child process, for end-to-end tests.
 *
 * Every child is started as the leader of its own process group, so `kill()` reaches the Chromium and
 * ffmpeg processes it spawned too (a SIGKILL to the group is what a crash or power cut looks like), and
 * a test that fails half-way never leaves a browser behind.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** The CLI entry (`package.json` `bin`). */
export const BIN = path.join(REPO_ROOT, 'bin', 'reelwright.js');

/** How a CLI process ended. */
export type CliResult = {
  /** Exit code, or null when a signal ended it. */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Milliseconds from spawn to exit. */
  wallMs: number;
};

/** Options of `runCli` and `startCli`. */
export type CliOptions = {
  /** Working folder: the temporary project. */
  cwd: string;
  /** Extra environment (merged over `process.env`; `NO_COLOR` is always set). */
  env?: Readonly<Record<string, string>>;
};

/** A running CLI process. */
export type CliProcess = {
  readonly child: ChildProcess;
  /** Lines printed on stdout so far. */
  readonly stdoutLines: readonly string[];
  /** Resolves when the process has exited (never rejects). */
  readonly exited: Promise<CliResult>;
  /**
   * Resolves with the first stdout line (parsed as JSON) that `match` accepts, seen already or later.
   * Rejects when the process exits first, naming what it printed.
   */
  waitForJson<T = Record<string, unknown>>(match: (event: Record<string, unknown>) => boolean): Promise<T>;
  /** Sends `signal` to the whole process group (the CLI, its Chromium and ffmpeg children). */
  kill(signal?: NodeJS.Signals): void;
};

/**
 * Starts `reelwright <args>` in `options.cwd`. The caller must await `exited` (or `kill()` then await it).
 *
 * @example
 * const cli = startCli(['render', 'datasets/people.csv', '-t', 'card', '--json'], { cwd: project.dir });
 * await cli.waitForJson((e) => e['type'] === 'progress' && e['stage'] === 'render');
 * cli.kill('SIGKILL');
 * await cli.exited;
 */
export function startCli(args: readonly string[], options: CliOptions): CliProcess {
  const started = performance.now();
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: options.cwd,
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const stdoutLines: string[] = [];
  let stderr = '';
  let done = false;
  const waiters: { match: (event: Record<string, unknown>) => boolean; resolve: (event: Record<string, unknown>) => void; reject: (error: Error) => void }[] = [];
  const parse = (line: string): Record<string, unknown> | null => {
    if (!line.startsWith('{')) return null;
    try {
      return JSON.parse(line) as Record<string, unknown>;
    } catch {
      return null; // a pretty-printed document spans lines; only one-line events are matched
    }
  };
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const stdoutClosed = new Promise<void>((resolve) => {
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.on('line', (line) => {
      stdoutLines.push(line);
      const event = parse(line);
      if (!event) return;
      for (const waiter of waiters.filter((w) => w.match(event))) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(event);
      }
    });
    lines.on('close', resolve);
  });
  const stderrClosed = new Promise<void>((resolve) => child.stderr?.on('close', resolve));
  const exited = new Promise<CliResult>((resolve) => {
    child.on('exit', (code, signal) => {
      const wallMs = performance.now() - started;
      void Promise.all([stdoutClosed, stderrClosed]).then(() => {
        done = true;
        const result = { code, signal, stdout: stdoutLines.join('\n'), stderr, wallMs };
        for (const waiter of waiters.splice(0)) {
          waiter.reject(new Error(`reelwright ${args.join(' ')} exited (${code ?? signal}) before the awaited event.\nstdout:\n${result.stdout}\nstderr:\n${stderr}`));
        }
        resolve(result);
      });
    });
  });
  return {
    child,
    get stdoutLines() {
      return stdoutLines;
    },
    exited,
    waitForJson<T>(match: (event: Record<string, unknown>) => boolean): Promise<T> {
      for (const line of stdoutLines) {
        const event = parse(line);
        if (event && match(event)) return Promise.resolve(event as T);
      }
      if (done) return Promise.reject(new Error(`reelwright ${args.join(' ')} already exited without the awaited event.`));
      return new Promise<T>((resolve, reject) => waiters.push({ match, resolve: resolve as (event: Record<string, unknown>) => void, reject }));
    },
    kill(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.pid === undefined) return;
      // The group outlives its leader while a child (Chromium, ffmpeg) still runs: signal it even after exit.
      try {
        process.kill(-child.pid, signal);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error; // already gone
      }
    },
  };
}

/**
 * Runs `reelwright <args>` to the end and returns its exit code and output.
 *
 * @example
 * const result = await runCli(['validate', 'datasets/people.csv', '-t', 'card'], { cwd: project.dir });
 * expect(result.code).toBe(0);
 */
export async function runCli(args: readonly string[], options: CliOptions): Promise<CliResult> {
  const cli = startCli(args, options);
  try {
    return await cli.exited;
  } finally {
    // Whatever the CLI left running in its group (a browser it failed to close) goes with it.
    cli.kill('SIGKILL');
  }
}

/** The last stdout line that parses as a JSON object of `type` (e.g. the `render --json` summary). */
export function lastJsonEvent<T = Record<string, unknown>>(result: Pick<CliResult, 'stdout'>, type: string): T {
  const lines = result.stdout.split('\n').filter((l) => l.startsWith('{'));
  for (const line of lines.reverse()) {
    try {
      const event = JSON.parse(line) as Record<string, unknown>;
      if (event['type'] === type) return event as T;
    } catch {
      // not a one-line event
    }
  }
  throw new Error(`no {"type":"${type}"} line on stdout:\n${result.stdout}`);
}
