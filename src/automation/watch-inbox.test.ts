import { mkdir, mkdtemp, open, readdir, readFile, rename, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunSummary } from '../run/index.js';
import { FILING_SUFFIX, watchInbox } from './index.js';
import type { InboxEvent, InboxFileContext, InboxFileResult, InboxWatcher, WatchInboxOptions } from './index.js';

function makeSummary(dataset: string): RunSummary {
  return {
    runId: `run-${path.basename(dataset)}`,
    status: 'completed',
    startedAt: '2026-01-01T02:00:00.000Z',
    endedAt: '2026-01-01T02:00:01.000Z',
    wallMs: 1000,
    dataset,
    template: { id: 'welcome', version: '1' },
    counts: { rows: 2, invalid: 0, jobs: 2, rendered: 2, upToDate: 0, failed: 0, skipped: 0, newRows: 2, changedRows: 0, unchangedRows: 0 },
    spendUsd: { generation: 0, compute: 0, total: 0, unknown: 0 },
    outputDir: '/tmp/out',
    reports: { csv: '/tmp/out/report.csv', json: '/tmp/out/report.json', html: '/tmp/out/report.html' },
    exitCode: 0,
    error: null,
  };
}

type Deferred<T> = { promise: Promise<T>; resolve: (value: T) => void };
function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** Records watcher events and lets a test wait for one (past or future) without sleeping. */
function eventRecorder() {
  const events: InboxEvent[] = [];
  const waiters: { match: (events: InboxEvent[]) => boolean; done: () => void }[] = [];
  return {
    events,
    push: (event: InboxEvent) => {
      events.push(event);
      for (const waiter of [...waiters]) {
        if (waiter.match(events)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.done();
        }
      }
    },
    /** Resolves once `match(allEventsSoFar)` is true. */
    until(match: (events: InboxEvent[]) => boolean): Promise<void> {
      if (match(events)) return Promise.resolve();
      return new Promise((resolve) => waiters.push({ match, done: resolve }));
    },
    /** Resolves once an event of `type` for `name` has been seen. */
    seen(type: InboxEvent['type'], name: string): Promise<void> {
      return this.until((all) => all.some((e) => e.type === type && 'name' in e && e.name === name));
    },
  };
}

type Call = { name: string; content: string; context: InboxFileContext };

