/**
 * @module clips
 * The clip stage: the `ClipProvider` port and its adapters (`local/`, `runway/`, `luma/`), clip ids
 * (the dedupe and cache key), generation with retries, QA and the clip cache. It turns clip
 * requests into local clip files; it never knows about templates, rows or rendering.
 */
export { toClipId, normalizePrompt, promptHash, CLIP_ID_HEX_LENGTH } from './clip-id.js';
export type { ClipRequest, ClipId, ClipProvider, CostEstimate, SubmittedTask, SubmittedSearch, TaskState, FailureKind, ProviderFailure } from './types.js';
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
export { generateClip, describeUnknownCost, DEFAULT_MAX_ATTEMPTS, DEFAULT_CLIP_DEADLINE_MS, DEFAULT_POLL_INTERVAL_MS } from './generate-clip.js';
export type {
  GenerateClipOptions,
  GenerateClipResult,
  ClipCacheWriter,
  ClipCacheMeta,
  ClipFallback,
  ClipEvent,
  OnClipEvent,
  AttemptAdmission,
} from './generate-clip.js';
export { toClipCacheWriter } from './to-clip-cache-writer.js';
export { checkClip, DEFAULT_CLIP_QA_LIMITS } from './check-clip.js';
export type { CheckClipOptions, CheckClipResult, ClipQaLimits, ClipQaCode } from './check-clip.js';
export { downloadClip, DEFAULT_MAX_CLIP_BYTES, DEFAULT_DOWNLOAD_TIMEOUT_MS } from './download-clip.js';
export type { DownloadClipOptions, DownloadClipResult } from './download-clip.js';
export { normalizeClip, clipFrameSize, DEFAULT_CLIP_FPS, DEFAULT_CLIP_RESOLUTION } from './normalize-clip.js';
export type { NormalizeClipOptions, NormalizeClipResult } from './normalize-clip.js';
export { retryDelay, parseRetryAfter, DEFAULT_RETRY_POLICY } from './retry-policy.js';
export type { RetryPolicy, RetryDelayOptions, ParseRetryAfterOptions } from './retry-policy.js';
export { createRateLimiter, DEFAULT_RATE_LIMITS, DEFAULT_RATE_WINDOW_MS } from './rate-limiter.js';
export type { RateLimiter, RateLimiterSlot, RateLimits, CreateRateLimiterOptions } from './rate-limiter.js';
export { priceFromTable, parsePriceTable, DEFAULT_PRICE_TABLE } from './price-table.js';
export type { PriceTable, PriceEntry, PriceFromTableOptions } from './price-table.js';
export { ProviderCallError, ClipGenerationError, ClipDownloadError } from './clip-errors.js';
export type { ProviderCallErrorCode, ProviderCallErrorOptions, ClipGenerationErrorCode, ClipGenerationErrorOptions, ClipDownloadErrorCode } from './clip-errors.js';
export { isCancellable } from './adapter-types.js';
export type { ResolveInputImage, CancellableClipProvider } from './adapter-types.js';
export { createProvider, PROVIDER_ENV } from './create-provider.js';
export type { CreateProviderOptions, PaidProviderConfig } from './create-provider.js';
export { readBalance, DEFAULT_BALANCE_TIMEOUT_MS } from './read-balance.js';
export type { ReadBalanceOptions, ProviderBalance } from './read-balance.js';
export { createRunwayProvider, DEFAULT_RUNWAY_MODEL, DEFAULT_RUNWAY_TIMEOUT_MS, RUNWAY_CREDIT_USD } from './runway/runway-provider.js';
export type { CreateRunwayProviderOptions } from './runway/runway-provider.js';
export { RUNWAY_MODELS, RUNWAY_PROMPT_MAX, RUNWAY_DATA_URI_MAX_BYTES, RUNWAY_IMAGE_TYPES, runwayRatio } from './runway/runway-models.js';
export type { RunwayModelSpec } from './runway/runway-models.js';
export { mapRunwayFailure, mapRunwayError, RUNWAY_FAILURE_TABLE } from './runway/map-runway-failure.js';
export type { RunwayTaskFailure } from './runway/map-runway-failure.js';
export { createLumaProvider, DEFAULT_LUMA_MODEL, DEFAULT_LUMA_RESOLUTION, DEFAULT_LUMA_TIMEOUT_MS } from './luma/luma-provider.js';
export type { CreateLumaProviderOptions } from './luma/luma-provider.js';
export { mapLumaFailure, mapLumaError, LUMA_FAILURE_TABLE } from './luma/map-luma-failure.js';
export type { ClipLedger, AttemptOutcome, AttemptStart, InflightAttempt, InputRefusal } from './clip-ledger.js';
export { refusedEarlierError } from './refused-earlier-error.js';
export type { RefusedEarlierErrorOptions } from './refused-earlier-error.js';
export { createLocalProvider, DEFAULT_LOCAL_MODEL, LOCAL_MODELS, LOCAL_MAX_SECONDS, DEFAULT_LOCAL_SHORT_SIDE, LOCAL_PRICE_DATE } from './local/local-provider.js';
export type { CreateLocalProviderOptions } from './local/local-provider.js';
export { generateLocalClip, LOCAL_CLIP_FPS, LOCAL_CLIP_COMMENT, LOCAL_CLIP_TITLE_MAX } from './local/generate-local-clip.js';
export type { GenerateLocalClipOptions, GenerateLocalClipResult } from './local/generate-local-clip.js';
export { buildLocalClipGraph } from './local/build-local-clip-graph.js';
export type { BuildLocalClipGraphOptions, LocalClipGraph } from './local/build-local-clip-graph.js';
