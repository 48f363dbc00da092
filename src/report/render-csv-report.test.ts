import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Papa from 'papaparse';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildRunReport, CSV_REPORT_COLUMNS, renderCsvReport, toCsvCell, writeCsvReport } from './index.js';
import type { RunReport } from './index.js';
import { seedBatch } from './fixtures/seed-batch.js';


const micros = (usd: string) => {
  const [whole, fraction = ''] = usd.replace('-', '').split('.');
  return (usd.startsWith('-') ? -1 : 1) * (Number(whole) * 1_000_000 + Number(fraction.padEnd(6, '0')));
};

describe('toCsvCell', () => {
  it('quotes fields with a comma, a double quote, CR or LF and doubles inner quotes (RFC 4180)', () => {
    expect(toCsvCell('plain')).toBe('plain');
    expect(toCsvCell('a,b')).toBe('"a,b"');
    expect(toCsvCell('say "hi"')).toBe('"say ""hi"""');
    expect(toCsvCell('two\nlines')).toBe('"two\nlines"');
    expect(toCsvCell('cr\rhere')).toBe('"cr\rhere"');
    expect(toCsvCell(null)).toBe('');
  });

  it('neutralizes text cells that a spreadsheet would run as a formula', () => {
    expect(toCsvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(toCsvCell('+1')).toBe("'+1");
    expect(toCsvCell('-2')).toBe("'-2");
    expect(toCsvCell('@cmd')).toBe("'@cmd");
    expect(toCsvCell('\tTAB')).toBe("'\tTAB");
    expect(toCsvCell('\rCR')).toBe(`"'\rCR"`);
    expect(toCsvCell('a=b')).toBe('a=b');
  });

  it('writes numbers as numbers, negative ones included, and refuses a non-number in a number cell', () => {
    expect(toCsvCell(-2)).toBe('-2');
    expect(toCsvCell(0.25)).toBe('0.25');
    expect(toCsvCell({ number: '-1.000000' })).toBe('-1.000000');
    expect(() => toCsvCell({ number: '=1+1' })).toThrow(/not a plain decimal/);
    expect(() => toCsvCell(Number.NaN)).toThrow(/finite/);
  });
});

describe('renderCsvReport', () => {
  let dir: string;
  let report: RunReport;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'rw-report-csv-'));
    const { journal, runId } = seedBatch({ dir });
    try {
      report = buildRunReport({ journal, runId, now: () => 0 });
    } finally {
      journal.close();
    }
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts with a UTF-8 BOM and a header row, ends lines with CRLF, and parses back to the same rows', () => {
    const csv = renderCsvReport({ report });
    expect(csv.startsWith('\uFEFFkind,row_key,variant,line,status,')).toBe(true);
    expect(csv.endsWith('\r\n')).toBe(true);
    // Outside quoted fields, every line break is CRLF.
    expect(/[^\r]\n/.test(csv.replace(/"[^"]*"/g, ''))).toBe(false);
    const parsed = Papa.parse<Record<string, string>>(csv.slice(1), { header: true, skipEmptyLines: true });
    expect(parsed.errors).toEqual([]);
    expect(parsed.meta.fields).toEqual([...CSV_REPORT_COLUMNS]);
    expect(parsed.data.filter((r) => r['kind'] === 'row').map((r) => r['row_key'])).toEqual(report.rows.map((r) => (/^[=+\-@\t\r]/.test(r.rowKey) ? `'${r.rowKey}` : r.rowKey)));
    expect(parsed.data.filter((r) => r['kind'] === 'unattributed')).toHaveLength(1);
  });

  it('neutralizes hostile row keys and keeps amounts as plain numbers', () => {
    const csv = renderCsvReport({ report });
    const lines = csv.split('\r\n');
    expect(lines.find((l) => l.startsWith('row,"\'=HYPERLINK(""x"")",16x9,3,rendered'))).toBeDefined();
    expect(lines.find((l) => l.startsWith("row,'+1,16x9,4,rendered"))).toBeDefined();
    expect(lines.find((l) => l.startsWith("row,'@cmd,16x9,5,rendered"))).toBeDefined();
    // No cell of the file starts a formula.
    const cells = Papa.parse<string[]>(csv.slice(1)).data.flat();
    expect(cells.filter((c) => /^[=+@\t\r]/.test(c) || (/^-/.test(c) && !/^-\d+(\.\d+)?$/.test(c)))).toEqual([]);
  });

  it('has a total_usd column that sums exactly to the run total spend, unattributed line included', () => {
    const parsed = Papa.parse<Record<string, string>>(renderCsvReport({ report }).slice(1), { header: true, skipEmptyLines: true });
    const total = parsed.data.reduce((sum, r) => sum + micros(r['total_usd'] ?? ''), 0);
    expect(total).toBe(report.summary.spend.totalMicros);
    const alice = parsed.data.find((r) => r['row_key'] === 'alice');
    expect(alice).toMatchObject({ status: 'rendered', clip_origins: 'generated;cache', ai_share_usd: '0.333334', clips_paid_this_run_usd: '1.000000', clips_paid_earlier_usd: '0.500000', attempts: '2' });
    const carol = parsed.data.find((r) => r['row_key'] === 'carol');
    expect(carol).toMatchObject({ status: 'failed', error_code: 'RW_CLIP_MODERATION', failed_attempts: '1', ai_share_usd: '0.050000' });
    expect(carol?.['failure_reasons']).toBe('intro: failed SAFETY.INPUT.TEXT (The prompt was refused by moderation.)');
  });

  it('is written atomically by writeCsvReport', async () => {
    const file = path.join(dir, 'out', 'report.csv');
    await writeCsvReport({ report, file });
    expect(readFileSync(file, 'utf8')).toBe(renderCsvReport({ report }));
  });
});
