import { randomBytes } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** Options for `writeFileAtomic`. */
export type WriteFileAtomicOptions = {
  /** Final path. */
  file: string;
  /** Content. */
  data: string | Uint8Array;
};

/**
 * Writes a file under a temporary dotfile name in the same folder, then renames it into place, so that readers
 * (and a crash) see either the old file or the complete new one, never half of it.
 */
export async function writeFileAtomic(options: WriteFileAtomicOptions): Promise<void> {
  const temporary = path.join(path.dirname(options.file), `.${path.basename(options.file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(temporary, options.data);
    await rename(temporary, options.file);
  } catch (error) {
    // Cleanup only: the original error is what the caller needs to see.
    await rm(temporary, { force: true });
    throw error;
  }
}
