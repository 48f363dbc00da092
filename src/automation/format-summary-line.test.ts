import { describe, expect, it } from 'vitest';
import type { RunSummary } from '../run/index.js';
import { SAMPLE_SUMMARY } from './fixtures/sample-summary.js';
import { formatSummaryLine } from './index.js';

const base: RunSummary = SAMPLE_SUMMARY;

describe('formatSummaryLine', () => {
  it('shows the short run id, status, delta counts, spend and wall time on one line', () => {
    expect(formatSummaryLine(base)).toBe('run 20261125T163403Z-7241 completed: 10 rendered (3 new, 7 changed, 240 unchanged), 0 failed, $0.00 in 42.1 s');
  });

  it('adds invalid and skipped rows only when there are some, and reads long runs in minutes', () => {
    const line = formatSummaryLine({
      ...base,
      status: 'budget_exceeded',
      wallMs: 754_000,
      spendUsd: { generation: 12.5, compute: 0.01, total: 12.51, unknown: 0 },
      counts: { ...base.counts, invalid: 2, skipped: 5, failed: 1 },
      exitCode: 1,
    });
    expect(line).toBe('run 20261125T163403Z-7241 stopped at the budget: 10 rendered (3 new, 7 changed, 240 unchanged), 1 failed, 2 invalid, 5 skipped, $12.51 in 12 min 34 s');
  });

  it('leads with the error code when the run could not start', () => {
    const line = formatSummaryLine({ ...base, status: 'failed', exitCode: 2, error: { code: 'RW_RUN_LOCKED', message: 'another run holds the lock' } });
    expect(line).toMatch(/^run 20261125T163403Z-7241 failed: RW_RUN_LOCKED: another run holds the lock \(/);
  });

  it('adds the list price of attempts of unknown cost beside the spend, only when there are some', () => {
    const line = formatSummaryLine({ ...base, spendUsd: { generation: 0.24, compute: 0, total: 0.24, unknown: 0.24 } });
    expect(line).toMatch(/, \$0\.24 \(\+ up to \$0\.24 of unknown cost\) in 42\.1 s$/);
    expect(formatSummaryLine(base)).not.toContain('unknown');
  });

  it('does not show a fraction of a cent as free', () => {
    expect(formatSummaryLine({ ...base, spendUsd: { generation: 0, compute: 0.002, total: 0.002, unknown: 0 } })).toContain('<$0.01 in');
  });
});
