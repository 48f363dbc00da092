import { describe, expect, it } from 'vitest';
import { sniffImageType } from './index.js';

const bytes = (...values: number[]) => Buffer.from(values);
const ascii = (text: string) => Buffer.from(text, 'latin1');

/** An ISO-BMFF `ftyp` box: size, "ftyp", major brand, minor version, compatible brands. */
function ftyp(major: string, ...compatible: string[]): Buffer {
  const body = ascii(`ftyp${major}\0\0\0\0${compatible.join('')}`);
  const size = Buffer.alloc(4);
  size.writeUInt32BE(body.length + 4);
  return Buffer.concat([size, body]);
}

describe('sniffImageType', () => {
  it('recognises each format the renderer shows by its signature', () => {
    expect(sniffImageType(bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0))).toBe('image/png');
    expect(sniffImageType(bytes(0xff, 0xd8, 0xff, 0xe0))).toBe('image/jpeg');
    expect(sniffImageType(ascii('RIFF\x10\0\0\0WEBPVP8 '))).toBe('image/webp');
    expect(sniffImageType(ascii('GIF89a\x01\0'))).toBe('image/gif');
    expect(sniffImageType(ftyp('avif', 'mif1', 'miaf'))).toBe('image/avif');
    expect(sniffImageType(ftyp('mif1', 'avif', 'miaf'))).toBe('image/avif');
  });

  it('recognises SVG text after a byte-order mark, an XML declaration, comments or a DOCTYPE', () => {
    expect(sniffImageType(ascii('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBe('image/svg+xml');
    const illustrator =
      '\uFEFF<?xml version="1.0" encoding="utf-8"?>\n<!-- Generator: Adobe Illustrator -->\n' +
      '<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd" [<!ENTITY ns "x">]>\n<svg version="1.1">';
    expect(sniffImageType(Buffer.from(illustrator, 'utf8'))).toBe('image/svg+xml');
  });

  it('answers null for other files: a CSV, a PDF, HEIC, HTML, an empty file', () => {
    expect(sniffImageType(ascii('name,photo\nAda,ada.png\n'))).toBeNull();
    expect(sniffImageType(ascii('%PDF-1.7\n'))).toBeNull();
    expect(sniffImageType(ftyp('heic', 'mif1'))).toBeNull();
    expect(sniffImageType(ascii('<!doctype html><html><body>svg</body></html>'))).toBeNull();
    expect(sniffImageType(Buffer.alloc(0))).toBeNull();
  });
});
