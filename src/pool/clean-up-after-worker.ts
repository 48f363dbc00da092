import { readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { log } from '../log/index.js';
import type { LogOptions } from '../log/index.js';

/** Options for `cleanUpAfterWorker`. */
export type CleanUpAfterWorkerOptions = {
  /** The task's final MP4 path: its encoder's temporary files (`.<name>.<random>.tmp.mp4`) are deleted. */
  outFile: string;
  /** The dead worker's Chromium, killed if it still runs; null when unknown. */
  browserPid: number | null;
  log: LogOptions;
};

async function readText(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch {
    return null;
  }
}

/** Child pids of every thread of this process (a dead worker thread's children are handed to a live thread). */
async function ownChildren(): Promise<number[]> {
  const pids: number[] = [];
  let tids: string[];
  try {
    tids = await readdir('/proc/self/task');
  } catch {
    return pids;
  }
  for (const tid of tids) {
    const text = await readText(`/proc/self/task/${tid}/children`);
    if (text) for (const part of text.split(' ')) if (part !== '') pids.push(Number(part));
  }
  return pids;
}

function kill(pid: number, what: string, options: CleanUpAfterWorkerOptions): void {
  try {
    process.kill(pid, 'SIGKILL');
    log.verbose(options.log, `killed ${what} (pid ${pid}) left behind by a terminated worker`);
  } catch (error) {
    // Already gone (ESRCH): nothing left to stop.
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') log.warn(options.log, `could not kill ${what} (pid ${pid}):`, error);
  }
}

/**
 * Cleans up after a worker thread that was terminated (a forced cancel) or died in the middle of a task. Its
 * JavaScript `finally` blocks never ran, and its child processes outlive it: the encoder's ffmpeg sees its stdin close
 * and *finishes* a short MP4 under the temporary name. So: kill that ffmpeg (found among this process's children by
 * the temporary name on its command line) and the worker's Chromium, then delete the temporary files. The final
 * `outFile` is never touched: it only appears through the encoder's rename, which a dead worker cannot do.
 *
 * The killed processes stay zombies until this process exits: their handles died with the thread, so nobody can
 * wait for them. Forced terminations are the exception (a cancel that did not finish within the grace period).
 */
export async function cleanUpAfterWorker(options: CleanUpAfterWorkerOptions): Promise<void> {
  const dir = path.dirname(path.resolve(options.outFile));
  const tempPrefix = `.${path.basename(options.outFile)}.`;
  for (const pid of await ownChildren()) {
    const comm = (await readText(`/proc/${pid}/comm`))?.trim();
    if (comm === 'ffmpeg') {
      const cmdline = (await readText(`/proc/${pid}/cmdline`)) ?? '';
      if (cmdline.includes(path.join(dir, tempPrefix))) kill(pid, 'ffmpeg', options);
    }
  }
  if (options.browserPid !== null) {
    const comm = (await readText(`/proc/${options.browserPid}/comm`))?.trim() ?? '';
    if (/chrom|headless/i.test(comm)) kill(options.browserPid, 'Chromium', options);
  }
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return;
  }
  for (const name of names) {
    if (name.startsWith(tempPrefix) && name.endsWith('.tmp.mp4')) await rm(path.join(dir, name), { force: true });
  }
}