describe('watchInbox', () => {
  let root: string;
  let inbox: string;
  const watchers: InboxWatcher[] = [];

  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'rw-inbox-'));
    inbox = path.join(root, 'inbox');
    await mkdir(inbox);
  });

  afterEach(async () => {
    for (const watcher of watchers.splice(0)) await watcher.close();
    await rm(root, { recursive: true, force: true });
  });

  /** Starts a watcher whose onFile records each call and answers with `answer` (default: done). */
  async function start(
    overrides: Partial<WatchInboxOptions> & { answer?: (call: Call) => Promise<InboxFileResult> } = {},
  ): Promise<{ watcher: InboxWatcher; calls: Call[]; recorder: ReturnType<typeof eventRecorder> }> {
    const calls: Call[] = [];
    const recorder = eventRecorder();
    const { answer, ...rest } = overrides;
    const watcher = await watchInbox({
      inbox,
      defaultTemplate: 'welcome',
      stableMs: 300,
      pollMs: 20,
      onLog: () => {},
      onEvent: recorder.push,
      onFile: async (file, context) => {
        const call = { name: path.basename(file), content: await readFile(file, 'utf8'), context };
        calls.push(call);
        return answer ? answer(call) : { outcome: 'done', summary: makeSummary(file) };
      },
      ...rest,
    });
    watchers.push(watcher);
    return { watcher, calls, recorder };
  }

  it('processes a file written in pieces exactly once, and only when it is complete', async () => {
    const { calls, recorder } = await start({ stableMs: 1000 });
    const half = 'name,city\nAda,London\n';
    const rest = 'Grace,New York\n';
    const handle = await open(path.join(inbox, 'leads.csv'), 'w');
    await handle.write(half);
    // Two looks at the half-written file (at least one full poll) without it being picked up.
    await recorder.until((all) => all.filter((e) => e.type === 'waiting' && e.name === 'leads.csv' && e.size === half.length).length >= 2);
    expect(calls).toEqual([]);
    await handle.write(rest);
    await handle.close();
    await recorder.seen('done', 'leads.csv');
    expect(calls.map((c) => c.content)).toEqual([half + rest]);

    // A later file is processed too, which proves the watcher kept scanning without picking leads.csv up again.
    await writeFile(path.join(inbox, 'later.csv'), 'name\nLin\n');
    await recorder.seen('done', 'later.csv');
    expect(calls.map((c) => c.name)).toEqual(['leads.csv', 'later.csv']);
    expect(await readFile(path.join(inbox, 'done', 'leads.csv'), 'utf8')).toBe(half + rest);
    const summary = JSON.parse(await readFile(path.join(inbox, 'done', 'leads.csv.summary.json'), 'utf8')) as RunSummary;
    expect(summary.dataset).toBe(path.join(inbox, 'done', 'leads.csv'));
    expect(summary.reports?.html).toBe('/tmp/out/report.html');
    expect(await readdir(path.join(inbox, 'processing'))).toEqual([]);
  });

  it('queues files dropped while a batch runs and processes them one at a time, first complete first', async () => {
    const gate = deferred();
    let running = 0;
    let maxRunning = 0;
    const { calls, recorder } = await start({
      answer: async (call) => {
        running += 1;
        maxRunning = Math.max(maxRunning, running);
        if (call.name === 'a.csv') await gate.promise;
        running -= 1;
        return { outcome: 'done', summary: makeSummary(call.name) };
      },
    });
    await writeFile(path.join(inbox, 'a.csv'), 'id\n1\n');
    await recorder.seen('started', 'a.csv');
    // c before b on purpose: the order is arrival, not alphabetical.
    await writeFile(path.join(inbox, 'c.csv'), 'id\n3\n');
    await recorder.seen('queued', 'c.csv');
    await writeFile(path.join(inbox, 'b.csv'), 'id\n2\n');
    await recorder.seen('queued', 'b.csv');
    expect(calls.map((c) => c.name)).toEqual(['a.csv']);
    expect((await readdir(inbox)).filter((n) => n.endsWith('.csv')).sort()).toEqual(['b.csv', 'c.csv']);
    gate.resolve();
    await recorder.seen('done', 'b.csv');
    expect(calls.map((c) => c.name)).toEqual(['a.csv', 'c.csv', 'b.csv']);
    expect(maxRunning).toBe(1);
    expect((await readdir(path.join(inbox, 'done'))).filter((n) => n.endsWith('.csv')).sort()).toEqual(['a.csv', 'b.csv', 'c.csv']);
  });

  it('resumes a file left in processing/ by a stopped watcher exactly once, before newer files, and loses nothing', async () => {
    const first = await start({
      answer: (call) =>
        new Promise<InboxFileResult>((_resolve, reject) => {
          // Behaves like runBatch: runs until cancelled.
          const { signal } = call.context;
          if (signal.aborted) reject(signal.reason);
          signal.addEventListener('abort', () => reject(signal.reason), { once: true });
        }),
    });
    await writeFile(path.join(inbox, 'x.csv'), 'id\n1\n');
    await first.recorder.seen('started', 'x.csv');
    await writeFile(path.join(inbox, 'y.csv'), 'id\n2\n');
    await first.recorder.seen('queued', 'y.csv');
    await first.watcher.close();
    expect(first.recorder.events.some((e) => e.type === 'interrupted' && e.name === 'x.csv')).toBe(true);
    expect(await readdir(path.join(inbox, 'processing'))).toEqual(['x.csv']);
    expect((await readdir(inbox)).filter((n) => n.endsWith('.csv'))).toEqual(['y.csv']);

    const second = await start();
    await second.recorder.seen('done', 'y.csv');
    expect(second.calls.map((c) => [c.name, c.context.resumed])).toEqual([
      ['x.csv', true],
      ['y.csv', false],
    ]);
    expect(second.calls[0]?.content).toBe('id\n1\n');
    expect(await readdir(path.join(inbox, 'processing'))).toEqual([]);
    expect((await readdir(path.join(inbox, 'done'))).filter((n) => n.endsWith('.csv')).sort()).toEqual(['x.csv', 'y.csv']);
    expect(first.calls.map((c) => c.name)).toEqual(['x.csv']);
  });

  it('picks the template from the naming rule, from a sidecar that travels with the file, or from the default', async () => {
    const { calls, recorder } = await start({ knownTemplates: ['welcome', 'recap', 'promo'] });
    await writeFile(path.join(inbox, 'leads.csv.reelwright.json'), JSON.stringify({ template: 'promo', variants: ['square'], name: '{{name}}' }));
    await writeFile(path.join(inbox, 'leads.csv'), 'name\nAda\n');
    await recorder.seen('done', 'leads.csv');
    await writeFile(path.join(inbox, 'recap--may.csv'), 'name\nAda\n');
    await recorder.seen('done', 'recap--may.csv');
    await writeFile(path.join(inbox, 'plain.ndjson'), '{"name":"Ada"}\n');
    await recorder.seen('done', 'plain.ndjson');
    const jobs = Object.fromEntries(calls.map((c) => [c.name, c.context.job]));
    expect(jobs['leads.csv']).toMatchObject({ template: 'promo', templateSource: 'sidecar', variants: ['square'], outputName: '{{name}}' });
    expect(jobs['recap--may.csv']).toMatchObject({ template: 'recap', templateSource: 'file-name', variants: null, sidecar: null });
    expect(jobs['plain.ndjson']).toMatchObject({ template: 'welcome', templateSource: 'default' });
    expect(await readdir(path.join(inbox, 'done'))).toContain('leads.csv.reelwright.json');
    expect(await readdir(inbox)).not.toContain('leads.csv.reelwright.json');
  });

  it('moves invalid files, failing runs and unknown templates to failed/ with a report', async () => {
    const { calls, recorder } = await start({
      knownTemplates: ['welcome'],
      answer: async (call) => {
        if (call.name === 'bad.csv') return { outcome: 'invalid', report: 'bad.csv row 2, column "price": expected a number, got "12,50".', summary: null };
        if (call.name === 'locked.csv') {
          const error = { code: 'RW_RUN_LOCKED', message: 'another run (pid 4242) holds the lock on outputs/' };
          return { outcome: 'done', summary: { ...makeSummary(call.name), status: 'failed', exitCode: 2, error } };
        }
        throw Object.assign(new Error('disk full'), { code: 'ENOSPC' });
      },
    });
    await writeFile(path.join(inbox, 'bad.csv'), 'price\n12,50\n');
    await recorder.seen('failed', 'bad.csv');
    await writeFile(path.join(inbox, 'boom.csv'), 'price\n1\n');
    await recorder.seen('failed', 'boom.csv');
    await writeFile(path.join(inbox, 'nope--x.csv'), 'price\n1\n');
    await recorder.seen('failed', 'nope--x.csv');
    await writeFile(path.join(inbox, 'locked.csv'), 'price\n1\n');
    await recorder.seen('failed', 'locked.csv');
    expect(calls.map((c) => c.name)).toEqual(['bad.csv', 'boom.csv', 'locked.csv']);
    const failed = path.join(inbox, 'failed');
    expect(await readFile(path.join(failed, 'bad.csv.report.txt'), 'utf8')).toMatch(/row 2, column "price"/);
    expect(await readFile(path.join(failed, 'boom.csv.report.txt'), 'utf8')).toMatch(/RW_INTERNAL: disk full/);
    expect(await readFile(path.join(failed, 'nope--x.csv.report.txt'), 'utf8')).toMatch(/RW_INBOX_UNKNOWN_TEMPLATE: .*"nope"/);
    expect(await readFile(path.join(failed, 'locked.csv.report.txt'), 'utf8')).toMatch(/RW_RUN_LOCKED: another run \(pid 4242\)/);
    expect(JSON.parse(await readFile(path.join(failed, 'locked.csv.summary.json'), 'utf8'))).toMatchObject({ status: 'failed', exitCode: 2 });
    expect((await readdir(failed)).filter((n) => n.endsWith('.csv')).sort()).toEqual(['bad.csv', 'boom.csv', 'locked.csv', 'nope--x.csv']);
    const failures = recorder.events.filter((e) => e.type === 'failed');
    expect(failures.map((e) => e.type === 'failed' && [e.name, e.reason, e.error?.code ?? null])).toEqual([
      ['bad.csv', 'invalid', null],
      ['boom.csv', 'error', 'RW_INTERNAL'],
      ['nope--x.csv', 'error', 'RW_INBOX_UNKNOWN_TEMPLATE'],
      ['locked.csv', 'error', 'RW_RUN_LOCKED'],
    ]);
  });

  it('gives a timestamp suffix to a name that is already in done/', async () => {
    const { recorder } = await start();
    await writeFile(path.join(inbox, 'leads.csv'), 'v\n1\n');
    await recorder.until((all) => all.filter((e) => e.type === 'done').length === 1);
    await writeFile(path.join(inbox, 'leads.csv'), 'v\n2\n');
    await recorder.until((all) => all.filter((e) => e.type === 'done').length === 2);
    const done = (await readdir(path.join(inbox, 'done'))).filter((n) => n.endsWith('.csv')).sort();
    expect(done).toHaveLength(2);
    expect(done).toContain('leads.csv');
    const renamed = done.find((n) => n !== 'leads.csv') ?? '';
    expect(renamed).toMatch(/^leads\.\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z\.csv$/);
    expect(await readFile(path.join(inbox, 'done', renamed), 'utf8')).toBe('v\n2\n');
    expect(await readdir(path.join(inbox, 'done'))).toContain(`${renamed}.summary.json`);
  });

  it('tells onFiled where each file went, done or failed and with a collision suffix, before its event, leaving no marker', async () => {
    const filings: { from: string; to: string; eventsBefore: number; marker: string[] }[] = [];
    const { recorder } = await start({
      answer: async (call) =>
        call.content.includes('bad') ? { outcome: 'invalid', report: 'line 2: bad', summary: makeSummary(call.name) } : { outcome: 'done', summary: makeSummary(call.name) },
      onFiled: async ({ from, to, signal }) => {
        expect(signal.aborted).toBe(false);
        // Called after the move: the file is at `to`, its marker still names the move.
        expect(await readFile(to, 'utf8')).toMatch(/^v\n/);
        const marker = (await readdir(path.join(inbox, 'processing'))).filter((n) => n.endsWith(FILING_SUFFIX));
        filings.push({ from, to, eventsBefore: recorder.events.filter((e) => e.type === 'done' || e.type === 'failed').length, marker });
      },
    });
    await writeFile(path.join(inbox, 'leads.csv'), 'v\n1\n');
    await recorder.until((all) => all.filter((e) => e.type === 'done').length === 1);
    await writeFile(path.join(inbox, 'leads.csv'), 'v\n2\n');
    await recorder.until((all) => all.filter((e) => e.type === 'done').length === 2);
    await writeFile(path.join(inbox, 'oops.csv'), 'v\nbad\n');
    await recorder.seen('failed', 'oops.csv');

    const processing = path.join(inbox, 'processing');
    const renamed = (await readdir(path.join(inbox, 'done'))).find((n) => /^leads\..+Z\.csv$/.test(n)) ?? '';
    expect(filings).toEqual([
      { from: path.join(processing, 'leads.csv'), to: path.join(inbox, 'done', 'leads.csv'), eventsBefore: 0, marker: ['leads.csv.filing'] },
      { from: path.join(processing, 'leads.csv'), to: path.join(inbox, 'done', renamed), eventsBefore: 1, marker: ['leads.csv.filing'] },
      { from: path.join(processing, 'oops.csv'), to: path.join(inbox, 'failed', 'oops.csv'), eventsBefore: 2, marker: ['oops.csv.filing'] },
    ]);
    const doneEvents = recorder.events.filter((e) => e.type === 'done' || e.type === 'failed').map((e) => ('file' in e ? e.file : ''));
    expect(doneEvents).toEqual(filings.map((f) => f.to));
    expect(await readdir(processing)).toEqual([]);
  });

  it('after a crash, records a move whose onFiled never finished before anything runs, and drops the marker of a file that never moved', async () => {
    const processing = path.join(inbox, 'processing');
    await mkdir(processing);
    await mkdir(path.join(inbox, 'done'));
    // moved.csv reached done/ but the watcher died before onFiled recorded it; stuck.csv died before its move.
    await writeFile(path.join(inbox, 'done', 'moved.csv'), 'v\n1\n');
    await writeFile(path.join(processing, 'moved.csv.filing'), JSON.stringify({ from: path.join(processing, 'moved.csv'), to: path.join(inbox, 'done', 'moved.csv') }));
    await writeFile(path.join(processing, 'stuck.csv'), 'v\n2\n');
    await writeFile(path.join(processing, 'stuck.csv.filing'), JSON.stringify({ from: path.join(processing, 'stuck.csv'), to: path.join(inbox, 'done', 'stuck.csv') }));
    const log: string[] = [];
    const { recorder } = await start({
      answer: async (call) => {
        log.push(`run ${call.name}`);
        return { outcome: 'done', summary: makeSummary(call.name) };
      },
      onFiled: async ({ from, to }) => {
        log.push(`filed ${path.basename(from)} → ${path.relative(inbox, to)}`);
      },
    });
    await recorder.seen('done', 'stuck.csv');
    expect(log).toEqual(['filed moved.csv → done/moved.csv', 'run stuck.csv', 'filed stuck.csv → done/stuck.csv']);
    expect(await readdir(processing)).toEqual([]);
  });

  it('keeps the marker when onFiled throws, gives a same-named drop another processing name, and retries at the next start', async () => {
    const processing = path.join(inbox, 'processing');
    const filed: string[] = [];
    let failing = true;
    const onFiled = async ({ from, to }: { from: string; to: string }): Promise<void> => {
      if (failing) throw new Error('journal busy');
      filed.push(`${path.basename(from)} → ${path.relative(inbox, to)}`);
    };
    const first = await start({ onFiled });
    await writeFile(path.join(inbox, 'leads.csv'), 'v\n1\n');
    await first.recorder.seen('done', 'leads.csv');
    expect(await readdir(processing)).toEqual(['leads.csv.filing']);
    failing = false;
    // The same name again: leads.csv in processing/ would make the stuck filing's retry move this file's runs too.
    await writeFile(path.join(inbox, 'leads.csv'), 'v\n2\n');
    await first.recorder.until((all) => all.filter((e) => e.type === 'done').length === 2);
    const second = first.recorder.events.filter((e): e is Extract<InboxEvent, { type: 'done' }> => e.type === 'done')[1];
    expect(second?.name).toMatch(/^leads\..+Z\.csv$/);
    expect(filed).toEqual([`${second?.name} → done/${second?.name}`]);
    await first.watcher.close();

    const again = await start({ onFiled });
    await again.recorder.until((all) => all.some((e) => e.type === 'idle'));
    expect(filed.at(-1)).toBe('leads.csv → done/leads.csv');
    expect(await readdir(processing)).toEqual([]);
  });

  it('ignores dotfiles and partial downloads, and takes a file renamed from a partial name after one confirming look', async () => {
    // stableMs is far longer than the test may take: only the renamed-in rule can pick the file up in time.
    const { calls, recorder } = await start({ stableMs: 60_000 });
    const started = Date.now();
    await writeFile(path.join(inbox, '.hidden.csv'), 'x\n');
    await writeFile(path.join(inbox, 'notes.txt'), 'x\n');
    await writeFile(path.join(inbox, 'report.crdownload'), 'x\n');
    await writeFile(path.join(inbox, 'feed.csv.part'), 'name\nAda\n');
    await recorder.seen('partial', 'feed.csv.part');
    await rename(path.join(inbox, 'feed.csv.part'), path.join(inbox, 'feed.csv'));
    await recorder.seen('done', 'feed.csv');
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(calls.map((c) => c.name)).toEqual(['feed.csv']);
    expect((await readdir(inbox)).sort()).toEqual(['.hidden.csv', '.reelwright-watch.lock', 'done', 'failed', 'notes.txt', 'processing', 'report.crdownload']);
  });

  it('takes a file moved in from elsewhere with an old mtime after one confirming look', async () => {
    const { calls, recorder } = await start({ stableMs: 60_000 });
    const started = Date.now();
    const outside = path.join(root, 'export.csv');
    await writeFile(outside, 'name\nAda\n');
    const hourAgo = new Date(Date.now() - 3600_000);
    await utimes(outside, hourAgo, hourAgo);
    await rename(outside, path.join(inbox, 'export.csv'));
    await recorder.seen('done', 'export.csv');
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(calls.map((c) => c.name)).toEqual(['export.csv']);
  });

  it('refuses a second watcher on the same inbox and names the owner', async () => {
    await start();
    await expect(watchInbox({ inbox, onFile: async () => ({ outcome: 'invalid', report: '', summary: null }) })).rejects.toMatchObject({
      code: 'RW_INBOX_LOCKED',
      message: expect.stringMatching(new RegExp(`process ${process.pid} on`)),
    });
  });

  it('rejects a missing inbox and bad timing options before watching anything', async () => {
    const onFile = async (): Promise<InboxFileResult> => ({ outcome: 'invalid', report: '', summary: null });
    await expect(watchInbox({ inbox: path.join(root, 'missing'), onFile })).rejects.toMatchObject({
      code: 'RW_INBOX_MISSING',
      message: expect.stringMatching(/missing does not exist/),
    });
    await expect(watchInbox({ inbox, onFile, pollMs: 0 })).rejects.toMatchObject({ code: 'RW_INVALID_OPTION', message: expect.stringMatching(/options\.pollMs/) });
    await expect(watchInbox({ inbox, onFile, defaultTemplate: 'ghost', knownTemplates: ['welcome'] })).rejects.toMatchObject({
      code: 'RW_INBOX_UNKNOWN_TEMPLATE',
    });
  });

  it('stops when its signal fires and leaves the running file in processing/', async () => {
    const controller = new AbortController();
    const { watcher, recorder } = await start({
      signal: controller.signal,
      answer: (call) =>
        new Promise<InboxFileResult>((resolve) => {
          // A run that notices the cancel and reports it in its summary, as runBatch does.
          const { signal } = call.context;
          const cancelled = (): void => resolve({ outcome: 'done', summary: { ...makeSummary(call.name), status: 'cancelled' } });
          if (signal.aborted) cancelled();
          signal.addEventListener('abort', cancelled, { once: true });
        }),
    });
    await writeFile(path.join(inbox, 'long.csv'), 'id\n1\n');
    await recorder.seen('started', 'long.csv');
    controller.abort();
    await watcher.closed;
    expect(recorder.events.some((e) => e.type === 'interrupted' && e.name === 'long.csv')).toBe(true);
    expect(await readdir(path.join(inbox, 'processing'))).toEqual(['long.csv']);
    expect(await readdir(inbox)).not.toContain('.reelwright-watch.lock');
  });
});
