import type { ClipCache } from './clip-cache.js';
import type { ClipCacheWriter } from './generate-clip.js';

/**
 * Adapts the content-addressed `ClipCache` to the small port `generateClip` writes through
 * (`get` → path or null, `put` → final path).
 *
 * @example
 * await using cache = openClipCache({ stateDir: '.reelwright' });
 * await generateClip({ request, provider, ledger: journal, cache: toClipCacheWriter(cache) });
 */
export function toClipCacheWriter(cache: ClipCache): ClipCacheWriter {
  return {
    get: (clipId) => cache.get(clipId)?.file ?? null,
    put: async (clipId, tmpFile, meta) => (await cache.put(clipId, tmpFile, meta)).file,
  };
}
