/**
 * The clip cache commands (issue 3) on a project whose render cached two local clips.
 */
import { open } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClipCacheEntry } from '../../src/clips/index.js';
import { runCli } from '../helpers/cli.js';
import { copyProject, type TempProject } from '../helpers/project.js';

describe('reelwright cache', () => {
  let project: TempProject;
  const ls = async (): Promise<ClipCacheEntry[]> => {
    const result = await runCli(['cache', 'ls', '--json'], { cwd: project.dir });
    expect(result.code, result.stderr).toBe(0);
    return JSON.parse(result.stdout) as ClipCacheEntry[];
  };
  const byPrompt = (entries: ClipCacheEntry[], word: string) => entries.find((e) => e.prompt.includes(word)) as ClipCacheEntry;

  beforeAll(async () => {
    project = await copyProject('small');
    const result = await runCli(['render', 'datasets/people.csv', '-t', 'card'], { cwd: project.dir });
    expect(result.code, result.stderr).toBe(0);
  });
  afterAll(async () => {
    await project?.remove();
  });

  it('ls lists each cached clip once with provider, model, prompt and file', async () => {
    const entries = await ls();
    expect(entries.map((e) => [e.provider, e.prompt, e.pinned, e.draft]).sort()).toEqual([
      ['local', 'Slow abstract drift of forest light', false, false],
      ['local', 'Slow abstract drift of ocean light', false, false],
    ]);
    for (const entry of entries) expect(existsSync(entry.file), entry.file).toBe(true);
    const human = await runCli(['cache', 'ls'], { cwd: project.dir });
    expect(human.stderr).toMatch(new RegExp(`${byPrompt(entries, 'ocean').clipId.slice(0, 12)} .* local:placeholder-v1 "Slow abstract drift of ocean light"`));
    expect(human.stderr).toMatch(/2 clips, /);
  });

  it('prune --older-than 0s removes every unpinned clip but never the pinned one', async () => {
    const before = await ls();
    const ocean = byPrompt(before, 'ocean');
    const forest = byPrompt(before, 'forest');
    const pin = await runCli(['cache', 'pin', ocean.clipId.slice(0, 12)], { cwd: project.dir });
    expect(pin.code, pin.stderr).toBe(0);
    expect(pin.stderr).toMatch(new RegExp(`Pinned ${ocean.clipId}`));

    const prune = await runCli(['cache', 'prune', '--older-than', '0s'], { cwd: project.dir });
    expect(prune.code, prune.stderr).toBe(0);
    expect(prune.stderr).toMatch(new RegExp(`removed ${forest.clipId.slice(0, 12)}`));
    expect(prune.stderr).not.toMatch(new RegExp(`removed ${ocean.clipId.slice(0, 12)}`));
    const after = await ls();
    expect(after.map((e) => [e.clipId, e.pinned])).toEqual([[ocean.clipId, true]]);
    expect(existsSync(ocean.file)).toBe(true);
    expect(existsSync(forest.file)).toBe(false);
  });

  it('verify passes intact files and reports a corrupted one with exit 1', async () => {
    const clean = await runCli(['cache', 'verify'], { cwd: project.dir });
    expect(clean.code, clean.stderr).toBe(0);
    expect(clean.stderr).toMatch(/1 file checked: 1 ok, 0 corrupt/);

    const [ocean] = await ls();
    // Same size, different bytes: only re-hashing can tell.
    const handle = await open((ocean as ClipCacheEntry).file, 'r+');
    try {
      await handle.write(Buffer.alloc(64, 0x5a), 0, 64, 1024);
    } finally {
      await handle.close();
    }
    const corrupt = await runCli(['cache', 'verify'], { cwd: project.dir });
    expect(corrupt.code).toBe(1);
    expect(corrupt.stderr).toMatch(new RegExp(`corrupt: .*${(ocean as ClipCacheEntry).clipId}`));
    expect(corrupt.stderr).toMatch(/1 file checked: 0 ok, 1 corrupt \(quarantined\)/);
    expect(existsSync((ocean as ClipCacheEntry).file)).toBe(false);
  });
});
