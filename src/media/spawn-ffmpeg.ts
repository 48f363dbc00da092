import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { CancelledError, EncodeError } from '../errors/index.js';

/** Path of the ffmpeg binary; overridable with `REELWRIGHT_FFMPEG`. */
export const DEFAULT_FFMPEG = process.env['REELWRIGHT_FFMPEG'] ?? 'ffmpeg';
/** Path of the ffprobe binary; overridable with `REELWRIGHT_FFPROBE`. */
export const DEFAULT_FFPROBE = process.env['REELWRIGHT_FFPROBE'] ?? 'ffprobe';

/** How many characters of stderr are kept for error messages and parsers. */
export const DEFAULT_STDERR_LIMIT = 64 * 1024;

/** Options for `spawnFfmpeg`. */
export type SpawnFfmpegOptions = {
  /** Arguments after the binary name; never a shell string. */
  args: readonly string[];
  /** `ffmpeg` (default) or `ffprobe`. */
  binary?: 'ffmpeg' | 'ffprobe';
  /** Kills the process (SIGKILL) when fired; `exited` then rejects with `CancelledError`. */
  signal?: AbortSignal | null;
  /** Keep stdout in memory and hand it to `exited` (ffprobe JSON, raw frames). Defaults to true. */
  captureStdout?: boolean;
  /** Called with each stdout chunk as it arrives (streaming consumers), in addition to capturing. */
  onStdout?: ((chunk: Buffer) => void) | null;
  /** Characters of stderr kept (the tail); defaults to `DEFAULT_STDERR_LIMIT`. */
  stderrLimit?: number;
};

/** What a finished ffmpeg/ffprobe run printed. */
export type SpawnFfmpegResult = { stdout: Buffer; stderr: string };

/** A running ffmpeg/ffprobe process. */
export type SpawnedFfmpeg = {
  /** The child process; write to `child.stdin` for streaming input. */
  child: ChildProcessByStdio<Writable, Readable, Readable>;
  /**
   * Resolves when the process exits 0. Rejects with `EncodeError` (`RW_FFMPEG_FAILED`, message
   * with the stderr tail; `RW_FFMPEG_MISSING` when the binary is absent) or `CancelledError`.
   */
  exited: Promise<SpawnFfmpegResult>;
  /** The stderr printed so far (the last `stderrLimit` characters). */
  stderr(): string;
  /** Kills the process with SIGKILL; `exited` rejects (with `CancelledError` if `reason` is given). */
  kill(reason?: unknown): void;
};

/** Formats the last lines of ffmpeg's stderr for an error message. */
function stderrTail(stderr: string, lines = 8): string {
  return stderr.trim().split('\n').slice(-lines).join('\n');
}

/**
 * Spawns ffmpeg or ffprobe with an argument array (never a shell) and tracks its exit.
 * The building block of `runFfmpeg` (one-shot) and `startEncoder` (streaming stdin).
 *
 * @example
 * const ff = spawnFfmpeg({ args: ['-i', '-', '-f', 'null', '-'] });
 * ff.child.stdin.end(bytes);
 * await ff.exited;
 */
export function spawnFfmpeg(options: SpawnFfmpegOptions): SpawnedFfmpeg {
  const binaryName = options.binary ?? 'ffmpeg';
  const binary = binaryName === 'ffmpeg' ? DEFAULT_FFMPEG : DEFAULT_FFPROBE;
  const captureStdout = options.captureStdout ?? true;
  const limit = options.stderrLimit ?? DEFAULT_STDERR_LIMIT;
  const signal = options.signal ?? null;
  const child = spawn(binary, [...options.args], { stdio: ['pipe', 'pipe', 'pipe'] });
  const out: Buffer[] = [];
  let stderr = '';
  let killReason: { reason: unknown } | null = null;

  child.stdout.on('data', (chunk: Buffer) => {
    if (captureStdout) out.push(chunk);
    options.onStdout?.(chunk);
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
    if (stderr.length > limit * 2) stderr = stderr.slice(-limit);
  });
  // EPIPE when ffmpeg exits early is reported through 'close' with its real error.
  child.stdin.on('error', () => undefined);

  const kill = (reason?: unknown) => {
    if (reason !== undefined && killReason === null) killReason = { reason };
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  const onAbort = () => kill(signal?.reason ?? new Error('aborted'));

  const exited = new Promise<SpawnFfmpegResult>((resolve, reject) => {
    child.on('error', (error: NodeJS.ErrnoException) => {
      signal?.removeEventListener('abort', onAbort);
      if (error.code === 'ENOENT') {
        reject(
          new EncodeError(
            `${binary} was not found. Install it with: sudo apt-get install -y ffmpeg (or set REELWRIGHT_${binaryName.toUpperCase()} to its path).`,
            { code: 'RW_FFMPEG_MISSING', cause: error },
          ),
        );
      } else reject(new EncodeError(`${binary} could not start: ${error.message}`, { code: 'RW_FFMPEG_FAILED', cause: error }));
    });
    child.on('close', (code, signalName) => {
      signal?.removeEventListener('abort', onAbort);
      stderr = stderr.slice(-limit);
      if (killReason !== null) {
        reject(new CancelledError(`${binaryName} was cancelled.`, killReason.reason));
        return;
      }
      if (code === 0) resolve({ stdout: Buffer.concat(out), stderr });
      else {
        reject(
          new EncodeError(`${binaryName} ${options.args.join(' ')} exited with ${code ?? signalName}:\n${stderrTail(stderr)}`, {
            code: 'RW_FFMPEG_FAILED',
          }),
        );
      }
    });
  });

  if (signal?.aborted) onAbort();
  else signal?.addEventListener('abort', onAbort, { once: true });

  return { child, exited, stderr: () => stderr.slice(-limit), kill };
}
