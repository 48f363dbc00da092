/** Longest output file name in UTF-8 bytes, `.mp4` included (well under every filesystem's 255). */
export const DEFAULT_MAX_OUTPUT_NAME_BYTES = 120;

/** Extension of every output name. */
export const OUTPUT_EXTENSION = '.mp4';

/** What an output name falls back to when nothing usable is left. */
export const FALLBACK_OUTPUT_BASE = 'video';

/** Options of `sanitizeOutputName`. */
export type SanitizeOutputNameOptions = {
  /** The raw name, e.g. a rendered name pattern (untrusted: row values). */
  name: string;
  /** Cap in UTF-8 bytes including `.mp4`; `DEFAULT_MAX_OUTPUT_NAME_BYTES`. */
  maxBytes?: number;
};

// C0/C1 controls, zero-width characters, bidirectional overrides and isolates (which can make a
// name display as something else, e.g. "gnp.exe" → "exe.png"), and the byte-order mark.
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;
// Characters that are path separators or forbidden on Windows.
const FORBIDDEN = /[/\\:*?"<>|]/g;
// Names no rule changes (ASCII, one byte per character; no dots, spaces or controls), unless a device name.
const PLAIN = /^[A-Za-z0-9_-]+$/;
// Device names Windows reserves whatever the extension (CON.mp4 is still CON).
const RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)$/i;

/** Cuts a string to at most `maxBytes` UTF-8 bytes on a code-point boundary. */
export function truncateUtf8(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text, 'utf8') <= maxBytes) return text;
  let bytes = 0;
  let out = '';
  for (const char of text) {
    const size = Buffer.byteLength(char, 'utf8');
    if (bytes + size > maxBytes) break;
    bytes += size;
    out += char;
  }
  return out;
}

function tidy(base: string): string {
  return base
    .replace(/\s+/g, ' ')
    .replace(/^[.\s]+/, '') // no hidden files, no leading spaces
    .replace(/[.\s]+$/, ''); // Windows drops trailing dots and spaces
}

/**
 * Makes an untrusted string a safe, flat output file name ending in `.mp4`. Rules, in order:
 * 1. Unicode NFC.
 * 2. Control characters, zero-width characters and bidi overrides are removed.
 * 3. `/ \ : * ? " < > |` become `_`; a run of dots becomes one dot (no `..`).
 * 4. Whitespace runs become one space; leading dots/spaces and trailing dots/spaces are removed;
 *    a trailing `.mp4` (any case) is dropped so it is not doubled.
 * 5. Empty → `video`. A Windows device name (`CON`, `NUL`, `COM1`, `LPT1`, … in any case, before
 *    the first dot) gets a leading `_`.
 * 6. Cut to `maxBytes` UTF-8 bytes including `.mp4`, on a code-point boundary.
 * The result never contains a path separator, so it always stays inside the output folder;
 * `resolveOutputPath` checks that again when it is joined. Duplicates are the planner's job.
 *
 * @example
 * sanitizeOutputName({ name: '../../etc/passwd' }); // '_._etc_passwd.mp4'
 */
export function sanitizeOutputName(options: SanitizeOutputNameOptions): string {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_OUTPUT_NAME_BYTES;
  const room = Math.max(1, maxBytes - Buffer.byteLength(OUTPUT_EXTENSION));
  // Most names (row keys, hashes) are letters, digits, `-` and `_` only: every rule below leaves them as they are.
  if (options.name.length <= room && PLAIN.test(options.name) && !RESERVED.test(options.name)) return `${options.name}${OUTPUT_EXTENSION}`;
  let base = options.name.normalize('NFC').replace(INVISIBLE, '').replace(FORBIDDEN, '_').replace(/\.{2,}/g, '.');
  base = tidy(base);
  if (base.toLowerCase().endsWith(OUTPUT_EXTENSION)) base = tidy(base.slice(0, -OUTPUT_EXTENSION.length));
  if (base === '') base = FALLBACK_OUTPUT_BASE;
  if (RESERVED.test((base.split('.')[0] as string).trim())) base = `_${base}`;
  base = tidy(truncateUtf8(base, room));
  if (base === '') base = FALLBACK_OUTPUT_BASE;
  return `${base}${OUTPUT_EXTENSION}`;
}
