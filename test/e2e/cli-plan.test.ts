/**
 * Issue 3, planning and incremental runs, through the real binary on a temporary copy of the small project:
 * `plan --json` against its schema (cached / shared / new clips, dedupe counts), then re-runs that render
 * nothing, one row, every row, or everything.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlanDocument } from '../../src/plan/index.js';
import { REPO_ROOT, runCli } from '../helpers/cli.js';
import { copyProject, fingerprint, listNames, readJournal, type FileFingerprint, type TempProject, renderRows } from '../helpers/project.js';

type PlanOutput = PlanDocument & { invalidRows?: { line: number; problems: string[] }[] };

const VIDEOS = ['ada-landscape.mp4', 'grace-landscape.mp4', 'linus-landscape.mp4'];

async function planSchemaValidator() {
  const schema = JSON.parse(await readFile(path.join(REPO_ROOT, 'schemas', 'plan.schema.json'), 'utf8')) as object;
  return new Ajv2020({ allErrors: true, strict: true }).compile(schema);
}

/** `rowKey → [status, reason, clip status of the backdrop slot]` of a plan document. */
function jobTable(plan: PlanOutput): Record<string, [string, string | null, string | null]> {
  return Object.fromEntries(plan.jobs.map((j) => [j.rowKey, [j.status, j.reason, j.clips[0]?.status ?? null]]));
}

