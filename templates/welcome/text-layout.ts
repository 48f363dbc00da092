/**
 * Deterministic text fitting for DejaVu Sans, without measuring the DOM: every glyph is given an
 * estimated advance (in em, slightly generous), names are wrapped greedily into at most `maxLines`
 * lines, and the font size shrinks until they fit. Same text ⇒ same lines ⇒ same frames.
 */

/** True for scripts drawn right to left (Hebrew, Arabic, Syriac, Thaana, N'Ko and their presentation forms). */
export function isRtl(text: string): boolean {
  return /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]/.test(text);
}

function isWide(code: number): boolean {
  return (
    (code >= 0x1100 && code <= 0x115f) || // Hangul Jamo
    (code >= 0x2e80 && code <= 0xa4cf) || // CJK radicals … Yi (incl. kana, CJK unified ideographs)
    (code >= 0xac00 && code <= 0xd7a3) || // Hangul syllables
    (code >= 0xf900 && code <= 0xfaff) || // CJK compatibility ideographs
    (code >= 0xfe30 && code <= 0xfe4f) ||
    (code >= 0xff00 && code <= 0xff60) || // full-width forms
    (code >= 0x20000 && code <= 0x3fffd)
  );
}

/** Estimated advance of `text` in em for DejaVu Sans Bold (tight letter-spacing included by the caller). */
export function emWidth(text: string): number {
  let width = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (code >= 0x0300 && code <= 0x036f) continue; // combining marks take no advance
    if (ch === ' ') width += 0.35;
    else if (isWide(code)) width += 1.0;
    else if (/[ijlrtfI.,:;'!|()\-]/.test(ch)) width += 0.42;
    else if (/[mwMWЖЩШЮМмжщшю]/.test(ch)) width += 1.05;
    else if (ch !== ch.toLowerCase()) width += 0.8; // capitals of any cased script
    else width += 0.7;
  }
  return width;
}

/** Splits a name into breakable pieces: at spaces, and after hyphens inside long compounds. */
export function breakPieces(text: string): string[] {
  const pieces: string[] = [];
  for (const word of text.trim().split(/\s+/)) {
    if (word.length === 0) continue;
    const parts = word.split(/(?<=-)/); // keep the hyphen at the end of the first part
    pieces.push(...parts);
  }
  return pieces;
}

/** A fitted block of text: its font size and its lines (each line a list of pieces). */
export type FittedText = { fontSize: number; lines: string[][]; overflow: boolean };

/** What `fitText` takes. */
export type FitTextOptions = {
  text: string;
  /** Width available, in px. */
  maxWidth: number;
  maxLines: number;
  /** Largest and smallest font size, in px. */
  maxSize: number;
  minSize: number;
  /** Letter spacing in em that the caller applies (negative tightens). */
  letterSpacing?: number;
};

function wrap(pieces: readonly string[], size: number, maxWidth: number, letterSpacing: number): string[][] {
  const lines: string[][] = [];
  let line: string[] = [];
  let lineWidth = 0;
  const measure = (piece: string) => (emWidth(piece) + letterSpacing * [...piece].length) * size;
  for (const piece of pieces) {
    const joinsHyphen = line.length > 0 && (line[line.length - 1] ?? '').endsWith('-');
    const gap = line.length === 0 || joinsHyphen ? 0 : 0.35 * size;
    const width = measure(piece);
    if (line.length > 0 && lineWidth + gap + width > maxWidth) {
      lines.push(line);
      line = [piece];
      lineWidth = width;
    } else {
      line.push(piece);
      lineWidth += gap + width;
    }
  }
  if (line.length > 0) lines.push(line);
  return lines;
}

/**
 * Largest font size (in 2 px steps) at which `text` fits `maxLines` lines of `maxWidth`.
 * If nothing fits even at `minSize`, returns `minSize` with `overflow: true` (the caller clips with an ellipsis).
 */
export function fitText({ text, maxWidth, maxLines, maxSize, minSize, letterSpacing = 0 }: FitTextOptions): FittedText {
  const pieces = breakPieces(text);
  const measure = (piece: string, size: number) => (emWidth(piece) + letterSpacing * [...piece].length) * size;
  for (let size = maxSize; size >= minSize; size -= 2) {
    const lines = wrap(pieces, size, maxWidth, letterSpacing);
    if (lines.length <= maxLines && pieces.every((p) => measure(p, size) <= maxWidth)) return { fontSize: size, lines, overflow: false };
  }
  const lines = wrap(pieces, minSize, maxWidth, letterSpacing);
  const kept = lines.slice(0, maxLines);
  if (lines.length > maxLines) {
    const rest = lines.slice(maxLines - 1).flat();
    kept[maxLines - 1] = rest;
  }
  return { fontSize: minSize, lines: kept, overflow: true };
}

/** Joins a line's pieces back into text (no space after a hyphen break). */
export function joinPieces(pieces: readonly string[]): string {
  let out = '';
  for (const piece of pieces) out += out.length === 0 || out.endsWith('-') ? piece : ` ${piece}`;
  return out;
}
