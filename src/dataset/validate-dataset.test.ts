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

  it('keeps counts exact when the problem list is capped', async () => {
    const report = await validateDataset({ file: BROKEN, template: welcome, maxProblems: 2 });
    expect(report.problems).toHaveLength(2);
    expect(report.problemsOmitted).toBe(4);
    expect(report.invalid).toBe(6);
  });

  it('validates a 20,000-row file while keeping only the bad rows', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'rw-validate-'));
    tmpDirs.push(dir);
    const lines = ['name,company,city,accent,plan,start_date'];
    for (let i = 0; i < 20_000; i++) lines.push(`Person ${i},Company ${i},City ${i % 50},${i % 1000 === 7 ? 'blue' : '#ABC'},pro,2026-03-14`);
    const file = path.join(dir, 'big.csv');
    await writeFile(file, `${lines.join('\n')}\n`);
    const report = await validateDataset({ file, template: welcome });
    expect(report).toMatchObject({ total: 20_000, valid: 19_980, invalid: 20 });
    expect(report.problems).toHaveLength(20);
    expect(report.problems[0]).toMatchObject({ line: 9, rule: 'color', column: 'accent' });
  });
});
