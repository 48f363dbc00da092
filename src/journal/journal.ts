import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Database, RunResult, Statement } from 'better-sqlite3';
import type { AttemptOutcome, AttemptStart, ClipId, ClipLedger, ClipRequest, FailureKind, InflightAttempt, InputRefusal } from '../clips/index.js';
import { assertNever } from '../errors/index.js';
import { JournalError } from './journal-error.js';
import type { SqlFile } from './load-sql-files.js';
import { scrubSecrets, scrubText } from './scrub-secrets.js';
import type {
  AttemptRecord,
  AttemptStatus,
  BeginRunOptions,
  ClipRecord,
  ClipStatus,
  ClipUseRecord,
  FinishRunOptions,
  ListAttemptsOptions,
  MarkRowFailedOptions,
  MarkRowRenderedOptions,
  RecordClipRequestsOptions,
  RecordClipUsesOptions,
  RecordPlannedRowsOptions,
  RecordSkippedRowOptions,
  RelocateRunDatasetOptions,
  OutputFileRecord,
  RenderHashRecord,
  RenderRecord,
  RowRecord,
  RowRef,
  RowStatus,
  RunRecord,
  RunStatus,
} from './types.js';

/** What `Journal` needs besides the open connection (built by `openJournal`). */
export type JournalInit = {
  db: Database;
  file: string;
  /** Parsed `journal/sql/*.sql`, by transition name. */
  sql: ReadonlyMap<string, SqlFile>;
  /** Clock in ms since the epoch. */
  now: () => number;
  /** Literal secret values to cut out of every text written. */
  secretValues: readonly string[];
};

type Params = Record<string, string | number | bigint | null>;

type RunRow = {
  id: string;
  started_at: number;
  ended_at: number | null;
  command: string;
  dataset: string | null;
  template_id: string | null;
  template_version: string | null;
  bundle_hash: string | null;
  options_json: string;
  status: RunStatus;
  pid: number | null;
  host: string | null;
  error_code: string | null;
  error_message: string | null;
  rows_total: number | null;
  rows_rendered: number | null;
  rows_failed: number | null;
  rows_skipped: number | null;
  rows_up_to_date: number | null;
  attempts_total: number | null;
  clip_cost_usd: number | null;
  totals_json: string | null;
};

type AttemptRow = {
  id: number;
  clip_id: string;
  run_id: string | null;
  provider: string;
  model: string;
  prompt_hash: string;
  attempt_no: number;
  seed: number | null;
  task_id: string | null;
  status: AttemptStatus;
  failure_code: string | null;
  failure_kind: FailureKind | null;
  message: string | null;
  retryable: number | null;
  cost_usd: number | null;
  cost_source: string | null;
  estimated_cost_usd: number;
  provider_estimated_cost_usd: number | null;
  file: string | null;
  file_hash: string | null;
  started_at: number;
  submitted_at: number | null;
  ended_at: number | null;
};

type RowRow = {
  run_id: string;
  row_key: string;
  variant: string;
  row_index: number | null;
  line: number | null;
  row_hash: string | null;
  output_name: string | null;
  manifest_hash: string | null;
  status: RowStatus;
  reason: string | null;
  error_code: string | null;
  error_message: string | null;
  output_path: string | null;
  wall_ms: number | null;
  cpu_ms: number | null;
  frames: number | null;
  planned_at: number;
  started_at: number | null;
  ended_at: number | null;
};

type RenderRow = {
  template_id: string;
  row_key: string;
  variant: string;
  run_id: string | null;
  manifest_hash: string;
  manifest_json: string;
  output_path: string;
  rendered_at: number;
  output_bytes: number | null;
  output_mtime_ms: number | null;
};

type RefusalRow = {
  id: number;
  clip_id: string;
  run_id: string | null;
  provider: string;
  model: string;
  failure_code: string | null;
  message: string | null;
  ended_at: number | null;
  run_started_at: number | null;
};

function toInputRefusal(row: RefusalRow): InputRefusal {
  return {
    clipId: row.clip_id as ClipId,
    attemptId: row.id,
    runId: row.run_id,
    runStartedAt: row.run_started_at,
    provider: row.provider,
    model: row.model,
    failureCode: row.failure_code,
    message: row.message ?? 'no reason given',
    refusedAt: row.ended_at ?? row.run_started_at ?? 0,
  };
}

