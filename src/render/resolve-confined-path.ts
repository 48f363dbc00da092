import { realpath } from 'node:fs/promises';
import { isInside } from './is-inside.js';

/** Options for `resolveConfinedPath`. */
export type ResolveConfinedPathOptions = {
  /** Absolute path already checked (as a string) to lie inside the root. */
  file: string;
  /**
   * The root's real path, or null when it cannot be resolved (then nothing is served). A function so the caller can
   * cache it, and is only asked once `file` exists.
   */
  realRoot: () => Promise<string | null>;
};

/**
 * Follows symlinks in `file` and returns its real path when that still lies inside the root's real path; null when
 * the file does not exist or a link leads out of the root.
 *
 * @example
 * await resolveConfinedPath({ file: '/work/demo/outputs/ada.mp4', realRoot: () => realpath('/work/demo/outputs') });
 */
export async function resolveConfinedPath(options: ResolveConfinedPathOptions): Promise<string | null> {
  let real: string;
  try {
    real = await realpath(options.file);
  } catch {
    return null;
  }
  const realRoot = await options.realRoot();
  return realRoot !== null && isInside(realRoot, real) ? real : null;
}
