import { describe, expect, it } from 'vitest';
import type { LogEvent } from '../log/index.js';
import type { RunSummary } from '../run/index.js';
import { SAMPLE_SUMMARY } from './fixtures/sample-summary.js';
import { runOnSchedule } from './index.js';

function makeSummary(runId: string): RunSummary {
  return {
    ...SAMPLE_SUMMARY,
    runId,
    endedAt: '2026-01-01T02:00:01.000Z',
    wallMs: 1000,
    counts: { rows: 1, invalid: 0, jobs: 1, rendered: 1, upToDate: 0, failed: 0, skipped: 0, newRows: 1, changedRows: 0, unchangedRows: 0 },
  };
}

function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** Collects log events; `until` resolves when the predicate holds over everything logged so far. */
function logRecorder() {
  const events: LogEvent[] = [];
  const waiters: { match: (events: LogEvent[]) => boolean; done: () => void }[] = [];
  return {
    events,
    onLog: (event: LogEvent) => {
      events.push(event);
      for (const waiter of [...waiters]) {
        if (waiter.match(events)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.done();
        }
      }
    },
    until(match: (events: LogEvent[]) => boolean): Promise<void> {
      if (match(events)) return Promise.resolve();
      return new Promise((resolve) => waiters.push({ match, done: resolve }));
    },
  };
}

const isSkip = (e: LogEvent): boolean => e.level === 'warn' && e.message.startsWith('skipped: previous run still going');

describe('runOnSchedule', () => {
  it('skips ticks while a run takes longer than the interval, never overlapping, and logs each summary line', async () => {
    const logs = logRecorder();
    let starts = 0;
    let running = 0;
    let maxRunning = 0;
    const firstRun = deferred();
    const secondStarted = deferred();
    const summaries: RunSummary[] = [];
    const schedule = runOnSchedule({
      cron: '* * * * * *',
      onLog: logs.onLog,
      onSummary: (summary) => {
        summaries.push(summary);
      },
      run: async () => {
        starts += 1;
        running += 1;
        maxRunning = Math.max(maxRunning, running);
        const id = `run-${starts}-0000000`;
        if (starts === 1) await firstRun.promise;
        else secondStarted.resolve();
        running -= 1;
        return makeSummary(id);
      },
    });
    try {
      // The first run outlasts two one-second ticks (about 2.5 s in all).
      await logs.until((all) => all.filter(isSkip).length >= 2);
      expect(starts).toBe(1);
      firstRun.resolve();
      await secondStarted.promise;
    } finally {
      await schedule.stop();
    }
    expect(maxRunning).toBe(1);
    expect(summaries[0]?.runId).toBe('run-1-0000000');
    expect(logs.events.some((e) => e.level === 'info' && /^run run-1-0000000 completed: 1 rendered \(1 new, 0 changed, 0 unchanged\), 0 failed, \$0\.00 in 1\.0 s$/.test(e.message))).toBe(
      true,
    );
    expect(logs.events.filter(isSkip).length).toBeGreaterThanOrEqual(2);
  });

  it('logs a run that throws, keeps the schedule going, and cancels the running run through its signal on stop', async () => {
    const logs = logRecorder();
    const secondRun = deferred<AbortSignal>();
    let calls = 0;
    const schedule = runOnSchedule({
      cron: '* * * * * *',
      onLog: logs.onLog,
      run: (signal) => {
        calls += 1;
        if (calls === 1) return Promise.reject(Object.assign(new Error('journal is read-only'), { code: 'EROFS' }));
        secondRun.resolve(signal);
        return new Promise<RunSummary>((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }));
      },
    });
    const signal = await secondRun.promise;
    expect(schedule.isRunning()).toBe(true);
    await schedule.stop();
    await schedule.done;
    expect(signal.aborted).toBe(true);
    expect(schedule.nextRun()).toBeNull();
    expect(logs.events.some((e) => e.level === 'error' && e.message === 'run failed: RW_INTERNAL: journal is read-only')).toBe(true);
    expect(logs.events.some((e) => e.message.startsWith('run cancelled'))).toBe(true);
    expect(calls).toBe(2);
  });

  it('ends cleanly when its AbortSignal fires while idle', async () => {
    const controller = new AbortController();
    const schedule = runOnSchedule({ cron: '0 3 * * *', signal: controller.signal, onLog: () => {}, run: async () => makeSummary('never') });
    expect(schedule.nextRun()?.getTime()).toBeGreaterThan(Date.now());
    controller.abort();
    await schedule.done;
    expect(schedule.nextRun()).toBeNull();
  });

  it('rejects a bad expression up front with the expression and an example', () => {
    const run = async (): Promise<RunSummary> => makeSummary('never');
    expect(() => runOnSchedule({ cron: '61 * * * *', run, onLog: () => {} })).toThrow(
      expect.objectContaining({ code: 'RW_BAD_CRON', message: expect.stringMatching(/"61 \* \* \* \*".*e\.g\. "0 2 \* \* \*"/) }),
    );
    expect(() => runOnSchedule({ cron: 'every night', run })).toThrow(expect.objectContaining({ code: 'RW_BAD_CRON' }));
    expect(() => runOnSchedule({ cron: '0 0 30 2 *', run })).toThrow(expect.objectContaining({ code: 'RW_BAD_CRON', message: expect.stringMatching(/never matches/) }));
    expect(() => runOnSchedule({ cron: '0 2 * * *', timezone: 'Mars/Olympus', run })).toThrow(expect.objectContaining({ code: 'RW_BAD_TIMEZONE' }));
  });
});
