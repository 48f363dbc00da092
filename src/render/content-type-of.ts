import path from 'node:path';

/**
 * Content types by lower-case extension shared by every server that sends files; anything else is
 * `application/octet-stream`. A server adds its own entries through `SendFileOptions.contentTypes`.
 */
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
  '.svg': 'image/svg+xml',
  '.avif': 'image/avif',
  '.mp4': 'video/mp4',
  '.m4v': 'video/mp4',
  '.webm': 'video/webm',
  '.mov': 'video/quicktime',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wav': 'audio/wav',
  '.mp3': 'audio/mpeg',
  '.m4a': 'audio/mp4',
  '.aac': 'audio/aac',
  '.ogg': 'audio/ogg',
  '.opus': 'audio/ogg',
  '.flac': 'audio/flac',
};

/** Options for `contentTypeOf`. */
export type ContentTypeOfOptions = {
  /** The file (only its extension counts, case-insensitively). */
  file: string;
  /** Extra `'.ext' → content type` entries on top of the shared table; none by default. */
  contentTypes?: Readonly<Record<string, string>>;
};

/**
 * The content type a file is sent with, by its lower-case extension; `application/octet-stream` when unknown.
 *
 * @example
 * contentTypeOf({ file: 'clip.MP4' }); // 'video/mp4'
 */
export function contentTypeOf(options: ContentTypeOfOptions): string {
  const extension = path.extname(options.file).toLowerCase();
  return options.contentTypes?.[extension] ?? CONTENT_TYPES[extension] ?? 'application/octet-stream';
}
