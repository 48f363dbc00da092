import { readFileSync, watch as watchFolder, writeFileSync } from 'node:fs';
import { mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { watchTemplate } from './watch-template.js';
import type { TemplateBuild } from './watch-template.js';

/** A template whose `version` names the content; `body` goes inside the JSX (`{ oops` breaks the build on line 3). */
const source = (version: string, body = version) => `import { AbsoluteFill, defineTemplate, type SlotMap } from 'reelwright';
const slots = {} as const satisfies SlotMap;
export default defineTemplate({ id: 'watched', version: '${version}', fps: 10, width: 64, height: 36, duration: 1, slots, component: () => <AbsoluteFill>${body}</AbsoluteFill> });
`;

/** Whether a build compiled the given version (ready), or failed on it (its error quotes line 3, which names it). */
const isReady = (version: string) => (build: TemplateBuild) => build.status === 'ready' && build.definition.version === version;
const isError = (version: string) => (build: TemplateBuild) =>
  build.status === 'error' && (build.error as Error).message.includes(`version: '${version}'`);

/** Records every reported build; `next(match)` resolves with the first one reported from now on that matches. */
function recordBuilds() {
  const builds: TemplateBuild[] = [];
  const waiting: { match: (build: TemplateBuild) => boolean; resolve: (build: TemplateBuild) => void }[] = [];
  return {
    builds,
    onChange(build: TemplateBuild) {
      builds.push(build);
      for (const waiter of waiting.filter((candidate) => candidate.match(build))) {
        waiting.splice(waiting.indexOf(waiter), 1);
        waiter.resolve(build);
      }
    },
    next(match: (build: TemplateBuild) => boolean): Promise<TemplateBuild> {
      return new Promise((resolve) => waiting.push({ match, resolve }));
    },
  };
}

describe('watchTemplate', () => {
  let root: string;

  beforeAll(async () => {
    root = await realpath(await mkdtemp(path.join(tmpdir(), 'rw-watch-template-')));
  });

  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('builds, rebuilds on every change, reports a compile error with file:line:column, and recovers', async () => {
    const dir = path.join(root, 'edits');
    const entry = path.join(dir, 'index.tsx');
    await mkdir(dir);
    await writeFile(entry, source('one'));
    const recorder = recordBuilds();
    // The cache (bundles, Node modules) is written inside the watched folder: the watch must ignore it.
    await using watch = await watchTemplate({ entry, cacheDir: path.join(dir, '.cache'), debounceMs: 20, onChange: recorder.onChange });
    const first = await watch.settled();
    expect(first.status).toBe('ready');
    if (first.status !== 'ready') return;
    expect(first.definition.id).toBe('watched');
    expect(first.definition.version).toBe('one');

    const changed = recorder.next(isReady('two'));
    await writeFile(entry, source('two'));
    const second = await changed;
    expect(second.status === 'ready' && second.bundle.hash).not.toBe(first.bundle.hash);

    const broken = recorder.next(isError('three'));
    await writeFile(entry, source('three', '{ oops'));
    const failed = await broken;
    expect(failed.status === 'error' && (failed.error as Error).message).toMatch(/index\.tsx:3:\d+: /);

    // Written as soon as the failure is reported: a failing build takes ~25 ms, so this change comes within
    // chokidar's 50 ms change throttle of the previous one (it used to be dropped and this wait hung).
    const fixed = recorder.next(isReady('one'));
    await writeFile(entry, source('one'));
    const recovered = await fixed;
    // Same sources as the first build: the same content-hashed bundle comes back.
    expect(recovered.status === 'ready' && recovered.bundle.hash).toBe(first.bundle.hash);
    // One rebuild at least per save (a save whose steps are seen apart may take two).
    expect(recorder.builds.filter((build) => build.status === 'building').length).toBeGreaterThanOrEqual(3);
    const settled = await watch.settled();
    expect(settled.status === 'ready' && settled.bundle.hash).toBe(first.bundle.hash);
  });

  it('rebuilds a file saved again right after each rebuild is reported, and settles on the last save', async () => {
    const dir = path.join(root, 'quick-saves');
    const entry = path.join(dir, 'index.tsx');
    await mkdir(dir);
    await writeFile(entry, source('v0'));
    const recorder = recordBuilds();
    await using watch = await watchTemplate({ entry, cacheDir: path.join(root, 'quick-saves-cache'), debounceMs: 0, onChange: recorder.onChange });
    expect((await watch.settled()).status).toBe('ready');

    // Five broken saves, each written the moment the previous one's failure is reported (well within 50 ms of the
    // previous change with no debounce and a fast-failing build), then a good one.
    for (let index = 1; index <= 5; index += 1) {
      const reported = recorder.next(isError(`v${index}`));
      await writeFile(entry, source(`v${index}`, `{ oops ${index}`));
      await reported;
    }
    const fixed = recorder.next(isReady('v6'));
    await writeFile(entry, source('v6'));
    await fixed;
    expect(isReady('v6')(await watch.settled())).toBe(true);
    expect(isReady('v6')(watch.current())).toBe(true);
  });

  it('a change saved while a build runs leads to one more build, and the one reported has bundle and definition of the last save', async () => {
    const dir = path.join(root, 'during-build');
    const entry = path.join(dir, 'index.tsx');
    const cacheDir = path.join(root, 'during-build-cache');
    await mkdir(dir);
    await writeFile(entry, source('during-build-zero'));
    const recorder = recordBuilds();
    await using watch = await watchTemplate({ entry, cacheDir, debounceMs: 0, onChange: recorder.onChange });
    const first = await watch.settled();
    expect(first.status).toBe('ready');

    // The second save is written the moment the first save's browser bundle lands in the cache: bundling has read
    // the first save, and the Node load of the same build is about to run (or running).
    const bundles = path.join(cacheDir, 'bundles');
    let secondSaved = false;
    const cacheWatcher = watchFolder(bundles, (_event, name) => {
      if (secondSaved || !name || name.startsWith('.') || (first.status === 'ready' && name === first.bundle.hash)) return;
      secondSaved = true;
      writeFileSync(entry, source('during-build-second'));
    });
    try {
      // Bundle and definition both from the last save (a build that read the first save for its bundle and the second
      // for its definition is superseded by the build the second save queued).
      const bundled = (build: TemplateBuild, version: string) =>
        build.status === 'ready' && readFileSync(path.join(build.bundle.dir, 'bundle.js'), 'utf8').includes(version);
      const reported = recorder.next((build) => isReady('during-build-second')(build) && bundled(build, 'during-build-second'));
      await writeFile(entry, source('during-build-first'));
      const last = await reported;
      expect(secondSaved).toBe(true);
      expect(bundled(last, 'during-build-first')).toBe(false);
      const settled = await watch.settled();
      expect(settled.status === 'ready' && settled.bundle.hash).toBe(last.status === 'ready' && last.bundle.hash);
      expect(isReady('during-build-second')(recorder.builds.at(-1)!)).toBe(true);
    } finally {
      cacheWatcher.close();
    }
  });
});
