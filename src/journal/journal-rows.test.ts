import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ClipId, ClipRequest } from '../clips/index.js';
import { openJournal } from './index.js';
import type { PlannedRowInput } from './index.js';

const clip = (c: string) => c.repeat(64) as ClipId;
const job = (rowKey: string, over: Partial<PlannedRowInput> = {}): PlannedRowInput => ({
  rowKey,
  variant: 'default',
  rowIndex: Number(rowKey.replace(/\D/g, '')) || 0,
  line: 2,
  rowHash: `hash-${rowKey}`,
  outputName: `${rowKey}.mp4`,
  manifestHash: `m-${rowKey}`,
  status: 'render',
  reason: 'new_row',
  ...over,
});

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rw-journal-rows-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('rows and renders', () => {
  it('walks a row from pending through rendering to rendered and stores its manifest as the newest render', async () => {
    await using journal = openJournal({ file: join(dir, 'j.db') });
    const run = journal.beginRun({ command: 'render', templateId: 'welcome', dataset: 'd.csv' });
    expect(journal.recordPlannedRows({ runId: run.id, jobs: [job('r1'), job('r2'), job('r3', { status: 'up_to_date', reason: null })] })).toBe(3);
    const ref = { runId: run.id, rowKey: 'r1', variant: 'default' };
    journal.markRowRendering(ref);
    journal.markRowRendered({ ...ref, templateId: 'welcome', outputPath: '/out/r1.mp4', manifestHash: 'm-r1', manifest: { rowHash: 'hash-r1' }, wallMs: 1234.4, cpuMs: 999, frames: 90 });
    journal.markRowRendering({ ...ref, rowKey: 'r2' });
    journal.markRowFailed({ ...ref, rowKey: 'r2', error: { code: 'RW_RENDER_CRASH', message: 'page crashed' }, wallMs: 10 });
    journal.recordSkippedRow({ runId: run.id, rowKey: 'bad', line: 9, error: { code: 'RW_DATASET_BAD_CELL', message: 'price: expected a number' } });

    expect(journal.listRows(run.id).map((r) => [r.rowKey, r.status, r.error?.code ?? null])).toEqual([
      ['bad', 'skipped', 'RW_DATASET_BAD_CELL'],
      ['r1', 'rendered', null],
      ['r2', 'failed', 'RW_RENDER_CRASH'],
      ['r3', 'up_to_date', null],
    ]);
    expect(journal.getRow(ref)).toMatchObject({ wallMs: 1234, cpuMs: 999, frames: 90, outputPath: '/out/r1.mp4', reason: 'new_row' });
    expect(journal.getRender({ templateId: 'welcome', rowKey: 'r1', variant: 'default' })).toMatchObject({ manifestHash: 'm-r1', manifest: { rowHash: 'hash-r1' }, runId: run.id });
    expect(journal.getRender({ templateId: 'welcome', rowKey: 'r2', variant: 'default' })).toBeNull();

    const done = journal.finishRun({ runId: run.id, status: 'completed', extraTotals: { wallMs: 5000 } });
    expect(done.totals).toEqual({ rows: 4, rendered: 1, failed: 1, skipped: 1, upToDate: 1, attempts: 0, clipCostUsd: 0 });
    expect(done.extraTotals).toEqual({ wallMs: 5000 });
  });

  it('lists the hash and output path of every newest render of a template without its manifest, one per row and variant', async () => {
    await using journal = openJournal({ file: join(dir, 'j.db') });
    const render = (templateId: string, rowKey: string, variant: string, manifestHash: string, outputFile?: { bytes: number; mtimeMs: number }) => {
      const run = journal.beginRun({ command: 'render', templateId });
      journal.recordPlannedRows({ runId: run.id, jobs: [job(rowKey, { variant })] });
      journal.markRowRendering({ runId: run.id, rowKey, variant });
      journal.markRowRendered({ runId: run.id, rowKey, variant, templateId, outputPath: `/out/${rowKey}-${variant}.mp4`, manifestHash, manifest: { big: 'x'.repeat(100) }, wallMs: 1, cpuMs: null, frames: 1, outputFile });
      journal.finishRun({ runId: run.id, status: 'completed' });
    };
    render('welcome', 'r1', 'landscape', 'm1');
    render('welcome', 'r1', 'vertical', 'm2');
    render('welcome', 'r2', 'landscape', 'm3');
    render('welcome', 'r1', 'landscape', 'm4', { bytes: 48_213, mtimeMs: 1_764_100_000_123.75 }); // rendered again: only the newest counts
    render('recap', 'r1', 'landscape', 'm5');

    const hashes = [...journal.iterateRenderHashes('welcome')].sort((a, b) => a.manifestHash.localeCompare(b.manifestHash));
    expect(hashes).toEqual([
      { rowKey: 'r1', variant: 'vertical', manifestHash: 'm2', outputPath: '/out/r1-vertical.mp4', outputFile: null },
      { rowKey: 'r2', variant: 'landscape', manifestHash: 'm3', outputPath: '/out/r2-landscape.mp4', outputFile: null },
      // The file's size and mtime as recorded at render time (mtime in whole ms).
      { rowKey: 'r1', variant: 'landscape', manifestHash: 'm4', outputPath: '/out/r1-landscape.mp4', outputFile: { bytes: 48_213, mtimeMs: 1_764_100_000_123 } },
    ]);
    // The same facts getRender gives one at a time.
    for (const h of hashes) expect(journal.getRender({ templateId: 'welcome', rowKey: h.rowKey, variant: h.variant })).toMatchObject(h);
    expect([...journal.iterateRenderHashes('none')]).toEqual([]);
  });

  it('points the runs that read a moved dataset at its new path, and only those, idempotently', async () => {
    await using journal = openJournal({ file: join(dir, 'j.db') });
    const interrupted = journal.beginRun({ command: 'render', templateId: 't', dataset: '/inbox/processing/a.csv' });
    const resumed = journal.beginRun({ command: 'render', templateId: 't', dataset: '/inbox/processing/a.csv' });
    journal.finishRun({ runId: resumed.id, status: 'completed' });
    const other = journal.beginRun({ command: 'render', templateId: 't', dataset: '/inbox/processing/a.csv.bak' });
    journal.finishRun({ runId: other.id, status: 'completed' });

    expect(journal.relocateRunDataset({ from: '/inbox/processing/a.csv', to: '/inbox/done/a.csv' })).toBe(2);
    expect([interrupted, resumed, other].map((r) => journal.getRun(r.id)?.dataset)).toEqual(['/inbox/done/a.csv', '/inbox/done/a.csv', '/inbox/processing/a.csv.bak']);
    expect(journal.getRun(resumed.id)?.status).toBe('completed');
    expect(journal.relocateRunDataset({ from: '/inbox/processing/a.csv', to: '/inbox/done/a.csv' })).toBe(0);
  });

  it('refuses to mark a row rendered that was never marked rendering', async () => {
    await using journal = openJournal({ file: join(dir, 'j.db') });
    const run = journal.beginRun({ command: 'render' });
    journal.recordPlannedRows({ runId: run.id, jobs: [job('r1')] });
    const rendered = { runId: run.id, rowKey: 'r1', variant: 'default', templateId: 't', outputPath: '/o', manifestHash: 'm', manifest: {}, wallMs: 1, cpuMs: null, frames: 1 };
    expect(() => journal.markRowRendered(rendered)).toThrow(expect.objectContaining({ code: 'RW_JOURNAL_BAD_TRANSITION', message: expect.stringMatching(/"pending", expected rendering/) }));
    expect(() => journal.markRowRendering({ runId: run.id, rowKey: 'nope', variant: 'default' })).toThrow(expect.objectContaining({ code: 'RW_JOURNAL_UNKNOWN_ROW' }));
    expect(() => journal.recordPlannedRows({ runId: 'missing', jobs: [job('r1')] })).toThrow(expect.objectContaining({ code: 'RW_JOURNAL_UNKNOWN_RUN' }));
  });

  it('records planned rows atomically: a duplicate row key leaves none of the batch behind', async () => {
    await using journal = openJournal({ file: join(dir, 'j.db') });
    const run = journal.beginRun({ command: 'render' });
    expect(() => journal.recordPlannedRows({ runId: run.id, jobs: [job('r1'), job('r2'), job('r1')] })).toThrow(/UNIQUE/);
    expect(journal.listRows(run.id)).toEqual([]);
  });

  it('records 100,000 planned rows in one transaction quickly', async () => {
    await using journal = openJournal({ file: join(dir, 'j.db') });
    const run = journal.beginRun({ command: 'render' });
    const t0 = performance.now();
    function* jobs() {
      for (let i = 0; i < 100_000; i++) yield job(`row-${i}`, { rowIndex: i });
    }
    expect(journal.recordPlannedRows({ runId: run.id, jobs: jobs() })).toBe(100_000);
    expect(performance.now() - t0).toBeLessThan(5_000);
    let n = 0;
    for (const _ of journal.iterateRows(run.id)) n++;
    expect(n).toBe(100_000);
  });
});

