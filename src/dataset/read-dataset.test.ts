import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { defineTemplate } from '../template/index.js';
import { formatProblem, readDataset } from './index.js';
import type { ReadDatasetOptions, RowResult } from './index.js';

const FIXTURES = fileURLToPath(new URL('../../test/fixtures/datasets/', import.meta.url));
const fixture = (name: string) => path.join(FIXTURES, name);

const template = defineTemplate({
  id: 'shop',
  version: '1',
  fps: 30,
  width: 1280,
  height: 720,
  duration: 5,
  component: () => null,
  slots: {
    name: { kind: 'text', maxLength: 40 },
    company: { kind: 'text', maxLength: 60 },
    city: { kind: 'text' },
    price: { kind: 'number', min: 0, optional: true },
    accent: { kind: 'color', default: '#4F46E5' },
    logo: { kind: 'image', optional: true },
    plan: { kind: 'choice', options: ['starter', 'pro'], default: 'starter' },
    scene: { kind: 'broll', prompt: 'Aerial dusk footage of {{city}}', seconds: 4 },
  },
});

const keyed = defineTemplate({
  id: 'keyed',
  version: '1',
  fps: 30,
  width: 1280,
  height: 720,
  duration: 5,
  component: () => null,
  rowKey: 'email',
  slots: {
    email: { kind: 'text' },
    name: { kind: 'text' },
    company: { kind: 'text' },
    city: { kind: 'text' },
  },
});

async function readAll(options: ReadDatasetOptions): Promise<RowResult[]> {
  const dataset = await readDataset(options);
  const results: RowResult[] = [];
  for await (const result of dataset.rows) results.push(result);
  return results;
}

