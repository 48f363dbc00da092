import { spawn } from 'node:child_process';
import { CancelledError, EncodeError } from '../errors/index.js';

/** Paths of the media binaries; overridable with `REELWRIGHT_FFMPEG` / `REELWRIGHT_FFPROBE`. */
export const DEFAULT_FFMPEG = process.env['REELWRIGHT_FFMPEG'] ?? 'ffmpeg';
export const DEFAULT_FFPROBE = process.env['REELWRIGHT_FFPROBE'] ?? 'ffprobe';

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

const STDERR_LIMIT = 64 * 1024;

/**
 * Runs ffmpeg or ffprobe with an argument array (no shell) and resolves when it exits 0.
 * Rejects with `EncodeError` (code `RW_FFMPEG_FAILED` or `RW_FFMPEG_MISSING`) otherwise.
 */
export function runFfmpeg(options: RunFfmpegOptions): Promise<RunFfmpegResult> {
  const binaryName = options.binary ?? 'ffmpeg';
  const binary = binaryName === 'ffmpeg' ? DEFAULT_FFMPEG : DEFAULT_FFPROBE;
  const captureStdout = options.captureStdout ?? true;
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) {
      reject(new CancelledError(`${binaryName} was cancelled before it started.`, options.signal.reason));
      return;
    }
    const child = spawn(binary, [...options.args], { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      if (captureStdout) out.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-STDERR_LIMIT);
    });
    const onAbort = () => child.kill('SIGKILL');
    options.signal?.addEventListener('abort', onAbort, { once: true });
    child.on('error', (error: NodeJS.ErrnoException) => {
      options.signal?.removeEventListener('abort', onAbort);
      if (error.code === 'ENOENT') {
        reject(
          new EncodeError(`${binary} was not found. Install it with: sudo apt-get install -y ffmpeg (or set REELWRIGHT_${binaryName.toUpperCase()}).`, {
            code: 'RW_FFMPEG_MISSING',
            cause: error,
          }),
        );
      } else reject(new EncodeError(`${binary} could not start: ${error.message}`, { code: 'RW_FFMPEG_FAILED', cause: error }));
    });
    child.on('close', (code, signalName) => {
      options.signal?.removeEventListener('abort', onAbort);
      if (options.signal?.aborted) {
        reject(new CancelledError(`${binaryName} was cancelled.`, options.signal.reason));
        return;
      }
      if (code === 0) resolve({ stdout: Buffer.concat(out), stderr });
      else {
        const tail = stderr.trim().split('\n').slice(-6).join('\n');
        reject(
          new EncodeError(`${binaryName} ${options.args.join(' ')} exited with ${code ?? signalName}:\n${tail}`, { code: 'RW_FFMPEG_FAILED' }),
        );
      }
    });
    // EPIPE when ffmpeg exits early is reported through 'close' with its real error.
    child.stdin.on('error', () => undefined);
    if (options.stdin !== undefined) child.stdin.end(options.stdin);
    else child.stdin.end();
  });
}
