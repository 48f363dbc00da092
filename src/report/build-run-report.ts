import { ConfigError } from '../errors/index.js';
import type { AttemptRecord, ClipUseRecord, Journal, RowRecord, RunRecord } from '../journal/index.js';
import { ReportError } from './report-error.js';
import { splitMicros } from './split-micros.js';
import { toRowId } from './to-row-id.js';
import { usdToMicros } from './usd-to-micros.js';
import type {
  Micros,
  ReportAttemptProblem,
  ReportCostScope,
  ReportFailureStats,
  ReportProblemStatus,
  ReportProviderStats,
  ReportRow,
  ReportRowStatus,
  ReportSlot,
  ReportSummary,
  ReportUnattributedItem,
  RunReport,
} from './types.js';

/**
 * Price of one CPU-hour of render compute, in USD, when none is given: roughly what a
 * general-purpose cloud vCPU costs on demand (2025–2026 list prices are $0.03–0.05 per vCPU-hour).
 * Set your own with `computeUsdPerCpuHour` (CLI: `--usd-per-cpu-hour`).
 */
export const DEFAULT_COMPUTE_USD_PER_CPU_HOUR = 0.05;

/** Options for `buildRunReport`. */
export type BuildRunReportOptions = {
  /** An open journal (`openJournal`); only read. */
  journal: Journal;
  /** The run to report on. */
  runId: string;
  /** USD per CPU-hour of render compute; `DEFAULT_COMPUTE_USD_PER_CPU_HOUR` by default. */
  computeUsdPerCpuHour?: number;
  /** Clock for `generatedAt`, ms since the epoch; `Date.now` by default. */
  now?: () => number;
};

/** The attempts of one clip that a slot describes, and what they say. */
type ClipFacts = {
  scope: ReportCostScope;
  attempts: AttemptRecord[];
  provider: string | null;
  model: string | null;
  /** Known costs of `attempts`. */
  paidMicros: Micros;
  /** Whether any attempt in scope has a known cost. */
  priced: boolean;
  /** List price of one generation: the estimate journaled before its first (or successful) attempt. */
  listPriceMicros: Micros | null;
};

const knownCostMicros = (attempts: readonly AttemptRecord[]): Micros => attempts.reduce((sum, a) => sum + (a.costUsd === null ? 0 : usdToMicros(a.costUsd)), 0);
const ratio = (part: number, whole: number): number | null => (whole === 0 ? null : part / whole);

function toReportStatus(status: RowRecord['status']): ReportRowStatus {
  return status === 'pending' || status === 'rendering' ? 'unfinished' : status;
}

function rowReason(row: RowRecord, run: RunRecord): string | null {
  switch (row.status) {
    case 'failed':
    case 'skipped':
      return row.error?.message ?? row.reason;
    case 'up_to_date':
      return row.reason ?? 'output matches the previous render';
    case 'pending':
    case 'rendering':
      return run.status === 'running' ? `still ${row.status}: the run is in progress` : `still ${row.status} when the run ended (${run.status})`;
    case 'rendered':
      return row.reason;
  }
}

/** Run wall time: the caller's `wallMs` total when recorded, else end − start, else the last row's end − start. */
function runWallSeconds(run: RunRecord, rows: readonly RowRecord[]): number | null {
  const recorded = run.extraTotals?.['wallMs'];
  if (typeof recorded === 'number' && Number.isFinite(recorded) && recorded >= 0) return recorded / 1000;
  if (run.endedAt !== null) return (run.endedAt - run.startedAt) / 1000;
  const lastEnd = rows.reduce<number | null>((max, r) => (r.endedAt !== null && (max === null || r.endedAt > max) ? r.endedAt : max), null);
  return lastEnd === null ? null : (lastEnd - run.startedAt) / 1000;
}

/** The run's budget in USD from its recorded options (`budgetUsd`, or `budget` as the CLI flag names it), or null. */
function runBudgetUsd(run: RunRecord): number | null {
  for (const key of ['budgetUsd', 'budget']) {
    const value = run.options[key];
    const usd = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
    if (typeof usd === 'number' && Number.isFinite(usd) && usd > 0) return usd;
  }
  return null;
}

function toProblem(a: AttemptRecord): ReportAttemptProblem {
  return {
    attemptNo: a.attemptNo,
    runId: a.runId,
    provider: a.provider,
    model: a.model,
    status: a.status as ReportProblemStatus,
    code: a.failureCode,
    message: a.message,
    costMicros: a.costUsd === null ? null : usdToMicros(a.costUsd),
  };
}

