import path from 'node:path';

/** True when `target` is `root` itself or below it (both absolute). Pure string check: resolve symlinks first. */
export function isInside(root: string, target: string): boolean {
  const relative = path.relative(root, target);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}
