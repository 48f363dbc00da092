import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveProjectPath } from './index.js';

describe('resolveProjectPath', () => {
  let root: string;
  let project: string;

  beforeAll(async () => {
    root = await realpath(await mkdtemp(path.join(tmpdir(), 'rw-project-path-')));
    project = path.join(root, 'project');
    await mkdir(path.join(project, 'datasets'), { recursive: true });
    await writeFile(path.join(project, 'datasets', 'people.csv'), 'name\nAda\n');
    await writeFile(path.join(root, 'secret.csv'), 'name\nMallory\n');
    await symlink(path.join(root, 'secret.csv'), path.join(project, 'datasets', 'link.csv'));
  });

  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('resolves a path inside the project, relative or absolute', async () => {
    expect(await resolveProjectPath({ projectDir: project, input: 'datasets/people.csv' })).toBe(path.join(project, 'datasets', 'people.csv'));
    expect(await resolveProjectPath({ projectDir: project, input: path.join(project, 'datasets/people.csv') })).toBe(path.join(project, 'datasets', 'people.csv'));
  });

  it('refuses any ".." segment, even one that would stay inside, with RW_STUDIO_PATH_OUTSIDE', async () => {
    for (const input of ['../secret.csv', 'datasets/../../secret.csv', 'datasets/../datasets/people.csv', 'datasets\\..\\..\\secret.csv']) {
      await expect(resolveProjectPath({ projectDir: project, input })).rejects.toMatchObject({ code: 'RW_STUDIO_PATH_OUTSIDE', status: 403 });
    }
  });

  it('refuses absolute paths outside the project and symlinks that lead out of it', async () => {
    await expect(resolveProjectPath({ projectDir: project, input: path.join(root, 'secret.csv') })).rejects.toMatchObject({ code: 'RW_STUDIO_PATH_OUTSIDE' });
    await expect(resolveProjectPath({ projectDir: project, input: 'datasets/link.csv' })).rejects.toMatchObject({
      code: 'RW_STUDIO_PATH_OUTSIDE',
      message: expect.stringMatching(/--allow-outside-project/),
    });
  });

  it('accepts outside paths only when allowed, and still never a ".." segment', async () => {
    expect(await resolveProjectPath({ projectDir: project, input: path.join(root, 'secret.csv'), allowOutside: true })).toBe(path.join(root, 'secret.csv'));
    await expect(resolveProjectPath({ projectDir: project, input: '../secret.csv', allowOutside: true })).rejects.toMatchObject({ code: 'RW_STUDIO_PATH_OUTSIDE' });
  });

  it('names empty paths, NUL bytes and missing files', async () => {
    await expect(resolveProjectPath({ projectDir: project, input: '  ' })).rejects.toMatchObject({ code: 'RW_STUDIO_BAD_PATH', status: 400 });
    await expect(resolveProjectPath({ projectDir: project, input: 'datasets/a\0b.csv' })).rejects.toMatchObject({ code: 'RW_STUDIO_BAD_PATH' });
    await expect(resolveProjectPath({ projectDir: project, input: 'datasets/nope.csv' })).rejects.toMatchObject({ code: 'RW_STUDIO_NOT_FOUND', status: 404 });
  });
});
