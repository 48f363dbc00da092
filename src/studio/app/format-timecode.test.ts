import { describe, expect, it } from 'vitest';
import { formatTimecode } from './format-timecode.js';

describe('formatTimecode', () => {
  it('writes frame 0 as all zeros', () => {
    expect(formatTimecode({ frame: 0, fps: 30 })).toBe('00:00:00:00');
  });

  it('counts frames within the second and carries into seconds, minutes and hours', () => {
    expect(formatTimecode({ frame: 29, fps: 30 })).toBe('00:00:00:29');
    expect(formatTimecode({ frame: 30, fps: 30 })).toBe('00:00:01:00');
    expect(formatTimecode({ frame: 95, fps: 30 })).toBe('00:00:03:05');
    expect(formatTimecode({ frame: 24 * 61, fps: 24 })).toBe('00:01:01:00');
    expect(formatTimecode({ frame: 25 * 3600 + 7, fps: 25 })).toBe('01:00:00:07');
  });
});
