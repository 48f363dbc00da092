import path from 'node:path';
import type { Command } from 'commander';
import { ConfigError } from '../../errors/index.js';
import { log, type LogLevel } from '../../log/index.js';
import { createRenderPool, resolveConcurrency } from '../../pool/index.js';
import { createSharedDirStorage, DEFAULT_LOCK_DURATION_MS, DEFAULT_QUEUE_NAME, redact, runWorker, type WorkerEvent } from '../../queue/index.js';
import { ExitRequest } from '../exit-request.js';
import { EXIT_OK } from '../exit-codes.js';

/** Environment variable read when `--shared` is not given. */
export const SHARED_DIR_ENV = 'REELWRIGHT_SHARED_DIR';
/** Default `--state-dir`: this worker's compiled templates (never shared with another worker). */
export const DEFAULT_WORKER_STATE_DIR = '.reelwright-worker';

/** Flags of `reelwright worker`. */
type WorkerFlags = {
  queue: string;
  concurrency?: string;
  shared?: string;
  stateDir: string;
  lockDuration?: string;
  queueName: string;
  name?: string;
  json?: boolean;
  quiet?: boolean;
  verbose?: boolean;
};

function parseWholeNumber(value: string, flag: string): number {
  const number = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(number) || number < 1) {
    throw new ConfigError(`${flag} must be a whole number ≥ 1, got "${value}".`, { code: 'RW_CONFIG_INVALID' });
  }
  return number;
}

/** `--concurrency 2` or `--concurrency 50%` (of this machine's cores); default one per core. */
function parseConcurrencyFlag(value: string | undefined): number {
  if (value === undefined) return resolveConcurrency(undefined);
  return resolveConcurrency(/%$/.test(value.trim()) ? (value.trim() as `${number}%`) : parseWholeNumber(value, '--concurrency'));
}

function describe(event: WorkerEvent): string | null {
  switch (event.type) {
    case 'ready':
      return `worker ${event.worker} ready: ${event.concurrency} browser${event.concurrency === 1 ? '' : 's'} warm, waiting for jobs`;
    case 'started':
      return event.attempt > 1 ? `${event.rowJobId}: started (attempt ${event.attempt})` : null;
    case 'completed':
      return `${event.rowJobId}: rendered in ${(event.wallMs / 1000).toFixed(1)} s`;
    case 'failed':
      return `${event.rowJobId}: failed${event.final ? '' : ' (will retry)'}: [${event.error.code}] ${event.error.message}`;
    case 'draining':
      return 'stopping: no new jobs; finishing the running ones (Ctrl-C again to hand them back to the queue at once)';
    case 'closed':
      return `worker ${event.worker} stopped`;
  }
}

/**
 * `reelwright worker --queue redis://HOST:PORT/DB`: renders jobs from the queue that `render --queue` fills, on a pool of
 * warm browsers of this machine, reading templates and media from and writing videos to the shared folder.
 */
export function registerWorkerCommand(program: Command): void {
  program
    .command('worker')
    .description('Render jobs from a Redis queue filled by `render --queue` on this machine (start one per machine).')
    .requiredOption('--queue <redis-url>', 'the Redis the coordinator uses, e.g. redis://10.0.0.5:6379/0')
    .option('--concurrency <n>', 'browsers (jobs at once), a number or a percentage of cores (default: one per core)')
    .option('--shared <dir>', `the shared folder as mounted on this machine (default: $${SHARED_DIR_ENV})`)
    .option('--state-dir <dir>', "this worker's own cache folder, never shared", DEFAULT_WORKER_STATE_DIR)
    .option('--lock-duration <ms>', 'how long a job stays locked without a heartbeat: a killed worker\'s job moves on after this', String(DEFAULT_LOCK_DURATION_MS))
    .option('--queue-name <name>', 'BullMQ queue name (the coordinator must use the same)', DEFAULT_QUEUE_NAME)
    .option('--name <name>', 'worker name shown on jobs (default: <host>-<pid>)')
    .option('--json', 'print worker events as NDJSON on stdout')
    .option('-q, --quiet', 'print only warnings and errors')
    .option('--verbose', 'log every step')
    .addHelpText(
      'after',
      [
        '',
        'Ctrl-C drains: no new jobs, running ones finish. A second Ctrl-C hands running jobs back to the queue.',
        'A killed worker loses nothing: its jobs go to another worker once their lock expires.',
        '',
        'Examples:',
        '  $ reelwright worker --queue redis://10.0.0.5:6379/0 --shared /mnt/reelwright',
        `  $ ${SHARED_DIR_ENV}=/mnt/reelwright reelwright worker --queue redis://10.0.0.5:6379/0 --concurrency 2`,
      ].join('\n'),
    )
    .action(async (flags: WorkerFlags) => {
      const logLevel: LogLevel = flags.verbose ? 'verbose' : flags.quiet ? 'warn' : 'info';
      const logOptions = { logLevel, tag: 'worker' };
      const shared = flags.shared ?? process.env[SHARED_DIR_ENV];
      if (!shared) {
        throw new ConfigError(`--shared <dir> (or $${SHARED_DIR_ENV}) is required: the folder every machine mounts, where templates, media and videos are exchanged.`, {
          code: 'RW_CONFIG_INVALID',
        });
      }
      const concurrency = parseConcurrencyFlag(flags.concurrency);
      const lockDurationMs = parseWholeNumber(flags.lockDuration ?? String(DEFAULT_LOCK_DURATION_MS), '--lock-duration');
      const storage = await createSharedDirStorage({ root: path.resolve(shared) });

      // First Ctrl-C (or SIGTERM) drains; the second hands running jobs back; the third exits at once.
      const drain = new AbortController();
      let interrupts = 0;
      let force: (() => void) | null = null;
      const onSignal = () => {
        interrupts++;
        if (interrupts === 1) drain.abort(new Error('interrupted'));
        else if (interrupts === 2) force?.();
        else process.exit(130);
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      try {
        log.info(logOptions, `connecting to ${redact(flags.queue)} (queue "${flags.queueName}"), shared folder ${storage.root}`);
        const worker = await runWorker({
          redisUrl: flags.queue,
          storage,
          stateDir: path.resolve(flags.stateDir),
          concurrency,
          queueName: flags.queueName,
          lockDurationMs,
          ...(flags.name ? { name: flags.name } : {}),
          // The queue retries across workers (with backoff); one attempt per job in the pool keeps that bound exact.
          createRunner: async (context) => {
            const pool = createRenderPool({ concurrency: context.concurrency, maxAttempts: 1, logLevel: context.logLevel, onLog: context.onLog });
            await pool.warmUp();
            return pool;
          },
          signal: drain.signal,
          logLevel,
          onEvent: (event) => {
            if (flags.json) process.stdout.write(`${JSON.stringify(event)}\n`);
            else {
              const line = describe(event);
              if (line) log[event.type === 'failed' ? 'warn' : 'info'](logOptions, line);
            }
          },
        });
        force = () => void worker.close({ force: true });
        await worker.closed;
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
      throw new ExitRequest(EXIT_OK);
    });
}
