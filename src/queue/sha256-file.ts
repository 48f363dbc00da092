import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

/**
 * SHA-256 (hex) and size of a file, streamed (outputs can be large).
 *
 * @example
 * const { sha256, bytes } = await sha256File('outputs/ada.mp4');
 */
export async function sha256File(file: string, signal?: AbortSignal | null): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(file, { signal: signal ?? undefined })) {
    const buffer = chunk as Buffer;
    hash.update(buffer);
    bytes += buffer.byteLength;
  }
  return { sha256: hash.digest('hex'), bytes };
}
