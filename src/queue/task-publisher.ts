import { createHash } from 'node:crypto';
import path from 'node:path';
import { throwIfAborted } from '../errors/index.js';
import type { RenderTask } from '../pool/index.js';
import { canonicalJson } from './canonical-json.js';
import { QueueError } from './queue-error.js';
import { recordBundleManifest, type ManifestStore } from './record-bundle-manifest.js';
import { sha256File } from './sha256-file.js';
import { listDirFiles } from './storage/list-dir-files.js';
import { toKeySegment, toStorageKey } from './storage/to-storage-key.js';
import type { RenderStorage, StorageKey } from './storage/types.js';
import { QUEUE_JOB_VERSION, type QueueRenderJob, type StoredRenderTask } from './types.js';

/** A template folder larger than this is refused (a template given as a file in a whole project folder). */
export const MAX_TEMPLATE_DIR_BYTES = 200 * 1024 ** 2;
/** … or with more files than this. */
export const MAX_TEMPLATE_DIR_FILES = 2_000;

/** Options of `TaskPublisher`. */
export type TaskPublisherOptions = {
  storage: RenderStorage;
  /** Where bundle manifests are recorded (the coordinator's Redis connection). */
  redis: ManifestStore;
  /** The coordinator's run key; it names the outputs folder. */
  runId: string;
};

/** A task made ready for the queue. */
export type PublishedTask = { job: QueueRenderJob; taskHash: string };

/**
 * The coordinator's half of shared storage: publishes what a `RenderTask` needs — the template's source folder, its
 * browser bundle (plus its manifest in Redis), row media and pre-decoded clip frames — and rewrites the task's
 * absolute paths into storage keys. Everything is content-addressed and published once per runner (memoized), so
 * 40 rows of one template publish the bundle once.
 */
export class TaskPublisher {
  readonly #options: TaskPublisherOptions;
  readonly #memo = new Map<string, Promise<unknown>>();

  constructor(options: TaskPublisherOptions) {
    this.#options = options;
  }

  /** Publishes what `task` needs and returns the job data to enqueue. */
  async publish(task: RenderTask, signal: AbortSignal | null): Promise<PublishedTask> {
    throwIfAborted(signal);
    const template = await this.#publishTemplate(task.templateEntry, signal);
    const bundleKey = await this.#publishBundle(task.bundleDir, task.bundleHash, signal);
    const props: Record<string, unknown> = { ...task.props };
    const mediaKeys = new Map<string, StorageKey>();
    for (const name of task.mediaProps) {
      const value = props[name];
      if (typeof value !== 'string' || value === '') continue;
      const key = await this.#publishMedia(value, `props.${name} of ${task.jobId}`, signal);
      mediaKeys.set(value, key);
      props[name] = key;
    }
    const clipFrames: StoredRenderTask['clipFrames'] = {};
    for (const [file, frames] of Object.entries(task.clipFrames)) {
      const mediaKey = mediaKeys.get(file) ?? (await this.#publishMedia(file, `the B-roll clip of ${task.jobId}`, signal));
      clipFrames[mediaKey] = { dirKey: await this.#publishFrames(frames.dir, signal), count: frames.count, fps: frames.fps };
    }
    const { templateEntry: _entry, cacheDir: _cache, bundleDir: _bundle, clipFrames: _frames, outFile, ...rest } = task;
    const withoutOutput = { ...rest, props, clipFrames, template, bundleKey };
    // Same row, template, media and settings (and output name) ⇒ same hash ⇒ same job id: a restarted coordinator
    // finds the job it enqueued before instead of adding another.
    const taskHash = createHash('sha256')
      .update(canonicalJson({ task: withoutOutput, outName: path.basename(outFile) }))
      .digest('hex');
    const outputKey = toStorageKey(`outputs/${toKeySegment(this.#options.runId)}/${taskHash.slice(0, 32)}/${toKeySegment(path.basename(outFile))}`);
    const stored: StoredRenderTask = { ...withoutOutput, outputKey };
    return { job: { type: 'render-job', version: QUEUE_JOB_VERSION, runId: this.#options.runId, taskHash, task: stored }, taskHash };
  }

  #once<T>(key: string, make: () => Promise<T>): Promise<T> {
    let value = this.#memo.get(key) as Promise<T> | undefined;
    if (!value) {
      value = make();
      this.#memo.set(key, value);
      value.catch(() => this.#memo.delete(key));
    }
    return value;
  }

  /** The template entry's folder, by a hash over its files (workers compile it for Node with their own install). */
  #publishTemplate(entry: string, signal: AbortSignal | null): Promise<StoredRenderTask['template']> {
    return this.#once(`template\n${entry}`, async () => {
      const dir = path.dirname(path.resolve(entry));
      const { storage } = this.#options;
      // Hash exactly what putDir publishes (the same listing rules), so the key names the content.
      const listing = await listDirFiles(dir, { maxBytes: MAX_TEMPLATE_DIR_BYTES, maxFiles: MAX_TEMPLATE_DIR_FILES, signal });
      const hash = createHash('sha256');
      for (const file of listing.files) {
        const { sha256 } = await sha256File(path.join(dir, ...file.path.split('/')), signal);
        hash.update(`${file.path}\0${file.bytes}\0${sha256}\n`);
      }
      const dirKey = toStorageKey(`templates/${hash.digest('hex').slice(0, 32)}`);
      await storage.putDir(dirKey, dir, { maxBytes: MAX_TEMPLATE_DIR_BYTES, maxFiles: MAX_TEMPLATE_DIR_FILES, signal });
      return { dirKey, entry: toStorageKey(path.basename(entry)) as string };
    });
  }

  #publishBundle(dir: string, hash: string, signal: AbortSignal | null): Promise<StorageKey> {
    return this.#once(`bundle\n${hash}`, async () => {
      if (!/^[0-9a-f]{16,128}$/.test(hash)) {
        throw new QueueError(`task.bundleHash must be the hex hash from bundleTemplate, got ${JSON.stringify(hash)}.`, { code: 'RW_QUEUE_BAD_JOB' });
      }
      const key = toStorageKey(`bundles/${hash}`);
      const manifest = await this.#options.storage.putDir(key, dir, { signal });
      await recordBundleManifest({ redis: this.#options.redis, hash, key, manifest });
      return key;
    });
  }

  #publishMedia(value: string, what: string, signal: AbortSignal | null): Promise<StorageKey> {
    const file = path.resolve(value);
    return this.#once(`media\n${file}`, async () => {
      let sha256: string;
      try {
        ({ sha256 } = await sha256File(file, signal));
      } catch (error) {
        throw new QueueError(`${what} points at ${file}, which cannot be read (${(error as Error).message}); it cannot be published to shared storage.`, {
          code: 'RW_STORAGE_MISSING',
          cause: error,
        });
      }
      const key = toStorageKey(`media/${sha256}/${toKeySegment(path.basename(file))}`);
      await this.#options.storage.putFile(key, file, signal);
      return key;
    });
  }

  /** Pre-decoded frames, by folder name (`<clip id>-<w>x<h>-<fps>`: the clip's content hash and the decode settings). */
  #publishFrames(dir: string, signal: AbortSignal | null): Promise<StorageKey> {
    return this.#once(`frames\n${path.resolve(dir)}`, async () => {
      const key = toStorageKey(`frames/${toKeySegment(path.basename(dir))}`);
      await this.#options.storage.putDir(key, dir, { signal });
      return key;
    });
  }
}
