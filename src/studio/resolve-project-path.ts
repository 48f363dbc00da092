import { realpath } from 'node:fs/promises';
import path from 'node:path';
import { isInside } from '../render/index.js';
import { StudioError } from './studio-error.js';

/** Options of `resolveProjectPath`. */
export type ResolveProjectPathOptions = {
  /** The project folder, absolute and with symlinks resolved. */
  projectDir: string;
  /** A path from the user or the app: relative to the project, or absolute. */
  input: string;
  /** Accept paths outside the project (`reelwright studio --allow-outside-project`). `..` segments are refused even then. */
  allowOutside?: boolean;
};

/**
 * Turns a path received by the studio API into an absolute path of an existing file or folder inside the project.
 * Refused with `StudioError`: an empty path or a NUL byte (`RW_STUDIO_BAD_PATH`, 400); any `..` segment, a path
 * outside the project, or a symlink that leads out of it (`RW_STUDIO_PATH_OUTSIDE`, 403); a missing file
 * (`RW_STUDIO_NOT_FOUND`, 404). Checked on the real path, so a link cannot smuggle a file in.
 *
 * @example
 * await resolveProjectPath({ projectDir: '/work/demo', input: 'datasets/welcome.csv' }); // '/work/demo/datasets/welcome.csv'
 * await resolveProjectPath({ projectDir: '/work/demo', input: '../secrets.csv' }); // throws RW_STUDIO_PATH_OUTSIDE
 */
export async function resolveProjectPath(options: ResolveProjectPathOptions): Promise<string> {
  const { projectDir, input } = options;
  const allowOutside = options.allowOutside ?? false;
  if (typeof input !== 'string' || input.trim() === '') {
    throw new StudioError('The path is empty. Give a file inside the project, such as datasets/welcome.csv.', { code: 'RW_STUDIO_BAD_PATH', status: 400 });
  }
  if (input.includes('\0')) throw new StudioError('The path contains a NUL byte.', { code: 'RW_STUDIO_BAD_PATH', status: 400 });
  if (input.split(/[\\/]+/).some((segment) => segment === '..')) {
    throw new StudioError(`The path ${JSON.stringify(input)} goes up a folder (".."). Name the file from the project folder down, such as datasets/welcome.csv.`, {
      code: 'RW_STUDIO_PATH_OUTSIDE',
      status: 403,
    });
  }
  const resolved = path.resolve(projectDir, input.trim());
  const outside = () =>
    new StudioError(
      `${JSON.stringify(input)} is outside the project folder ${projectDir}. The studio only opens files inside the project; ` +
        'start it with --allow-outside-project to open other files.',
      { code: 'RW_STUDIO_PATH_OUTSIDE', status: 403 },
    );
  if (!allowOutside && !isInside(projectDir, resolved)) throw outside();
  let real: string;
  try {
    real = await realpath(resolved);
  } catch (error) {
    throw new StudioError(`${JSON.stringify(input)} does not exist (looked for ${resolved}).`, { code: 'RW_STUDIO_NOT_FOUND', status: 404, cause: error });
  }
  if (!allowOutside && !isInside(projectDir, real)) throw outside();
  return resolved;
}
