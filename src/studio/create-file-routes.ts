import { createHash } from 'node:crypto';
import { realpath } from 'node:fs/promises';
import path from 'node:path';
import { isInside, resolveConfinedPath } from '../render/index.js';
import type { SendFileCaching } from './send-file.js';

/** URL path under which every served file lives. */
export const FILES_URL_PREFIX = '/files/';

/** One folder the studio serves read-only, at `/files/<name>/…`. */
export type FileMount = {
  /** URL segment: letters, digits, `-`, `_`. */
  name: string;
  /** Absolute folder. */
  root: string;
  /** When set, only these first-level entries of `root` are served (the state folder serves its caches, never the journal). */
  only?: readonly string[];
  caching?: SendFileCaching;
};

/** Options of `createFileRoutes`. */
export type CreateFileRoutesOptions = { mounts: readonly FileMount[] };

/** A file a URL names, and how long it may be cached. */
export type RoutedFile = { file: string; caching: SendFileCaching };

/**
 * The studio's read-only file space: URLs for project files, and the way back from a URL to a file.
 * Nothing outside the mounts (or the files registered one by one) is ever served.
 */
export interface FileRoutes {
  /** Root-relative URL of a file or folder under a mount, or null when it is under none (see `register`). */
  urlOf(file: string): string | null;
  /** Serves one checked file that lies outside every mount (an image of a dataset opened outside the project); returns its URL. */
  register(file: string): string;
  /** The file a request path names, or null (outside the mounts, a dot segment, a symlink that leaves its mount). */
  resolve(urlPath: string): Promise<RoutedFile | null>;
}

const NAME = /^[A-Za-z0-9_-]+$/;
const EXTERNAL = 'ext';

function encodePath(relative: string): string {
  return relative
    .split(path.sep)
    .map((segment) => encodeURIComponent(segment))
    .join('/');
}

/**
 * Builds the studio's file routes over a fixed list of mounts (templates, datasets, outputs, the state folder's
 * caches). `resolve` refuses any `.`/`..` segment before and after decoding, NUL bytes and backslashes, and follows
 * symlinks only while they stay inside their mount.
 *
 * @example
 * const routes = createFileRoutes({ mounts: [{ name: 'datasets', root: '/work/demo/datasets' }] });
 * routes.urlOf('/work/demo/datasets/assets/logo.svg'); // '/files/datasets/assets/logo.svg'
 */
export function createFileRoutes(options: CreateFileRoutesOptions): FileRoutes {
  const mounts = options.mounts.map((mount) => {
    if (!NAME.test(mount.name) || mount.name === EXTERNAL) throw new Error(`createFileRoutes: mount name ${JSON.stringify(mount.name)} is not allowed.`);
    return { ...mount, root: path.resolve(mount.root), realRoot: null as Promise<string | null> | null };
  });
  // Longest root first, so a mount nested in another (the state folder in the project) wins.
  const byDepth = [...mounts].sort((a, b) => b.root.length - a.root.length);
  const external = new Map<string, string>();

  const urlOf = (file: string): string | null => {
    const absolute = path.resolve(file);
    for (const mount of byDepth) {
      if (!isInside(mount.root, absolute)) continue;
      const relative = path.relative(mount.root, absolute);
      if (mount.only && relative !== '' && !mount.only.includes(relative.split(path.sep)[0] as string)) return null;
      return `${FILES_URL_PREFIX}${mount.name}/${encodePath(relative)}`;
    }
    return null;
  };

  const register = (file: string): string => {
    const absolute = path.resolve(file);
    const token = createHash('sha256').update(absolute).digest('hex').slice(0, 20);
    external.set(token, absolute);
    return `${FILES_URL_PREFIX}${EXTERNAL}/${token}/${encodeURIComponent(path.basename(absolute))}`;
  };

  const resolve = async (urlPath: string): Promise<RoutedFile | null> => {
    if (!urlPath.startsWith(FILES_URL_PREFIX)) return null;
    const rawSegments = urlPath.slice(FILES_URL_PREFIX.length).split('/');
    if (rawSegments.some((segment) => segment === '.' || segment === '..')) return null;
    let segments: string[];
    try {
      segments = rawSegments.map((segment) => decodeURIComponent(segment));
    } catch {
      return null;
    }
    if (segments.some((segment) => segment === '' || segment === '.' || segment === '..' || /[\\/\0]/.test(segment))) return null;
    const [name, ...rest] = segments;
    if (name === EXTERNAL) {
      const file = rest.length === 2 ? external.get(rest[0] as string) : undefined;
      return file !== undefined && path.basename(file) === rest[1] ? { file, caching: 'revalidate' } : null;
    }
    const mount = mounts.find((m) => m.name === name);
    if (!mount || rest.length === 0) return null;
    if (mount.only && !mount.only.includes(rest[0] as string)) return null;
    const candidate = path.join(mount.root, ...rest);
    if (!isInside(mount.root, candidate)) return null;
    const real = await resolveConfinedPath({ file: candidate, realRoot: () => (mount.realRoot ??= realpath(mount.root).catch(() => null)) });
    return real === null ? null : { file: real, caching: mount.caching ?? 'revalidate' };
  };

  return { urlOf, register, resolve };
}