describe('reelwright plan and incremental render', () => {
  let project: TempProject;
  let validatePlan: Awaited<ReturnType<typeof planSchemaValidator>>;
  const outDir = () => project.path('outputs', 'card');

  /** Renders people.csv with `--json`; the summary and the run's rows as `rowKey → [status, reason]`. */
  const render = (...extra: string[]) => renderRows(project.dir, ['datasets/people.csv', '-t', 'card', ...extra]);

  async function fingerprints(): Promise<Record<string, FileFingerprint>> {
    return Object.fromEntries(await Promise.all(VIDEOS.map(async (name) => [name, await fingerprint(path.join(outDir(), name))] as const)));
  }

  beforeAll(async () => {
    project = await copyProject('small');
    validatePlan = await planSchemaValidator();
  });
  afterAll(async () => {
    await project?.remove();
  });

  it('--name with an unknown placeholder names it and lists the slot names it may use', async () => {
    const result = await runCli(['plan', 'datasets/people.csv', '-t', 'card', '--name', '{{nmae}}'], { cwd: project.dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: Output name pattern "\{\{nmae\}\}" uses \{\{nmae\}\}, which is not a placeholder .*Available: the slots of template "card" \(.*\{\{name\}\}.*\) and \{\{key\}\}, \{\{variant\}\}/m);
    expect(result.stderr).not.toMatch(/object Object/);
  });

  it('plan --json validates against schemas/plan.schema.json and generates a repeated prompt once, spending and rendering nothing', async () => {
    const result = await runCli(['plan', 'datasets/people.csv', '-t', 'card', '--json'], { cwd: project.dir });
    expect(result.code, result.stderr).toBe(0);
    const plan = JSON.parse(result.stdout) as PlanOutput;
    expect(validatePlan(plan), JSON.stringify(validatePlan.errors)).toBe(true);
    expect(plan.totals).toMatchObject({ rows: 3, jobs: 3, render: 3, upToDate: 0, clipRequests: 3, distinctClips: 2, newClips: 2, cachedClips: 0, sharedUses: 1 });
    expect(jobTable(plan)).toEqual({ ada: ['render', 'new_row', 'new'], grace: ['render', 'new_row', 'shared'], linus: ['render', 'new_row', 'new'] });
    expect(plan.clips.map((c) => [c.prompt, c.uses, c.status])).toEqual([
      ['Slow abstract drift of ocean light', 2, 'new'],
      ['Slow abstract drift of forest light', 1, 'new'],
    ]);
    expect(await listNames(project.path('outputs'))).toEqual([]);
    expect(readJournal(project.dir, (journal) => [journal.listRuns().length, journal.listAttempts().length])).toEqual([0, 0]);
  });

  it('after a render, plans cached, shared and new clips, up-to-date videos and invalid rows', async () => {
    const { summary } = await render();
    expect(summary.counts.rendered).toBe(3);
    const people = await readFile(project.path('datasets', 'people.csv'), 'utf8');
    await writeFile(
      project.path('datasets', 'more.csv'),
      `${people}dora,Dora,#ffaa00,1,,desert\neve,Eve,#00aaff,2,,desert\nfred,Fred,#aa00ff,3,,ocean\nbad,Bad,orange,4,,ocean\n`,
    );
    const result = await runCli(['plan', 'datasets/more.csv', '-t', 'card', '--json'], { cwd: project.dir });
    expect(result.code, result.stderr).toBe(1); // the invalid row
    const plan = JSON.parse(result.stdout) as PlanOutput;
    expect(validatePlan(plan), JSON.stringify(validatePlan.errors)).toBe(true);
    expect(jobTable(plan)).toEqual({
      ada: ['up_to_date', null, null],
      grace: ['up_to_date', null, null],
      linus: ['up_to_date', null, null],
      dora: ['render', 'new_row', 'new'],
      eve: ['render', 'new_row', 'shared'],
      fred: ['render', 'new_row', 'cached'],
    });
    expect(plan.totals).toMatchObject({ rows: 6, jobs: 6, render: 3, upToDate: 3, clipRequests: 3, distinctClips: 2, newClips: 1, cachedClips: 1, sharedUses: 1 });
    expect(plan.invalidRows).toEqual([{ line: 8, problems: [expect.stringMatching(/more\.csv line 8, column "accent": expected a colour/)] }]);
  });

  it('renders nothing on an unchanged re-run, says so, and leaves every video untouched', async () => {
    const before = await fingerprints();
    const result = await runCli(['render', 'datasets/people.csv', '-t', 'card'], { cwd: project.dir });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/→ 0 to render, 3 up to date/);
    expect(result.stderr).toMatch(/completed: 0 rendered \(0 new, 0 changed, 3 unchanged\), 0 failed/);
    expect(await fingerprints()).toEqual(before);
  });

  it('re-renders exactly the one edited row, and its report shows a new thumbnail', async () => {
    const before = await fingerprints();
    const thumbsBefore = await listNames(project.path('.reelwright', 'thumbs'));
    const csv = await readFile(project.path('datasets', 'people.csv'), 'utf8');
    await writeFile(project.path('datasets', 'people.csv'), csv.replace('grace,Grace Hopper,#00c000,7,', 'grace,Grace Hopper,#00c000,8,'));
    const { summary, rows } = await render();
    expect(summary.counts).toMatchObject({ rendered: 1, upToDate: 2, changedRows: 1 });
    expect(rows).toEqual({ ada: ['up_to_date', null], grace: ['rendered', 'row_changed'], linus: ['up_to_date', null] });
    const after = await fingerprints();
    expect(after['ada-landscape.mp4']).toEqual(before['ada-landscape.mp4']);
    expect(after['linus-landscape.mp4']).toEqual(before['linus-landscape.mp4']);
    expect(after['grace-landscape.mp4']?.sha256).not.toBe(before['grace-landscape.mp4']?.sha256);
    // The re-rendered video kept its path; its thumbnail must still be made anew (the old one shows the old row).
    const thumbsAfter = await listNames(project.path('.reelwright', 'thumbs'));
    expect(thumbsAfter.filter((t) => !thumbsBefore.includes(t))).toHaveLength(1);
  });

  it("re-renders every row when the template's code changes", async () => {
    const file = project.path('templates', 'card', 'index.tsx');
    await writeFile(file, (await readFile(file, 'utf8')).replace('{name.slice(0, 24)} · {score}', '{name.slice(0, 24)} – {score}'));
    const { summary, rows } = await render();
    expect(summary.counts.rendered).toBe(3);
    expect(rows).toEqual({ ada: ['rendered', 'template_changed'], grace: ['rendered', 'template_changed'], linus: ['rendered', 'template_changed'] });
  });

  it('re-renders everything with --force', async () => {
    const { summary, rows } = await render('--force');
    expect(summary.counts.rendered).toBe(3);
    expect(rows).toEqual({ ada: ['rendered', 'forced'], grace: ['rendered', 'forced'], linus: ['rendered', 'forced'] });
  });
});
