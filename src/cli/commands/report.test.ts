import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ClipId } from '../../clips/index.js';
import { openJournal } from '../../journal/index.js';
import type { RunReport } from '../../report/index.js';
import { seedBatch } from '../../report/fixtures/seed-batch.js';
import { registerReportCommand } from './report.js';
import { registerRunsCommand } from './runs.js';

let dir: string;
let stateDir: string;
let ids: { runId: string; earlierRunId: string };
let stdout: string;
let stderr: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'rw-cli-report-'));
  const seeded = seedBatch({ dir });
  ids = { runId: seeded.runId, earlierRunId: seeded.earlierRunId };
  seeded.journal.close();
  stateDir = path.join(dir, 'state');
  stdout = '';
  stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  vi.spyOn(console, 'error').mockImplementation((...parts: unknown[]) => {
    stderr += `${parts.join(' ')}\n`;
  });
});
afterEach(() => {
  vi.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
});

async function cli(...args: string[]): Promise<void> {
  const program = new Command('reelwright').exitOverride();
  registerReportCommand(program);
  registerRunsCommand(program);
  await program.parseAsync(['node', 'reelwright', ...args]);
}

describe('reelwright report', () => {
  it('prints the latest run as JSON on stdout with --format json', async () => {
    await cli('report', 'latest', '--format', 'json', '--state-dir', stateDir);
    const report = JSON.parse(stdout) as RunReport;
    expect(report.run.id).toBe(ids.runId);
    expect(report.summary.ledger.balanced).toBe(true);
    expect(stderr).toBe('');
  });

  it('prints a named run as CSV on stdout, and prices compute with --usd-per-cpu-hour', async () => {
    await cli('report', ids.earlierRunId, '--format', 'csv', '--state-dir', stateDir, '--usd-per-cpu-hour', '3.6');
    expect(stdout.startsWith('\uFEFFkind,row_key')).toBe(true);
    // zoe: 9 CPU seconds at $3.60/h = $0.009; plus the $0.50 clip.
    expect(stdout).toContain(',0.009000,0.509000,');
  });

  it('without --format writes CSV, JSON and HTML into the state folder and prints a summary and the paths to stderr', async () => {
    await cli('report', '--state-dir', stateDir);
    const reports = path.join(stateDir, 'reports');
    const base = `report-${ids.runId}`;
    expect(readdirSync(reports).sort()).toEqual([`${base}.csv`, `${base}.html`, `${base}.json`]);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/Rows {7}8: 6 rendered, 1 failed, 1 skipped/);
    expect(stderr).toMatch(/Spend {6}\$2\.6823 = \$2\.6800 AI generation \+ \$0\.0023 compute/);
    expect(stderr).toMatch(/Ledger {5}reconciled: rows \$2\.3500 \+ unattributed \$0\.3300 = \$2\.6800 over 7 attempts/);
    expect(stderr).toContain(path.join(reports, `${base}.html`));
    // The summary never echoes dataset values.
    expect(stderr).not.toContain('HYPERLINK');
  });

  it('writes one format to --out', async () => {
    const file = path.join(dir, 'out', 'costs.html');
    await cli('report', '--format', 'html', '--out', file, '--state-dir', stateDir);
    expect(readFileSync(file, 'utf8')).toMatch(/^<!doctype html>/);
    expect(stdout).toBe('');
  });

  it('refuses an unknown format, a bad compute price, and an unknown run with RW_ codes', async () => {
    await expect(cli('report', '--format', 'xml', '--state-dir', stateDir)).rejects.toMatchObject({ code: 'RW_REPORT_BAD_OPTION', message: expect.stringMatching(/csv, json, html.*"xml"/) });
    await expect(cli('report', '--usd-per-cpu-hour', 'cheap', '--state-dir', stateDir)).rejects.toMatchObject({ code: 'RW_REPORT_BAD_OPTION' });
    await expect(cli('report', 'no-such-run', '--format', 'json', '--state-dir', stateDir)).rejects.toMatchObject({ code: 'RW_REPORT_UNKNOWN_RUN' });
  });

  it('reports a missing journal without creating one', async () => {
    const empty = path.join(dir, 'nothing-here');
    await expect(cli('report', '--state-dir', empty)).rejects.toMatchObject({ code: 'RW_REPORT_NO_JOURNAL', message: expect.stringContaining('reelwright render') });
    expect(existsSync(empty)).toBe(false);
  });
});

describe('reelwright runs', () => {
  it('lists runs newest first with totals as JSON, counting an unfinished run from its rows and attempts', async () => {
    const journal = openJournal({ file: path.join(stateDir, 'journal.db'), secretValues: [], now: () => Date.UTC(2026, 0, 16) });
    const open = journal.beginRun({ command: 'render' });
    const attempt = journal.beginAttempt({ clipId: '9'.repeat(64) as ClipId, runId: open.id, provider: 'runway', model: 'gen4.5', promptHash: 'p', attemptNo: 1, seed: 1, estimatedCostUsd: 1 });
    journal.recordTaskId(attempt, 't', null);
    journal.finishAttempt(attempt, { status: 'succeeded', costUsd: 0.75, costSource: 'x', file: 'f', fileHash: 'h' });
    // A create call that got no answer: its cost is unknown, listed at its list price beside the known spend.
    const lost = journal.beginAttempt({ clipId: '8'.repeat(64) as ClipId, runId: open.id, provider: 'runway', model: 'gen4.5', promptHash: 'p', attemptNo: 1, seed: 1, estimatedCostUsd: 0.6 });
    journal.finishAttempt(lost, { status: 'failed', costUsd: null, costSource: 'unknown', failureCode: 'RW_PROVIDER_TIMEOUT', message: 'no answer', retryable: true });
    journal.close();

    await cli('runs', '--json', '--state-dir', stateDir);
    const runs = JSON.parse(stdout) as Array<{ id: string; status: string; aiSpendMicros: number; unknownCostMicros: number; attempts: number; totalsSource: string; rows: { rendered: number } }>;
    expect(runs.map((r) => [r.id, r.status, r.aiSpendMicros, r.unknownCostMicros, r.attempts, r.totalsSource])).toEqual([
      [open.id, 'running', 750_000, 600_000, 2, 'counted'],
      [ids.runId, 'completed', 2_680_000, 0, 7, 'recorded'],
      [ids.earlierRunId, 'completed', 500_000, 0, 1, 'recorded'],
    ]);
    await cli('runs', '--limit', '1', '--state-dir', stateDir);
    expect(stderr).toMatch(/2 attempts, AI \$0\.7500 \(\+ up to \$0\.6000 of unknown cost\)/);
    expect(runs[1]?.rows.rendered).toBe(6);
  });

  it('prints one line per run to stderr and honours --limit', async () => {
    await cli('runs', '--limit', '1', '--state-dir', stateDir);
    const lines = stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^${ids.runId} .*completed.*8 rows \\(6 rendered, 1 failed, 1 skipped, 0 up to date\\), 7 attempts, AI \\$2\\.6800`));
    await expect(cli('runs', '--limit', '0', '--state-dir', stateDir)).rejects.toMatchObject({ code: 'RW_REPORT_BAD_OPTION' });
  });
});
