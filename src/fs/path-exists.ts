import { access } from 'node:fs/promises';

/**
 * True when something exists at `file` (a file, folder or live link); false otherwise, whatever the reason.
 *
 * @example
 * if (await pathExists('.reelwright/cache/bundles/abc')) return;
 */
export async function pathExists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    // Only "does it exist" matters here; a missing file is the normal case.
    return false;
  }
}
