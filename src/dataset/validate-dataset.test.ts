import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { defineTemplate } from '../template/index.js';
import { formatProblem, validateDataset } from './index.js';

const BROKEN = fileURLToPath(new URL('../../datasets/broken.csv', import.meta.url));

/** The slots of templates/welcome, as the docs describe them. */
const welcome = defineTemplate({
  id: 'welcome',
  version: '1',
  fps: 30,
  width: 1280,
  height: 720,
  duration: 6,
  component: () => null,
  slots: {
    name: { kind: 'text', maxLength: 40 },
    company: { kind: 'text', maxLength: 60 },
    accent: { kind: 'color', default: '#4f46e5' },
    logo: { kind: 'image', optional: true },
    city: { kind: 'text' },
    cta: { kind: 'text', optional: true, maxLength: 32, default: 'Get started' },
    email: { kind: 'text', optional: true, aliases: ['e-mail', 'mail'] },
    plan: { kind: 'choice', options: ['starter', 'pro', 'enterprise'], default: 'starter' },
    start_date: { kind: 'date', optional: true },
    scene: { kind: 'broll', prompt: 'Aerial dusk footage of {{city}}', seconds: 4 },
  },
});

const tmpDirs: string[] = [];
afterEach(async () => {
  await Promise.all(tmpDirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('validateDataset', () => {
  it('explains every problem in datasets/broken.csv in plain words, one line each', async () => {
    const report = await validateDataset({ file: BROKEN, template: welcome });
    expect(report).toMatchObject({ fileLabel: 'broken.csv', format: 'csv', total: 9, valid: 3, invalid: 6, problemsOmitted: 0 });
    expect(report.mapping.slots['email']).toEqual({ column: 'e-mail', match: 'name' });
    expect(report.problems.map((p) => formatProblem(p, report.fileLabel))).toEqual([
      'broken.csv line 5, column "name": expected at most 40 characters, got 70. Shorten it.',
      'broken.csv line 6, column "accent": expected a colour like "#4f46e5" or "#fff", got "blue-ish".',
      'broken.csv line 7, column "plan": expected one of "starter", "pro", "enterprise", got "platinum".',
      'broken.csv line 8, column "start_date": 2026-02-30 is not a real date: February 2026 has 28 days.',
      'broken.csv line 9, column "name": this cell is empty, but a value is required.',
      'broken.csv line 10, column "logo": "../../etc/passwd" points outside the dataset folder. Keep images inside the dataset folder (for example images/logo.png) or use an https:// URL.',
    ]);
    expect(report.problems[0]?.value).toBe('Bartholomew Maximilian Fitzgerald-Worth…');
  });

  it('describes unused columns, with a did-you-mean for one close to a slot that has no column', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'rw-validate-'));
    tmpDirs.push(dir);
    const file = path.join(dir, 'people.csv');
    await writeFile(file, 'name,company,city,acent,notes\nAda,Engines,London,#ff0000,call back\n');
    const report = await validateDataset({ file, template: welcome });
    expect(report).toMatchObject({ total: 1, valid: 1 });
    expect(report.unusedColumns.map((note) => note.message)).toEqual([
      'people.csv: column "acent" is not used by template "welcome"; did you mean slot "accent"? Every row gets its default for "accent" now. Rename the column to "accent" or pass --map "acent=accent".',
      'people.csv: column "notes" is not used by template "welcome".',
    ]);
  });

  it('keeps counts exact when the problem list is capped', async () => {
    const report = await validateDataset({ file: BROKEN, template: welcome, maxProblems: 2 });
    expect(report.problems).toHaveLength(2);
    expect(report.problemsOmitted).toBe(4);
    expect(report.invalid).toBe(6);
  });

  it('validates a 20,000-row file while keeping only the bad rows', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'rw-validate-'));
    tmpDirs.push(dir);
    await writeFile(path.join(dir, 'a.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    await writeFile(path.join(dir, 'b.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    const lines = ['name,company,city,accent,plan,start_date,logo'];
    // Every row has a local logo (three distinct files, each read once); one row in 1,000 points at a CSV.
    const logo = (i: number) => (i % 1000 === 500 ? 'big.csv' : i % 2 === 0 ? 'a.png' : 'b.svg');
    for (let i = 0; i < 20_000; i++) lines.push(`Person ${i},Company ${i},City ${i % 50},${i % 1000 === 7 ? 'blue' : '#ABC'},pro,2026-03-14,${logo(i)}`);
    const file = path.join(dir, 'big.csv');
    await writeFile(file, `${lines.join('\n')}\n`);
    const report = await validateDataset({ file, template: welcome });
    expect(report).toMatchObject({ total: 20_000, valid: 19_960, invalid: 40 });
    expect(report.problems).toHaveLength(40);
    expect(report.problems[0]).toMatchObject({ line: 9, rule: 'color', column: 'accent' });
    expect(formatProblem(report.problems[1]!, report.fileLabel)).toBe(
      'big.csv line 502, column "logo": "big.csv" is not an image (PNG, JPEG, WebP, GIF, SVG or AVIF, judged by its first bytes). Point the cell at an image file.',
    );
  });
});
