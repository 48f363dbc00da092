import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

/** Options of `hashFile`. */
export type HashFileOptions = { file: string };

/** sha256 (hex) of a file's bytes, streamed (clips can be large). */
export async function hashFile(options: HashFileOptions): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(options.file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