function providerStats(provider: string, model: string | null, attempts: readonly AttemptRecord[]): ReportProviderStats {
  const count = (status: AttemptRecord['status']) => attempts.filter((a) => a.status === status).length;
  const succeeded = count('succeeded');
  const failed = count('failed');
  const rejected = count('rejected');
  const cancelled = count('cancelled');
  const paidMicros = knownCostMicros(attempts);
  return {
    provider,
    model,
    attempts: attempts.length,
    succeeded,
    failed,
    rejected,
    cancelled,
    unknown: attempts.length - succeeded - failed - rejected - cancelled,
    paidMicros,
    usableClips: succeeded,
    costPerUsableClipMicros: succeeded === 0 ? null : Math.round(paidMicros / succeeded),
    attemptsPerUsableClip: ratio(attempts.length, succeeded),
    failureRate: ratio(failed + rejected, succeeded + failed + rejected),
  };
}

function groupBy<T>(items: Iterable<T>, key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

/**
 * Builds the cost and outcome report of one run from the journal alone (never from logs).
 *
 * **Attribution rules** — how this run's AI spend lands on rows. Money is handled in integer
 * micro-dollars, so every split is exact:
 * 1. The run's spend is its ledger: the known cost of every generation attempt journaled with this
 *    run's id — succeeded, failed, QA-rejected and cancelled attempts alike (each rounded to a
 *    micro-dollar). Attempts whose cost is unknown (abandoned, still open) add nothing and are
 *    counted separately with their list-price estimate.
 * 2. A clip attempted in this run costs the sum of its attempts in this run. It is split equally
 *    among the k rows (row × variant) of this run that use it, so each pays 1/k; the micro-dollars
 *    that do not divide evenly go one each to the first rows in dataset order (largest-remainder
 *    method), so the parts add up to the clip's cost exactly. A row that uses the same clip in
 *    several slots splits its part among those slots the same way.
 * 3. This holds whatever happened to the row: money spent on a clip whose row then failed, was
 *    skipped, or never finished is shown on that row.
 * 4. A clip from the cache (not attempted in this run) costs 0 in this run; its slot shows what
 *    its earlier attempts originally paid (`costScope: 'earlier_runs'`).
 * 5. Spend that cannot be tied to a row of this run — a clip attempted in this run that no journaled
 *    row uses, or a use by a row × variant missing from the run's rows — goes to the explicit
 *    `unattributed` list with the reason. Nothing is dropped: the rows' generation shares plus
 *    `unattributed.totalMicros` equal the ledger total to the micro-dollar (`summary.ledger.balanced`).
 * 6. Render compute is each row's CPU seconds × `computeUsdPerCpuHour` (rounded to a micro-dollar
 *    per row); a row's total is its generation share plus its compute.
 *
 * Savings are measured against generating every slot use separately at list price: a cache hit
 * saved what the clip originally cost (else its list-price estimate); each use served by a clip
 * another slot of the run already asked for saved that clip's list price (dedupe).
 *
 * @example
 * await using journal = openJournal({ file: '.reelwright/journal.db' });
 * const report = buildRunReport({ journal, runId: journal.listRuns({ limit: 1 })[0]!.id });
 * await writeRunReports({ report, dir: 'outputs', baseName: `report-${report.run.id}` });
 * @see writeRunReports
 */
export function buildRunReport(options: BuildRunReportOptions): RunReport {
  const usdPerCpuHour = options.computeUsdPerCpuHour ?? DEFAULT_COMPUTE_USD_PER_CPU_HOUR;
  if (!Number.isFinite(usdPerCpuHour) || usdPerCpuHour < 0) {
    throw new ConfigError(`options.computeUsdPerCpuHour must be a finite number of USD ≥ 0, got ${usdPerCpuHour}. Omit it to use $${DEFAULT_COMPUTE_USD_PER_CPU_HOUR}.`, {
      code: 'RW_REPORT_BAD_OPTION',
    });
  }
  const { journal, runId } = options;
  const run = journal.getRun(runId);
  if (run === null) {
    throw new ReportError(`No run "${runId}" in the journal ${journal.file}. List the runs with \`reelwright runs\`.`, { code: 'RW_REPORT_UNKNOWN_RUN' });
  }

  const rowRecords = journal.listRows(runId);
  const uses = journal.listClipUses(runId);
  const runAttempts = journal.listAttempts({ runId });

  const position = new Map<string, number>(rowRecords.map((r, i) => [toRowId(r), i]));
  const runAttemptsByClip = groupBy(runAttempts, (a) => a.clipId);
  const usesByClip = groupBy(uses, (u) => u.clipId);

  // What each clip's slots show: this run's attempts when it has any, else the earlier runs'.
  const factsByClip = new Map<string, ClipFacts>();
  const clipFacts = (use: ClipUseRecord): ClipFacts => {
    const hit = factsByClip.get(use.clipId);
    if (hit) return hit;
    const inRun = runAttemptsByClip.get(use.clipId);
    const attempts = inRun ?? journal.listAttempts({ clipId: use.clipId }).filter((a) => a.runId !== runId && a.startedAt <= run.startedAt);
    const scope: ReportCostScope = inRun ? 'this_run' : attempts.length > 0 ? 'earlier_runs' : 'none';
    const succeeded = attempts.filter((a) => a.status === 'succeeded').at(-1);
    let provider = succeeded?.provider ?? null;
    let model = succeeded?.model ?? null;
    if (provider === null) {
      const request = journal.getClip(use.clipId)?.request ?? null;
      const last = attempts.at(-1);
      provider = request?.provider ?? last?.provider ?? null;
      model = request?.model ?? last?.model ?? null;
    }
    const priceSource = scope === 'this_run' ? attempts[0] : (succeeded ?? attempts[0]);
    const facts: ClipFacts = {
      scope,
      attempts,
      provider,
      model,
      paidMicros: knownCostMicros(attempts),
      priced: attempts.some((a) => a.costUsd !== null),
      listPriceMicros: priceSource ? usdToMicros(priceSource.estimatedCostUsd) : null,
    };
    factsByClip.set(use.clipId, facts);
    return facts;
  };

  // ── attribution: each clip attempted in this run, split over the rows that use it ──
  const slotShare = new Map<string, Micros>(); // `${rowId}\u0000${slot}` → micros
  const rowsSharing = new Map<string, number>(); // clipId → k
  const unattributedItems: ReportUnattributedItem[] = [];
  const rowOrder = (id: string) => position.get(id) ?? Number.MAX_SAFE_INTEGER;
  for (const [clipId, clipUses] of usesByClip) {
    rowsSharing.set(clipId, new Set(clipUses.map((u) => toRowId(u))).size);
  }
  for (const [clipId, attempts] of runAttemptsByClip) {
    const paid = knownCostMicros(attempts);
    const first = attempts[0] as AttemptRecord;
    const item = (amountMicros: Micros, why: string) => {
      if (amountMicros !== 0) unattributedItems.push({ clipId, provider: first.provider, model: first.model, attempts: attempts.length, amountMicros, why });
    };
    const byRow = groupBy(usesByClip.get(clipId) ?? [], (u) => toRowId(u));
    if (byRow.size === 0) {
      item(paid, 'No row of this run is journaled as using this clip.');
      continue;
    }
    const rowIds = [...byRow.keys()].sort((a, b) => rowOrder(a) - rowOrder(b) || (a < b ? -1 : a > b ? 1 : 0));
    const parts = splitMicros({ totalMicros: paid, weights: rowIds.map(() => 1) });
    rowIds.forEach((rowId, i) => {
      const part = parts[i] as Micros;
      const rowUses = (byRow.get(rowId) as ClipUseRecord[]).sort((a, b) => (a.slot < b.slot ? -1 : a.slot > b.slot ? 1 : 0));
      const use = rowUses[0] as ClipUseRecord;
      if (!position.has(rowId)) {
        item(part, `Used by row "${use.rowKey}" (variant ${use.variant}), which is not among this run's rows.`);
        return;
      }
      const slotParts = splitMicros({ totalMicros: part, weights: rowUses.map(() => 1) });
      rowUses.forEach((u, j) => slotShare.set(`${rowId}\u0000${u.slot}`, slotParts[j] as Micros));
    });
  }

  // ── rows ──
  // An up-to-date row kept the video of an earlier run: link the newest render of it.
  const previousOutput = (r: RowRecord): string | null =>
    run.templateId === null ? null : (journal.getRender({ templateId: run.templateId, rowKey: r.rowKey, variant: r.variant })?.outputPath ?? null);
  const usesByRow = groupBy(uses, (u) => toRowId(u));
  const rows: ReportRow[] = rowRecords.map((r) => {
    const id = toRowId(r);
    const slots: ReportSlot[] = (usesByRow.get(id) ?? [])
      .sort((a, b) => (a.slot < b.slot ? -1 : a.slot > b.slot ? 1 : 0))
      .map((u) => {
        const facts = clipFacts(u);
        return {
          slot: u.slot,
          clipId: u.clipId,
          origin: u.origin,
          provider: facts.provider,
          model: facts.model,
          costScope: facts.scope,
          attempts: facts.attempts.length,
          failedAttempts: facts.attempts.filter((a) => a.status === 'failed').length,
          rejectedAttempts: facts.attempts.filter((a) => a.status === 'rejected').length,
          problems: facts.attempts.filter((a) => a.status !== 'succeeded').map(toProblem),
          paidMicros: facts.paidMicros,
          sharedByRows: rowsSharing.get(u.clipId) ?? 1,
          shareMicros: slotShare.get(`${id}\u0000${u.slot}`) ?? 0,
        };
      });
    const generationMicros = slots.reduce((sum, s) => sum + s.shareMicros, 0);
    // USD/CPU-hour × cpuMs / 3.6e6 ms per hour × 1e6 micros per USD = cpuMs × USD/h / 3.6.
    const computeMicros = r.cpuMs === null ? 0 : Math.round((r.cpuMs * usdPerCpuHour) / 3.6);
    return {
      id,
      rowKey: r.rowKey,
      variant: r.variant,
      rowIndex: r.rowIndex,
      line: r.line,
      status: toReportStatus(r.status),
      reason: rowReason(r, run),
      errorCode: r.status === 'failed' || r.status === 'skipped' ? (r.error?.code ?? null) : null,
      outputPath: r.status === 'rendered' ? r.outputPath : r.status === 'up_to_date' ? (r.outputPath ?? previousOutput(r)) : null,
      outputName: r.outputName,
      slots,
      renderWallSeconds: r.wallMs === null ? null : r.wallMs / 1000,
      renderCpuSeconds: r.cpuMs === null ? null : r.cpuMs / 1000,
      frames: r.frames,
      generationMicros,
      computeMicros,
      totalMicros: generationMicros + computeMicros,
    };
  });

  const summary = summarize({ run, rows, rowRecords, uses, runAttempts, unattributedItems, clipFacts, usdPerCpuHour });
  return {
    reportVersion: 1,
    generatedAt: new Date((options.now ?? Date.now)()).toISOString(),
    run: {
      id: run.id,
      command: run.command,
      status: run.status,
      startedAt: new Date(run.startedAt).toISOString(),
      endedAt: run.endedAt === null ? null : new Date(run.endedAt).toISOString(),
      dataset: run.dataset,
      templateId: run.templateId,
      templateVersion: run.templateVersion,
      error: run.error,
    },
    summary,
    rows,
    unattributed: { totalMicros: summary.spend.unattributedMicros, items: unattributedItems },
  };
}

type SummarizeInput = {
  run: RunRecord;
  rows: readonly ReportRow[];
  rowRecords: readonly RowRecord[];
  uses: readonly ClipUseRecord[];
  runAttempts: readonly AttemptRecord[];
  unattributedItems: readonly ReportUnattributedItem[];
  clipFacts: (use: ClipUseRecord) => ClipFacts;
  usdPerCpuHour: number;
};

function summarize(input: SummarizeInput): ReportSummary {
  const { run, rows, rowRecords, uses, runAttempts, unattributedItems, clipFacts } = input;
  const countRows = (status: ReportRowStatus) => rows.filter((r) => r.status === status).length;
  const rendered = countRows('rendered');

  const ledgerMicros = knownCostMicros(runAttempts);
  const generationShares = rows.reduce((sum, r) => sum + r.generationMicros, 0);
  const computeMicros = rows.reduce((sum, r) => sum + r.computeMicros, 0);
  const rowsMicros = rows.reduce((sum, r) => sum + r.totalMicros, 0);
  const unattributedMicros = unattributedItems.reduce((sum, i) => sum + i.amountMicros, 0);
  const totalMicros = ledgerMicros + computeMicros;
  const unknown = runAttempts.filter((a) => a.costUsd === null);

  const byProviderModel = [...groupBy(runAttempts, (a) => `${a.provider}\u0000${a.model}`).values()]
    .map((group) => providerStats((group[0] as AttemptRecord).provider, (group[0] as AttemptRecord).model, group))
    .sort((a, b) => b.paidMicros - a.paidMicros || a.provider.localeCompare(b.provider) || (a.model ?? '').localeCompare(b.model ?? ''));
  const byProvider = [...groupBy(runAttempts, (a) => a.provider).entries()]
    .map(([provider, group]) => providerStats(provider, null, group))
    .sort((a, b) => b.paidMicros - a.paidMicros || a.provider.localeCompare(b.provider));

  const finished = runAttempts.filter((a) => a.status === 'succeeded' || a.status === 'failed' || a.status === 'rejected').length;
  const failures = runAttempts.filter((a) => a.status === 'failed' || a.status === 'rejected');
  const failuresByCode: ReportFailureStats[] = [...groupBy(failures, (a) => `${a.status}\u0000${a.failureCode ?? '(none)'}`).values()]
    .map((group) => {
      const first = group[0] as AttemptRecord;
      return {
        code: first.failureCode ?? '(none)',
        status: first.status as 'failed' | 'rejected',
        sources: [...new Set(group.map((a) => `${a.provider}/${a.model}`))].sort(),
        count: group.length,
        rate: group.length / finished,
        paidMicros: knownCostMicros(group),
      };
    })
    .sort((a, b) => b.count - a.count || a.code.localeCompare(b.code));

  // Cache and dedupe, over every slot use (free local placeholders too: they are cached and deduped like paid clips, and
  // save $0). A clip is a cache hit when this run did not attempt it and its uses came from the cache: origin `cache`,
  // or a local placeholder (always journaled as `local`) whose attempts are all in earlier runs.
  const usesByClipId = groupBy(uses, (u) => u.clipId);
  let hits = 0;
  let cacheSaved = 0;
  let unpricedHits = 0;
  let dedupeSaved = 0;
  for (const clipUses of usesByClipId.values()) {
    const facts = clipFacts(clipUses[0] as ClipUseRecord);
    dedupeSaved += (clipUses.length - 1) * (facts.listPriceMicros ?? 0);
    if (facts.scope === 'this_run') continue;
    if (!clipUses.some((u) => u.origin === 'cache' || (u.origin === 'local' && facts.scope === 'earlier_runs'))) continue;
    hits++;
    if (facts.priced) cacheSaved += facts.paidMicros;
    else if (facts.listPriceMicros !== null) cacheSaved += facts.listPriceMicros;
    else unpricedHits++;
  }

  const budgetUsd = runBudgetUsd(run);
  const wallSeconds = runWallSeconds(run, rowRecords);
  const frames = rows.reduce((sum, r) => sum + (r.status === 'rendered' ? (r.frames ?? 0) : 0), 0);
  return {
    rows: {
      total: rows.length,
      rendered,
      failed: countRows('failed'),
      skipped: countRows('skipped'),
      upToDate: countRows('up_to_date'),
      unfinished: countRows('unfinished'),
    },
    spend: { generationMicros: ledgerMicros, computeMicros, totalMicros, rowsMicros, unattributedMicros },
    ledger: {
      totalMicros: ledgerMicros,
      recordedTotalMicros: run.totals === null ? null : usdToMicros(run.totals.clipCostUsd),
      balanced: generationShares + unattributedMicros === ledgerMicros,
      attempts: runAttempts.length,
      unknownCostAttempts: unknown.length,
      unknownCostEstimateMicros: unknown.reduce((sum, a) => sum + usdToMicros(a.estimatedCostUsd), 0),
    },
    costPerFinishedVideoMicros: rendered === 0 ? null : Math.round(totalMicros / rendered),
    byProviderModel,
    byProvider,
    failuresByCode,
    cache: { distinctClips: usesByClipId.size, hits, hitRate: ratio(hits, usesByClipId.size), savedMicros: cacheSaved, unpricedHits },
    dedupe: {
      uses: uses.length,
      distinctClips: usesByClipId.size,
      dedupedUses: uses.length - usesByClipId.size,
      rate: ratio(uses.length - usesByClipId.size, uses.length),
      savedMicros: dedupeSaved,
    },
    budget: budgetUsd === null ? null : { limitMicros: usdToMicros(budgetUsd), usedMicros: ledgerMicros, usedFraction: ledgerMicros / usdToMicros(budgetUsd) },
    time: {
      wallSeconds,
      renderWallSeconds: rowRecords.reduce((sum, r) => sum + (r.wallMs ?? 0), 0) / 1000,
      renderCpuSeconds: rowRecords.reduce((sum, r) => sum + (r.cpuMs ?? 0), 0) / 1000,
      frames,
      effectiveFps: wallSeconds === null || wallSeconds <= 0 ? null : frames / wallSeconds,
    },
    computeUsdPerCpuHour: input.usdPerCpuHour,
  };
}
