/** Log levels, most verbose first. */
export type LogLevel = 'trace' | 'verbose' | 'info' | 'warn' | 'error';

const ORDER: Record<LogLevel, number> = { trace: 0, verbose: 1, info: 2, warn: 3, error: 4 };

/** One log event, handed to `onLog` when an embedder takes over logging. */
export type LogEvent = { level: LogLevel; tag: string; message: string };

/** Receives log events instead of stderr. */
export type OnLog = (event: LogEvent) => void;

/** Where and how much to log; passed explicitly, there is no global level. */
export type LogOptions = { logLevel: LogLevel; tag: string; onLog?: OnLog | null };

function emit(level: LogLevel, options: LogOptions, parts: unknown[]): void {
  if (ORDER[level] < ORDER[options.logLevel]) return;
  const message = parts.map((p) => (typeof p === 'string' ? p : p instanceof Error ? p.stack ?? p.message : JSON.stringify(p))).join(' ');
  if (options.onLog) {
    options.onLog({ level, tag: options.tag, message });
    return;
  }
  // Logs go to stderr: stdout is reserved for --json output.
  console.error(`${linePrefix(level, options.logLevel, options.tag)}${message}`);
}

/**
 * What a stderr line starts with. People see `error: …` / `warning: …` (info lines bare); the internal tag
 * (`[warn] runBatch(): …`) only shows at the verbose and trace levels, where it helps debugging.
 */
export function linePrefix(level: LogLevel, logLevel: LogLevel, tag: string): string {
  if (level === 'info') return '';
  if (ORDER[logLevel] <= ORDER.verbose) return `[${level}] ${tag}: `;
  return level === 'error' ? 'error: ' : level === 'warn' ? 'warning: ' : '';
}

/** The only place in reelwright that writes log lines. */
export const log = {
  trace: (options: LogOptions, ...parts: unknown[]) => emit('trace', options, parts),
  verbose: (options: LogOptions, ...parts: unknown[]) => emit('verbose', options, parts),
  info: (options: LogOptions, ...parts: unknown[]) => emit('info', options, parts),
  warn: (options: LogOptions, ...parts: unknown[]) => emit('warn', options, parts),
  error: (options: LogOptions, ...parts: unknown[]) => emit('error', options, parts),
};
