import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { readCsvRecords } from './index.js';
import type { RawRecord, ReadCsvRecordsOptions } from './index.js';

const FIXTURES = fileURLToPath(new URL('../../test/fixtures/datasets/', import.meta.url));

function options(name: string, extra: Partial<ReadCsvRecordsOptions> = {}): ReadCsvRecordsOptions {
  return { file: path.join(FIXTURES, name), fileLabel: name, ...extra };
}

async function readAll(opts: ReadCsvRecordsOptions): Promise<{ columns: readonly string[]; delimiter: string | null; records: RawRecord[] }> {
  const source = await readCsvRecords(opts);
  const records: RawRecord[] = [];
  for await (const record of source.records) records.push(record);
  return { columns: source.columns, delimiter: source.delimiter, records };
}

const tmpDirs: string[] = [];
async function tmpFile(name: string, content: string | Buffer): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'rw-csv-'));
  tmpDirs.push(dir);
  const file = path.join(dir, name);
  await writeFile(file, content);
  return file;
}
afterEach(async () => {
  await Promise.all(tmpDirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('readCsvRecords', () => {
  it('strips the UTF-8 byte-order mark from the first column name', async () => {
    const { columns, records } = await readAll(options('bom.csv'));
    expect(columns).toEqual(['name', 'company', 'city']);
    expect(records[0]?.cells['name']).toBe('Ada');
  });

  it('detects semicolon and tab delimiters from the content', async () => {
    const semi = await readAll(options('semicolon.csv'));
    expect(semi.delimiter).toBe(';');
    expect(semi.records[1]?.cells['company']).toBe('Navy; Reserve');
    const tab = await readAll(options('tab-in-csv.csv'));
    expect(tab.delimiter).toBe('\t');
    expect(tab.records.map((r) => r.cells['city'])).toEqual(['London', 'Arlington']);
  });

  it('reads a TSV file with a fixed tab delimiter, commas staying inside values', async () => {
    const { records } = await readAll(options('tab.tsv', { delimiter: '\t' }));
    expect(records[1]?.cells['company']).toBe('Navy, Reserve');
  });

  it('keeps quoted commas, newlines and doubled quotes, and numbers each record by the line it starts on', async () => {
    const { records } = await readAll(options('quoted-newlines.csv'));
    expect(records.map((r) => [r.line, r.index, r.cells['name']])).toEqual([
      [2, 0, 'Ada'],
      [4, 1, 'Grace'],
      [6, 2, 'Katherine'],
      [9, 3, 'Alan'],
    ]);
    expect(records[0]?.cells['company']).toBe('Analytical\nEngines, Ltd');
    expect(records[1]?.cells['company']).toBe('Navy "Reserve"');
  });

  it('counts CRLF line endings once, inside and outside quoted values', async () => {
    const { records } = await readAll(options('crlf.csv'));
    expect(records.map((r) => r.line)).toEqual([2, 4]);
    expect(records[0]?.cells['company']).toBe('Analytical\r\nEngines');
    expect(records[1]?.cells['city']).toBe('Arlington');
  });

  it('skips blank lines and empty rows without losing line numbers', async () => {
    const { columns, records } = await readAll(options('blank-lines.csv'));
    expect(columns).toEqual(['name', 'company', 'city']);
    expect(records.map((r) => [r.line, r.index])).toEqual([
      [4, 0],
      [7, 1],
    ]);
  });

  it('marks a row with more values than the header, but not one with trailing empty cells', async () => {
    const { records } = await readAll(options('too-many-cells.csv'));
    expect(records[1]?.defect).toMatch(/4 values but the header has 3 columns.*double quotes/);
    expect(records[2]?.defect).toBeUndefined();
  });

  it('marks a row with fewer values than the header, saying how many and how to leave a cell empty', async () => {
    const file = await tmpFile('short.csv', 'name;company;city\nAda;London\nGrace;;Arlington\n');
    const { records } = await readAll({ file, fileLabel: 'short.csv' });
    expect(records[0]?.defect).toBe(
      'this row has 2 values but the header has 3 columns, so the values after a missing one sit in the wrong columns. ' +
        'Give every column a value, separated by ";"; leave a cell empty with nothing between two separators ("Ada;;London").',
    );
    expect(records[1]?.defect).toBeUndefined();
  });

  it('refuses an empty file', async () => {
    await expect(readCsvRecords(options('empty.csv'))).rejects.toMatchObject({ code: 'RW_DATASET_EMPTY', message: /empty\.csv is empty/ });
  });

  it('reports a quote that is never closed with the line where it starts', async () => {
    const source = await readCsvRecords(options('unclosed-quote.csv'));
    const seen: number[] = [];
    await expect(
      (async () => {
        for await (const record of source.records) seen.push(record.line);
      })(),
    ).rejects.toMatchObject({ code: 'RW_DATASET_MALFORMED', message: /unclosed-quote\.csv line 3: .*never closed/ });
    expect(seen).toEqual([2]);
  });

  it('refuses a file that is not UTF-8 and names the line', async () => {
    await expect(readAll(options('latin1.csv'))).rejects.toMatchObject({ code: 'RW_DATASET_ENCODING', message: /latin1\.csv line 3 is not valid UTF-8.*CSV UTF-8/ });
  });

  it('refuses a UTF-16 file with a hint to save it as UTF-8', async () => {
    const file = await tmpFile('utf16.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('name\nAda\n', 'utf16le')]));
    await expect(readAll({ file, fileLabel: 'utf16.csv' })).rejects.toMatchObject({ code: 'RW_DATASET_ENCODING', message: /UTF-16/ });
  });

  it('reports a missing file with its path', async () => {
    await expect(readAll(options('nope.csv'))).rejects.toMatchObject({ code: 'RW_DATASET_NOT_FOUND', message: /nope\.csv/ });
  });

  it('streams a file many chunks long, with multi-line cells and multi-byte characters across chunk edges', async () => {
    const rows: string[] = ['name,company,city'];
    for (let i = 0; i < 20_000; i++) rows.push(i % 7 === 0 ? `"Zoë ${i}","Ünïcødé\nCo ${i}",Köln` : `Zoë ${i},Co ${i},Köln`);
    const file = await tmpFile('big.csv', `${rows.join('\n')}\n`);
    const source = await readCsvRecords({ file, fileLabel: 'big.csv' });
    let count = 0;
    let expectedLine = 2;
    for await (const record of source.records) {
      expect(record.line).toBe(expectedLine);
      expect(record.cells['name']).toBe(`Zoë ${count}`);
      expect(record.cells['city']).toBe('Köln');
      expectedLine += count % 7 === 0 ? 2 : 1;
      count++;
    }
    expect(count).toBe(20_000);
  });

  it('refuses a row longer than the record limit, which usually means a quote is never closed', async () => {
    const file = await tmpFile('long.csv', `name,company\nAda,Engines\nGrace,"${'x'.repeat(200_000)}"\n`);
    await expect(readAll({ file, fileLabel: 'long.csv', maxRecordChars: 1000 })).rejects.toMatchObject({
      code: 'RW_DATASET_MALFORMED',
      message: /long\.csv line 3: this row is longer than 1000 characters/,
    });
  });

  it('closes the file when the consumer stops early', async () => {
    const source = await readCsvRecords(options('quoted-newlines.csv'));
    for await (const record of source.records) {
      expect(record.index).toBe(0);
      break;
    }
    await source.close();
    await source.close();
  });
});
