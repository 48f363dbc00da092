/**
 * Error codes are stable strings so that callers (CLI exit codes, reports, tests)
 * branch on `code`, never on message text.
 */
export type ErrorCode = `RW_${string}`;

/** Options shared by every reelwright error. */
export type ReelwrightErrorOptions = {
  /** Stable machine-readable code, `RW_SCREAMING_SNAKE`. */
  code: ErrorCode;
  /** The underlying error, kept when context is added. */
  cause?: unknown;
};

/** Base class of every error reelwright throws on purpose. */
export class ReelwrightError extends Error {
  readonly code: ErrorCode;
  constructor(message: string, options: ReelwrightErrorOptions) {
    super(message, { cause: options.cause });
    this.code = options.code;
    this.name = new.target.name;
  }
}

/** A dataset file or one of its rows is unusable. */
export class DatasetError extends ReelwrightError {}
/** A template definition or its code is wrong. */
export class TemplateError extends ReelwrightError {}
/** An AI clip provider failed; `retryable` tells the clip stage whether another attempt may help. */
export class ProviderError extends ReelwrightError {
  readonly retryable: boolean;
  constructor(message: string, options: ReelwrightErrorOptions & { retryable: boolean }) {
    super(message, options);
    this.retryable = options.retryable;
  }
}
/** Rendering frames in the browser failed. */
export class RenderError extends ReelwrightError {}
/** ffmpeg or ffprobe failed. */
export class EncodeError extends ReelwrightError {}
/** A configuration value or command-line option is invalid. */
export class ConfigError extends ReelwrightError {}
/** Work was stopped through an AbortSignal; `cause` is the signal's reason. */
export class CancelledError extends ReelwrightError {
  constructor(message = 'The operation was cancelled.', cause?: unknown) {
    super(message, { code: 'RW_CANCELLED', cause });
  }
}

/** Throws `CancelledError` when the signal has fired. Call before each step of long work. */
export function throwIfAborted(signal: AbortSignal | null | undefined): void {
  if (signal?.aborted) throw new CancelledError(undefined, signal.reason);
}

/** Exhaustiveness check for discriminated unions. */
export function assertNever(value: never, what = 'value'): never {
  throw new Error(`Unexpected ${what}: ${JSON.stringify(value)}`);
}

/** Plain-JSON form of an error, for the journal, worker messages and reports. */
export type ErrorRecord = { code: string; message: string; name: string };

/** Converts anything thrown into an `ErrorRecord` without losing the code. */
export function toErrorRecord(error: unknown): ErrorRecord {
  if (error instanceof ReelwrightError) return { code: error.code, message: error.message, name: error.name };
  if (error instanceof Error) return { code: 'RW_INTERNAL', message: error.message, name: error.name };
  return { code: 'RW_INTERNAL', message: String(error), name: 'Error' };
}
