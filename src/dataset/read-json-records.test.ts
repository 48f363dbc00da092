import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { readJsonRecords } from './index.js';
import type { RawRecord, ReadJsonRecordsOptions } from './index.js';

const FIXTURES = fileURLToPath(new URL('../../test/fixtures/datasets/', import.meta.url));

function options(name: string, format: 'json' | 'ndjson'): ReadJsonRecordsOptions {
  return { file: path.join(FIXTURES, name), fileLabel: name, format };
}

async function readAll(opts: ReadJsonRecordsOptions): Promise<{ columns: readonly string[]; records: RawRecord[] }> {
  const source = await readJsonRecords(opts);
  const records: RawRecord[] = [];
  for await (const record of source.records) records.push(record);
  return { columns: source.columns, records };
}

const tmpDirs: string[] = [];
async function tmpFile(name: string, content: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'rw-json-'));
  tmpDirs.push(dir);
  const file = path.join(dir, name);
  await writeFile(file, content);
  return file;
}
afterEach(async () => {
  await Promise.all(tmpDirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('readJsonRecords', () => {
  it('streams a JSON array element by element, each with the line it starts on', async () => {
    const { columns, records } = await readAll(options('rows.json', 'json'));
    expect(columns).toEqual(['name', 'company', 'city', 'price']);
    expect(records.map((r) => [r.line, r.index, r.cells['name']])).toEqual([
      [2, 0, 'Ada'],
      [8, 1, 'Grace'],
      [15, 2, 'Alan'],
    ]);
    expect(records[0]?.cells['price']).toBe(12.5);
    expect(records[2]?.cells['note']).toBe('braces } and [brackets] in "text"');
  });

  it('reads NDJSON one line at a time and skips blank lines', async () => {
    const { records } = await readAll(options('rows.ndjson', 'ndjson'));
    expect(records.map((r) => [r.line, r.index, r.cells['name']])).toEqual([
      [1, 0, 'Ada'],
      [2, 1, 'Grace'],
      [4, 2, 'Alan'],
    ]);
  });

  it('reports malformed NDJSON with its line number after yielding the rows before it', async () => {
    const source = await readJsonRecords(options('malformed.ndjson', 'ndjson'));
    const names: unknown[] = [];
    await expect(
      (async () => {
        for await (const record of source.records) names.push(record.cells['name']);
      })(),
    ).rejects.toMatchObject({ code: 'RW_DATASET_MALFORMED', message: /^malformed\.ndjson line 3: this is not valid JSON/ });
    expect(names).toEqual(['Ada', 'Grace']);
  });

  it('reports malformed JSON inside a multi-line element at the line of the mistake', async () => {
    await expect(readAll(options('malformed.json', 'json'))).rejects.toMatchObject({
      code: 'RW_DATASET_MALFORMED',
      message: /^malformed\.json line 6: this is not valid JSON.*missing comma/,
    });
  });

  it('refuses a JSON file that is an object instead of an array of rows', async () => {
    const file = await tmpFile('object.json', '{ "rows": [] }');
    await expect(readAll({ file, fileLabel: 'object.json', format: 'json' })).rejects.toMatchObject({
      code: 'RW_DATASET_MALFORMED',
      message: /starts with "\{".*\.ndjson/,
    });
  });

  it('refuses an empty array as a dataset without rows', async () => {
    await expect(readAll(options('empty.json', 'json'))).rejects.toMatchObject({ code: 'RW_DATASET_EMPTY', message: /empty\.json has no rows/ });
  });

  it('refuses a first record that is not an object, and marks later ones as defects', async () => {
    const bad = await tmpFile('numbers.json', '[1, 2]');
    await expect(readAll({ file: bad, fileLabel: 'numbers.json', format: 'json' })).rejects.toMatchObject({ code: 'RW_DATASET_MALFORMED', message: /got a number/ });
    const mixed = await tmpFile('mixed.ndjson', '{"name": "Ada"}\n["Grace"]\n');
    const { records } = await readAll({ file: mixed, fileLabel: 'mixed.ndjson', format: 'ndjson' });
    expect(records[1]).toMatchObject({ line: 2, defect: expect.stringMatching(/got a list/) });
  });

  it('reports a trailing comma and text after the closing bracket', async () => {
    const trailing = await tmpFile('trailing.json', '[\n{"name": "Ada"},\n]');
    await expect(readAll({ file: trailing, fileLabel: 'trailing.json', format: 'json' })).rejects.toMatchObject({ code: 'RW_DATASET_MALFORMED', message: /line 3: .*comma before the closing/ });
    const after = await tmpFile('after.json', '[{"name": "Ada"}]\n[]');
    await expect(readAll({ file: after, fileLabel: 'after.json', format: 'json' })).rejects.toMatchObject({ code: 'RW_DATASET_MALFORMED', message: /line 2: .*after the closing/ });
    const cut = await tmpFile('cut.json', '[{"name": "Ada"},\n{"name": "Gra');
    await expect(readAll({ file: cut, fileLabel: 'cut.json', format: 'json' })).rejects.toMatchObject({ code: 'RW_DATASET_MALFORMED', message: /line 2: the file ends inside a text value/ });
  });

  it('streams a JSON array many chunks long with correct line numbers', async () => {
    const elements = Array.from({ length: 20_000 }, (_, i) => `  {"name": "Zoë ${i}",\n   "city": "Köln \\"${i}\\" [x]"}`);
    const file = await tmpFile('big.json', `[\n${elements.join(',\n')}\n]\n`);
    const source = await readJsonRecords({ file, fileLabel: 'big.json', format: 'json' });
    let count = 0;
    for await (const record of source.records) {
      expect(record.line).toBe(2 + count * 2);
      expect(record.cells['city']).toBe(`Köln "${count}" [x]`);
      count++;
    }
    expect(count).toBe(20_000);
  });
});
