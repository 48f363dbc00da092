/**
 * @module clips
 * The clip stage: the `ClipProvider` port and its adapters (`local/`, `runway/`, `luma/`), clip ids
 * (the dedupe and cache key), generation with retries, QA and the clip cache. It turns clip
 * requests into local clip files; it never knows about templates, rows or rendering.
 */
export { toClipId, normalizePrompt, promptHash, CLIP_ID_HEX_LENGTH } from './clip-id.js';
export type { ClipRequest, ClipId, ClipProvider, CostEstimate, SubmittedTask, TaskState, FailureKind, ProviderFailure } from './types.js';
