import { Cron } from 'croner';
import { CancelledError, ConfigError, throwIfAborted, toErrorRecord } from '../errors/index.js';
import { log } from '../log/index.js';
import type { LogLevel, LogOptions, OnLog } from '../log/index.js';
import type { RunSummary } from '../run/index.js';
import { formatSummaryLine } from './format-summary-line.js';

/** Shown in `RW_BAD_CRON` messages. */
const CRON_HELP =
  'Use five fields "minute hour day-of-month month day-of-week" (e.g. "0 2 * * *" for 02:00 every night, ' +
  '"*/15 * * * *" for every 15 minutes), or six with seconds first (e.g. "*/30 * * * * *").';

/** Runs one batch; must stop soon after `signal` fires. */
export type ScheduledRun = (signal: AbortSignal) => Promise<RunSummary>;

/** Receives each finished run's summary (for `--notify` / `--on-complete`); awaited before the next run can start. */
export type OnScheduledSummary = (summary: RunSummary) => void | Promise<void>;

/** Options for `runOnSchedule`. */
export type RunOnScheduleOptions = {
  /** Cron expression: 5 fields, or 6 with seconds first. Nicknames such as `@daily` work too. */
  cron: string;
  /** Runs one batch (the CLI passes `(signal) => runBatch({ …, signal })`). */
  run: ScheduledRun;
  /** Stops the schedule: no further runs, and the running one is cancelled through its signal. */
  signal?: AbortSignal | null;
  /** IANA time zone the expression is read in, e.g. `Europe/Berlin`; defaults to the machine's zone. */
  timezone?: string | null;
  /** Level of the scheduler's log lines (summary lines are `info`, skips `warn`). Default `info`. */
  logLevel?: LogLevel;
  /** Takes over logging. */
  onLog?: OnLog | null;
  /** Receives each run's summary after its line is logged. Errors it throws are logged, never fatal. */
  onSummary?: OnScheduledSummary | null;
};

/** A running schedule. */
export type ScheduleHandle = {
  /** The expression, as given. */
  readonly cron: string;
  /** When the next run is due, or null once stopped. */
  nextRun(): Date | null;
  /** Whether a run is going on right now. */
  isRunning(): boolean;
  /** Resolves once the schedule has stopped (`stop()` or the signal) and the last run has settled. Never rejects. */
  readonly done: Promise<void>;
  /** Stops scheduling, cancels the running run through its signal, and waits for it to settle. Safe to call twice. */
  stop(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
};

function validateTimezone(timezone: string): void {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
  } catch (error) {
    throw new ConfigError(`Unknown time zone ${JSON.stringify(timezone)}. Use an IANA name such as "Europe/Berlin" or "UTC".`, {
      code: 'RW_BAD_TIMEZONE',
      cause: error,
    });
  }
}

/** Parses the expression once, without scheduling anything; throws `RW_BAD_CRON` with the expression and an example. */
function checkCron(cron: string, timezone: string | null): Date {
  if (typeof cron !== 'string' || cron.trim().length === 0) {
    throw new ConfigError(`The cron expression is empty. ${CRON_HELP}`, { code: 'RW_BAD_CRON' });
  }
  let next: Date | null;
  try {
    const probe = new Cron(cron, { paused: true, ...(timezone ? { timezone } : {}) });
    next = probe.nextRun();
    probe.stop();
  } catch (error) {
    throw new ConfigError(`Invalid cron expression ${JSON.stringify(cron)}: ${(error as Error).message} ${CRON_HELP}`, { code: 'RW_BAD_CRON', cause: error });
  }
  if (!next) throw new ConfigError(`The cron expression ${JSON.stringify(cron)} never matches a future time (e.g. 30 February). ${CRON_HELP}`, { code: 'RW_BAD_CRON' });
  return next;
}

