import { describe, expect, it } from 'vitest';
import { clipFrameAt } from './broll.js';
import { Easing } from './easing.js';
import { interpolate } from './interpolate.js';
import { seededRandom } from './seeded-random.js';
import { spring } from './spring.js';

describe('interpolate', () => {
  it('maps linearly inside the range and clamps outside by default', () => {
    expect(interpolate(15, [0, 30], [0, 1])).toBeCloseTo(0.5);
    expect(interpolate(-10, [0, 30], [0, 1])).toBe(0);
    expect(interpolate(99, [0, 30], [0, 1])).toBe(1);
  });
  it('extends past the range when asked', () => {
    expect(interpolate(60, [0, 30], [0, 1], { extrapolateRight: 'extend' })).toBeCloseTo(2);
  });
  it('walks multi-segment ranges and applies easing per segment', () => {
    expect(interpolate(20, [0, 10, 30], [0, 100, 0])).toBeCloseTo(50);
    expect(interpolate(5, [0, 10], [0, 1], { easing: Easing.quad })).toBeCloseTo(0.25);
  });
  it('rejects a non-increasing input range with a readable message', () => {
    expect(() => interpolate(1, [0, 0], [0, 1])).toThrow(/strictly increasing/);
  });
});

describe('Easing', () => {
  it('has CSS ease endpoints and is monotonic', () => {
    expect(Easing.ease(0)).toBe(0);
    expect(Easing.ease(1)).toBe(1);
    let previous = 0;
    for (let t = 0.05; t < 1; t += 0.05) {
      const value = Easing.ease(t);
      expect(value).toBeGreaterThanOrEqual(previous);
      previous = value;
    }
  });
  it('out() mirrors an easing', () => {
    expect(Easing.out(Easing.quad)(0.5)).toBeCloseTo(0.75);
  });
});

describe('spring', () => {
  it('starts at from and settles at to', () => {
    expect(spring({ frame: 0, fps: 30 })).toBe(0);
    expect(spring({ frame: 300, fps: 30 })).toBeCloseTo(1, 3);
  });
  it('overshoots when underdamped and does not when overdamped', () => {
    const under = Array.from({ length: 60 }, (_, f) => spring({ frame: f, fps: 30, config: { damping: 5 } }));
    const over = Array.from({ length: 60 }, (_, f) => spring({ frame: f, fps: 30, config: { damping: 40 } }));
    expect(Math.max(...under)).toBeGreaterThan(1);
    expect(Math.max(...over)).toBeLessThanOrEqual(1);
  });
  it('respects delay', () => {
    expect(spring({ frame: 10, fps: 30, delay: 10 })).toBe(0);
    expect(spring({ frame: 11, fps: 30, delay: 10 })).toBeGreaterThan(0);
  });
});

describe('clipFrameAt', () => {
  const base = { fps: 30, clipFrameCount: 90 };
  it('maps element frames to clip frames with a trimmed head', () => {
    expect(clipFrameAt({ ...base, frame: 0 })).toBe(0);
    expect(clipFrameAt({ ...base, frame: 10, startFrom: 1 })).toBe(40);
  });
  it('holds the last frame, loops, or disappears when the clip runs out', () => {
    expect(clipFrameAt({ ...base, frame: 200 })).toBe(89);
    expect(clipFrameAt({ ...base, frame: 95, loop: true })).toBe(5);
    expect(clipFrameAt({ ...base, frame: 95, holdLastFrame: false })).toBeNull();
  });
  it('trims the tail with endAt and honours playbackRate', () => {
    expect(clipFrameAt({ ...base, frame: 70, endAt: 2 })).toBe(59);
    expect(clipFrameAt({ ...base, frame: 10, playbackRate: 2 })).toBe(20);
  });
});

describe('seededRandom', () => {
  it('repeats the same sequence for the same seed and differs for another', () => {
    const a = seededRandom('row-1');
    const b = seededRandom('row-1');
    const c = seededRandom('row-2');
    const seqA = [a(), a(), a()];
    expect([b(), b(), b()]).toEqual(seqA);
    expect([c(), c(), c()]).not.toEqual(seqA);
    for (const v of seqA) expect(v >= 0 && v < 1).toBe(true);
  });
});
