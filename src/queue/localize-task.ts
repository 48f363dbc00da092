import path from 'node:path';
import { throwIfAborted } from '../errors/index.js';
import type { RenderTask } from '../pool/index.js';
import { toStorageKey } from './storage/to-storage-key.js';
import type { OutputTarget, RenderStorage } from './storage/types.js';
import type { BundleManifest, QueueRenderJob } from './types.js';

/** Options of `localizeTask`. */
export type LocalizeTaskOptions = {
  job: QueueRenderJob;
  storage: RenderStorage;
  /** The bundle's manifest from Redis; the bundle folder must match it before rendering starts. */
  manifest: BundleManifest;
  /** This worker's cache folder (compiled templates): `<state dir>/cache`. */
  cacheDir: string;
  /** How long to wait for a bundle folder that does not match its manifest yet; default the storage's (`DEFAULT_SETTLE_MS`). */
  settleMs?: number;
  signal?: AbortSignal | null;
};

/** A job's task with paths of this machine, and where its output goes. */
export type LocalizeTaskResult = { task: RenderTask; output: OutputTarget };

/**
 * The worker's half of shared storage: maps a queued task's storage keys to local paths of this machine (the shared
 * mount, or a download cache for object stores), checks the bundle against its manifest, and prepares the output.
 * Every key is re-checked with `toStorageKey`, since it came through Redis.
 *
 * @example
 * const { task, output } = await localizeTask({ job: job.data, storage, manifest, cacheDir });
 * await pool.run(task, { signal });
 * await output.commit();
 */
export async function localizeTask(options: LocalizeTaskOptions): Promise<LocalizeTaskResult> {
  const { job, storage, manifest } = options;
  const signal = options.signal ?? null;
  const stored = job.task;
  throwIfAborted(signal);
  const templateDir = await storage.localizeDir(toStorageKey(stored.template.dirKey), { signal });
  const templateEntry = path.join(templateDir, ...toStorageKey(stored.template.entry).split('/'));
  const bundleDir = await storage.localizeDir(toStorageKey(stored.bundleKey), { manifest, signal, ...(options.settleMs !== undefined ? { settleMs: options.settleMs } : {}) });
  const props: Record<string, unknown> = { ...stored.props };
  const localMedia = new Map<string, string>();
  const localize = async (key: string): Promise<string> => {
    let file = localMedia.get(key);
    if (file === undefined) {
      file = await storage.localizeFile(toStorageKey(key), signal);
      localMedia.set(key, file);
    }
    return file;
  };
  for (const name of stored.mediaProps) {
    const value = props[name];
    if (typeof value === 'string' && value !== '') props[name] = await localize(value);
  }
  const clipFrames: RenderTask['clipFrames'] = {};
  for (const [key, frames] of Object.entries(stored.clipFrames)) {
    clipFrames[await localize(key)] = { dir: await storage.localizeDir(toStorageKey(frames.dirKey), { signal }), count: frames.count, fps: frames.fps };
  }
  const output = await storage.prepareOutput(toStorageKey(stored.outputKey));
  const { template: _template, bundleKey: _bundleKey, outputKey: _outputKey, clipFrames: _clipFrames, props: _props, ...rest } = stored;
  return {
    task: { ...rest, templateEntry, cacheDir: options.cacheDir, bundleDir, props, clipFrames, outFile: output.file },
    output,
  };
}
