import { describe, expect, it } from 'vitest';
import { formatMicros, splitMicros } from './index.js';

describe('splitMicros', () => {
  it('splits $1.00 over 3 parts into parts that add up exactly, the extra micro-dollar first', () => {
    expect(splitMicros({ totalMicros: 1_000_000, weights: [1, 1, 1] })).toEqual([333_334, 333_333, 333_333]);
  });

  it('gives leftovers to the largest remainders, earlier parts first on ties', () => {
    // 10 over weights 1:2:3 → quotas 1.67, 3.33, 5 → floors 1, 3, 5 and one left for the .67.
    expect(splitMicros({ totalMicros: 10, weights: [1, 2, 3] })).toEqual([2, 3, 5]);
    expect(splitMicros({ totalMicros: 5, weights: [1, 1, 1, 1] })).toEqual([2, 1, 1, 1]);
    expect(splitMicros({ totalMicros: 7, weights: [0, 1, 0, 1] })).toEqual([0, 4, 0, 3]);
  });

  it('keeps the sum exact for large amounts, many parts and refunds', () => {
    for (const [total, parts] of [
      [9_007_199_254_740_991, 7],
      [123_456_789, 1000],
      [-1_000_000, 3],
      [0, 4],
    ] as const) {
      const split = splitMicros({ totalMicros: total, weights: new Array<number>(parts).fill(1) });
      expect(split).toHaveLength(parts);
      expect(split.reduce((a, b) => a + b, 0)).toBe(total);
      expect(Math.max(...split) - Math.min(...split)).toBeLessThanOrEqual(1);
    }
  });

  it('rejects a fractional amount or weights that sum to nothing', () => {
    expect(() => splitMicros({ totalMicros: 0.5, weights: [1] })).toThrow(/safe integer/);
    expect(() => splitMicros({ totalMicros: 1, weights: [0, 0] })).toThrow(/positive weight/);
    expect(() => splitMicros({ totalMicros: 1, weights: [1.5] })).toThrow(/non-negative integers/);
  });
});

describe('formatMicros', () => {
  it('prints exact dollars for CSV and rounded dollars for display without float drift', () => {
    expect(formatMicros({ micros: 166_667, style: 'exact' })).toBe('0.166667');
    expect(formatMicros({ micros: -1_000_000, style: 'exact' })).toBe('-1.000000');
    expect(formatMicros({ micros: 1_234_560_000, style: 'display' })).toBe('$1,234.56');
    expect(formatMicros({ micros: 1_200_000, style: 'display' })).toBe('$1.2000');
    expect(formatMicros({ micros: 333_334, style: 'display' })).toBe('$0.3333');
    expect(formatMicros({ micros: 139, style: 'display' })).toBe('$0.0001');
    expect(formatMicros({ micros: 999_950, style: 'display' })).toBe('$1.0000');
    expect(formatMicros({ micros: -99_999_950, style: 'display' })).toBe('-$100.0000');
  });
});
