import { log } from '../../src/log/index.js';

/** Prints one progress line. */
export type Say = (...parts: unknown[]) => void;

/**
 * A benchmark's progress printer: each line goes to stderr (through `log`) under `logOptions.tag`, prefixed with the
 * seconds since `createSay` was called, right-aligned to `width` characters.
 */
export function createSay(options: { logOptions: { logLevel: 'info'; tag: string }; width: number }): Say {
  const started = performance.now();
  return (...parts) => {
    log.info(options.logOptions, `[${((performance.now() - started) / 1000).toFixed(0).padStart(options.width)} s]`, ...parts);
  };
}
