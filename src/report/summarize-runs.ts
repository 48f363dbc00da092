import type { AttemptRecord, Journal, RunRecord } from '../journal/index.js';
import type { Micros } from './types.js';
import { usdToMicros } from './usd-to-micros.js';

/** Options for `summarizeRuns`. */
export type SummarizeRunsOptions = {
  /** An open journal; only read. */
  journal: Journal;
  /** Most runs listed, newest first; `DEFAULT_RUNS_LIMIT` by default. */
  limit?: number;
};

/** Runs listed when no limit is given. */
export const DEFAULT_RUNS_LIMIT = 20;

/** One past run with its totals (plain JSON: what `reelwright runs --json` prints). */
export type RunListing = {
  id: string;
  /** ISO 8601. */
  startedAt: string;
  endedAt: string | null;
  /** `running`, `completed`, `failed`, `cancelled`, `budget_exceeded` or `interrupted`. */
  status: string;
  command: string;
  templateId: string | null;
  dataset: string | null;
  rows: { total: number; rendered: number; failed: number; skipped: number; upToDate: number };
  /** Generation attempts journaled with this run. */
  attempts: number;
  /** Known cost of those attempts (the run's ledger), in micro-dollars. */
  aiSpendMicros: Micros;
  /**
   * List price of the attempts whose cost is unknown (a create call that got no answer, a task cancelled at the
   * deadline, an attempt cut off by a kill), in micro-dollars: the provider may have billed them. Not in `aiSpendMicros`.
   */
  unknownCostMicros: Micros;
  /** Run wall time in seconds, or null while running. */
  wallSeconds: number | null;
  /**
   * Where the totals come from.
   * - `recorded`: computed by `finishRun` when the run ended.
   * - `counted`: the run never finished (running, interrupted): counted from its rows and attempts now.
   */
  totalsSource: 'recorded' | 'counted';
};

function counted(journal: Journal, run: RunRecord): Pick<RunListing, 'rows' | 'attempts' | 'aiSpendMicros' | 'unknownCostMicros'> {
  const rows = { total: 0, rendered: 0, failed: 0, skipped: 0, upToDate: 0 };
  for (const row of journal.iterateRows(run.id)) {
    rows.total++;
    if (row.status === 'rendered') rows.rendered++;
    else if (row.status === 'failed') rows.failed++;
    else if (row.status === 'skipped') rows.skipped++;
    else if (row.status === 'up_to_date') rows.upToDate++;
  }
  const attempts = journal.listAttempts({ runId: run.id });
  return {
    rows,
    attempts: attempts.length,
    aiSpendMicros: attempts.reduce((sum, a) => sum + (a.costUsd === null ? 0 : usdToMicros(a.costUsd)), 0),
    unknownCostMicros: unknownCost(attempts),
  };
}

function unknownCost(attempts: readonly AttemptRecord[]): Micros {
  return attempts.reduce((sum, a) => sum + (a.costUsd === null ? usdToMicros(a.estimatedCostUsd) : 0), 0);
}

/**
 * The newest runs of a journal with their totals: the ones `finishRun` recorded, or — for a run
 * that never finished — counted from its rows and attempts now, so an interrupted run's spend shows too.
 *
 * @example
 * for (const run of summarizeRuns({ journal, limit: 5 })) console.log(run.id, run.aiSpendMicros);
 */
export function summarizeRuns(options: SummarizeRunsOptions): RunListing[] {
  const { journal } = options;
  return journal.listRuns({ limit: options.limit ?? DEFAULT_RUNS_LIMIT }).map((run) => {
    const totals = run.totals
      ? {
          rows: { total: run.totals.rows, rendered: run.totals.rendered, failed: run.totals.failed, skipped: run.totals.skipped, upToDate: run.totals.upToDate },
          attempts: run.totals.attempts,
          aiSpendMicros: usdToMicros(run.totals.clipCostUsd),
          // Finished runs store no such total: read the run's attempts (only when it made some).
          unknownCostMicros: run.totals.attempts === 0 ? 0 : unknownCost(journal.listAttempts({ runId: run.id })),
        }
      : counted(journal, run);
    const wallMs = run.extraTotals?.['wallMs'];
    return {
      id: run.id,
      startedAt: new Date(run.startedAt).toISOString(),
      endedAt: run.endedAt === null ? null : new Date(run.endedAt).toISOString(),
      status: run.status,
      command: run.command,
      templateId: run.templateId,
      dataset: run.dataset,
      ...totals,
      wallSeconds: typeof wallMs === 'number' ? wallMs / 1000 : run.endedAt === null ? null : (run.endedAt - run.startedAt) / 1000,
      totalsSource: run.totals ? 'recorded' : 'counted',
    };
  });
}