describe('clip requests, uses and protection', () => {
  const request: ClipRequest = { provider: 'runway', model: 'gen4.5', prompt: 'a cat', seconds: 5, aspect: '16:9', resolution: null, seed: 1, inputImageHash: null, params: {}, draft: false };

  it('stores clip requests and per-row clip uses with their origin', async () => {
    await using journal = openJournal({ file: join(dir, 'j.db') });
    const run = journal.beginRun({ command: 'render' });
    journal.recordClipRequests({ clips: [{ clipId: clip('a'), request }] });
    expect(journal.getClip(clip('a'))).toMatchObject({ status: 'planned', request });
    journal.recordClipUses({
      runId: run.id,
      uses: [
        { rowKey: 'r1', variant: 'default', slot: 'bg', clipId: clip('a'), origin: 'generated' },
        { rowKey: 'r2', variant: 'default', slot: 'bg', clipId: clip('a'), origin: 'shared' },
        { rowKey: 'r3', variant: 'default', slot: 'bg', clipId: clip('b'), origin: 'cache' },
      ],
    });
    expect(journal.listClipUses(run.id).map((u) => [u.rowKey, u.origin])).toEqual([
      ['r1', 'generated'],
      ['r2', 'shared'],
      ['r3', 'cache'],
    ]);
    // A clip known only through a use gets a row without a request.
    expect(journal.getClip(clip('b'))).toMatchObject({ status: 'planned', request: null });
  });

  it('protects clips of running and interrupted runs until a later run of the same batch completes', async () => {
    await using journal = openJournal({ file: join(dir, 'j.db') });
    const use = (c: string) => [{ rowKey: 'r', variant: 'default', slot: 'bg', clipId: clip(c), origin: 'generated' as const }];
    const old = journal.beginRun({ command: 'render', templateId: 't', dataset: 'd.csv' });
    journal.recordClipUses({ runId: old.id, uses: use('a') });
    journal.finishRun({ runId: old.id, status: 'completed' });
    expect(journal.listProtectedClipIds()).toEqual(new Set());

    const killed = journal.beginRun({ command: 'render', templateId: 't', dataset: 'd.csv' });
    journal.recordClipUses({ runId: killed.id, uses: use('b') });
    expect(journal.listProtectedClipIds()).toEqual(new Set([clip('b')]));

    // The next run finds the killed one still "running": it becomes interrupted and stays protected.
    const resumed = journal.beginRun({ command: 'render', templateId: 't', dataset: 'd.csv' });
    expect(journal.getRun(killed.id)?.status).toBe('interrupted');
    journal.recordClipUses({ runId: resumed.id, uses: use('c') });
    expect(journal.listProtectedClipIds()).toEqual(new Set([clip('b'), clip('c')]));
    journal.finishRun({ runId: resumed.id, status: 'completed' });
    expect(journal.listProtectedClipIds()).toEqual(new Set());
  });
});
