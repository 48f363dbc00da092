import { describe, expect, it } from 'vitest';
import { toClipId } from '../clips/index.js';
import type { ClipRequest } from '../clips/index.js';
import { createClipMemo, type ClipRequestBase } from './create-clip-memo.js';

const base: ClipRequestBase = { provider: 'runway', model: 'gen4.5', seconds: 5, aspect: '16:9', resolution: null, seed: 7, params: {}, draft: false };
const PROMPT = 'Slow aerial footage of Lisbon at dusk';
const IMAGE_A = 'a'.repeat(64);
const IMAGE_B = 'b'.repeat(64);

/** The request the planner made before the memo, field by field in the same order. */
function plain(over: Partial<ClipRequest> = {}): ClipRequest {
  return { provider: base.provider, model: base.model, prompt: PROMPT, seconds: base.seconds, aspect: base.aspect, resolution: base.resolution, seed: base.seed, inputImageHash: null, params: {}, draft: base.draft, ...over };
}

describe('createClipMemo', () => {
  it('answers an identical request with the same entry, whose id is what toClipId gives it', () => {
    const clipOf = createClipMemo(base);
    const first = clipOf(PROMPT, null);
    expect(clipOf(PROMPT, null)).toBe(first);
    expect(first.clipId).toBe(toClipId(plain()));
    // The request is byte for byte the one the planner built before (the journal stores it as JSON).
    expect(JSON.stringify(first.request)).toBe(JSON.stringify(plain()));
  });

  it('gives a different id, each equal to toClipId, when only the seed, draft, params, resolution, provider, model, seconds or aspect differ', () => {
    const changes: Partial<ClipRequestBase>[] = [
      { seed: 8 },
      { seed: null },
      { draft: true },
      { params: { loop: true } },
      { params: { loop: false } },
      { resolution: '720p' },
      { provider: 'luma' },
      { model: 'gen4_turbo' },
      { seconds: 10 },
      { aspect: '9:16' },
    ];
    const ids = [createClipMemo(base)(PROMPT, null).clipId];
    for (const change of changes) {
      const entry = createClipMemo({ ...base, ...change })(PROMPT, null);
      expect(entry.clipId).toBe(toClipId(plain(change)));
      ids.push(entry.clipId);
    }
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('keeps requests that differ only in the first-frame image apart, and text→video apart from image→video', () => {
    const clipOf = createClipMemo(base);
    const text = clipOf(PROMPT, null);
    const a = clipOf(PROMPT, IMAGE_A);
    const b = clipOf(PROMPT, IMAGE_B);
    expect(new Set([text.clipId, a.clipId, b.clipId]).size).toBe(3);
    expect(a.clipId).toBe(toClipId(plain({ inputImageHash: IMAGE_A })));
    expect(b.clipId).toBe(toClipId(plain({ inputImageHash: IMAGE_B })));
    // Asked again in another order, each still gets its own.
    expect(clipOf(PROMPT, IMAGE_B)).toBe(b);
    expect(clipOf(PROMPT, null)).toBe(text);
    expect(clipOf(PROMPT, IMAGE_A)).toBe(a);
    // A prompt that spells an image hash is still a prompt.
    expect(clipOf(IMAGE_A, null).clipId).toBe(toClipId(plain({ prompt: IMAGE_A })));
  });

  it('gives different prompts different ids, and every answer matches an unmemoized toClipId', () => {
    const clipOf = createClipMemo(base);
    const prompts = ['Aerial of Lisbon', 'Aerial of Porto', 'Aerial of Lisbon ', 'aerial of Lisbon', 'Aerial of Lisbon'];
    for (const prompt of prompts) expect(clipOf(prompt, null).clipId).toBe(toClipId(plain({ prompt })));
    expect(new Set(prompts.map((p) => clipOf(p.trim(), null).clipId)).size).toBe(3);
  });

  it('is not affected by later changes to the object it was created from', () => {
    const mutable: ClipRequestBase = { ...base, params: { loop: true } };
    const clipOf = createClipMemo(mutable);
    const before = clipOf(PROMPT, null).clipId;
    mutable.seed = 99;
    (mutable.params as Record<string, boolean>)['loop'] = false;
    expect(clipOf('Another prompt', null).clipId).toBe(toClipId(plain({ prompt: 'Another prompt', params: { loop: true } })));
    expect(clipOf(PROMPT, null).clipId).toBe(before);
  });

  it('does not share a params object between requests', () => {
    const clipOf = createClipMemo({ ...base, params: { loop: true } });
    expect(clipOf('one', null).request.params).not.toBe(clipOf('two', null).request.params);
  });

  it('throws for a request toClipId refuses, every time, without remembering it', () => {
    const clipOf = createClipMemo({ ...base, seed: 1.5 });
    expect(() => clipOf(PROMPT, null)).toThrow(expect.objectContaining({ code: 'RW_CLIP_INVALID_REQUEST' }));
    expect(() => clipOf(PROMPT, null)).toThrow(/request\.seed must be an integer or null/);
  });
});
