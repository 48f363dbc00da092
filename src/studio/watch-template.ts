import path from 'node:path';
import { watch } from 'chokidar';
import type { FSWatcher } from 'chokidar';
import { CancelledError } from '../errors/index.js';
import { bundleTemplate, isInside } from '../render/index.js';
import type { BundleTemplateResult } from '../render/index.js';
import { loadTemplate } from '../template/index.js';
import type { TemplateDefinition } from '../template/index.js';

/** Quiet time after the last file event before a rebuild (editors write a file in several steps). */
export const DEFAULT_REBUILD_DEBOUNCE_MS = 60;

/** How often chokidar re-checks the size of a file that was just written (`awaitWriteFinish.pollInterval`). */
const WRITE_FINISH_POLL_MS = 10;

/**
 * A finished build.
 * - `ready`: bundled for the browser (studio mode) and loaded in Node.
 * - `error`: either step failed; `error` is what it threw (a `TemplateError` naming file:line:column for compile errors).
 */
export type SettledTemplateBuild =
  | { status: 'ready'; definition: TemplateDefinition; bundle: BundleTemplateResult; sourceHash: string }
  | { status: 'error'; error: unknown };

/**
 * Where a watched template stands.
 * - `building`: a build is running (the previous result stays usable).
 * - otherwise the last finished build.
 */
export type TemplateBuild = { status: 'building' } | SettledTemplateBuild;

/** Options of `watchTemplate`. */
export type WatchTemplateOptions = {
  /** The template's entry file; its whole folder is watched. */
  entry: string;
  /** Cache root for bundles and Node modules (`<stateDir>/cache`). */
  cacheDir: string;
  /** Folders never watched even when inside the template folder (the state folder, outputs). */
  ignore?: readonly string[];
  /** Called when a build starts, and when one finishes with a different outcome (new code, new error, fixed). */
  onChange?: ((build: TemplateBuild) => void) | null;
  debounceMs?: number;
};

/** A template that is rebuilt whenever a file in its folder changes. */
export interface TemplateWatch {
  /** Absolute path of the entry file. */
  readonly entry: string;
  /** The current state. */
  current(): TemplateBuild;
  /** The latest finished build, waiting for a running one (and any change queued behind it). */
  settled(): Promise<SettledTemplateBuild>;
  /** Stops watching; pending builds finish but are not reported. */
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

function sameOutcome(a: SettledTemplateBuild | null, b: SettledTemplateBuild): boolean {
  if (a === null || a.status !== b.status) return false;
  if (a.status === 'ready' && b.status === 'ready') return a.bundle.hash === b.bundle.hash && a.sourceHash === b.sourceHash;
  if (a.status === 'error' && b.status === 'error') return String((a.error as Error)?.message) === String((b.error as Error)?.message);
  return false;
}

/**
 * Builds a template (browser bundle in `studio` mode with inline source maps, plus the Node load for its slots,
 * fps and variants) and rebuilds it whenever a file in its folder changes (chokidar). Changes that arrive during
 * a build queue one more build; only the newest outcome is reported. Resolves once the watcher is ready and the
 * first build has started.
 *
 * @example
 * await using watch = await watchTemplate({ entry: 'templates/welcome/index.tsx', cacheDir: '.reelwright/cache', onChange: console.log });
 * const build = await watch.settled();
 */
export async function watchTemplate(options: WatchTemplateOptions): Promise<TemplateWatch> {
  const entry = path.resolve(options.entry);
  const cacheDir = path.resolve(options.cacheDir);
  const ignore = [cacheDir, ...(options.ignore ?? [])].map((dir) => path.resolve(dir));
  const debounceMs = options.debounceMs ?? DEFAULT_REBUILD_DEBOUNCE_MS;
  let state: TemplateBuild = { status: 'building' };
  let last: SettledTemplateBuild | null = null;
  let running: Promise<void> | null = null;
  let queued = false;
  let closed = false;
  let timer: NodeJS.Timeout | null = null;
  const waiters: ((build: SettledTemplateBuild) => void)[] = [];

  const publish = (next: TemplateBuild) => {
    const previous = state;
    state = next;
    if (closed) return;
    if (next.status === 'building') {
      if (previous.status !== 'building') options.onChange?.(next);
      return;
    }
    const changed = !sameOutcome(last, next) || previous.status === 'building';
    last = next;
    for (const resolve of waiters.splice(0)) resolve(next);
    if (changed) options.onChange?.(next);
  };

  const buildOnce = async (): Promise<SettledTemplateBuild> => {
    try {
      const bundle = await bundleTemplate({ entry, cacheDir, mode: 'studio' });
      const loaded = await loadTemplate({ entry, cacheDir });
      return { status: 'ready', definition: loaded.definition, bundle, sourceHash: loaded.sourceHash };
    } catch (error) {
      return { status: 'error', error };
    }
  };

  const build = () => {
    if (running) {
      queued = true;
      return;
    }
    running = (async () => {
      let result: SettledTemplateBuild;
      do {
        queued = false;
        publish({ status: 'building' });
        result = await buildOnce();
        // A change arrived while building: its build supersedes this outcome (often a half-saved file).
      } while (queued && !closed);
      publish(result);
    })().finally(() => {
      running = null;
    });
  };

  const schedule = () => {
    if (closed) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      build();
    }, debounceMs);
  };

  const watcher: FSWatcher = watch(path.dirname(entry), {
    ignoreInitial: true,
    ignored: (file: string) => /(^|[\\/])(node_modules|\.git)([\\/]|$)/.test(file) || ignore.some((dir) => isInside(dir, file)),
    // Without awaitWriteFinish, chokidar 4 drops (does not defer) a `change` of a path that arrives within 50 ms of
    // the previous one (`_throttle('change', path, 50)` in FSWatcher._emit): a save right after a fast rebuild (a
    // compile error takes ~25 ms) was never reported. With it, every change of a path extends one pending write and
    // is reported once its size has been stable, bypassing that throttle.
    awaitWriteFinish: { stabilityThreshold: debounceMs, pollInterval: WRITE_FINISH_POLL_MS },
  });
  watcher.on('all', schedule);
  // A watcher error after `ready` (e.g. a file that became unreadable) must not crash the studio as an unhandled
  // 'error' event: it triggers a rebuild, which reports what is wrong with the template's files.
  let failedBeforeReady: ((error: unknown) => void) | null = null;
  watcher.on('error', (error: unknown) => {
    if (failedBeforeReady) failedBeforeReady(error);
    else schedule();
  });
  try {
    await new Promise<void>((resolve, reject) => {
      failedBeforeReady = reject;
      watcher.once('ready', resolve);
    });
  } catch (error) {
    await watcher.close();
    throw error;
  } finally {
    failedBeforeReady = null;
  }
  build();

  const close = async () => {
    closed = true;
    if (timer) clearTimeout(timer);
    timer = null;
    for (const resolve of waiters.splice(0)) resolve({ status: 'error', error: new CancelledError(`Watching ${entry} was stopped.`) });
    await watcher.close();
  };
  return {
    entry,
    current: () => state,
    settled: () =>
      state.status !== 'building' && timer === null && !queued ? Promise.resolve(state) : new Promise((resolve) => waiters.push(resolve)),
    close,
    [Symbol.asyncDispose]: close,
  };
}
