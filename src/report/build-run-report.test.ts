import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ClipId } from '../clips/types.js';
import { openJournal } from '../journal/index.js';
import { buildRunReport, DEFAULT_COMPUTE_USD_PER_CPU_HOUR, toRowId } from './index.js';
import type { ReportRow, RunReport } from './index.js';
import { CLIPS, EXPECTED, seedBatch } from './fixtures/seed-batch.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'rw-report-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const NOW = () => Date.UTC(2026, 0, 15, 12, 0, 0);
const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);
const rowOf = (report: RunReport, rowKey: string): ReportRow => {
  const row = report.rows.find((r) => r.rowKey === rowKey);
  if (!row) throw new Error(`no row ${rowKey}`);
  return row;
};
const computeMicros = (rowKey: string) => Math.round(((EXPECTED.cpuMs[rowKey] ?? 0) * DEFAULT_COMPUTE_USD_PER_CPU_HOUR) / 3.6);

describe('buildRunReport', () => {
  it('reconciles to the micro-dollar: row shares plus unattributed equal the ledger, and the recorded run total to the cent', () => {
    const { journal, runId } = seedBatch({ dir });
    try {
      const report = buildRunReport({ journal, runId, now: NOW });
      const shares = sum(report.rows.map((r) => r.generationMicros));
      expect(shares + report.unattributed.totalMicros).toBe(EXPECTED.ledgerMicros);
      expect(report.summary.ledger.totalMicros).toBe(EXPECTED.ledgerMicros);
      expect(report.summary.ledger.balanced).toBe(true);
      // The journal's own float total (finishRun) agrees to the cent.
      const recorded = journal.getRun(runId)?.totals?.clipCostUsd ?? NaN;
      expect(Math.round(recorded * 100)).toBe(EXPECTED.ledgerMicros / 10_000);
      expect(report.summary.ledger.recordedTotalMicros).toBe(EXPECTED.ledgerMicros);
      // Row totals (AI + compute) plus unattributed equal total spend.
      expect(sum(report.rows.map((r) => r.totalMicros)) + report.unattributed.totalMicros).toBe(report.summary.spend.totalMicros);
      expect(report.summary.spend.rowsMicros).toBe(sum(report.rows.map((r) => r.totalMicros)));
      expect(report.summary.spend.generationMicros + report.summary.spend.computeMicros).toBe(report.summary.spend.totalMicros);
    } finally {
      journal.close();
    }
  });

  it('splits a clip shared by 3 rows into exact thirds, the extra micro-dollar to the first row in dataset order', () => {
    const { journal, runId } = seedBatch({ dir });
    try {
      const report = buildRunReport({ journal, runId, now: NOW });
      const shares = ['alice', '=HYPERLINK("x")', '+1'].map((key) => rowOf(report, key).slots.find((s) => s.clipId === CLIPS.shared));
      expect(shares.map((s) => s?.shareMicros)).toEqual([333_334, 333_333, 333_333]);
      expect(shares.map((s) => [s?.origin, s?.sharedByRows, s?.paidMicros, s?.costScope])).toEqual([
        ['generated', 3, 1_000_000, 'this_run'],
        ['shared', 3, 1_000_000, 'this_run'],
        ['shared', 3, 1_000_000, 'this_run'],
      ]);
      expect(rowOf(report, '=HYPERLINK("x")').totalMicros).toBe(333_333 + computeMicros('=HYPERLINK("x")'));
    } finally {
      journal.close();
    }
  });

  it('shows a cache hit at 0 in this run with what its earlier run originally paid', () => {
    const { journal, runId, earlierRunId } = seedBatch({ dir });
    try {
      const alice = rowOf(buildRunReport({ journal, runId, now: NOW }), 'alice');
      const outro = alice.slots.find((s) => s.slot === 'outro');
      expect(outro).toMatchObject({ origin: 'cache', costScope: 'earlier_runs', shareMicros: 0, paidMicros: 500_000, attempts: 1, provider: 'runway', model: 'gen4.5' });
      expect(alice.generationMicros).toBe(333_334);
      expect(alice.totalMicros).toBe(333_334 + computeMicros('alice'));
      // The earlier run's own report carries that money on its own row.
      const earlier = buildRunReport({ journal, runId: earlierRunId, now: NOW });
      expect(earlier.rows[0]).toMatchObject({ rowKey: 'zoe', generationMicros: 500_000 });
      expect(earlier.summary.ledger).toMatchObject({ totalMicros: 500_000, balanced: true });
    } finally {
      journal.close();
    }
  });

  it('puts failed attempts and QA rejections, with their reasons and money, on the rows that caused them', () => {
    const { journal, runId } = seedBatch({ dir });
    try {
      const report = buildRunReport({ journal, runId, now: NOW });
      const retried = rowOf(report, '@cmd').slots[0];
      expect(retried).toMatchObject({ attempts: 2, failedAttempts: 1, rejectedAttempts: 0, paidMicros: 500_000, shareMicros: 500_000, provider: 'runway', model: 'gen4_turbo' });
      expect(retried?.problems).toEqual([
        { attemptNo: 1, runId, provider: 'runway', model: 'gen4_turbo', status: 'failed', code: 'INTERNAL.BAD_OUTPUT.CODE01', message: 'The model produced an unusable output.', costMicros: 250_000 },
      ]);
      const bob = rowOf(report, 'bob');
      expect(bob.slots[0]).toMatchObject({ attempts: 2, rejectedAttempts: 1, shareMicros: 800_000, provider: 'luma', model: 'ray-2' });
      expect(bob.slots[0]?.problems[0]).toMatchObject({ status: 'rejected', code: 'RW_QA_BLACK_FRAMES', message: '92% of frames are black.', costMicros: 400_000 });
    } finally {
      journal.close();
    }
  });

  it('keeps the money of a moderation-failed clip on its failed row, and shows skipped and local rows at no AI cost', () => {
    const { journal, runId } = seedBatch({ dir });
    try {
      const report = buildRunReport({ journal, runId, now: NOW });
      const carol = rowOf(report, 'carol');
      expect(carol).toMatchObject({
        status: 'failed',
        errorCode: 'RW_CLIP_MODERATION',
        reason: 'Clip "intro" was refused by moderation: SAFETY.INPUT.TEXT.',
        outputPath: null,
        outputName: expect.stringMatching(/^row-\d+\.mp4$/),
        generationMicros: 50_000,
        computeMicros: computeMicros('carol'),
      });
      expect(carol.slots[0]?.problems[0]).toMatchObject({ status: 'failed', code: 'SAFETY.INPUT.TEXT', costMicros: 50_000 });
      expect(rowOf(report, 'dave')).toMatchObject({ status: 'skipped', variant: '*', errorCode: 'RW_DATASET_BAD_CELL', line: 8, slots: [], totalMicros: 0, outputName: null });
      expect(rowOf(report, 'dave').reason).toMatch(/column "price"/);
      expect(rowOf(report, 'erin').slots[0]).toMatchObject({ origin: 'local', costScope: 'none', attempts: 0, shareMicros: 0, provider: 'local', model: 'placeholder' });
    } finally {
      journal.close();
    }
  });

  it('lists spend no row uses on an explicit unattributed line', () => {
    const { journal, runId } = seedBatch({ dir });
    try {
      const report = buildRunReport({ journal, runId, now: NOW });
      expect(report.unattributed).toEqual({
        totalMicros: EXPECTED.unattributedMicros,
        items: [{ clipId: CLIPS.orphan, provider: 'luma', model: 'ray-2', attempts: 1, amountMicros: 330_000, why: 'No row of this run is journaled as using this clip.' }],
      });
    } finally {
      journal.close();
    }
  });

  it('summarizes rows, spend, cost per usable clip, failure rates, cache, dedupe, budget and speed', () => {
    const { journal, runId } = seedBatch({ dir });
    try {
      const s = buildRunReport({ journal, runId, now: NOW }).summary;
      const compute = sum(Object.keys(EXPECTED.cpuMs).map(computeMicros));
      expect(s.rows).toEqual({ total: 8, rendered: 6, failed: 1, skipped: 1, upToDate: 0, unfinished: 0 });
      expect(s.spend).toMatchObject({ generationMicros: EXPECTED.ledgerMicros, computeMicros: compute, totalMicros: EXPECTED.ledgerMicros + compute });
      expect(s.costPerFinishedVideoMicros).toBe(Math.round((EXPECTED.ledgerMicros + compute) / 6));
      expect(s.byProviderModel.map((p) => [p.provider, p.model, p.attempts, p.usableClips, p.paidMicros, p.costPerUsableClipMicros, p.attemptsPerUsableClip, p.failureRate])).toEqual([
        ['luma', 'ray-2', 3, 1, 1_130_000, 1_130_000, 3, 0.5],
        ['runway', 'gen4.5', 2, 1, 1_050_000, 1_050_000, 2, 0.5],
        ['runway', 'gen4_turbo', 2, 1, 500_000, 500_000, 2, 0.5],
      ]);
      expect(s.byProvider.map((p) => [p.provider, p.attempts, p.failed, p.rejected, p.cancelled, p.failureRate])).toEqual([
        ['runway', 4, 2, 0, 0, 0.5],
        ['luma', 3, 0, 1, 1, 0.5],
      ]);
      expect(s.failuresByCode.map((f) => [f.code, f.status, f.count, f.rate, f.paidMicros, f.sources])).toEqual([
        ['INTERNAL.BAD_OUTPUT.CODE01', 'failed', 1, 1 / 6, 250_000, ['runway/gen4_turbo']],
        ['RW_QA_BLACK_FRAMES', 'rejected', 1, 1 / 6, 400_000, ['luma/ray-2']],
        ['SAFETY.INPUT.TEXT', 'failed', 1, 1 / 6, 50_000, ['runway/gen4.5']],
      ]);
      // Local placeholders count as clips too (erin's has no attempt anywhere, so it is not known to come from the cache).
      expect(s.cache).toEqual({ distinctClips: 6, hits: 1, hitRate: 1 / 6, savedMicros: 500_000, unpricedHits: 0 });
      expect(s.dedupe).toEqual({ uses: 8, distinctClips: 6, dedupedUses: 2, rate: 2 / 8, savedMicros: 2_000_000 });
      expect(s.budget).toEqual({ limitMicros: 10_000_000, usedMicros: EXPECTED.ledgerMicros, usedFraction: EXPECTED.ledgerMicros / 10_000_000 });
      expect(s.time).toMatchObject({ wallSeconds: 60, frames: 6 * EXPECTED.frames, effectiveFps: (6 * EXPECTED.frames) / 60 });
      expect(s.ledger).toMatchObject({ attempts: 7, unknownCostAttempts: 0 });
    } finally {
      journal.close();
    }
  });

  it('links an up-to-date row to the video an earlier run rendered, at no cost', () => {
    const { journal, runId } = seedBatch({ dir });
    try {
      const rendered = rowOf(buildRunReport({ journal, runId, now: NOW }), 'bob');
      const again = journal.beginRun({ command: 'render', templateId: 'welcome', dataset: 'customers.csv' });
      journal.recordPlannedRows({
        runId: again.id,
        jobs: [{ rowKey: 'bob', variant: '16x9', rowIndex: 4, line: 6, rowHash: 'h-bob', outputName: 'row-4.mp4', manifestHash: 'm-bob', status: 'up_to_date', reason: null }],
      });
      journal.finishRun({ runId: again.id, status: 'completed' });
      const report = buildRunReport({ journal, runId: again.id, now: NOW });
      expect(report.rows).toHaveLength(1);
      expect(report.rows[0]).toMatchObject({ status: 'up_to_date', reason: 'output matches the previous render', outputPath: rendered.outputPath, totalMicros: 0 });
      expect(report.summary).toMatchObject({ costPerFinishedVideoMicros: null, rows: { upToDate: 1, total: 1 } });
    } finally {
      journal.close();
    }
  });

  it('prices compute at the given USD per CPU-hour', () => {
    const { journal, runId } = seedBatch({ dir });
    try {
      const report = buildRunReport({ journal, runId, computeUsdPerCpuHour: 3.6, now: NOW });
      // 72 CPU seconds at $3.60 per hour = $0.072.
      expect(rowOf(report, 'bob').computeMicros).toBe(72_000);
      expect(report.summary.computeUsdPerCpuHour).toBe(3.6);
      expect(() => buildRunReport({ journal, runId, computeUsdPerCpuHour: -1 })).toThrow(expect.objectContaining({ code: 'RW_REPORT_BAD_OPTION' }));
    } finally {
      journal.close();
    }
  });

  it('rejects an unknown run with RW_REPORT_UNKNOWN_RUN and says how to list runs', async () => {
    await using journal = openJournal({ file: path.join(dir, 'journal.db'), secretValues: [] });
    expect(() => buildRunReport({ journal, runId: 'nope' })).toThrow(expect.objectContaining({ code: 'RW_REPORT_UNKNOWN_RUN', message: expect.stringMatching(/"nope".*reelwright runs/) }));
  });

  it('reconciles exactly on a random batch with sub-cent prices, shared clips and abandoned attempts', async () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    let clock = 1_000;
    await using journal = openJournal({ file: path.join(dir, 'journal.db'), now: () => clock++, secretValues: [] });
    const run = journal.beginRun({ command: 'render' });
    const rowCount = 60;
    const clips = Array.from({ length: 17 }, (_, i) => i.toString(16).padStart(64, '0') as ClipId);
    journal.recordPlannedRows({
      runId: run.id,
      jobs: Array.from({ length: rowCount }, (_, i) => ({ rowKey: `r${i}`, variant: 'v', rowIndex: i, line: i + 2, rowHash: 'h', outputName: `r${i}.mp4`, manifestHash: 'm', status: 'render' as const, reason: null })),
    });
    const uses = Array.from({ length: rowCount }, (_, i) => [
      { rowKey: `r${i}`, variant: 'v', slot: 'a', clipId: clips[Math.floor(random() * clips.length)] as ClipId, origin: 'generated' as const },
      { rowKey: `r${i}`, variant: 'v', slot: 'b', clipId: clips[Math.floor(random() * clips.length)] as ClipId, origin: 'shared' as const },
    ]).flat();
    journal.recordClipUses({ runId: run.id, uses });
    for (const clipId of [...clips, 'f'.repeat(64) as ClipId]) {
      const tries = 1 + Math.floor(random() * 3);
      for (let n = 1; n <= tries; n++) {
        const id = journal.beginAttempt({ clipId, runId: run.id, provider: random() < 0.5 ? 'runway' : 'luma', model: 'm', promptHash: 'p', attemptNo: n, seed: n, estimatedCostUsd: 0.3 });
        if (random() < 0.1) {
          journal.abandonUnsubmittedAttempts(clipId);
          continue;
        }
        journal.recordTaskId(id, `t${clipId}${n}`, null);
        // Sub-cent and sub-micro prices: 0.1234567 USD and the like.
        const costUsd = Math.round(random() * 1e7) / 1e7;
        if (n < tries) journal.finishAttempt(id, { status: 'failed', costUsd, costSource: 'x', failureCode: 'X', message: 'x', retryable: true });
        else journal.finishAttempt(id, { status: 'succeeded', costUsd, costSource: 'x', file: 'f', fileHash: 'h' });
      }
    }
    const finished = journal.finishRun({ runId: run.id, status: 'completed' });
    const report = buildRunReport({ journal, runId: run.id });
    const ledger = sum(journal.listAttempts({ runId: run.id }).map((a) => (a.costUsd === null ? 0 : Math.round(a.costUsd * 1e6))));
    expect(sum(report.rows.map((r) => r.generationMicros)) + report.unattributed.totalMicros).toBe(ledger);
    expect(report.summary.ledger.balanced).toBe(true);
    expect(Math.round((finished.totals?.clipCostUsd ?? NaN) * 100)).toBe(Math.round(ledger / 10_000));
    // Each row's slots add up to its generation share; every row id is unique.
    for (const row of report.rows) expect(sum(row.slots.map((s) => s.shareMicros))).toBe(row.generationMicros);
    expect(new Set(report.rows.map((r) => r.id)).size).toBe(rowCount);
    expect(report.rows[0]?.id).toBe(toRowId({ rowKey: 'r0', variant: 'v' }));
  });

  it('counts local placeholder clips made in an earlier run as cache hits, and those made in this run as not', async () => {
    await using journal = openJournal({ file: path.join(dir, 'journal.db'), secretValues: [] });
    const old = 'a'.repeat(64) as ClipId;
    const fresh = 'b'.repeat(64) as ClipId;
    const local = (prompt: string) => ({ provider: 'local', model: 'placeholder', prompt, seconds: 2, aspect: '16:9' as const }) as never;
    journal.recordClipRequests({ clips: [{ clipId: old, request: local('ocean') }, { clipId: fresh, request: local('forest') }] });
    const generate = (runId: string, clipId: ClipId) => {
      const id = journal.beginAttempt({ clipId, runId, provider: 'local', model: 'placeholder', promptHash: 'p'.repeat(64), attemptNo: 1, seed: 1, estimatedCostUsd: 0 });
      journal.recordTaskId(id, `task-${clipId[0]}`, 0);
      journal.finishAttempt(id, { status: 'succeeded', costUsd: 0, costSource: 'free', file: `/cache/${clipId[0]}.mp4`, fileHash: 'f'.repeat(64) });
    };
    const first = journal.beginRun({ command: 'render', templateId: 'card' });
    generate(first.id, old);
    journal.finishRun({ runId: first.id, status: 'completed' });

    // The second run renders three rows: two use the cached `old` clip, one a `fresh` clip generated now.
    const run = journal.beginRun({ command: 'render', templateId: 'card' });
    const rows = ['ada', 'grace', 'linus'];
    journal.recordPlannedRows({
      runId: run.id,
      jobs: rows.map((rowKey, i) => ({ rowKey, variant: 'landscape', rowIndex: i, line: i + 2, rowHash: rowKey, outputName: `${rowKey}.mp4`, manifestHash: `m-${rowKey}`, status: 'render' as const, reason: 'template_changed' })),
    });
    generate(run.id, fresh);
    journal.recordClipUses({
      runId: run.id,
      uses: [
        { rowKey: 'ada', variant: 'landscape', slot: 'backdrop', clipId: old, origin: 'local' },
        { rowKey: 'grace', variant: 'landscape', slot: 'backdrop', clipId: old, origin: 'local' },
        { rowKey: 'linus', variant: 'landscape', slot: 'backdrop', clipId: fresh, origin: 'local' },
      ],
    });
    journal.finishRun({ runId: run.id, status: 'completed' });
    const { summary } = buildRunReport({ journal, runId: run.id, now: NOW });
    expect(summary.cache).toEqual({ distinctClips: 2, hits: 1, hitRate: 0.5, savedMicros: 0, unpricedHits: 0 });
    expect(summary.dedupe).toMatchObject({ uses: 3, distinctClips: 2, dedupedUses: 1 });
  });
});
