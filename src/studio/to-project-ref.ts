import path from 'node:path';

/** How the API names a file: relative to the project with `/` separators, or absolute when it is outside. */
export function toProjectRef(projectDir: string, file: string): string {
  const relative = path.relative(projectDir, file);
  return relative === '' || relative.startsWith('..') || path.isAbsolute(relative) ? file : relative.split(path.sep).join('/');
}
