import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ReportError } from './report-error.js';

/** Options for `replaceFiles`. */
export type ReplaceFilesOptions = {
  /** Files to write; their folders are created when missing. */
  files: ReadonlyArray<{ file: string; data: string | Uint8Array }>;
};

/**
 * Writes every file under a temporary dotfile name in its own folder first, and only when all are
 * written renames them into place: a reader (or a crash) sees the old files or the complete new
 * ones, never half a file, and a failed write leaves no new file behind. Throws `ReportError`
 * (`RW_REPORT_WRITE_FAILED`) naming the file.
 *
 * @example
 * await replaceFiles({ files: [{ file: 'out/report.csv', data: csv }, { file: 'out/report.json', data: json }] });
 */
export async function replaceFiles(options: ReplaceFilesOptions): Promise<void> {
  const staged = options.files.map(({ file, data }) => ({
    file,
    data,
    temporary: path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`),
  }));
  let current = '';
  try {
    for (const s of staged) {
      current = s.file;
      await mkdir(path.dirname(s.file), { recursive: true });
      await writeFile(s.temporary, s.data);
    }
    for (const s of staged) {
      current = s.file;
      await rename(s.temporary, s.file);
    }
  } catch (error) {
    // Cleanup only: the original error is kept as the cause.
    await Promise.all(staged.map((s) => rm(s.temporary, { force: true })));
    throw new ReportError(`Cannot write the report file ${current}: ${(error as Error).message}. Check that the folder exists and is writable, or pass another --out.`, {
      code: 'RW_REPORT_WRITE_FAILED',
      cause: error,
    });
  }
}
