import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY_POLICY, parseRetryAfter, retryDelay } from './index.js';

describe('retryDelay', () => {
  it('doubles from the base delay up to the cap', () => {
    const delays = [0, 1, 2, 3, 4, 5, 6].map((retryIndex) => retryDelay({ policy: DEFAULT_RETRY_POLICY, retryIndex, retryAfterMs: null, random: () => 0 }));
    expect(delays).toEqual([500, 1000, 2000, 4000, 8000, 8000, 8000]);
  });

  it('removes up to the jitter fraction at random', () => {
    expect(retryDelay({ policy: DEFAULT_RETRY_POLICY, retryIndex: 2, retryAfterMs: null, random: () => 0.999999 })).toBeCloseTo(1500, 0);
    expect(retryDelay({ policy: { baseDelayMs: 100, maxDelayMs: 100, jitter: 0 }, retryIndex: 9, retryAfterMs: null, random: () => 0.5 })).toBe(100);
  });

  it('waits exactly what the provider asked for when it sent retry-after', () => {
    expect(retryDelay({ policy: DEFAULT_RETRY_POLICY, retryIndex: 0, retryAfterMs: 30_000, random: () => 0.5 })).toBe(30_000);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-11-25T12:00:00Z');
  it.each([
    [{ retryAfterMs: '250', retryAfter: '9' }, 250],
    [{ retryAfterMs: null, retryAfter: '2' }, 2000],
    [{ retryAfterMs: null, retryAfter: '0.5' }, 500],
    [{ retryAfterMs: null, retryAfter: 'Wed, 25 Nov 2026 12:00:30 GMT' }, 30_000],
    [{ retryAfterMs: null, retryAfter: 'Wed, 25 Nov 2026 11:00:00 GMT' }, 0],
    [{ retryAfterMs: 'soon', retryAfter: 'later' }, null],
    [{ retryAfterMs: undefined, retryAfter: undefined }, null],
  ])('reads %o as %s ms', (headers, expected) => {
    expect(parseRetryAfter({ ...headers, nowMs: now })).toBe(expected);
  });
});
