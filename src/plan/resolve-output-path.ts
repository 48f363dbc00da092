import { isAbsolute, relative, resolve } from 'node:path';
import { DatasetError } from '../errors/index.js';

/**
 * Joins an output name under the output folder and proves the result stays inside it: throws
 * `DatasetError` `RW_OUTPUT_PATH_ESCAPES` when the name is absolute, climbs out with `..`, names
 * the folder itself, or contains a NUL byte. Names from `sanitizeOutputName` always pass; this
 * is the second lock on the door. Takes two strings, as the run stage calls it per job.
 *
 * @example
 * resolveOutputPath('outputs', 'ada.mp4'); // '/abs/outputs/ada.mp4'
 * resolveOutputPath('outputs', '../x.mp4'); // throws RW_OUTPUT_PATH_ESCAPES
 */
export function resolveOutputPath(outDir: string, name: string): string {
  const root = resolve(outDir);
  const full = resolve(root, name);
  const rel = relative(root, full);
  if (name.includes('\0') || rel === '' || isAbsolute(rel) || rel === '..' || rel.startsWith(`..${'/'}`) || rel.startsWith('..\\')) {
    throw new DatasetError(
      `Output name ${JSON.stringify(name)} would be written to ${JSON.stringify(full)}, outside the output folder ${JSON.stringify(root)}. ` +
        'Output names come from row values through the name pattern; pass them through sanitizeOutputName.',
      { code: 'RW_OUTPUT_PATH_ESCAPES' },
    );
  }
  return full;
}
