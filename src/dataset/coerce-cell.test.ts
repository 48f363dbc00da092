import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coerceCell } from './index.js';
import type { DataSlot, ImageRoots } from './index.js';

let root: string;
let data: string;
let outside: string;
let images: ImageRoots;
/** The 8-byte PNG signature: all the content check reads. */
const PNG_HEAD = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);

beforeAll(async () => {
  root = await realpath(await mkdtemp(path.join(tmpdir(), 'rw-coerce-')));
  data = path.join(root, 'data');
  outside = path.join(root, 'outside');
  await mkdir(path.join(data, 'images'), { recursive: true });
  await mkdir(outside);
  await writeFile(path.join(data, 'images', 'logo.png'), PNG_HEAD);
  await writeFile(path.join(outside, 'secret.png'), PNG_HEAD);
  await writeFile(path.join(data, 'people.csv'), 'name,photo\nAda,people.csv\n');
  await writeFile(path.join(data, 'images', 'empty.png'), '');
  await writeFile(path.join(data, 'images', 'drawing.svg'), '<?xml version="1.0"?>\n<!-- made by hand -->\n<svg xmlns="http://www.w3.org/2000/svg"/>');
  await writeFile(path.join(data, 'images', 'drawing.png'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  await symlink(path.join(outside, 'secret.png'), path.join(data, 'images', 'link.png'));
  images = { baseDir: data, roots: [data], realRoots: [data], cache: new Map() };
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

function coerce(slot: DataSlot, value: unknown, roots: ImageRoots = images) {
  return coerceCell({ slot, value, images: roots });
}

describe('coerceCell', () => {
  it('trims whitespace around text', () => {
    expect(coerce({ kind: 'text' }, '  Ada ')).toEqual({ ok: true, value: 'Ada' });
  });

  it('uses the default for an empty cell, leaves an optional one empty, and requires the rest', () => {
    expect(coerce({ kind: 'text', default: 'Get started' }, '   ')).toEqual({ ok: true, value: 'Get started' });
    expect(coerce({ kind: 'color', default: '#ABC' }, '')).toEqual({ ok: true, value: '#aabbcc' });
    expect(coerce({ kind: 'text', optional: true }, undefined)).toEqual({ ok: true, value: undefined });
    expect(coerce({ kind: 'text' }, null)).toMatchObject({ ok: false, rule: 'required', message: /empty, but a value is required/ });
  });

  it('reads numbers written with a decimal point', () => {
    expect(coerce({ kind: 'number' }, '42')).toEqual({ ok: true, value: 42 });
    expect(coerce({ kind: 'number' }, ' 3.5 ')).toEqual({ ok: true, value: 3.5 });
    expect(coerce({ kind: 'number' }, '-1e3')).toEqual({ ok: true, value: -1000 });
    expect(coerce({ kind: 'number' }, 7)).toEqual({ ok: true, value: 7 });
  });

  it('rejects a decimal comma with a hint to use "."', () => {
    expect(coerce({ kind: 'number' }, '12,50')).toEqual({ ok: false, rule: 'number', message: 'expected a number, got "12,50". Use "." as the decimal separator.' });
    expect(coerce({ kind: 'number' }, '1,234.5')).toMatchObject({ ok: false, rule: 'number', message: /thousands separators/ });
    expect(coerce({ kind: 'number' }, '$12')).toMatchObject({ ok: false, rule: 'number', message: /no currency signs/ });
    expect(coerce({ kind: 'number' }, true)).toMatchObject({ ok: false, rule: 'number' });
  });

  it('normalises colours to lowercase #rrggbb and rejects anything else', () => {
    expect(coerce({ kind: 'color' }, '#4F46E5')).toEqual({ ok: true, value: '#4f46e5' });
    expect(coerce({ kind: 'color' }, '#0f0')).toEqual({ ok: true, value: '#00ff00' });
    expect(coerce({ kind: 'color' }, 'blue-ish')).toEqual({ ok: false, rule: 'color', message: 'expected a colour like "#4f46e5" or "#fff", got "blue-ish".' });
    expect(coerce({ kind: 'color' }, '4f46e5')).toMatchObject({ ok: false, rule: 'color', message: /Add "#" in front/ });
  });

  it('accepts YYYY-MM-DD and reduces a full ISO date-time to its date as written', () => {
    expect(coerce({ kind: 'date' }, '2026-03-14')).toEqual({ ok: true, value: '2026-03-14' });
    expect(coerce({ kind: 'date' }, '2026-03-14T23:30:00-05:00')).toEqual({ ok: true, value: '2026-03-14' });
    expect(coerce({ kind: 'date' }, '2026-03-14T09:30:00.123Z')).toEqual({ ok: true, value: '2026-03-14' });
    expect(coerce({ kind: 'date' }, '2024-02-29')).toEqual({ ok: true, value: '2024-02-29' });
  });

  it('rejects impossible dates and other spellings', () => {
    expect(coerce({ kind: 'date' }, '2026-02-30')).toEqual({ ok: false, rule: 'date', message: '2026-02-30 is not a real date: February 2026 has 28 days.' });
    expect(coerce({ kind: 'date' }, '2026-13-01')).toMatchObject({ ok: false, rule: 'date', message: /no month 13/ });
    expect(coerce({ kind: 'date' }, '14/03/2026')).toMatchObject({ ok: false, rule: 'date', message: /YYYY-MM-DD/ });
    expect(coerce({ kind: 'date' }, '2026-03-14T25:00:00Z')).toMatchObject({ ok: false, rule: 'date' });
  });

  it('matches choices ignoring case, returns the declared spelling, and lists the allowed values', () => {
    const plan: DataSlot = { kind: 'choice', options: ['starter', 'pro', 'enterprise'] };
    expect(coerce(plan, ' PRO ')).toEqual({ ok: true, value: 'pro' });
    expect(coerce(plan, 'platinum')).toEqual({ ok: false, rule: 'choice', message: 'expected one of "starter", "pro", "enterprise", got "platinum".' });
  });

  it('accepts http(s) image URLs and resolves paths relative to the dataset folder', () => {
    expect(coerce({ kind: 'image' }, 'https://example.com/logo.png')).toEqual({ ok: true, value: 'https://example.com/logo.png' });
    expect(coerce({ kind: 'image' }, 'images/logo.png')).toEqual({ ok: true, value: path.join(data, 'images', 'logo.png') });
    expect(coerce({ kind: 'image' }, 'images\\logo.png')).toEqual({ ok: true, value: path.join(data, 'images', 'logo.png') });
    expect(coerce({ kind: 'image' }, path.join(data, 'images', 'logo.png'))).toEqual({ ok: true, value: path.join(data, 'images', 'logo.png') });
  });

  it('rejects image paths that escape the dataset folder, other schemes, links out and missing files', () => {
    expect(coerce({ kind: 'image' }, '../../etc/passwd')).toMatchObject({ ok: false, rule: 'image', message: /points outside the dataset folder/ });
    expect(coerce({ kind: 'image' }, '/etc/passwd')).toMatchObject({ ok: false, rule: 'image', message: /is outside the dataset folder/ });
    expect(coerce({ kind: 'image' }, 'file:///etc/passwd')).toMatchObject({ ok: false, rule: 'image', message: /"file:" links are not allowed/ });
    expect(coerce({ kind: 'image' }, 'javascript:alert(1)')).toMatchObject({ ok: false, rule: 'image', message: /not allowed/ });
    expect(coerce({ kind: 'image' }, 'C:\\Windows\\logo.png')).toMatchObject({ ok: false, rule: 'image', message: /outside the dataset folder/ });
    expect(coerce({ kind: 'image' }, 'images/link.png')).toMatchObject({ ok: false, rule: 'image', message: /link to a file outside/ });
    expect(coerce({ kind: 'image' }, 'images/missing.png')).toMatchObject({ ok: false, rule: 'image', message: /image file not found: "images\/missing.png"/ });
    expect(coerce({ kind: 'image' }, 'images')).toMatchObject({ ok: false, rule: 'image', message: /is a folder/ });
  });

  it('refuses a local image cell whose file is not an image, judged by its first bytes', () => {
    expect(coerce({ kind: 'image' }, 'people.csv')).toEqual({
      ok: false,
      rule: 'image',
      message: '"people.csv" is not an image (PNG, JPEG, WebP, GIF, SVG or AVIF, judged by its first bytes). Point the cell at an image file.',
    });
    expect(coerce({ kind: 'image' }, 'images/empty.png')).toMatchObject({ ok: false, rule: 'image', message: /^"images\/empty\.png" is an empty file, not an image\./ });
    expect(coerce({ kind: 'image' }, 'images/drawing.svg')).toEqual({ ok: true, value: path.join(data, 'images', 'drawing.svg') });
    // The renderer sends an SVG as image/svg+xml by its extension only.
    expect(coerce({ kind: 'image' }, 'images/drawing.png')).toMatchObject({ ok: false, rule: 'image', message: /is an SVG image, but its name does not end in \.svg/ });
    // An image's default is the template's own asset, and audio files are not judged as images.
    expect(coerce({ kind: 'image', default: 'people.csv' }, '')).toEqual({ ok: true, value: 'people.csv' });
    expect(coerce({ kind: 'audio' }, 'people.csv')).toEqual({ ok: true, value: path.join(data, 'people.csv') });
  });

  it('treats audio cells like image cells (URL or confined path) with messages about audio files', () => {
    expect(coerce({ kind: 'audio' }, 'https://example.com/voice.m4a')).toEqual({ ok: true, value: 'https://example.com/voice.m4a' });
    // Checked after the same text as an image: each kind gets its own answer, not the other's cached one.
    expect(coerce({ kind: 'image' }, 'images/missing.m4a')).toMatchObject({ ok: false, rule: 'image', message: /^image file not found/ });
    expect(coerce({ kind: 'audio' }, 'images/missing.m4a')).toMatchObject({
      ok: false,
      rule: 'audio',
      message: /^audio file not found: "images\/missing.m4a" \(looked for .*\)\. Relative audio paths start in the dataset folder/,
    });
    expect(coerce({ kind: 'audio' }, 'images/logo.png')).toEqual({ ok: true, value: path.join(data, 'images', 'logo.png') });
    expect(coerce({ kind: 'audio' }, 'file:///etc/passwd')).toMatchObject({ ok: false, rule: 'audio', message: /"file:" links are not allowed for audio files/ });
    expect(coerce({ kind: 'audio' }, '../../etc/passwd')).toMatchObject({ ok: false, rule: 'audio', message: /Keep audio files inside the dataset folder \(for example audio\/voice.m4a\)/ });
    expect(coerce({ kind: 'audio', default: './assets/music.m4a' }, '')).toEqual({ ok: true, value: './assets/music.m4a' });
  });

  it('accepts absolute image paths inside an allowed extra root', () => {
    const roots: ImageRoots = { baseDir: data, roots: [data, outside], realRoots: [data, outside], cache: new Map() };
    const secret = path.join(outside, 'secret.png');
    expect(coerce({ kind: 'image' }, secret, roots)).toEqual({ ok: true, value: secret });
    expect(coerce({ kind: 'image' }, 'images/link.png', roots)).toEqual({ ok: true, value: path.join(data, 'images', 'link.png') });
  });

  it('refuses JSON objects and lists where a single value belongs', () => {
    expect(coerce({ kind: 'text' }, { first: 'Ada' })).toMatchObject({ ok: false, rule: 'type', message: 'expected text, got an object.' });
    expect(coerce({ kind: 'number' }, [1])).toMatchObject({ ok: false, rule: 'type', message: 'expected a number, got a list.' });
    expect(coerce({ kind: 'text' }, 42)).toEqual({ ok: true, value: '42' });
  });
});
