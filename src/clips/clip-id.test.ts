import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { normalizePrompt, promptHash, toClipId } from './index.js';
import type { ClipRequest } from './index.js';

const base: ClipRequest = {
  provider: 'local',
  model: 'placeholder-v1',
  prompt: 'A rainy neon street at night',
  seconds: 5,
  aspect: '16:9',
  resolution: null,
  seed: 42,
  inputImageHash: null,
  params: { loop: true, motion: 3 },
  draft: false,
};

describe('normalizePrompt', () => {
  it('collapses every kind of whitespace run to one space and trims the ends', () => {
    expect(normalizePrompt('  rainy\t\tneon \n\r\n street\u00a0at\u2003night\u3000 ')).toBe('rainy neon street at night');
    expect(normalizePrompt('line\u2028break\u0085next\u200bzero\ufeffbom')).toBe('line break next zero bom');
  });

  it('NFC-normalizes so precomposed and combining accents are the same text', () => {
    expect(normalizePrompt('cafe\u0301')).toBe('caf\u00e9');
  });

  it('keeps case and punctuation, which can change what a model makes', () => {
    expect(normalizePrompt('Neon, CITY!')).toBe('Neon, CITY!');
  });
});

describe('promptHash', () => {
  it('is the sha256 of the normalized prompt', () => {
    const expected = createHash('sha256').update('a b', 'utf8').digest('hex');
    expect(promptHash(' a \n b ')).toBe(expected);
    expect(promptHash('a b')).toHaveLength(64);
  });
});

describe('toClipId', () => {
  it('gives identical requests identical 32-hex ids', () => {
    const id = toClipId(base);
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(toClipId({ ...base, params: { ...base.params } })).toBe(id);
  });

  it('hashes the documented canonical JSON', () => {
    const canonical =
      '{"aspect":"16:9","draft":false,"inputImageHash":null,"model":"placeholder-v1","params":{"loop":true,"motion":3},' +
      '"prompt":"A rainy neon street at night","provider":"local","resolution":null,"seconds":5,"seed":42}';
    expect(toClipId(base)).toBe(createHash('sha256').update(canonical).digest('hex').slice(0, 32));
  });

  it('ignores whitespace variants, Unicode composition and the order of params keys', () => {
    const id = toClipId(base);
    expect(toClipId({ ...base, prompt: '  A rainy\nneon\u00a0street  at\tnight ' })).toBe(id);
    expect(toClipId({ ...base, params: { motion: 3, loop: true } })).toBe(id);
    const accented = toClipId({ ...base, prompt: 'caf\u00e9 at dawn' });
    expect(toClipId({ ...base, prompt: 'cafe\u0301 at dawn' })).toBe(accented);
    expect(toClipId({ ...base, seconds: 5.0 })).toBe(id);
  });

  it('changes when any field changes', () => {
    const variants: ClipRequest[] = [
      { ...base, provider: 'runway' },
      { ...base, model: 'placeholder-v2' },
      { ...base, prompt: 'A rainy neon street at dawn' },
      { ...base, prompt: 'a rainy neon street at night' },
      { ...base, seconds: 6 },
      { ...base, seconds: 5.5 },
      { ...base, aspect: '9:16' },
      { ...base, aspect: '1:1' },
      { ...base, resolution: '720p' },
      { ...base, seed: 43 },
      { ...base, seed: null },
      { ...base, inputImageHash: 'ab'.repeat(32) },
      { ...base, params: { loop: false, motion: 3 } },
      { ...base, params: { loop: true, motion: '3' } },
      { ...base, params: { loop: true } },
      { ...base, params: { loop: true, motion: 3, extra: 'x' } },
      { ...base, draft: true },
    ];
    const ids = [toClipId(base), ...variants.map(toClipId)];
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('rejects numbers that JSON cannot tell apart', () => {
    expect(() => toClipId({ ...base, seconds: Number.NaN })).toThrow(expect.objectContaining({ code: 'RW_CLIP_INVALID_REQUEST' }));
    expect(() => toClipId({ ...base, params: { motion: Number.POSITIVE_INFINITY } })).toThrow(/request\.params\.motion must be a finite number/);
    expect(() => toClipId({ ...base, seed: 1.5 })).toThrow(/request\.seed must be an integer or null/);
  });
});
