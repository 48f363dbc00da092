/**
 * Dataset mistakes a user made while testing the CLI, through the real binary on a temporary copy of the
 * small project: a misspelled optional column (warned with a did-you-mean by validate, plan and render),
 * a file that is not an image in an image column, and a row with too few values.
 */
import { writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlanDocument } from '../../src/plan/index.js';
import { runCli } from '../helpers/cli.js';
import { copyProject, type TempProject } from '../helpers/project.js';

/** The small project's card template has an optional `seconds` slot; `secnds` is that slot misspelled. */
const MISSPELLED = 'people.csv: column "secnds" is not used by template "card"; did you mean slot "seconds"? Every row gets no value for "seconds" now. Rename the column to "seconds" or pass --map "secnds=seconds".';

describe('dataset checks in validate, plan and render', () => {
  let project: TempProject;

  beforeAll(async () => {
    project = await copyProject('small');
    await writeFile(project.path('datasets', 'people.csv'), 'id,name,accent,score,logo,theme,secnds,notes\nada,Ada Lovelace,#ff0000,42,assets/logo.svg,ocean,3,vip\nbad,Bad,orange,1,,ocean,3,\n');
    await writeFile(project.path('datasets', 'not-images.csv'), 'id,name,accent,score,logo,theme\nada,Ada,#ff0000,42,assets/logo.svg,ocean\ngrace,Grace,#00c000,7,not-images.csv,ocean\n');
    await writeFile(project.path('datasets', 'short.csv'), 'id,name,accent,score,logo,theme\nada,Ada,#ff0000,42,,ocean\ngrace,Grace,#00c000,7,ocean\n');
  });
  afterAll(async () => {
    await project?.remove();
  });

  it('validate, plan and render warn about a misspelled optional column with the slot it was meant for', async () => {
    // One after the other: the first commands in a fresh project create its clip cache and journal.
    const validated = await runCli(['validate', 'datasets/people.csv', '-t', 'card'], { cwd: project.dir });
    const planned = await runCli(['plan', 'datasets/people.csv', '-t', 'card'], { cwd: project.dir });
    const planJson = await runCli(['plan', 'datasets/people.csv', '-t', 'card', '--json'], { cwd: project.dir });
    // --strict stops at the invalid row, after the plan warnings and before anything is generated or rendered.
    const rendered = await runCli(['render', 'datasets/people.csv', '-t', 'card', '--json', '--strict'], { cwd: project.dir });
    expect(validated.stderr).toContain(`warning: ${MISSPELLED}`);
    expect(validated.stderr).toContain('people.csv: column "notes" is not used by template "card".');
    expect(planned.stderr).toContain(`warning: ${MISSPELLED}`);
    // A column kept on purpose is listed by validate only, not warned about on every run.
    expect(planned.stderr).not.toContain('column "notes"');
    expect((JSON.parse(planJson.stdout) as PlanDocument).warnings).toEqual([MISSPELLED]);
    const events = rendered.stdout.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(events.filter((e) => e['type'] === 'warning')).toEqual([{ type: 'warning', stage: 'plan', message: MISSPELLED }]);
    // The invalid row reaches --json readers with its line and the CLI's words, as in `plan --json`.
    expect(events.filter((e) => e['type'] === 'invalid')).toEqual([{ type: 'invalid', line: 3, problems: [expect.stringMatching(/^people\.csv line 3, column "accent": .*orange/)] }]);
    expect(rendered.code).not.toBe(0);
  });

  it('validate refuses a file that is not an image in an image column, naming line and column', async () => {
    const result = await runCli(['validate', 'datasets/not-images.csv', '-t', 'card'], { cwd: project.dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'not-images.csv line 3, column "logo": "not-images.csv" is not an image (PNG, JPEG, WebP, GIF, SVG or AVIF, judged by its first bytes). Point the cell at an image file.',
    );
    expect(result.stderr).toMatch(/1 valid, 1 invalid of 2 rows/);
  });

  it('validate reports a row with too few values once, with the count, instead of an empty cell', async () => {
    const result = await runCli(['validate', 'datasets/short.csv', '-t', 'card'], { cwd: project.dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('short.csv line 3: this row has 5 values but the header has 6 columns, so the values after a missing one sit in the wrong columns.');
    expect(result.stderr).not.toMatch(/column "theme"/);
  });
});