type ClipRow = { clip_id: string; request_json: string | null; status: ClipStatus; created_at: number; updated_at: number };

type ClipUseRow = { run_id: string; row_key: string; variant: string; slot: string; clip_id: string; origin: ClipUseRecord['origin'] };

function toRowRecord(row: RowRow): RowRecord {
  return {
    runId: row.run_id,
    rowKey: row.row_key,
    variant: row.variant,
    rowIndex: row.row_index,
    line: row.line,
    rowHash: row.row_hash,
    outputName: row.output_name,
    manifestHash: row.manifest_hash,
    status: row.status,
    reason: row.reason,
    error: row.error_code === null ? null : { code: row.error_code, message: row.error_message ?? '' },
    outputPath: row.output_path,
    wallMs: row.wall_ms,
    cpuMs: row.cpu_ms,
    frames: row.frames,
    plannedAt: row.planned_at,
    startedAt: row.started_at,
    endedAt: row.ended_at,
  };
}

function toRenderRecord(row: RenderRow): RenderRecord {
  return {
    templateId: row.template_id,
    rowKey: row.row_key,
    variant: row.variant,
    runId: row.run_id,
    manifestHash: row.manifest_hash,
    manifest: JSON.parse(row.manifest_json) as unknown,
    outputPath: row.output_path,
    renderedAt: row.rendered_at,
    outputFile: toOutputFile(row),
  };
}

function toOutputFile(row: Pick<RenderRow, 'output_bytes' | 'output_mtime_ms'>): OutputFileRecord | null {
  return row.output_bytes === null || row.output_mtime_ms === null ? null : { bytes: row.output_bytes, mtimeMs: row.output_mtime_ms };
}

function toRunRecord(row: RunRow): RunRecord {
  return {
    id: row.id,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    command: row.command,
    dataset: row.dataset,
    templateId: row.template_id,
    templateVersion: row.template_version,
    bundleHash: row.bundle_hash,
    options: JSON.parse(row.options_json) as Record<string, unknown>,
    status: row.status,
    pid: row.pid,
    host: row.host,
    error: row.error_code === null ? null : { code: row.error_code, message: row.error_message ?? '' },
    totals:
      row.attempts_total === null
        ? null
        : {
            rows: row.rows_total ?? 0,
            rendered: row.rows_rendered ?? 0,
            failed: row.rows_failed ?? 0,
            skipped: row.rows_skipped ?? 0,
            upToDate: row.rows_up_to_date ?? 0,
            attempts: row.attempts_total,
            clipCostUsd: row.clip_cost_usd ?? 0,
          },
    extraTotals: row.totals_json === null ? null : (JSON.parse(row.totals_json) as Record<string, unknown>),
  };
}

function toAttemptRecord(row: AttemptRow): AttemptRecord {
  return {
    id: row.id,
    clipId: row.clip_id as ClipId,
    runId: row.run_id,
    provider: row.provider,
    model: row.model,
    promptHash: row.prompt_hash,
    attemptNo: row.attempt_no,
    seed: row.seed,
    taskId: row.task_id,
    status: row.status,
    failureCode: row.failure_code,
    failureKind: row.failure_kind ?? null,
    message: row.message,
    retryable: row.retryable === null ? null : row.retryable === 1,
    costUsd: row.cost_usd,
    costSource: row.cost_source,
    estimatedCostUsd: row.estimated_cost_usd,
    providerEstimatedCostUsd: row.provider_estimated_cost_usd,
    file: row.file,
    fileHash: row.file_hash,
    startedAt: row.started_at,
    submittedAt: row.submitted_at,
    endedAt: row.ended_at,
  };
}

function isForeignKeyError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'SQLITE_CONSTRAINT_FOREIGNKEY';
}

/**
 * The project's SQLite journal: runs, rows, clip requests, paid generation attempts, renders and
 * clip uses. Every transition is one method, one immediate transaction, and one
 * `journal/sql/<transition>.sql` file. Only the run-lock holder writes; workers return results
 * to it. Implements `ClipLedger` for the clip stage. Open it with `openJournal`.
 *
 * @see openJournal
 */
