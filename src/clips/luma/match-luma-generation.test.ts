import type LumaAI from 'lumaai';
import type { GenerationCreateParams } from 'lumaai/resources/generations/generations';
import { describe, expect, it } from 'vitest';
import { LUMA_CLOCK_SKEW_MS, matchLumaGeneration } from './match-luma-generation.js';

const SINCE = Date.parse('2026-11-25T12:00:00.000Z');
const body: GenerationCreateParams = { model: 'ray-flash-2', prompt: 'Aerial dusk footage of Lisbon', aspect_ratio: '16:9', duration: '5s', resolution: '540p', loop: false };

/** A listed generation as Luma shows it: `request` echoes what was sent. */
const generation = (id: string, createdAtMs: number, over: Partial<GenerationCreateParams> = {}): LumaAI.Generation =>
  ({
    id,
    generation_type: 'video',
    state: 'dreaming',
    created_at: new Date(createdAtMs).toISOString(),
    model: over.model ?? body.model,
    request: { generation_type: 'video', ...body, ...over },
  }) as LumaAI.Generation;

describe('matchLumaGeneration', () => {
  it('finds the generation with the same model, prompt, aspect ratio, duration, resolution and loop created after the call', () => {
    const generations = [generation('other-prompt', SINCE + 300, { prompt: 'Harbour at dawn' }), generation('ours', SINCE + 200), generation('older', SINCE - 3_600_000)];
    expect(matchLumaGeneration({ generations, body, sinceMs: SINCE })).toBe('ours');
  });

  it('ignores generations that differ in any parameter as sent', () => {
    for (const over of [{ model: 'ray-2' as const }, { prompt: 'Aerial dusk footage of Porto' }, { aspect_ratio: '9:16' as const }, { duration: '9s' }, { resolution: '720p' }, { loop: true }]) {
      expect(matchLumaGeneration({ generations: [generation('different', SINCE + 100, over)], body, sinceMs: SINCE }), JSON.stringify(over)).toBeNull();
    }
  });

  it('allows for clock skew, but not for older generations', () => {
    expect(matchLumaGeneration({ generations: [generation('skewed', SINCE - 30_000)], body, sinceMs: SINCE })).toBe('skewed');
    expect(matchLumaGeneration({ generations: [generation('too-old', SINCE - LUMA_CLOCK_SKEW_MS - 1)], body, sinceMs: SINCE })).toBeNull();
    expect(matchLumaGeneration({ generations: [{ ...generation('no-date', SINCE), created_at: undefined }], body, sinceMs: SINCE })).toBeNull();
  });

  it('never returns an excluded id (an earlier attempt of the same clip) and prefers the one created closest to the call', () => {
    const generations = [generation('later-twin', SINCE + 20_000), generation('ours', SINCE + 150), generation('earlier-attempt', SINCE - 10_000)];
    expect(matchLumaGeneration({ generations, body, sinceMs: SINCE })).toBe('ours');
    expect(matchLumaGeneration({ generations, body, sinceMs: SINCE, excludeIds: ['ours', 'later-twin'] })).toBe('earlier-attempt');
    expect(matchLumaGeneration({ generations, body, sinceMs: SINCE, excludeIds: ['ours', 'later-twin', 'earlier-attempt'] })).toBeNull();
  });

  it('matches the first frame: an image→video request only matches a generation with the same keyframe URL', () => {
    const withImage: GenerationCreateParams = { ...body, keyframes: { frame0: { type: 'image', url: 'https://img.example/a.jpg' } } };
    const other = generation('other-image', SINCE + 100, { keyframes: { frame0: { type: 'image', url: 'https://img.example/b.jpg' } } });
    const same = generation('same-image', SINCE + 200, { keyframes: { frame0: { type: 'image', url: 'https://img.example/a.jpg' } } });
    const textOnly = generation('text-only', SINCE + 300);
    expect(matchLumaGeneration({ generations: [textOnly, other, same], body: withImage, sinceMs: SINCE })).toBe('same-image');
    expect(matchLumaGeneration({ generations: [other, same], body, sinceMs: SINCE })).toBeNull();
  });

  it('skips entries that are not video generations or have no id', () => {
    const image = { ...generation('image', SINCE + 100), generation_type: 'image' } as LumaAI.Generation;
    const noId = { ...generation('x', SINCE + 100), id: undefined } as LumaAI.Generation;
    expect(matchLumaGeneration({ generations: [image, noId], body, sinceMs: SINCE })).toBeNull();
  });
});
