/**
 * @module clips
 * The clip stage: the `ClipProvider` port and its adapters (`local/`, `runway/`, `luma/`), clip ids
 * (the dedupe and cache key), generation with retries, QA and the clip cache. It turns clip
 * requests into local clip files; it never knows about templates, rows or rendering.
 */
export { toClipId, normalizePrompt, promptHash, CLIP_ID_HEX_LENGTH } from './clip-id.js';
export type { ClipRequest, ClipId, ClipProvider, CostEstimate, SubmittedTask, TaskState, FailureKind, ProviderFailure } from './types.js';
export { ClipCache, ORPHAN_GRACE_MS } from './clip-cache.js';
export type { ClipCacheInit } from './clip-cache.js';
export { openClipCache, CLIP_CACHE_INDEX_FILE_NAME } from './cache/open-clip-cache.js';
export type { OpenClipCacheOptions } from './cache/open-clip-cache.js';
export { ClipCacheError } from './cache/clip-cache-error.js';
export { hashFile } from './cache/hash-file.js';
export type { HashFileOptions } from './cache/hash-file.js';
export { parseSize } from './cache/parse-size.js';
export { parseAge } from './cache/parse-age.js';
export type {
  ClipCacheEntry,
  ClipQaRecord,
  PutClipMeta,
  PruneClipsOptions,
  PruneClipsResult,
  CorruptClip,
  VerifyClipsResult,
} from './cache/types.js';
