import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';

/**
 * Temporary names the run writes into an output folder before renaming into place:
 * - the encoder's `.<name>.mp4.<12 hex>.tmp.mp4` (`startEncoder`);
 * - the reports' `reports/.<name>.<pid>.<8 hex>.tmp` (`writeRunReports`).
 */
const ENCODER_TEMP = /^\..+\.mp4\.[0-9a-f]{12}\.tmp\.mp4$/;
const REPORT_TEMP = /^\..+\.\d+\.[0-9a-f]{8}\.tmp$/;

/** Options of `removeStaleTempFiles`. */
export type RemoveStaleTempFilesOptions = {
  /** The run's output folder. */
  outDir: string;
};

/**
 * Deletes the temporary files a killed run left in an output folder (a SIGKILL mid-encode leaves its
 * `.…tmp.mp4`; nothing would ever rename or remove it). Call it only while holding the project's run
 * lock: then no live process of this project is writing them. Final names are never touched, and a
 * missing folder is fine. Returns the names removed.
 */
export async function removeStaleTempFiles(options: RemoveStaleTempFilesOptions): Promise<string[]> {
  const removed: string[] = [];
  for (const [dir, pattern] of [
    [options.outDir, ENCODER_TEMP],
    [path.join(options.outDir, 'reports'), REPORT_TEMP],
  ] as const) {
    let names: string[];
    try {
      names = await readdir(dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw error;
    }
    for (const name of names.filter((n) => pattern.test(n))) {
      await rm(path.join(dir, name), { force: true });
      removed.push(path.join(path.relative(options.outDir, dir), name));
    }
  }
  return removed;
}