/**
 * Runs a batch on a cron schedule in the foreground (`reelwright schedule "<cron>" render …`), never overlapping
 * itself: a tick that comes while the previous run is still going is skipped and logged as
 * `skipped: previous run still going`. Each run's one-line summary (`formatSummaryLine`) is logged at `info`. A run
 * that throws is logged and the schedule goes on. The run lock (`RW_RUN_LOCKED`) still guards against *other*
 * processes; this only keeps one scheduler from stacking runs.
 *
 * The expression is checked before anything is scheduled.
 *
 * @throws ConfigError `RW_BAD_CRON` (unparsable, or never matches), `RW_BAD_TIMEZONE`, `RW_INVALID_OPTION`;
 *   `CancelledError` when `signal` has already fired.
 * @example
 * const schedule = runOnSchedule({ cron: '0 2 * * *', signal, run: (signal) => runBatch({ ...options, signal }) });
 * await schedule.done; // after Ctrl-C
 * @see formatSummaryLine
 */
export function runOnSchedule(options: RunOnScheduleOptions): ScheduleHandle {
  if (typeof options.run !== 'function') {
    throw new ConfigError('runOnSchedule: options.run must be a function (signal) => Promise<RunSummary>.', { code: 'RW_INVALID_OPTION' });
  }
  const timezone = options.timezone ?? null;
  if (timezone !== null) validateTimezone(timezone);
  const firstRun = checkCron(options.cron, timezone);
  const signal = options.signal ?? null;
  throwIfAborted(signal);
  const logOptions: LogOptions = { logLevel: options.logLevel ?? 'info', tag: 'runOnSchedule()', onLog: options.onLog ?? null };

  let stopping = false;
  let current: { controller: AbortController; startedAt: Date; settled: Promise<void> } | null = null;
  let resolveDone: () => void = () => {};
  const done = new Promise<void>((resolve) => {
    resolveDone = resolve;
  });

  const runOnce = async (controller: AbortController): Promise<void> => {
    log.verbose(logOptions, 'run started');
    try {
      const summary = await options.run(controller.signal);
      log.info(logOptions, formatSummaryLine(summary));
      if (options.onSummary) {
        try {
          await options.onSummary(summary);
        } catch (error) {
          log.error(logOptions, 'onSummary failed (the run itself is unaffected):', error);
        }
      }
    } catch (error) {
      if (controller.signal.aborted) {
        log.info(logOptions, 'run cancelled: the schedule was stopped; the next run resumes it');
      } else {
        const record = toErrorRecord(error);
        log.error(logOptions, `run failed: ${record.code}: ${record.message}`);
      }
    }
  };

  const job = new Cron(
    options.cron,
    {
      ...(timezone ? { timezone } : {}),
      // croner skips a tick while the previous call's promise is pending, and calls this instead.
      protect: () => {
        const since = current ? ` (started ${current.startedAt.toISOString()})` : '';
        log.warn(logOptions, `skipped: previous run still going${since}`);
      },
    },
    async () => {
      if (stopping) return;
      const controller = new AbortController();
      const settled = runOnce(controller);
      current = { controller, startedAt: new Date(), settled };
      try {
        await settled;
      } finally {
        current = null;
        if (!stopping) {
          const next = job.nextRun();
          if (next) log.verbose(logOptions, `next run at ${next.toISOString()}`);
        }
      }
    },
  );
  log.info(logOptions, `scheduled "${options.cron}"${timezone ? ` (${timezone})` : ''}; first run at ${(job.nextRun() ?? firstRun).toISOString()}`);

  let stopped: Promise<void> | null = null;
  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      stopping = true;
      job.stop();
      signal?.removeEventListener('abort', onAbort);
      const running = current;
      if (running) {
        running.controller.abort(new CancelledError('The schedule was stopped.', signal?.reason));
        await running.settled;
      }
      log.verbose(logOptions, `schedule "${options.cron}" stopped`);
      resolveDone();
    })();
    return stopped;
  };
  const onAbort = (): void => void stop();
  signal?.addEventListener('abort', onAbort, { once: true });

  return {
    cron: options.cron,
    nextRun: () => (stopping ? null : job.nextRun()),
    isRunning: () => current !== null,
    done,
    stop,
    [Symbol.asyncDispose]: stop,
  };
}
