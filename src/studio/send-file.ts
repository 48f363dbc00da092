import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendFile as sendRenderFile } from '../render/index.js';

/** Served by the studio on top of the render stage's shared table (datasets open in the browser). */
const STUDIO_CONTENT_TYPES: Readonly<Record<string, string>> = { '.csv': 'text/csv; charset=utf-8' };

/**
 * How long a browser may keep the file.
 * - `immutable`: content-addressed (hash in the path): forever.
 * - `revalidate`: may change (an output, a dataset image): ask again each time.
 */
export type SendFileCaching = 'immutable' | 'revalidate';

/** Options of `sendFile`. */
export type SendFileOptions = {
  request: IncomingMessage;
  response: ServerResponse;
  /** Absolute path, already checked to be servable. */
  file: string;
  caching?: SendFileCaching;
};

/**
 * Answers a GET or HEAD with one file through the render stage's `sendFile` (content type by extension, HTTP Range,
 * 404 when missing), adding the studio's guards: `nosniff` and a cache policy.
 *
 * @example
 * await sendFile({ request, response, file: '/work/demo/outputs/ada.mp4' });
 */
export async function sendFile(options: SendFileOptions): Promise<void> {
  await sendRenderFile({
    request: options.request,
    response: options.response,
    file: options.file,
    headers: {
      'x-content-type-options': 'nosniff',
      'cache-control': options.caching === 'immutable' ? 'public, max-age=31536000, immutable' : 'no-cache',
    },
    contentTypes: STUDIO_CONTENT_TYPES,
  });
}
