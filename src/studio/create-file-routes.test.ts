import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFileRoutes } from './create-file-routes.js';
import type { FileRoutes } from './create-file-routes.js';

describe('createFileRoutes', () => {
  let root: string;
  let routes: FileRoutes;

  beforeAll(async () => {
    root = await realpath(await mkdtemp(path.join(tmpdir(), 'rw-file-routes-')));
    await mkdir(path.join(root, 'datasets', 'logos'), { recursive: true });
    await mkdir(path.join(root, '.reelwright', 'frames', 'abc-320x180-12'), { recursive: true });
    await writeFile(path.join(root, 'datasets', 'logos', 'acme logo.svg'), '<svg/>');
    await writeFile(path.join(root, '.reelwright', 'journal.db'), 'journal');
    await writeFile(path.join(root, '.reelwright', 'frames', 'abc-320x180-12', '000001.jpg'), 'jpeg');
    await writeFile(path.join(root, 'outside.txt'), 'outside');
    await symlink(path.join(root, 'outside.txt'), path.join(root, 'datasets', 'escape.svg'));
    routes = createFileRoutes({
      mounts: [
        { name: 'datasets', root: path.join(root, 'datasets') },
        { name: 'state', root: path.join(root, '.reelwright'), only: ['frames'], caching: 'immutable' },
      ],
    });
  });

  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('gives files under a mount an encoded URL, and finds them again', async () => {
    const file = path.join(root, 'datasets', 'logos', 'acme logo.svg');
    const url = routes.urlOf(file);
    expect(url).toBe('/files/datasets/logos/acme%20logo.svg');
    expect(await routes.resolve(url!)).toEqual({ file, caching: 'revalidate' });
    expect(routes.urlOf(path.join(root, '.reelwright', 'frames', 'abc-320x180-12'))).toBe('/files/state/frames/abc-320x180-12');
  });

  it('serves only the listed entries of a restricted mount (the journal stays private)', async () => {
    expect(routes.urlOf(path.join(root, '.reelwright', 'journal.db'))).toBeNull();
    expect(await routes.resolve('/files/state/journal.db')).toBeNull();
    expect(await routes.resolve('/files/state/frames/abc-320x180-12/000001.jpg')).toMatchObject({ caching: 'immutable' });
  });

  it('refuses dot segments, encoded or not, backslashes, NUL bytes and symlinks that leave the mount', async () => {
    for (const url of [
      '/files/datasets/../outside.txt',
      '/files/datasets/%2e%2e/outside.txt',
      '/files/datasets/logos/..%2F..%2Foutside.txt',
      '/files/datasets/.%2e/outside.txt',
      '/files/datasets/logos%5C..%5C..%5Coutside.txt',
      '/files/datasets/a%00b',
      '/files/datasets/escape.svg',
      '/files/nowhere/x',
      '/files/datasets',
    ]) {
      expect(await routes.resolve(url), url).toBeNull();
    }
  });

  it('serves a file outside every mount only after it was registered, by an unguessable token', async () => {
    const outside = path.join(root, 'outside.txt');
    expect(routes.urlOf(outside)).toBeNull();
    const url = routes.register(outside);
    expect(url).toMatch(/^\/files\/ext\/[0-9a-f]{20}\/outside\.txt$/);
    expect(await routes.resolve(url)).toEqual({ file: outside, caching: 'revalidate' });
    expect(await routes.resolve(url.replace('outside.txt', 'other.txt'))).toBeNull();
  });
});
