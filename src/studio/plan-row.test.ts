import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openClipCache } from '../clips/index.js';
import type { ClipCache } from '../clips/index.js';
import { readDataset } from '../dataset/index.js';
import type { DatasetRow } from '../dataset/index.js';
import { DEFAULT_PROVIDER_MODELS, InputImageStore, RENDERER_VERSION } from '../run/index.js';
import { loadTemplate } from '../template/index.js';
import type { TemplateDefinition } from '../template/index.js';
import { planRow } from './plan-row.js';
import type { PlanRowOptions } from './plan-row.js';
import { readStudioDataset } from './read-studio-dataset.js';

const PROJECT = fileURLToPath(new URL('../../test/fixtures/studio-project/', import.meta.url));
const DATASET = path.join(PROJECT, 'datasets', 'people.csv');

describe('planRow and readStudioDataset', () => {
  let work: string;
  let template: TemplateDefinition;
  let cache: ClipCache;
  let options: Omit<PlanRowOptions, 'cells' | 'line' | 'index'>;

  beforeAll(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'rw-plan-row-'));
    template = (await loadTemplate({ entry: path.join(PROJECT, 'templates', 'card', 'index.tsx'), cacheDir: path.join(work, 'cache') })).definition;
    cache = openClipCache({ stateDir: work });
    options = {
      template,
      templateHash: 'test',
      variant: 'landscape',
      fileLabel: 'people.csv',
      baseDir: path.dirname(DATASET),
      cacheIndex: cache,
      priceOf: () => ({ usd: 0, source: 'local', date: '2026-01-01' }),
      validateRequest: () => undefined,
      mediaDir: path.join(work, 'media'),
      inputImages: new InputImageStore(),
      providerDefaults: { models: { ...DEFAULT_PROVIDER_MODELS } },
      rendererVersion: RENDERER_VERSION,
    };
  });

  afterAll(async () => {
    cache?.close();
    await rm(work, { recursive: true, force: true });
  });

  it("gives each row of a file the batch reader's own values and key, from the cells as written", async () => {
    const batchRows: DatasetRow[] = [];
    const dataset = await readDataset({ file: DATASET, template });
    for await (const result of dataset.rows) if (result.ok) batchRows.push(result.row);
    const table = await readStudioDataset({ file: DATASET, ref: 'datasets/people.csv', template });
    expect(table.rows.map((row) => row.ok)).toEqual([true, true, false]);
    for (const row of table.rows.filter((r) => r.ok)) {
      const planned = await planRow({ ...options, cells: row.cells, line: row.line, index: row.index });
      const expected = batchRows.find((r) => r.index === row.index)!;
      expect(planned.ok).toBe(true);
      if (!planned.ok) continue;
      expect(planned.rowKey).toBe(expected.key);
      expect(planned.rowKey).toBe(row.key);
      expect(planned.values).toEqual(expected.values);
      expect(Object.keys(planned.job.clips)).toEqual(['background']);
    }
  });

  it('refuses the invalid row with the problems `reelwright validate` prints', async () => {
    const table = await readStudioDataset({ file: DATASET, ref: 'datasets/people.csv', template });
    const linus = table.rows[2]!;
    expect(linus.cells).toEqual({ name: 'Linus', accent: '#f59e0b', score: '12,5', badge: '', tier: 'platinum', since: '2025-02-30' });
    expect(linus.problems.map((p) => p.text)).toEqual([
      'people.csv line 4, column "score": expected a number, got "12,5". Use "." as the decimal separator.',
      'people.csv line 4, column "tier": expected one of "bronze", "silver", "gold", got "platinum".',
      'people.csv line 4, column "since": 2025-02-30 is not a real date: February 2025 has 28 days.',
    ]);
    const planned = await planRow({ ...options, cells: linus.cells, line: linus.line, index: linus.index });
    expect(planned.ok).toBe(false);
    if (planned.ok) return;
    expect(planned.problems.map((p) => p.text)).toEqual(linus.problems.map((p) => p.text));
  });

  it('keeps image paths inside the dataset folder, as the CLI does', async () => {
    const planned = await planRow({ ...options, cells: { name: 'Eve', score: '1', badge: '../../../package.json' }, line: 2, index: 0 });
    expect(planned.ok).toBe(false);
    if (planned.ok) return;
    expect(planned.problems[0]).toMatchObject({ slot: 'badge', rule: 'image' });
    expect(planned.problems[0]!.message).toMatch(/points outside the dataset folder/);
  });

  it('names a variant the template does not declare', async () => {
    await expect(planRow({ ...options, variant: 'vertical', cells: { name: 'Eve', score: '1' }, line: 2, index: 0 })).rejects.toThrow(
      expect.objectContaining({ code: 'RW_STUDIO_UNKNOWN_VARIANT', message: expect.stringMatching(/landscape, square/) }),
    );
  });
});
