import { mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { watchTemplate } from './watch-template.js';
import type { TemplateBuild } from './watch-template.js';

const source = (text: string) => `import { AbsoluteFill, defineTemplate, type SlotMap } from 'reelwright';
const slots = {} as const satisfies SlotMap;
export default defineTemplate({ id: 'watched', version: '1', fps: 10, width: 64, height: 36, duration: 1, slots, component: () => <AbsoluteFill>${text}</AbsoluteFill> });
`;

describe('watchTemplate', () => {
  let root: string;

  beforeAll(async () => {
    root = await realpath(await mkdtemp(path.join(tmpdir(), 'rw-watch-template-')));
  });

  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('builds, rebuilds on every change, reports a compile error with file:line:column, and recovers', async () => {
    const entry = path.join(root, 'index.tsx');
    await writeFile(entry, source('one'));
    const builds: TemplateBuild[] = [];
    let notify: (() => void) | null = null;
    const next = (status: TemplateBuild['status']) =>
      new Promise<TemplateBuild>((resolve) => {
        notify = () => {
          const last = builds.at(-1);
          if (last?.status === status) resolve(last);
        };
      });
    await using watch = await watchTemplate({
      entry,
      cacheDir: path.join(root, '.cache'),
      debounceMs: 20,
      onChange: (build) => {
        builds.push(build);
        notify?.();
      },
    });
    const first = await watch.settled();
    expect(first.status).toBe('ready');
    if (first.status !== 'ready') return;
    expect(first.definition.id).toBe('watched');

    const changed = next('ready');
    await writeFile(entry, source('two'));
    const second = await changed;
    expect(second.status === 'ready' && second.bundle.hash).not.toBe(first.bundle.hash);

    const broken = next('error');
    await writeFile(entry, source('{ oops'));
    const failed = await broken;
    expect(failed.status).toBe('error');
    if (failed.status === 'error') expect((failed.error as Error).message).toMatch(/index\.tsx:3:\d+: /);

    const fixed = next('ready');
    await writeFile(entry, source('one'));
    const recovered = await fixed;
    // Same sources as the first build: the same content-hashed bundle comes back.
    expect(recovered.status === 'ready' && recovered.bundle.hash).toBe(first.bundle.hash);
    expect(builds.some((build) => build.status === 'building')).toBe(true);
  });
});
