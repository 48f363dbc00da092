import { toClipId } from '../clips/index.js';
import type { ClipId, ClipRequest } from '../clips/index.js';

/** The fields of a clip request that one B-roll slot fixes in one variant of a plan: all but the prompt and the first-frame image. */
export type ClipRequestBase = Omit<ClipRequest, 'prompt' | 'inputImageHash'>;

/** A clip request and its id. */
export type ClipMemoEntry = { readonly clipId: ClipId; readonly request: ClipRequest };

/**
 * Clip ids for one B-roll slot in one variant, computed once per distinct (prompt, first-frame image):
 * rows that render the same prompt get the same request object and id back instead of another
 * canonical JSON and sha256 (`toClipId`). The key holds every field that is not in `base`, and
 * `base` is fixed for the memo's life, so an entry can never answer for a different request.
 * `prompt` must already be normalized (`normalizePrompt`), as the request carries it.
 * A request `toClipId` refuses is not remembered: it throws again on every call.
 *
 * @example
 * const clipOf = createClipMemo({ provider: 'local', model: 'placeholder-v1', seconds: 5, aspect: '16:9', resolution: null, seed: null, params: {}, draft: false });
 * clipOf('Aerial footage of Lisbon', null).clipId === clipOf('Aerial footage of Lisbon', null).clipId; // true, hashed once
 */
export function createClipMemo(options: ClipRequestBase): (prompt: string, inputImageHash: string | null) => ClipMemoEntry {
  // A copy: later changes to the caller's object cannot reach remembered ids.
  const base: ClipRequestBase = { ...options, params: { ...options.params } };
  const textToVideo = new Map<string, ClipMemoEntry>();
  const byImage = new Map<string, Map<string, ClipMemoEntry>>();
  return (prompt, inputImageHash) => {
    let entries = textToVideo;
    if (inputImageHash !== null) {
      let forImage = byImage.get(inputImageHash);
      if (forImage === undefined) byImage.set(inputImageHash, (forImage = new Map()));
      entries = forImage;
    }
    let entry = entries.get(prompt);
    if (entry === undefined) {
      // Same key order as the planner always used: the request is stored in the journal as JSON.
      const request: ClipRequest = {
        provider: base.provider,
        model: base.model,
        prompt,
        seconds: base.seconds,
        aspect: base.aspect,
        resolution: base.resolution,
        seed: base.seed,
        inputImageHash,
        params: { ...base.params },
        draft: base.draft,
      };
      entry = { clipId: toClipId(request), request };
      entries.set(prompt, entry);
    }
    return entry;
  };
}
