import { QueueError } from './queue-error.js';
import type { ManifestStore } from './record-bundle-manifest.js';
import { toStorageKey } from './storage/to-storage-key.js';
import { BUNDLE_MANIFEST_KEY_PREFIX, type BundleManifest } from './types.js';

/**
 * Reads and checks the manifest of bundle `hash` from Redis. Throws `QueueError` `RW_QUEUE_BUNDLE_MISSING` when there is
 * none (the coordinator always records it before it enqueues a job, so Redis lost it: a retry after the coordinator
 * publishes again can succeed) and `RW_QUEUE_BAD_JOB` when it is not a manifest.
 *
 * @example
 * const manifest = await readBundleManifest({ redis, hash: job.task.bundleHash });
 * const bundleDir = await storage.localizeDir(manifest.key, { manifest });
 */
export async function readBundleManifest(options: { redis: Pick<ManifestStore, 'get'>; hash: string }): Promise<BundleManifest> {
  const key = `${BUNDLE_MANIFEST_KEY_PREFIX}${options.hash}`;
  const text = await options.redis.get(key);
  if (text === null) {
    throw new QueueError(`Redis has no manifest for template bundle ${options.hash.slice(0, 12)}… (key ${key}). Run the coordinator (render --queue) again to publish it.`, {
      code: 'RW_QUEUE_BUNDLE_MISSING',
    });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new QueueError(`Redis key ${key} does not hold JSON.`, { code: 'RW_QUEUE_BAD_JOB', cause: error });
  }
  const manifest = value as Partial<BundleManifest> | null;
  if (
    manifest?.type !== 'dir-manifest' ||
    manifest.hash !== options.hash ||
    typeof manifest.key !== 'string' ||
    !Array.isArray(manifest.files) ||
    !manifest.files.every((f) => typeof f?.path === 'string' && Number.isInteger(f.bytes))
  ) {
    throw new QueueError(`Redis key ${key} does not hold a bundle manifest for ${options.hash.slice(0, 12)}….`, { code: 'RW_QUEUE_BAD_JOB' });
  }
  // File paths are joined to a local folder when checked: hold them to the same rules as keys.
  for (const file of manifest.files) toStorageKey(file.path);
  return { ...(manifest as BundleManifest), key: toStorageKey(manifest.key) };
}
