import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { rowKey } from './index.js';
import type { RowKeyOptions } from './index.js';

const base: Omit<RowKeyOptions, 'values'> = { keySlot: null, slotOrder: ['city', 'logo', 'name', 'price'], imageSlots: new Set(['logo']), baseDir: '/data' };
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('rowKey', () => {
  it('hashes the canonical JSON of the values: sorted keys, empty slots left out', () => {
    const { key, hash } = rowKey({ ...base, values: { price: 3.5, name: 'Ada', city: 'London', logo: undefined } });
    const canonical = '{"city":"London","name":"Ada","price":3.5}';
    expect(key).toBe(sha256(canonical).slice(0, 16));
    expect(hash).toBe(sha256(`${canonical}\n${key}`));
  });

  it('gives the same key when the dataset folder moves, because image paths are hashed relative to it', () => {
    const here = rowKey({ ...base, values: { name: 'Ada', logo: '/data/images/ada.png' } });
    const moved = rowKey({ ...base, baseDir: '/elsewhere/data', values: { name: 'Ada', logo: '/elsewhere/data/images/ada.png' } });
    expect(moved).toEqual(here);
    expect(rowKey({ ...base, values: { name: 'Ada', logo: 'https://example.com/ada.png' } }).key).not.toBe(here.key);
  });

  it('uses the rowKey slot value as the key, and still changes the hash when any value changes', () => {
    const a = rowKey({ ...base, keySlot: 'name', values: { name: 'Ada', city: 'London' } });
    const b = rowKey({ ...base, keySlot: 'name', values: { name: 'Ada', city: 'Paris' } });
    expect(a.key).toBe('Ada');
    expect(b.key).toBe('Ada');
    expect(a.hash).not.toBe(b.hash);
  });
});