export class Journal implements ClipLedger {
  /** Path of the database file. */
  readonly file: string;
  #db: Database | null;
  readonly #sql: ReadonlyMap<string, SqlFile>;
  readonly #prepared = new Map<string, Statement[]>();
  readonly #now: () => number;
  readonly #secrets: readonly string[];

  /** @internal Use `openJournal`. */
  constructor(init: JournalInit) {
    this.file = init.file;
    this.#db = init.db;
    this.#sql = init.sql;
    this.#now = init.now;
    this.#secrets = init.secretValues;
  }

  /** The schema version (`PRAGMA user_version`). */
  get schemaVersion(): number {
    return this.#open().pragma('user_version', { simple: true }) as number;
  }

  /** The SQLite journal mode (`wal` once opened by `openJournal`). */
  get journalMode(): string {
    return String(this.#open().pragma('journal_mode', { simple: true }));
  }

  // ── runs ────────────────────────────────────────────────────────────────

  /**
   * Records the start of a run (call it while holding the run lock). Any other run still marked
   * `running` belongs to a dead process and becomes `interrupted`. Options are stored with every
   * key matching /key|secret|token/i redacted.
   */
  beginRun(options: BeginRunOptions): RunRecord {
    const now = this.#now();
    const stamp = new Date(now).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
    // Short ids people can type; two runs in the same second pick their suffixes until one is free (1 in 65,536 clash).
    let id = options.runId ?? `${stamp}-${randomBytes(2).toString('hex')}`;
    while (options.runId === undefined && this.getRun(id) !== null) id = `${stamp}-${randomBytes(2).toString('hex')}`;
    this.#transaction(() =>
      this.#run('begin-run', {
        id,
        started_at: now,
        command: this.#scrub(options.command),
        dataset: options.dataset ?? null,
        template_id: options.templateId ?? null,
        template_version: options.templateVersion ?? null,
        bundle_hash: options.bundleHash ?? null,
        options_json: JSON.stringify(scrubSecrets({ value: options.options ?? {}, secretValues: this.#secrets })),
        pid: process.pid,
        host: hostname(),
      }),
    );
    return this.getRun(id) as RunRecord;
  }

  /** Records how a run ended and computes its totals from the journal. The run must be `running`. */
  finishRun(options: FinishRunOptions): RunRecord {
    this.#transaction(() => {
      const [result] = this.#run('finish-run', {
        id: options.runId,
        status: options.status,
        ended_at: this.#now(),
        error_code: options.error?.code ?? null,
        error_message: options.error ? this.#scrub(options.error.message) : null,
        totals_json: options.extraTotals ? JSON.stringify(scrubSecrets({ value: options.extraTotals, secretValues: this.#secrets })) : null,
      });
      if (result?.changes !== 1) {
        const run = this.getRun(options.runId);
        throw new JournalError(
          run === null
            ? `finishRun: no run "${options.runId}" in ${this.file}. Start it with beginRun first.`
            : `finishRun: run "${options.runId}" is already "${run.status}", not "running"; a run finishes once.`,
          { code: run === null ? 'RW_JOURNAL_UNKNOWN_RUN' : 'RW_JOURNAL_BAD_TRANSITION' },
        );
      }
    });
    return this.getRun(options.runId) as RunRecord;
  }

  /**
   * Points every run whose dataset is `from` at `to`, after the file was moved (`reelwright watch` files a dataset
   * from `processing/` into `done/` or `failed/` once its run ended), so that `reproduce` reads it from where it is.
   * Idempotent. Returns how many runs changed.
   */
  relocateRunDataset(options: RelocateRunDatasetOptions): number {
    return this.#transaction(() => this.#run('relocate-run-dataset', { from: options.from, to: options.to })[0]?.changes ?? 0);
  }

  /** One run by id, or null. */
  getRun(runId: string): RunRecord | null {
    const row = this.#query('get-run').get({ id: runId }) as RunRow | undefined;
    return row ? toRunRecord(row) : null;
  }

