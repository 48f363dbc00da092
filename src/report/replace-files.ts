import { writeFilesAtomic } from '../fs/index.js';
import { ReportError } from './report-error.js';

/** Options for `replaceFiles`. */
export type ReplaceFilesOptions = {
  /** Files to write; their folders are created when missing. */
  files: ReadonlyArray<{ file: string; data: string | Uint8Array }>;
};

/**
 * Writes every file under a temporary dotfile name in its own folder first (creating missing folders), and only
 * when all are written renames them into place (`writeFilesAtomic`): a reader (or a crash) sees the old files or the
 * complete new ones, never half a file, and a failed write leaves no new file behind. Throws `ReportError`
 * (`RW_REPORT_WRITE_FAILED`) naming the file.
 *
 * @example
 * await replaceFiles({ files: [{ file: 'out/report.csv', data: csv }, { file: 'out/report.json', data: json }] });
 */
export async function replaceFiles(options: ReplaceFilesOptions): Promise<void> {
  await writeFilesAtomic({
    files: options.files,
    createFolders: true,
    onError: (error, file) =>
      new ReportError(`Cannot write the report file ${file}: ${(error as Error).message}. Check that the folder exists and is writable, or pass another --out.`, {
        code: 'RW_REPORT_WRITE_FAILED',
        cause: error,
      }),
  });
}
