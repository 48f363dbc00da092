/**
 * Bytes to read from the start of a file for `sniffImageType`: enough for an SVG's XML declaration,
 * comments and DOCTYPE (editors write a few hundred bytes before `<svg`), and for an AVIF `ftyp` box.
 */
export const IMAGE_SNIFF_BYTES = 4096;

/** Media types `sniffImageType` recognises: the image formats the renderer shows (`render/content-type-of.ts`). */
export type SniffedImageType = 'image/png' | 'image/jpeg' | 'image/webp' | 'image/gif' | 'image/svg+xml' | 'image/avif';

/** The formats in words, for messages: "PNG, JPEG, WebP, GIF, SVG or AVIF". */
export const IMAGE_FORMAT_NAMES = 'PNG, JPEG, WebP, GIF, SVG or AVIF';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const AVIF_BRANDS = new Set(['avif', 'avis']);

/** An ISO-BMFF file whose `ftyp` box names an AVIF brand (major or compatible). */
function isAvif(head: Buffer): boolean {
  if (head.length < 16 || head.toString('latin1', 4, 8) !== 'ftyp') return false;
  const boxEnd = Math.min(head.readUInt32BE(0), head.length);
  if (AVIF_BRANDS.has(head.toString('latin1', 8, 12))) return true;
  // Compatible brands follow the major brand and the minor version.
  for (let at = 16; at + 4 <= boxEnd; at += 4) if (AVIF_BRANDS.has(head.toString('latin1', at, at + 4))) return true;
  return false;
}

/** XML text (optionally after a byte-order mark and white space) with an `<svg` element in it. */
function isSvg(head: Buffer): boolean {
  const text = head.toString('utf8').replace(/^\uFEFF/, '').trimStart();
  return text.startsWith('<') && /<svg[\s>/]/.test(text);
}

/**
 * The image type a file's first bytes announce (PNG, JPEG, WebP, GIF and AVIF by their signatures,
 * SVG by an `<svg` element in XML text), or null for anything else — a CSV, a PDF, an empty file.
 * Give it the first `IMAGE_SNIFF_BYTES` bytes (fewer is fine for the binary formats).
 *
 * @example
 * sniffImageType(await readHead('logo.png')); // 'image/png'
 */
export function sniffImageType(head: Buffer): SniffedImageType | null {
  if (head.length >= 8 && head.subarray(0, 8).equals(PNG)) return 'image/png';
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'image/jpeg';
  if (head.length >= 12 && head.toString('latin1', 0, 4) === 'RIFF' && head.toString('latin1', 8, 12) === 'WEBP') return 'image/webp';
  if (head.length >= 6 && /^GIF8[79]a$/.test(head.toString('latin1', 0, 6))) return 'image/gif';
  if (isAvif(head)) return 'image/avif';
  if (isSvg(head)) return 'image/svg+xml';
  return null;
}