  /** Runs, newest first (at most `limit`, 100 by default). */
  listRuns(options: { limit?: number } = {}): RunRecord[] {
    return (this.#query('list-runs').all({ limit: options.limit ?? 100 }) as RunRow[]).map(toRunRecord);
  }

  // ── the clip ledger ─────────────────────────────────────────────────────

  /** Journals an attempt about to be submitted (before the paid create call); returns its id. */
  beginAttempt(start: AttemptStart): number {
    return this.#transaction(() => {
      try {
        const results = this.#run('begin-attempt', {
          clip_id: start.clipId,
          run_id: start.runId,
          provider: start.provider,
          model: start.model,
          prompt_hash: start.promptHash,
          attempt_no: start.attemptNo,
          seed: start.seed,
          estimated_cost_usd: start.estimatedCostUsd,
          now: this.#now(),
        });
        return Number(results.at(-1)?.lastInsertRowid);
      } catch (error) {
        if (isForeignKeyError(error)) {
          throw new JournalError(`beginAttempt for clip ${start.clipId}: run "${start.runId}" is not in ${this.file}. Call beginRun first, or pass runId: null.`, {
            code: 'RW_JOURNAL_UNKNOWN_RUN',
            cause: error,
          });
        }
        throw error;
      }
    });
  }

  /** Journals the provider's task id right after the create call returned. The attempt must be `started`. */
  recordTaskId(attemptId: number, taskId: string, estimatedCostUsd: number | null): void {
    this.#transaction(() => {
      const [result] = this.#run('record-task-id', {
        attempt_id: attemptId,
        task_id: taskId,
        provider_estimated_cost_usd: estimatedCostUsd,
        now: this.#now(),
      });
      if (result?.changes !== 1) this.#badAttemptTransition('recordTaskId', attemptId, 'started');
    });
  }

  /** Journals how an attempt ended, with what it cost. The attempt must be `started` or `submitted`. */
  finishAttempt(attemptId: number, outcome: AttemptOutcome): void {
    const base = { attempt_id: attemptId, status: outcome.status, cost_usd: outcome.costUsd, cost_source: outcome.costSource, now: this.#now() };
    let params: Params;
    switch (outcome.status) {
      case 'succeeded':
        params = { ...base, failure_code: null, failure_kind: null, message: null, retryable: null, file: outcome.file, file_hash: outcome.fileHash };
        break;
      case 'failed':
        params = {
          ...base,
          failure_code: outcome.failureCode,
          failure_kind: outcome.failureKind ?? null,
          message: this.#scrub(outcome.message),
          retryable: outcome.retryable ? 1 : 0,
          file: null,
          file_hash: null,
        };
        break;
      case 'rejected':
        params = { ...base, failure_code: outcome.failureCode, failure_kind: null, message: this.#scrub(outcome.message), retryable: null, file: null, file_hash: null };
        break;
      case 'cancelled':
        params = { ...base, failure_code: null, failure_kind: null, message: null, retryable: null, file: null, file_hash: null };
        break;
      default:
        assertNever(outcome, 'attempt outcome');
    }
    this.#transaction(() => {
      const [result] = this.#run('finish-attempt', params);
      if (result?.changes !== 1) this.#badAttemptTransition('finishAttempt', attemptId, 'started or submitted');
    });
  }

  /** The newest attempt for this clip that has a task id but no outcome, or null. */
  findInflightAttempt(clipId: ClipId): InflightAttempt | null {
    const row = this.#query('find-inflight-attempt').get({ clip_id: clipId }) as
      | { id: number; task_id: string; provider: string; model: string; seed: number | null; attempt_no: number }
      | undefined;
    if (!row) return null;
    return { attemptId: row.id, taskId: row.task_id, provider: row.provider, model: row.model, seed: row.seed, attemptNo: row.attempt_no };
  }

  /** Marks attempts begun without a task id (killed between journaling and the create call's answer) `abandoned`. */
  abandonUnsubmittedAttempts(clipId: ClipId): void {
    this.#transaction(() =>
      this.#run('abandon-unsubmitted-attempts', {
        clip_id: clipId,
        now: this.#now(),
        message: 'The process stopped after journaling this attempt and before the provider returned a task id; the provider may have billed it.',
      }),
    );
  }

  /**
   * The input-moderation refusal that still stands for a clip, or null: its newest answered attempt
   * (not `started` or `abandoned`) failed with kind `moderation_input`. A later attempt that got an
   * answer — a `--retry-refused` success, or a task the provider accepted — lifts it.
   */
  findInputRefusal(clipId: ClipId): InputRefusal | null {
    const row = this.#query('find-input-refusal').get({ clip_id: clipId }) as RefusalRow | undefined;
    return row ? toInputRefusal(row) : null;
  }

  /** Every clip whose input-moderation refusal still stands (see `findInputRefusal`), oldest first: one query for a whole plan. */
  listInputRefusals(): InputRefusal[] {
    return (this.#query('list-input-refusals').all() as RefusalRow[]).map(toInputRefusal);
  }

  /** One attempt by id, or null. */
  getAttempt(attemptId: number): AttemptRecord | null {
    const row = this.#query('get-attempt').get({ attempt_id: attemptId }) as AttemptRow | undefined;
    return row ? toAttemptRecord(row) : null;
  }

  /** Attempts, oldest first, filtered by run and/or clip. */
  listAttempts(options: ListAttemptsOptions = {}): AttemptRecord[] {
    return (this.#query('list-attempts').all({ run_id: options.runId ?? null, clip_id: options.clipId ?? null }) as AttemptRow[]).map(toAttemptRecord);
  }


  // ── rows, renders, clip uses ────────────────────────────────────────────

  /**
   * Records a run's planned jobs in one transaction (100,000 rows take well under a second).
   * Jobs to render start `pending`; up-to-date ones are recorded as `up_to_date`. Returns the count.
   */
  recordPlannedRows(options: RecordPlannedRowsOptions): number {
    return this.#transaction(() => {
      this.#requireRun('recordPlannedRows', options.runId);
      const now = this.#now();
      let count = 0;
      for (const job of options.jobs) {
        this.#run('record-planned-rows', {
          run_id: options.runId,
          row_key: job.rowKey,
          variant: job.variant,
          row_index: job.rowIndex,
          line: job.line,
          row_hash: job.rowHash,
          output_name: job.outputName,
          manifest_hash: job.manifestHash,
          status: job.status === 'render' ? 'pending' : 'up_to_date',
          reason: job.reason,
          now,
        });
        count++;
      }
      return count;
    });
  }

  /** Records a row that will not be rendered (invalid, or refused by the planner), with why. */
  recordSkippedRow(options: RecordSkippedRowOptions): void {
    this.#transaction(() => {
      this.#requireRun('recordSkippedRow', options.runId);
      this.#run('record-skipped-row', {
        run_id: options.runId,
        row_key: options.rowKey,
        variant: options.variant ?? '*',
        row_index: options.rowIndex ?? null,
        line: options.line ?? null,
        error_code: options.error.code,
        error_message: this.#scrub(options.error.message),
        now: this.#now(),
      });
    });
  }

  /** A render job was handed to a worker. The row must be `pending` (or `failed`, when retried). */
  markRowRendering(ref: RowRef): void {
    this.#transaction(() => {
      const [result] = this.#run('mark-row-rendering', { run_id: ref.runId, row_key: ref.rowKey, variant: ref.variant, now: this.#now() });
      if (result?.changes !== 1) this.#badRowTransition('markRowRendering', ref, 'pending or failed');
    });
  }

  /**
   * A video is finished under its final name: the row becomes `rendered` and its manifest becomes
   * the newest render of (template, row, variant), in one transaction. The row must be `rendering`.
   */
  markRowRendered(options: MarkRowRenderedOptions): void {
    this.#transaction(() => {
      const [result] = this.#run('mark-row-rendered', {
        run_id: options.runId,
        row_key: options.rowKey,
        variant: options.variant,
        template_id: options.templateId,
        output_path: options.outputPath,
        manifest_hash: options.manifestHash,
        manifest_json: JSON.stringify(options.manifest),
        wall_ms: Math.round(options.wallMs),
        cpu_ms: options.cpuMs === null ? null : Math.round(options.cpuMs),
        frames: options.frames,
        output_bytes: options.outputFile?.bytes ?? null,
        output_mtime_ms: options.outputFile ? Math.trunc(options.outputFile.mtimeMs) : null,
        now: this.#now(),
      });
      if (result?.changes !== 1) this.#badRowTransition('markRowRendered', options, 'rendering');
    });
  }

  /** A row could not be rendered; the batch goes on. The row must be `pending` or `rendering`. */
  markRowFailed(options: MarkRowFailedOptions): void {
    this.#transaction(() => {
      const [result] = this.#run('mark-row-failed', {
        run_id: options.runId,
        row_key: options.rowKey,
        variant: options.variant,
        error_code: options.error.code,
        error_message: this.#scrub(options.error.message),
        wall_ms: options.wallMs == null ? null : Math.round(options.wallMs),
        cpu_ms: options.cpuMs == null ? null : Math.round(options.cpuMs),
        now: this.#now(),
      });
      if (result?.changes !== 1) this.#badRowTransition('markRowFailed', options, 'pending or rendering');
    });
  }

  /** One row × variant of a run, or null. */
  getRow(ref: RowRef): RowRecord | null {
    const row = this.#query('get-row').get({ run_id: ref.runId, row_key: ref.rowKey, variant: ref.variant }) as RowRow | undefined;
    return row ? toRowRecord(row) : null;
  }

  /** The rows of a run in dataset order (iterated lazily: a 100,000-row run is not loaded at once). */
  *iterateRows(runId: string): IterableIterator<RowRecord> {
    for (const row of this.#query('list-rows').iterate({ run_id: runId }) as IterableIterator<RowRow>) yield toRowRecord(row);
  }

  /** The rows of a run in dataset order. */
  listRows(runId: string): RowRecord[] {
    return [...this.iterateRows(runId)];
  }

  /** The newest finished render of (template, row, variant), or null: the planner's `previousOutputs`. */
  getRender(options: { templateId: string; rowKey: string; variant: string }): RenderRecord | null {
    const row = this.#query('get-render').get({ template_id: options.templateId, row_key: options.rowKey, variant: options.variant }) as RenderRow | undefined;
    return row ? toRenderRecord(row) : null;
  }

  /** Every newest render of a template (iterated lazily). */
  *iterateRenders(templateId: string): IterableIterator<RenderRecord> {
    for (const row of this.#query('list-renders').iterate({ template_id: templateId }) as IterableIterator<RenderRow>) yield toRenderRecord(row);
  }

  /**
   * The manifest hash, output path and recorded output file facts of every newest render of a template, without the
   * manifests (iterated lazily, in no particular order): the planner's `previousOutputs` in one query, where `getRender`
   * per job costs one query each.
   */
  *iterateRenderHashes(templateId: string): IterableIterator<RenderHashRecord> {
    const rows = this.#query('list-render-hashes').iterate({ template_id: templateId }) as IterableIterator<
      Pick<RenderRow, 'row_key' | 'variant' | 'manifest_hash' | 'output_path' | 'output_bytes' | 'output_mtime_ms'>
    >;
    for (const row of rows) yield { rowKey: row.row_key, variant: row.variant, manifestHash: row.manifest_hash, outputPath: row.output_path, outputFile: toOutputFile(row) };
  }

  /** Stores each planned clip's normalized request (one transaction). */
  recordClipRequests(options: RecordClipRequestsOptions): void {
    this.#transaction(() => {
      const now = this.#now();
      for (const clip of options.clips) this.#run('record-clip-requests', { clip_id: clip.clipId, request_json: JSON.stringify(clip.request), now });
    });
  }

  /** One clip's request and status, or null. */
  getClip(clipId: ClipId): ClipRecord | null {
    const row = this.#query('get-clip').get({ clip_id: clipId }) as ClipRow | undefined;
    if (!row) return null;
    return {
      clipId: row.clip_id as ClipId,
      request: row.request_json === null ? null : (JSON.parse(row.request_json) as ClipRequest),
      status: row.status,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }

  /** Records which clip each (row, variant, slot) used and where it came from (one transaction). */
  recordClipUses(options: RecordClipUsesOptions): void {
    this.#transaction(() => {
      this.#requireRun('recordClipUses', options.runId);
      const now = this.#now();
      for (const use of options.uses) {
        this.#run('record-clip-uses', { run_id: options.runId, row_key: use.rowKey, variant: use.variant, slot: use.slot, clip_id: use.clipId, origin: use.origin, now });
      }
    });
  }

  /** The clip uses of a run. */
  listClipUses(runId: string): ClipUseRecord[] {
    return (this.#query('list-clip-uses').all({ run_id: runId }) as ClipUseRow[]).map((u) => ({
      runId: u.run_id,
      rowKey: u.row_key,
      variant: u.variant,
      slot: u.slot,
      clipId: u.clip_id as ClipId,
      origin: u.origin,
    }));
  }

  /**
   * Clips referenced by an unfinished run (running, or interrupted and not yet followed by a
   * completed run of the same template and dataset): pass them to `ClipCache.prune({ protect })`.
   */
  listProtectedClipIds(): Set<ClipId> {
    return new Set((this.#query('list-protected-clip-ids').pluck().all() as string[]).map((id) => id as ClipId));
  }

  // ── lifetime ────────────────────────────────────────────────────────────

  /** Closes the connection (checkpointing the WAL). Safe to call twice. */
  close(): void {
    if (this.#db === null) return;
    this.#db.close();
    this.#db = null;
    this.#prepared.clear();
  }

  /** Same as `close()`, for `await using`. */
  async [Symbol.asyncDispose](): Promise<void> {
    this.close();
  }

  // ── internals ───────────────────────────────────────────────────────────

  #open(): Database {
    if (this.#db === null) throw new JournalError(`The journal ${this.file} is closed.`, { code: 'RW_JOURNAL_CLOSED' });
    return this.#db;
  }

  #scrub(text: string): string {
    return scrubText(text, this.#secrets);
  }

  #statements(name: string): Statement[] {
    const hit = this.#prepared.get(name);
    if (hit) return hit;
    const file = this.#sql.get(name);
    if (!file) throw new JournalError(`journal/sql/${name}.sql is missing.`, { code: 'RW_JOURNAL_SQL_HEADER' });
    const db = this.#open();
    const statements = file.statements.map((s) => db.prepare(s));
    this.#prepared.set(name, statements);
    return statements;
  }

  /** The single statement of a query file. */
  #query(name: string): Statement {
    return this.#statements(name)[0] as Statement;
  }

  /** Runs every statement of a transition file, in order; call inside `#transaction`. */
  #run(name: string, params: Params): RunResult[] {
    return this.#statements(name).map((s) => s.run(params));
  }

  #transaction<T>(fn: () => T): T {
    // IMMEDIATE takes the write lock up front, so a transaction never fails half-way on upgrade.
    return this.#open().transaction(fn).immediate();
  }

  #requireRun(transition: string, runId: string): void {
    if (this.#query('get-run').get({ id: runId }) === undefined) {
      throw new JournalError(`${transition}: no run "${runId}" in ${this.file}. Start it with beginRun first.`, { code: 'RW_JOURNAL_UNKNOWN_RUN' });
    }
  }

  #badRowTransition(transition: string, ref: RowRef, expected: string): never {
    const row = this.getRow(ref);
    throw new JournalError(
      row === null
        ? `${transition}: run "${ref.runId}" has no row "${ref.rowKey}" (variant ${ref.variant}). Record it with recordPlannedRows first.`
        : `${transition}: row "${ref.rowKey}" (variant ${ref.variant}) of run "${ref.runId}" is "${row.status}", expected ${expected}.`,
      { code: row === null ? 'RW_JOURNAL_UNKNOWN_ROW' : 'RW_JOURNAL_BAD_TRANSITION' },
    );
  }

  #badAttemptTransition(transition: string, attemptId: number, expected: string): never {
    const attempt = this.getAttempt(attemptId);
    throw new JournalError(
      attempt === null
        ? `${transition}: no attempt ${attemptId} in ${this.file}. Use the id beginAttempt returned.`
        : `${transition}: attempt ${attemptId} (clip ${attempt.clipId}) is "${attempt.status}", expected ${expected}.`,
      { code: attempt === null ? 'RW_JOURNAL_UNKNOWN_ATTEMPT' : 'RW_JOURNAL_BAD_TRANSITION' },
    );
  }
}
