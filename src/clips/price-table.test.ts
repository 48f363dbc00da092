import { describe, expect, it } from 'vitest';
import { DEFAULT_PRICE_TABLE, parsePriceTable, priceFromTable } from './index.js';

const lookup = (provider: string, model: string, resolution: string | null, seconds: number, params = {}) =>
  priceFromTable({ table: DEFAULT_PRICE_TABLE, provider, model, resolution, seconds, params });

describe('the price table', () => {
  it('holds the PROVIDERS.md prices with their source and date', () => {
    expect(lookup('runway', 'gen4.5', '720p', 5)).toEqual({ usd: 0.6, source: expect.stringMatching(/12 credits\/s/), date: '2026-11-01' });
    expect(lookup('runway', 'gen4_turbo', '720p', 10).usd).toBe(0.5);
    expect(lookup('luma', 'ray-2', '720p', 5).usd).toBe(0.71);
    expect(lookup('luma', 'ray-2', '720p', 9).usd).toBe(1.27);
    expect(lookup('luma', 'ray-2', '1080p', 5).usd).toBe(1.59);
    expect(lookup('luma', 'ray-flash-2', '720p', 5).usd).toBe(0.24);
    expect(lookup('luma', 'ray-flash-2', '1080p', 5)).toMatchObject({ usd: 0.55, date: '2026-04-01' });
  });

  it('marks prices it derived rather than found', () => {
    expect(lookup('luma', 'ray-2', '1080p', 9).source).toMatch(/^derived: /);
  });

  it('picks the most specific entry (Veo with audio costs more)', () => {
    expect(lookup('runway', 'veo3.1', '1080p', 8).usd).toBeCloseTo(1.6);
    expect(lookup('runway', 'veo3.1', '1080p', 8, { audio: true }).usd).toBeCloseTo(3.2);
  });

  it('refuses to guess a missing price and says how to add one', () => {
    expect(() => lookup('luma', 'ray-2', '4k', 5)).toThrow(/No price for luma model "ray-2" at 4k, 5 s in the price table\. Add an entry/);
  });

  it('takes a user table, e.g. a reseller that sells the same model cheaper', () => {
    const table = parsePriceTable(
      { entries: [{ provider: 'luma', model: 'ray-2', resolution: '720p', seconds: 5, unit: 'clip', usd: 0.3, source: 'reseller invoice', date: '2026-10-01' }] },
      'my-prices.json',
    );
    expect(priceFromTable({ table, provider: 'luma', model: 'ray-2', resolution: '720p', seconds: 5, params: {} })).toEqual({ usd: 0.3, source: 'reseller invoice', date: '2026-10-01' });
  });

  it.each([
    [{}, /my-prices\.json: the table must be an object with an "entries" array/],
    [{ entries: [{ provider: 'luma' }] }, /my-prices\.json: entries\[0\]\.model must be a non-empty string/],
    [{ entries: [{ provider: 'x', model: 'm', source: 's', date: '26-1-1', unit: 'clip', usd: 1 }] }, /entries\[0\]\.date must be YYYY-MM-DD/],
    [{ entries: [{ provider: 'x', model: 'm', source: 's', date: '2026-01-01', unit: 'minute', usd: 1 }] }, /entries\[0\]\.unit must be "second" or "clip"/],
    [{ entries: [{ provider: 'x', model: 'm', source: 's', date: '2026-01-01', unit: 'clip', usd: -1 }] }, /entries\[0\]\.usd must be a number ≥ 0/],
  ])('rejects a malformed table %o naming the entry and field', (value, message) => {
    expect(() => parsePriceTable(value, 'my-prices.json')).toThrow(message);
  });
});
