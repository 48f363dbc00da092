import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** Options for `writeFilesAtomic`. */
export type WriteFilesAtomicOptions = {
  /** Files to write, with their final paths. */
  files: ReadonlyArray<{ file: string; data: string | Uint8Array }>;
  /** Create each file's folder when missing; defaults to false (a missing folder fails). */
  createFolders?: boolean;
  /**
   * Turns a failure into the error to throw, given the file being written when it failed; the original error is
   * thrown as is by default.
   */
  onError?: (error: unknown, file: string) => Error;
};

/**
 * Writes every file under a temporary dotfile name in its own folder first, and only when all are written renames
 * them into place: a reader (or a crash) sees the old files or the complete new ones, never half a file, and a
 * failed write leaves no temporary file behind.
 *
 * @example
 * await writeFilesAtomic({ files: [{ file: 'out/report.csv', data: csv }, { file: 'out/report.json', data: json }] });
 */
export async function writeFilesAtomic(options: WriteFilesAtomicOptions): Promise<void> {
  const staged = options.files.map(({ file, data }) => ({
    file,
    data,
    temporary: path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`),
  }));
  let current = '';
  try {
    for (const s of staged) {
      current = s.file;
      if (options.createFolders) await mkdir(path.dirname(s.file), { recursive: true });
      await writeFile(s.temporary, s.data);
    }
    for (const s of staged) {
      current = s.file;
      await rename(s.temporary, s.file);
    }
  } catch (error) {
    // Cleanup only: the original error is what the caller sees (or the cause of what onError makes of it).
    await Promise.all(staged.map((s) => rm(s.temporary, { force: true })));
    throw options.onError ? options.onError(error, current) : error;
  }
}
