import { describe, expect, it } from 'vitest';
import { buildLocalClipGraph } from '../index.js';

const options = { prompt: 'rainy neon street at night', seed: 1, width: 1280, height: 720, fps: 30, seconds: 5 };

describe('buildLocalClipGraph', () => {
  it('builds the same graph for the same prompt and seed', () => {
    expect(buildLocalClipGraph(options)).toEqual(buildLocalClipGraph({ ...options }));
  });

  it('varies palette and motion with the prompt and with the seed', () => {
    const base = buildLocalClipGraph(options);
    const otherSeed = buildLocalClipGraph({ ...options, seed: 2 });
    const otherPrompt = buildLocalClipGraph({ ...options, prompt: 'misty forest at dawn' });
    expect(otherSeed.filterComplex).not.toBe(base.filterComplex);
    expect(otherPrompt.palette).not.toEqual(base.palette);
  });

  it('uses no test-pattern source and ends in one [out] pad at the requested size', () => {
    for (let seed = 0; seed < 20; seed++) {
      const { filterComplex } = buildLocalClipGraph({ ...options, seed });
      expect(filterComplex).not.toMatch(/testsrc|smptebars|smptehdbars|pal75bars|pal100bars|rgbtestsrc|yuvtestsrc|colorchart/);
      expect(filterComplex.match(/\[out\]/g)).toHaveLength(1);
      expect(filterComplex).toContain('scale=1280:720:');
    }
  });

  it('keeps gradient endpoints inside the composed frame (ffmpeg randomizes others)', () => {
    for (let seed = 0; seed < 50; seed++) {
      const { filterComplex } = buildLocalClipGraph({ ...options, seed });
      const base = /gradients=s=(\d+)x(\d+):.*?x0=(\d+):y0=(\d+):x1=(\d+):y1=(\d+)/.exec(filterComplex);
      expect(base).not.toBeNull();
      const [w, h, x0, y0, x1, y1] = base!.slice(1).map(Number) as [number, number, number, number, number, number];
      for (const x of [x0, x1]) expect(x).toBeLessThan(w);
      for (const y of [y0, y1]) expect(y).toBeLessThan(h);
    }
  });
});
