/**
 * `reelwright new` end to end: the real binary scaffolds a template into an empty temporary project, and the
 * generated template and sample dataset validate and render as they are (real Chromium, ffmpeg, SQLite; the
 * `--with-broll` starter gets its clip from the local provider).
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeMedia } from '../../src/media/index.js';
import type { RunSummary } from '../../src/run/index.js';
import { lastJsonEvent, runCli } from '../helpers/cli.js';
import { listNames, listVideos, readJournal } from '../helpers/project.js';

const FILES = ['templates/hello-test/index.tsx', 'templates/hello-test/README.md', 'datasets/hello-test.csv', 'datasets/hello-test-logo.svg'];

describe('reelwright new', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'rw-e2e-new-'));
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('writes the template, its README and a sample dataset, and prints the studio and render commands', async () => {
    const result = await runCli(['new', 'hello-test'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    for (const file of FILES) expect(result.stderr).toContain(`created ${file}`);
    expect(result.stderr).toContain('npx reelwright studio');
    expect(result.stderr).toContain('npx reelwright render datasets/hello-test.csv -t hello-test');
    expect(await listNames(path.join(dir, 'templates', 'hello-test'))).toEqual(['README.md', 'index.tsx']);
    const source = await readFile(path.join(dir, 'templates', 'hello-test', 'index.tsx'), 'utf8');
    expect(source).toContain("id: 'hello-test'");
    expect(source).not.toMatch(/@broll|BRoll|my-template/);
    const csv = (await readFile(path.join(dir, 'datasets', 'hello-test.csv'), 'utf8')).trim().split('\n');
    expect(csv).toHaveLength(4); // header + 3 rows
  });

  it('makes a dataset whose 3 rows validate against the new template', async () => {
    const result = await runCli(['validate', 'datasets/hello-test.csv', '-t', 'hello-test'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('All 3 rows are valid.');
  });

  it('renders the first row in both variants: 4 s H.264 at 30 fps, 16:9 and 9:16', async () => {
    const result = await runCli(['render', 'datasets/hello-test.csv', '-t', 'hello-test', '--limit', '1', '--variants', 'landscape,vertical', '--json'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    const summary = lastJsonEvent<RunSummary>(result, 'summary');
    expect(summary.counts).toMatchObject({ rendered: 2, failed: 0, invalid: 0 });
    const outDir = path.join(dir, 'outputs', 'hello-test');
    const videos = await listVideos(outDir);
    // Named after the person (rowKey + outputName), not after a hash of the row.
    expect(videos.sort()).toEqual(['Ada Lovelace-landscape.mp4', 'Ada Lovelace-vertical.mp4']);
    const sizes: string[] = [];
    for (const name of videos) {
      const info = await probeMedia({ file: path.join(outDir, name) });
      expect(info.video, name).toMatchObject({ codec: 'h264', fps: 30, frameCount: 120 });
      expect(info.durationSeconds, name).toBeCloseTo(4, 1);
      sizes.push(`${name.endsWith('-vertical.mp4') ? 'vertical' : 'landscape'} ${info.video?.width}x${info.video?.height}`);
    }
    expect(sizes.sort()).toEqual(['landscape 1280x720', 'vertical 720x1280']);
  });

  it('re-renders an edited row into the same files, leaving no stale video behind', async () => {
    const csvFile = path.join(dir, 'datasets', 'hello-test.csv');
    const csv = await readFile(csvFile, 'utf8');
    await writeFile(csvFile, csv.replace('Ada Lovelace,#4f46e5,', 'Ada Lovelace,#e11d48,'));
    const result = await runCli(['render', 'datasets/hello-test.csv', '-t', 'hello-test', '--limit', '1', '--variants', 'landscape,vertical', '--json'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    expect(lastJsonEvent<RunSummary>(result, 'summary').counts).toMatchObject({ rendered: 2, failed: 0 });
    expect((await listVideos(path.join(dir, 'outputs', 'hello-test'))).sort()).toEqual(['Ada Lovelace-landscape.mp4', 'Ada Lovelace-vertical.mp4']);
    await writeFile(csvFile, csv);
  });

  it('refuses to overwrite without --force, naming every existing file, and overwrites with it', async () => {
    const readme = path.join(dir, 'templates', 'hello-test', 'README.md');
    await writeFile(readme, 'my notes\n');
    const refused = await runCli(['new', 'hello-test'], { cwd: dir });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('already exist');
    expect(refused.stderr).toContain('--force');
    for (const file of FILES) expect(refused.stderr).toContain(file);
    expect(await readFile(readme, 'utf8')).toBe('my notes\n');

    const forced = await runCli(['new', 'hello-test', '--force'], { cwd: dir });
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stderr).toContain('overwrote templates/hello-test/README.md');
    expect(await readFile(readme, 'utf8')).toContain('# hello-test');
  });

  it('refuses an invalid id, says what is allowed and writes nothing', async () => {
    for (const bad of ['Hello_World', 'café', 'a/b']) {
      const result = await runCli(['new', bad], { cwd: dir });
      expect(result.code, bad).toBe(2);
      expect(result.stderr, bad).toContain(`Invalid template id "${bad}"`);
      expect(result.stderr, bad).toContain('lowercase letters a-z, digits 0-9 and dashes');
      if (bad === 'Hello_World') expect(result.stderr).toContain('Try "hello-world"');
    }
    expect(await listNames(path.join(dir, 'templates'))).toEqual(['hello-test']);
  });

  it('--with-broll adds a {{city}} B-roll slot that renders with the local provider', async () => {
    const created = await runCli(['new', 'city-tour', '--with-broll'], { cwd: dir });
    expect(created.code, created.stderr).toBe(0);
    const source = await readFile(path.join(dir, 'templates', 'city-tour', 'index.tsx'), 'utf8');
    expect(source).toContain("kind: 'broll', prompt: 'Slow cinematic aerial footage of {{city}}");
    expect(source).toContain("provider: 'local'");
    expect(source).toContain('<BRoll src={props.background}');

    const result = await runCli(['render', 'datasets/city-tour.csv', '-t', 'city-tour', '--limit', '1', '--json'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    expect(lastJsonEvent<RunSummary>(result, 'summary').counts).toMatchObject({ rendered: 1, failed: 0 });
    const attempts = readJournal(dir, (journal) => journal.listAttempts());
    expect(attempts.map((a) => `${a.provider} ${a.status}`)).toEqual(['local succeeded']);
    const outDir = path.join(dir, 'outputs', 'city-tour');
    const [video, ...others] = await listVideos(outDir);
    expect([video, ...others]).toEqual(['Ada Lovelace-landscape.mp4']);
    const info = await probeMedia({ file: path.join(outDir, video as string) });
    expect(info.video).toMatchObject({ width: 1280, height: 720, fps: 30, frameCount: 120 });
    expect(info.durationSeconds).toBeCloseTo(4, 1);
  });
});
