/**
 * What a user testing the CLI found about incremental runs and their reports, through the real binary on a temporary
 * copy of the small project: a corrupt (truncated) output is re-rendered as `output_changed` instead of counting as up
 * to date, a run that does nothing writes no report files, and the report names rows and counts cached clips and
 * new/changed rows as the run did them.
 */
import { readFile, rm, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlanDocument } from '../../src/plan/index.js';
import type { RunReport } from '../../src/report/index.js';
import type { RunSummary } from '../../src/run/index.js';
import { lastJsonEvent, runCli } from '../helpers/cli.js';
import { copyProject, fingerprint, listNames, readJournal, type TempProject, renderRows } from '../helpers/project.js';

describe('reelwright plan and render with an output changed on disk', () => {
  let project: TempProject;
  const video = (name: string) => project.path('outputs', 'card', name);

  /** Renders people.csv with `--json`; the summary and the run's rows as `rowKey → [status, reason]`. */
  const render = (...extra: string[]) => renderRows(project.dir, ['datasets/people.csv', '-t', 'card', ...extra]);

  async function planJobs(): Promise<Record<string, [string, string | null]>> {
    const result = await runCli(['plan', 'datasets/people.csv', '-t', 'card', '--json'], { cwd: project.dir });
    expect(result.code, result.stderr).toBe(0);
    const plan = JSON.parse(result.stdout) as PlanDocument;
    return Object.fromEntries(plan.jobs.map((j) => [j.rowKey, [j.status, j.reason]]));
  }

  beforeAll(async () => {
    project = await copyProject('small');
  });
  afterAll(async () => {
    await project?.remove();
  });

  it('journals the size and mtime of each rendered video', async () => {
    const { summary } = await render();
    expect(summary.counts.rendered).toBe(3);
    const ada = await fingerprint(video('ada-landscape.mp4'));
    const render0 = readJournal(project.dir, (journal) => journal.getRender({ templateId: 'card', rowKey: 'ada', variant: 'landscape' }));
    expect(render0?.outputFile).toEqual({ bytes: ada.size, mtimeMs: Math.trunc(ada.mtimeMs) });
  });

  it('writes no report files for a run that rendered, failed and spent nothing, journals it, and `report` still builds its report', async () => {
    const reportsBefore = await listNames(project.path('outputs', 'card', 'reports'));
    expect(reportsBefore).toHaveLength(3);
    const { summary, rows } = await render();
    expect(summary).toMatchObject({ status: 'completed', reports: null, counts: { rendered: 0, upToDate: 3, failed: 0 } });
    expect(await listNames(project.path('outputs', 'card', 'reports'))).toEqual(reportsBefore);
    expect(readJournal(project.dir, (journal) => journal.getRun(summary.runId)?.status)).toBe('completed');
    expect(rows).toEqual({ ada: ['up_to_date', null], grace: ['up_to_date', null], linus: ['up_to_date', null] });
    const out = project.path('on-demand');
    const report = await runCli(['report', summary.runId, '--out', out], { cwd: project.dir });
    expect(report.code, report.stderr).toBe(0);
    expect((await listNames(out)).map((name) => path.extname(name))).toEqual(['.csv', '.html', '.json']);
  });

  it('writes no report files either when the only news is an invalid row left in the sheet (a nightly cron), and exits 1', async () => {
    const reportsBefore = await listNames(project.path('outputs', 'card', 'reports'));
    const sheet = project.path('datasets', 'people.csv');
    const original = await readFile(sheet, 'utf8');
    await writeFile(sheet, `${original.trimEnd()}\n${original.split('\n')[1]!.replace(/^[^,]*/, 'eve').replace(/#[0-9a-fA-F]{6}/, 'orange')}\n`);
    try {
      const result = await runCli(['render', 'datasets/people.csv', '-t', 'card', '--json'], { cwd: project.dir });
      expect(result.code, result.stderr).toBe(1);
      expect(lastJsonEvent<RunSummary>(result, 'summary')).toMatchObject({ reports: null, counts: { rendered: 0, invalid: 1, failed: 0 } });
      expect(lastJsonEvent(result, 'invalid')).toMatchObject({ type: 'invalid', line: 5 });
      expect(await listNames(project.path('outputs', 'card', 'reports'))).toEqual(reportsBefore);
    } finally {
      await writeFile(sheet, original);
    }
  });

  it('plans and re-renders a truncated video as "output changed", and only that one', async () => {
    const before = await fingerprint(video('ada-landscape.mp4'));
    expect(before.size).toBeGreaterThan(1000);
    await truncate(video('ada-landscape.mp4'), 1000);

    expect(await planJobs()).toEqual({ ada: ['render', 'output_changed'], grace: ['up_to_date', null], linus: ['up_to_date', null] });
    const text = await runCli(['plan', 'datasets/people.csv', '-t', 'card'], { cwd: project.dir });
    expect(text.code, text.stderr).toBe(0);
    expect(`${text.stdout}${text.stderr}`).toMatch(/ada.*render \(output changed/);

    const { summary, rows } = await render();
    expect(summary.counts).toMatchObject({ rendered: 1, upToDate: 2 });
    expect(rows).toEqual({ ada: ['rendered', 'output_changed'], grace: ['up_to_date', null], linus: ['up_to_date', null] });
    expect((await fingerprint(video('ada-landscape.mp4'))).size).toBe(before.size);
    expect(await planJobs()).toEqual({ ada: ['up_to_date', null], grace: ['up_to_date', null], linus: ['up_to_date', null] });
  });

  it('keeps trusting a video journaled before sizes were recorded (no size to compare)', async () => {
    const db = new Database(project.path('.reelwright', 'journal.db'));
    try {
      db.prepare(`UPDATE renders SET output_bytes = NULL, output_mtime_ms = NULL WHERE row_key = 'grace'`).run();
    } finally {
      db.close();
    }
    await truncate(video('grace-landscape.mp4'), 1000);
    expect((await planJobs())['grace']).toEqual(['up_to_date', null]);
    // Deleted is still detected without a size.
    await rm(video('grace-landscape.mp4'));
    expect((await planJobs())['grace']).toEqual(['render', 'output_missing']);
  });
});

describe('reelwright render counts in the summary and the report', () => {
  let project: TempProject;
  beforeAll(async () => {
    project = await copyProject('small');
  });
  afterAll(async () => {
    await project?.remove();
  });

  it('counts only rendered rows as new or changed when a planned row fails', async () => {
    // bob's logo is a URL nothing listens on: planned as new, then fails at render.
    await writeFile(
      project.path('datasets', 'one-fails.csv'),
      'id,name,accent,score,logo,theme\nada,Ada Lovelace,#ff0000,42,assets/logo.svg,ocean\nbob,Bob,#00ff00,3,http://127.0.0.1:9/logo.png,forest\n',
    );
    const result = await runCli(['render', 'datasets/one-fails.csv', '-t', 'card', '--allow-private-media', '--json'], { cwd: project.dir });
    expect(result.code, result.stderr).toBe(1);
    const summary = lastJsonEvent<RunSummary>(result, 'summary');
    expect(summary.counts).toMatchObject({ jobs: 2, rendered: 1, failed: 1, newRows: 1, changedRows: 0, unchangedRows: 0 });
    const text = await runCli(['render', 'datasets/one-fails.csv', '-t', 'card', '--allow-private-media'], { cwd: project.dir });
    // ada is up to date now; bob fails again and is counted as neither new nor changed.
    expect(text.stderr).toMatch(/completed: 0 rendered \(0 new, 0 changed, 1 unchanged\), 1 failed/);
  });

  it('counts clips a run takes from the cache as cache hits in its report', async () => {
    // ada is up to date; grace and linus render with the ocean and forest clips the first run generated.
    const result = await runCli(['render', 'datasets/people.csv', '-t', 'card', '--json'], { cwd: project.dir });
    expect(result.code, result.stderr).toBe(0);
    const summary = lastJsonEvent<RunSummary>(result, 'summary');
    expect(summary.counts).toMatchObject({ rendered: 2, upToDate: 1, newRows: 2, changedRows: 0 });
    const report = JSON.parse(await readFile(summary.reports?.json as string, 'utf8')) as RunReport;
    expect(report.summary.cache).toMatchObject({ distinctClips: 2, hits: 2, hitRate: 1 });
    const text = await runCli(['report', summary.runId], { cwd: project.dir });
    expect(text.code, text.stderr).toBe(0);
    expect(`${text.stdout}${text.stderr}`).toMatch(/Cache\s+2 of 2 clips \(100/);
  });
});
