import { CancelledError } from '../errors/index.js';
import { spawnFfmpeg } from './spawn-ffmpeg.js';

// Kept here too so that existing imports of the binary paths from this file keep working.
export { DEFAULT_FFMPEG, DEFAULT_FFPROBE } from './spawn-ffmpeg.js';

/** Options for `runFfmpeg`. */
export type RunFfmpegOptions = {
  /** Arguments after the binary name; never a shell string. */
  args: readonly string[];
  /** `ffmpeg` (default) or `ffprobe`. */
  binary?: 'ffmpeg' | 'ffprobe';
  /** Bytes written to stdin, then stdin is closed. */
  stdin?: Buffer | string;
  /** Kills the process when fired. */
  signal?: AbortSignal | null;
  /** Keep stdout (ffprobe JSON, raw frames). Defaults to true. */
  captureStdout?: boolean;
};

/** What a finished ffmpeg/ffprobe run printed. */
export type RunFfmpegResult = { stdout: Buffer; stderr: string };

/**
 * Runs ffmpeg or ffprobe with an argument array (no shell) and resolves when it exits 0.
 * Rejects with `EncodeError` (code `RW_FFMPEG_FAILED` or `RW_FFMPEG_MISSING`) otherwise,
 * or with `CancelledError` when `signal` fires.
 *
 * @example
 * const { stderr } = await runFfmpeg({ args: ['-i', 'in.mp4', '-f', 'null', '-'] });
 * @see spawnFfmpeg for streaming input or output.
 */
export async function runFfmpeg(options: RunFfmpegOptions): Promise<RunFfmpegResult> {
  const binaryName = options.binary ?? 'ffmpeg';
  if (options.signal?.aborted) throw new CancelledError(`${binaryName} was cancelled before it started.`, options.signal.reason);
  const ff = spawnFfmpeg({
    args: options.args,
    binary: binaryName,
    signal: options.signal ?? null,
    captureStdout: options.captureStdout ?? true,
  });
  if (options.stdin !== undefined) ff.child.stdin.end(options.stdin);
  else ff.child.stdin.end();
  return ff.exited;
}
