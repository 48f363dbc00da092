import type { DirManifest, StorageKey } from './storage/types.js';
import { BUNDLE_MANIFEST_KEY_PREFIX, type BundleManifest } from './types.js';

/** How long a bundle manifest stays in Redis after its last publish (each run that uses the bundle renews it). */
export const DEFAULT_MANIFEST_TTL_SECONDS = 30 * 24 * 3600;

/** The few Redis commands manifests need (an ioredis client fits). */
export type ManifestStore = {
  get(key: string): Promise<string | null>;
  set(key: string, value: string, mode: 'EX', seconds: number): Promise<unknown>;
};

/** Options of `recordBundleManifest`. */
export type RecordBundleManifestOptions = {
  redis: ManifestStore;
  /** The bundle's content hash (`bundleTemplate`'s `hash`). */
  hash: string;
  /** Where the bundle was published (`bundles/<hash>`). */
  key: StorageKey;
  /** What `RenderStorage.putDir` published. */
  manifest: DirManifest;
  ttlSeconds?: number;
  now?: () => Date;
};

/**
 * Stores a published bundle's file list and sizes in Redis (`reelwright:bundle:<hash>`), so every worker can check that
 * its view of shared storage holds the complete bundle before it renders with it (`readBundleManifest`).
 *
 * @example
 * const manifest = await storage.putDir(key, bundle.dir);
 * await recordBundleManifest({ redis, hash: bundle.hash, key, manifest });
 */
export async function recordBundleManifest(options: RecordBundleManifestOptions): Promise<BundleManifest> {
  const record: BundleManifest = {
    ...options.manifest,
    hash: options.hash,
    key: options.key,
    publishedAt: (options.now?.() ?? new Date()).toISOString(),
  };
  await options.redis.set(`${BUNDLE_MANIFEST_KEY_PREFIX}${options.hash}`, JSON.stringify(record), 'EX', options.ttlSeconds ?? DEFAULT_MANIFEST_TTL_SECONDS);
  return record;
}
