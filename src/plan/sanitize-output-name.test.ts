import { describe, expect, it } from 'vitest';
import { aspectOfSize, createOutputNamer, sanitizeOutputName } from './index.js';

describe('sanitizeOutputName', () => {
  it('turns path tricks into a flat name', () => {
    expect(sanitizeOutputName({ name: '../../etc/passwd' })).toBe('_._etc_passwd.mp4');
    expect(sanitizeOutputName({ name: '..\\..\\windows\\system32' })).toBe('_._windows_system32.mp4');
    expect(sanitizeOutputName({ name: '/abs/path' })).toBe('_abs_path.mp4');
    expect(sanitizeOutputName({ name: '...' })).toBe('video.mp4');
  });

  it('removes control, zero-width and bidi characters and normalizes to NFC', () => {
    expect(sanitizeOutputName({ name: 'a\u0000b\u001fc\u007fd\u200be\u202ef\ufeff' })).toBe('abcdef.mp4');
    expect(sanitizeOutputName({ name: 'Cafe\u0301' })).toBe('Caf\u00e9.mp4');
  });

  it('never returns an empty name, a hidden file or a doubled extension', () => {
    expect(sanitizeOutputName({ name: '' })).toBe('video.mp4');
    expect(sanitizeOutputName({ name: ' \t\n ' })).toBe('video.mp4');
    expect(sanitizeOutputName({ name: '.env' })).toBe('env.mp4');
    expect(sanitizeOutputName({ name: 'clip.MP4' })).toBe('clip.mp4');
    expect(sanitizeOutputName({ name: 'trailing dots... ' })).toBe('trailing dots.mp4');
  });

  it('avoids Windows device names in any case and with any extension', () => {
    for (const name of ['CON', 'con', 'Nul', 'aux.txt', 'COM1', 'lpt9', 'PRN.mp4']) expect(sanitizeOutputName({ name }).startsWith('_')).toBe(true);
    expect(sanitizeOutputName({ name: 'console' })).toBe('console.mp4');
  });

  it('caps the name in UTF-8 bytes without splitting a character', () => {
    const long = sanitizeOutputName({ name: '€'.repeat(300) }); // 3 bytes each
    expect(Buffer.byteLength(long)).toBeLessThanOrEqual(120);
    expect(long).toBe(`${'€'.repeat(38)}.mp4`);
    expect(Buffer.byteLength(sanitizeOutputName({ name: '😀'.repeat(100), maxBytes: 20 }))).toBeLessThanOrEqual(20);
    expect(sanitizeOutputName({ name: '😀'.repeat(100), maxBytes: 20 })).toBe('😀😀😀😀.mp4');
  });

  it('is idempotent', () => {
    for (const name of ['../x', 'CON', 'a:b', ' .x. ', '€'.repeat(300)]) {
      const once = sanitizeOutputName({ name });
      expect(sanitizeOutputName({ name: once })).toBe(once);
    }
  });
});

describe('sanitizeOutputName on plain names (letters, digits, - and _)', () => {
  it('keeps them as they are, but still prefixes device names and cuts names over the cap', () => {
    expect(sanitizeOutputName({ name: 'c000123' })).toBe('c000123.mp4');
    expect(sanitizeOutputName({ name: 'ada-landscape_2' })).toBe('ada-landscape_2.mp4');
    expect(sanitizeOutputName({ name: 'COM1' })).toBe('_COM1.mp4');
    expect(sanitizeOutputName({ name: 'nul' })).toBe('_nul.mp4');
    expect(sanitizeOutputName({ name: 'x'.repeat(116) })).toBe(`${'x'.repeat(116)}.mp4`);
    expect(sanitizeOutputName({ name: 'x'.repeat(117) })).toBe(`${'x'.repeat(116)}.mp4`);
    expect(sanitizeOutputName({ name: 'abcdef', maxBytes: 6 })).toBe('ab.mp4');
    expect(sanitizeOutputName({ name: 'abcdef', maxBytes: 2 })).toBe('a.mp4');
  });
});

describe('createOutputNamer', () => {
  it('disambiguates case-insensitively and keeps suffixed names under the cap', () => {
    const name = createOutputNamer({ maxBytes: 20 });
    expect([name('Ada'), name('ada'), name('ADA'), name('ada-2')]).toEqual(['Ada.mp4', 'ada-2.mp4', 'ADA-3.mp4', 'ada-2-2.mp4']);
    const long = createOutputNamer({ maxBytes: 20 });
    const first = long('x'.repeat(50));
    const second = long('x'.repeat(50));
    expect(first).toBe(`${'x'.repeat(16)}.mp4`);
    expect(second).toBe(`${'x'.repeat(14)}-2.mp4`);
  });
});

describe('aspectOfSize', () => {
  it('picks the nearest clip aspect', () => {
    expect(aspectOfSize({ width: 1920, height: 1080 })).toBe('16:9');
    expect(aspectOfSize({ width: 1080, height: 1920 })).toBe('9:16');
    expect(aspectOfSize({ width: 1080, height: 1080 })).toBe('1:1');
    expect(aspectOfSize({ width: 1080, height: 1350 })).toBe('1:1');
    expect(aspectOfSize({ width: 2560, height: 1080 })).toBe('16:9');
  });
});