const tmpDirs: string[] = [];
async function tmpFile(name: string, content: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'rw-dataset-'));
  tmpDirs.push(dir);
  const file = path.join(dir, name);
  await writeFile(file, content);
  return file;
}
afterEach(async () => {
  await Promise.all(tmpDirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('readDataset', () => {
  it('rejects a non-numeric price and names row and column', async () => {
    const results = await readAll({ file: fixture('bad-decimal.csv'), template });
    const bad = results[1];
    expect(bad).toMatchObject({ ok: false, line: 3, index: 1 });
    if (bad?.ok !== false) throw new Error('expected a bad row');
    expect(bad.problems).toEqual([
      { line: 3, index: 1, column: 'price', slot: 'price', value: '12,50', rule: 'number', message: 'expected a number, got "12,50". Use "." as the decimal separator.' },
    ]);
    expect(formatProblem(bad.problems[0]!, 'bad-decimal.csv')).toBe('bad-decimal.csv line 3, column "price": expected a number, got "12,50". Use "." as the decimal separator.');
  });

  it('one bad row does not stop the good ones', async () => {
    const results = await readAll({ file: fixture('bad-decimal.csv'), template });
    expect(results.map((r) => r.ok)).toEqual([true, false, true]);
    const last = results[2];
    expect(last?.ok && last.row).toMatchObject({ index: 2, line: 4, values: { name: 'Alan', price: 7, accent: '#4f46e5', plan: 'starter' } });
  });

  it('reports a missing required column once, before any row', async () => {
    await expect(readDataset({ file: fixture('missing-column.csv'), template })).rejects.toMatchObject({
      code: 'RW_DATASET_MISSING_COLUMN',
      message: expect.stringMatching(/^missing-column\.csv has no column for the required slot "name".*Columns found: "Full Name", "company", "city".*--map "Full Name=name"/),
    });
  });

  it('maps a column explicitly with map, and lists unused columns', async () => {
    const dataset = await readDataset({ file: fixture('missing-column.csv'), template, map: { 'Full Name': 'name' } });
    expect(dataset.mapping.slots['name']).toEqual({ column: 'Full Name', match: 'map' });
    const results: RowResult[] = [];
    for await (const result of dataset.rows) results.push(result);
    expect(results.map((r) => r.ok && r.row.values['name'])).toEqual(['Ada Lovelace', 'Grace Hopper']);

    const file = await tmpFile('extra.csv', 'name,company,city,notes,Scene\nAda,Engines,London,call back,forest\n');
    const extra = await readDataset({ file, template });
    expect(extra.mapping.unmappedColumns).toEqual(['notes', 'Scene']);
    await extra.close();
  });

  it('says so when the column a required slot would use is sent elsewhere by map', async () => {
    await expect(readDataset({ file: fixture('quoted-newlines.csv'), template: keyed, map: { name: 'email' } })).rejects.toMatchObject({
      code: 'RW_DATASET_MISSING_COLUMN',
      message: expect.stringMatching(/column "name" would match, but --map sends it to slot "email"/),
    });
  });

  it('reads the same rows from CSV, JSON and NDJSON', async () => {
    const pick = (results: RowResult[]) => results.map((r) => (r.ok ? [r.row.line, r.row.values['name'], r.row.values['price']] : r.problems));
    expect(pick(await readAll({ file: fixture('semicolon.csv'), template }))).toEqual([
      [2, 'Ada', 12.5],
      [3, 'Grace', 3],
    ]);
    expect(pick(await readAll({ file: fixture('rows.json'), template }))).toEqual([
      [2, 'Ada', 12.5],
      [8, 'Grace', 3],
      [15, 'Alan', 7],
    ]);
    expect(pick(await readAll({ file: fixture('rows.ndjson'), template }))).toEqual([
      [1, 'Ada', 12.5],
      [2, 'Grace', 3],
      [4, 'Alan', 7],
    ]);
  });

  it('picks up a JSON key that first appears after the first record', async () => {
    const results = await readAll({ file: fixture('rows.json'), template });
    expect(results[1]?.ok && results[1].row.values['logo']).toBe('https://example.com/grace.png');
  });

  it('reports a duplicate row key on the later row, naming the earlier line', async () => {
    const results = await readAll({ file: fixture('duplicate-keys.csv'), template: keyed });
    expect(results.map((r) => r.ok)).toEqual([true, true, false]);
    expect(results[0]?.ok && results[0].row.key).toBe('ada@example.com');
    const dup = results[2];
    if (dup?.ok !== false) throw new Error('expected a duplicate');
    expect(dup.problems).toEqual([
      {
        line: 4,
        index: 2,
        column: 'email',
        slot: 'email',
        value: 'ada@example.com',
        rule: 'duplicateKey',
        message: '"ada@example.com" is already used on line 2. Each row needs its own "email": change one of them or remove the repeated row.',
      },
    ]);
  });

  it('keys rows without a rowKey by a short stable hash and flags identical rows', async () => {
    const file = await tmpFile('same.csv', 'name,company,city,plan\nAda,Engines,London,PRO\n Ada ,Engines,London,pro\nGrace,Navy,Arlington,\n');
    const first = await readAll({ file, template });
    const again = await readAll({ file, template });
    expect(first[0]?.ok && first[0].row.key).toMatch(/^[0-9a-f]{16}$/);
    expect(first[0]?.ok && first[0].row.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(again.map((r) => r.ok && r.row.key)).toEqual(first.map((r) => r.ok && r.row.key));
    expect(first[1]).toMatchObject({ ok: false, problems: [{ rule: 'duplicateKey', message: 'this row is the same as line 2. Each row makes one video: remove the repeated row.' }] });
    expect(first[2]?.ok && first[2].row.key).not.toBe(first[0]?.ok && first[0].row.key);
  });

  it('refuses hostile image paths and keeps the safe ones', async () => {
    const results = await readAll({ file: fixture('hostile-image-path.csv'), template });
    const summary = results.map((r) => (r.ok ? r.row.values['logo'] : `${r.problems[0]?.rule}: ${r.problems[0]?.message}`));
    expect(summary[0]).toBe(path.join(FIXTURES, 'images', 'logo.png'));
    expect(summary[1]).toMatch(/^image: "\.\.\/\.\.\/etc\/passwd" points outside the dataset folder/);
    expect(summary[2]).toMatch(/^image: "\/etc\/passwd" is outside the dataset folder/);
    expect(summary[3]).toMatch(/^image: "file:" links are not allowed/);
    expect(summary[4]).toMatch(/^image: .*points outside the dataset folder/);
    expect(summary[5]).toMatch(/^image: "javascript:" links are not allowed/);
    expect(summary[6]).toMatch(/^image: image file not found/);
    expect(summary[7]).toBe('https://example.com/logo.png');
  });

  it('allows images from an extra root only when asked', async () => {
    const file = await tmpFile('outside.csv', `name,company,city,logo\nAda,Engines,London,${path.join(FIXTURES, 'images', 'logo.png')}\n`);
    expect((await readAll({ file, template }))[0]).toMatchObject({ ok: false, problems: [{ rule: 'image' }] });
    expect((await readAll({ file, template, allowedImageRoots: [path.join(FIXTURES, 'images')] }))[0]).toMatchObject({ ok: true });
  });

  it('resolves relative image paths from assetsDir when given, keeps them inside it, and names it in messages', async () => {
    // The layout `reelwright watch` makes: the file is read from <inbox>/processing/, its images sit in the inbox.
    const inbox = await mkdtemp(path.join(tmpdir(), 'rw-dataset-inbox-'));
    tmpDirs.push(inbox);
    await mkdir(path.join(inbox, 'logos'));
    await mkdir(path.join(inbox, 'processing'));
    await writeFile(path.join(inbox, 'logos', 'acme.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    await writeFile(path.join(path.dirname(inbox), `${path.basename(inbox)}-outside.svg`), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    tmpDirs.push(path.join(path.dirname(inbox), `${path.basename(inbox)}-outside.svg`));
    const csv = `name,company,city,logo\nAda,Acme,London,logos/acme.svg\nGrace,Navy,Arlington,logos/missing.svg\nBob,Out,Paris,../${path.basename(inbox)}-outside.svg\n`;
    const file = path.join(inbox, 'processing', 'drop.csv');
    await writeFile(file, csv);

    const results = await readAll({ file, template, assetsDir: inbox });
    expect(results[0]).toMatchObject({ ok: true, row: { values: { logo: path.join(inbox, 'logos', 'acme.svg') } } });
    const messages = results.slice(1).map((r) => (r.ok ? 'ok' : formatProblem(r.problems[0]!, 'drop.csv')));
    expect(messages[0]).toBe(
      `drop.csv line 3, column "logo": image file not found: "logos/missing.svg" (looked for ${path.join(inbox, 'logos', 'missing.svg')}). ` +
        `Relative image paths start in the assets folder (${inbox}): check the spelling, put the file there, or use an https:// URL.`,
    );
    expect(messages[1]).toMatch(/^drop\.csv line 4, column "logo": "\.\.\/.*-outside\.svg" points outside the assets folder/);
    expect(messages[1]).toContain(`points outside the assets folder (${inbox}). Keep images inside the assets folder (${inbox})`);

    // Keys hash image paths relative to the folder they start in: the same as the file read from the inbox itself.
    await writeFile(path.join(inbox, 'drop.csv'), csv);
    const inInbox = await readAll({ file: path.join(inbox, 'drop.csv'), template });
    expect(results[0]?.ok && results[0].row.key).toBe(inInbox[0]?.ok && inInbox[0].row.key);

    // Without assetsDir the dataset's own folder is used, as before.
    const fromProcessing = await readAll({ file, template });
    expect(fromProcessing[0]).toMatchObject({ ok: false, problems: [{ rule: 'image', message: expect.stringContaining(`looked for ${path.join(inbox, 'processing', 'logos', 'acme.svg')}`) }] });
  });

  it('refuses an assetsDir that is not an existing folder, before reading a row', async () => {
    const file = await tmpFile('people.csv', 'name,company,city\nAda,Engines,London\n');
    await expect(readDataset({ file, template, assetsDir: path.join(path.dirname(file), 'nope') })).rejects.toMatchObject({
      code: 'RW_CONFIG_INVALID',
      message: expect.stringMatching(/^Assets folder not found: .*nope\. Relative image paths in the dataset resolve from it/),
    });
    await expect(readDataset({ file, template, assetsDir: file })).rejects.toMatchObject({ code: 'RW_CONFIG_INVALID', message: expect.stringContaining('is not a folder') });
  });

  it('reports every problem of a row at once, in template order', async () => {
    const file = await tmpFile('many.csv', `name,company,city,price,accent,plan\n${'x'.repeat(45)},,Paris,-3,red,gold\n`);
    const [result] = await readAll({ file, template });
    if (result?.ok !== false) throw new Error('expected problems');
    expect(result.problems.map((p) => [p.slot, p.rule])).toEqual([
      ['name', 'maxLength'],
      ['company', 'required'],
      ['price', 'min'],
      ['accent', 'color'],
      ['plan', 'choice'],
    ]);
    expect(result.problems[0]?.message).toBe('expected at most 40 characters, got 45. Shorten it.');
    expect(result.problems[0]?.value).toBe(`${'x'.repeat(39)}…`);
    expect(result.problems[2]?.message).toBe('expected a number of at least 0, got -3.');
  });

  it('turns a row with too many values into one whole-row problem', async () => {
    const results = await readAll({ file: fixture('too-many-cells.csv'), template });
    expect(results[1]).toMatchObject({ ok: false, line: 3, problems: [{ rule: 'record', column: null, message: /4 values but the header has 3 columns/ }] });
    expect(results[2]).toMatchObject({ ok: true });
  });

  it('turns a row with too few values into one whole-row problem instead of empty-cell problems', async () => {
    const file = await tmpFile('short.csv', 'name,company,city,price\nAda,London,3\nGrace,Navy,Arlington,\n');
    const results = await readAll({ file, template });
    expect(results[0]).toMatchObject({ ok: false, line: 2, problems: [{ rule: 'record', column: null, message: /^this row has 3 values but the header has 4 columns/ }] });
    if (results[0]?.ok !== false) throw new Error('expected problems');
    expect(results[0].problems).toHaveLength(1);
    expect(formatProblem(results[0].problems[0]!, 'short.csv')).toMatch(/^short\.csv line 2: this row has 3 values but the header has 4 columns/);
    expect(results[1]).toMatchObject({ ok: true });
  });

  it('refuses empty files, header-only files and unknown extensions', async () => {
    await expect(readDataset({ file: fixture('empty.csv'), template })).rejects.toMatchObject({ code: 'RW_DATASET_EMPTY' });
    await expect(readDataset({ file: fixture('header-only.csv'), template })).rejects.toMatchObject({ code: 'RW_DATASET_EMPTY', message: /header row but no data rows/ });
    await expect(readDataset({ file: fixture('empty.json'), template })).rejects.toMatchObject({ code: 'RW_DATASET_EMPTY' });
    const txt = await tmpFile('people.txt', 'name,company,city\nAda,Engines,London\n');
    await expect(readDataset({ file: txt, template })).rejects.toMatchObject({ code: 'RW_DATASET_FORMAT', message: /people\.txt.*\.csv/ });
    expect(await readAll({ file: txt, template, format: 'csv' })).toMatchObject([{ ok: true }]);
  });

  it('reports a missing file and bad options before reading anything', async () => {
    await expect(readDataset({ file: fixture('nope.csv'), template })).rejects.toMatchObject({ code: 'RW_DATASET_NOT_FOUND', message: /nope\.csv/ });
    await expect(readDataset({ file: fixture('rows.json'), template, format: 'xlsx' as never })).rejects.toMatchObject({ code: 'RW_CONFIG_INVALID', message: /options\.format/ });
    await expect(readDataset({ file: fixture('rows.json'), template: {} as never })).rejects.toMatchObject({ code: 'RW_CONFIG_INVALID', message: /options\.template/ });
  });

  it('rejects malformed JSON during iteration with the line number', async () => {
    const dataset = await readDataset({ file: fixture('malformed.ndjson'), template });
    const seen: boolean[] = [];
    await expect(
      (async () => {
        for await (const result of dataset.rows) seen.push(result.ok);
      })(),
    ).rejects.toMatchObject({ code: 'RW_DATASET_MALFORMED', message: /malformed\.ndjson line 3/ });
    expect(seen).toEqual([true, true]);
  });

  it('stops with CancelledError when the signal fires', async () => {
    const controller = new AbortController();
    const dataset = await readDataset({ file: fixture('quoted-newlines.csv'), template, signal: controller.signal });
    const seen: number[] = [];
    await expect(
      (async () => {
        for await (const result of dataset.rows) {
          seen.push(result.ok ? result.row.index : -1);
          controller.abort(new Error('user pressed ctrl-c'));
        }
      })(),
    ).rejects.toMatchObject({ code: 'RW_CANCELLED' });
    expect(seen).toEqual([0]);
  });

  it('refuses a template whose default breaks its own slot kind', async () => {
    const broken = defineTemplate({ ...template, id: 'broken-default', slots: { ...template.slots, accent: { kind: 'color', default: 'blue' as '#4F46E5' } } });
    await expect(readDataset({ file: fixture('bom.csv'), template: broken })).rejects.toMatchObject({ code: 'RW_TEMPLATE_INVALID_DEFAULT', message: /slot "accent"/ });
  });

  it('can be closed early with await using', async () => {
    {
      await using dataset = await readDataset({ file: fixture('quoted-newlines.csv'), template });
      for await (const result of dataset.rows) {
        expect(result.ok).toBe(true);
        break;
      }
    }
    const dataset = await readDataset({ file: fixture('quoted-newlines.csv'), template });
    await dataset.close();
  });
});

describe('readDataset with an optional rowKey slot', () => {
  it('refuses a row whose key cell is empty', async () => {
    const optionalKey = defineTemplate({
      id: 'optional-key',
      version: '1',
      fps: 30,
      width: 1280,
      height: 720,
      duration: 5,
      component: () => null,
      rowKey: 'email',
      slots: { email: { kind: 'text', optional: true }, name: { kind: 'text' } },
    });
    const file = await tmpFile('keys.csv', 'email,name\nada@example.com,Ada\n,Grace\n');
    const results = await readAll({ file, template: optionalKey });
    expect(results[0]).toMatchObject({ ok: true, row: { key: 'ada@example.com' } });
    expect(results[1]).toMatchObject({ ok: false, line: 3, problems: [{ rule: 'required', column: 'email', message: /rowKey/ }] });
  });
});
