import path from 'node:path';

/** Where a project keeps things. Derived once from the project folder. */
export type ProjectPaths = {
  projectDir: string;
  /** `templates/`: one folder per template. */
  templatesDir: string;
  /** `datasets/`. */
  datasetsDir: string;
  /** `.reelwright/`: journal, clip cache, frames, bundles, lock. */
  stateDir: string;
  /** `.reelwright/cache/`: template bundles and compiled templates. */
  cacheDir: string;
  /** `.reelwright/journal.db`. */
  journalFile: string;
  /** `.reelwright/frames/`: pre-decoded B-roll frames per clip, size and fps. */
  framesDir: string;
  /** `.reelwright/media/`: remote images fetched for rows. */
  mediaDir: string;
  /** `.reelwright/work/`: temporary files of clip generation. */
  workDir: string;
  /** `outputs/`: default root of rendered videos. */
  outputsDir: string;
};

/** Name of the state folder inside a project. */
export const STATE_DIR_NAME = '.reelwright';

/** Derives every project path from the project folder (default: the current folder). */
export function projectPaths(options: { projectDir?: string | null; stateDir?: string | null } = {}): ProjectPaths {
  const projectDir = path.resolve(options.projectDir ?? process.cwd());
  const stateDir = path.resolve(projectDir, options.stateDir ?? STATE_DIR_NAME);
  return {
    projectDir,
    templatesDir: path.join(projectDir, 'templates'),
    datasetsDir: path.join(projectDir, 'datasets'),
    stateDir,
    cacheDir: path.join(stateDir, 'cache'),
    journalFile: path.join(stateDir, 'journal.db'),
    framesDir: path.join(stateDir, 'frames'),
    mediaDir: path.join(stateDir, 'media'),
    workDir: path.join(stateDir, 'work'),
    outputsDir: path.join(projectDir, 'outputs'),
  };
}
