import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildRunReport, renderJsonReport, writeJsonReport } from './index.js';
import type { RunReport } from './index.js';
import { seedBatch } from './fixtures/seed-batch.js';

const schemaFile = fileURLToPath(new URL('../../schemas/report.schema.json', import.meta.url));
const validate = new Ajv({ allErrors: true, strict: true }).compile(JSON.parse(readFileSync(schemaFile, 'utf8')) as object);

let dir: string;
let report: RunReport;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'rw-report-json-'));
  const { journal, runId } = seedBatch({ dir });
  try {
    report = buildRunReport({ journal, runId, now: () => Date.UTC(2026, 0, 15) });
  } finally {
    journal.close();
  }
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('renderJsonReport', () => {
  it('validates against schemas/report.schema.json', () => {
    const json = JSON.parse(renderJsonReport({ report })) as unknown;
    expect(validate(json), JSON.stringify(validate.errors, null, 2)).toBe(true);
    expect(json).toEqual(report);
  });

  it('is described by a schema strict enough to catch a fractional amount, an unknown status or an extra field', () => {
    const copy = () => JSON.parse(renderJsonReport({ report })) as { rows: Array<Record<string, unknown>>; summary: Record<string, unknown> };
    const fractional = copy();
    (fractional.rows[0] as Record<string, unknown>)['totalMicros'] = 0.5;
    expect(validate(fractional)).toBe(false);
    const status = copy();
    (status.rows[0] as Record<string, unknown>)['status'] = 'exploded';
    expect(validate(status)).toBe(false);
    const extra = copy();
    extra.summary['surprise'] = 1;
    expect(validate(extra)).toBe(false);
  });

  it('is written atomically by writeJsonReport and leaves no temporary file', async () => {
    const file = path.join(dir, 'out', 'report.json');
    await writeJsonReport({ report, file });
    expect(readFileSync(file, 'utf8')).toBe(renderJsonReport({ report }));
    expect(readdirSync(path.dirname(file))).toEqual(['report.json']);
  });
});
