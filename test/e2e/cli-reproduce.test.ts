/**
 * `reelwright reproduce <video.mp4>` end to end: re-render one finished video from its journal record with
 * cached clips only, compare decoded frames, and leave the original and the journal's render records alone.
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReproduceVideoResult } from '../../src/run/index.js';
import { runCli } from '../helpers/cli.js';
import { copyProject, fingerprint, readJournal, type FileFingerprint, type TempProject } from '../helpers/project.js';

const VIDEO = 'outputs/card/ada-landscape.mp4';

/** What reproduce must never change: the render records, the runs and the attempts. */
function journalState(projectDir: string): string {
  return readJournal(projectDir, (journal) =>
    JSON.stringify({ renders: [...journal.iterateRenders('card')], runs: journal.listRuns().map((r) => [r.id, r.status]), attempts: journal.listAttempts().length }),
  );
}

describe('reelwright reproduce', () => {
  let project: TempProject;
  let original: FileFingerprint;
  let journalBefore: string;
  let dataset: string;
  let template: string;

  beforeAll(async () => {
    project = await copyProject('small');
    const result = await runCli(['render', 'datasets/people.csv', '-t', 'card', '--limit', '1'], { cwd: project.dir });
    expect(result.code, result.stderr).toBe(0);
    original = await fingerprint(project.path(VIDEO));
    journalBefore = journalState(project.dir);
    dataset = await readFile(project.path('datasets', 'people.csv'), 'utf8');
    template = await readFile(project.path('templates', 'card', 'index.tsx'), 'utf8');
  });
  afterAll(async () => {
    await project?.remove();
  });

  it('reports identical frames for an unchanged project and leaves the video and the journal untouched', async () => {
    const result = await runCli(['reproduce', VIDEO], { cwd: project.dir });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/identical: 10\/10 frames \(ada, landscape, run /);
    expect(result.stderr).not.toMatch(/warning/);
    expect(await fingerprint(project.path(VIDEO))).toEqual(original);
    expect(journalState(project.dir)).toBe(journalBefore);
  });

  it('reports the first differing frame and warns about the bundle hash after the template changed', async () => {
    // A visible change: the accent panel becomes a third of the width instead of a quarter.
    await writeFile(project.path('templates', 'card', 'index.tsx'), template.replace('Math.round(width / 4)', 'Math.round(width / 3)'));
    try {
      const result = await runCli(['reproduce', VIDEO, '--json'], { cwd: project.dir });
      expect(result.code, result.stderr).toBe(1);
      const report = JSON.parse(result.stdout) as ReproduceVideoResult;
      expect(report).toMatchObject({ identical: false, firstDifferentFrame: 0, identicalFrames: 0, originalFrames: 10, reproducedFrames: 10, rowKey: 'ada', variant: 'landscape' });
      expect(report.warnings.join('\n')).toMatch(/template "card" changed since this video was rendered: its bundle hash is \w+, the manifest has \w+/);
      expect(await fingerprint(project.path(VIDEO))).toEqual(original);
      expect(journalState(project.dir)).toBe(journalBefore);
    } finally {
      await writeFile(project.path('templates', 'card', 'index.tsx'), template);
    }
  });

  it('refuses with exit 2 when the row changed since the video was rendered', async () => {
    await writeFile(project.path('datasets', 'people.csv'), dataset.replace('Ada Lovelace,#ff0000,42', 'Ada Lovelace,#ff0000,43'));
    try {
      const result = await runCli(['reproduce', VIDEO], { cwd: project.dir });
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/Row "ada" \(line 2 of people\.csv\) changed since ada-landscape\.mp4 was rendered/);
    } finally {
      await writeFile(project.path('datasets', 'people.csv'), dataset);
    }
  });

  it('never generates a clip: a clip missing from the cache fails with exit 2 and nothing is attempted', async () => {
    await rm(project.path('.reelwright', 'clips'), { recursive: true, force: true });
    const result = await runCli(['reproduce', VIDEO], { cwd: project.dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/B-roll "backdrop" of ada-landscape\.mp4 used clip \w+, which is no longer in the clip cache/);
    expect(journalState(project.dir)).toBe(journalBefore);
    expect(await fingerprint(project.path(VIDEO))).toEqual(original);
  });

  it('refuses with exit 2 a file the journal never rendered', async () => {
    const result = await runCli(['reproduce', 'datasets/people.csv'], { cwd: project.dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/is not a finished video of this project/);
  });
});
