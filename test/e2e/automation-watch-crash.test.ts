import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FILING_SUFFIX, watchInbox } from '../../src/automation/index.js';
import type { InboxEvent, InboxFileContext } from '../../src/automation/index.js';
import type { RunSummary } from '../../src/run/index.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const automationEntry = pathToFileURL(path.join(repoRoot, 'src/automation/index.ts')).href;

/** Source of a watcher process that prints its events one per line; `handlers` are the watchInbox options under test. */
const watcherSource = (handlers: string) => `
import { watchInbox } from ${JSON.stringify(automationEntry)};
await watchInbox({
  inbox: process.argv[2],
  defaultTemplate: 'welcome',
  stableMs: 200,
  pollMs: 20,
  onLog: () => {},
  onEvent: (event) => process.stdout.write(JSON.stringify(event) + '\\n'),
  ${handlers}
});
`;

/** A watcher whose onFile never finishes (a long render). */
const CHILD_SOURCE = watcherSource(`onFile: () => new Promise(() => {}),`);

/** A watcher whose runs finish at once but whose onFiled never does (killed while recording a move). */
const FILING_CHILD_SOURCE = watcherSource(`onFile: async (file) => ({ outcome: 'done', summary: { status: 'completed', dataset: file, runId: 'r' } }),
  onFiled: (filing) => {
    process.stdout.write(JSON.stringify({ type: 'filing', from: filing.from, to: filing.to }) + '\\n');
    return new Promise(() => {});
  },`);

function makeSummary(dataset: string): RunSummary {
  return {
    runId: `run-${path.basename(dataset)}`,
    status: 'completed',
    startedAt: '2026-01-01T02:00:00.000Z',
    endedAt: '2026-01-01T02:00:01.000Z',
    wallMs: 1000,
    dataset,
    template: { id: 'welcome', version: '1' },
    counts: { rows: 1, invalid: 0, jobs: 1, rendered: 1, upToDate: 0, failed: 0, skipped: 0, newRows: 1, changedRows: 0, unchangedRows: 0 },
    spendUsd: { generation: 0, compute: 0, total: 0, unknown: 0 },
    outputDir: '/tmp/out',
    reports: null,
    exitCode: 0,
    error: null,
  };
}

describe('reelwright watch after a crash', () => {
  let root: string;
  let inbox: string;

  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'rw-crash-'));
    inbox = path.join(root, 'inbox');
    await mkdir(inbox);
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  /** Starts a watcher process from `source`; `waitFor` resolves on a line it printed, rejects if it exits first. */
  async function spawnWatcher<T>(source: string) {
    const childFile = path.join(root, 'watch-child.mts');
    await writeFile(childFile, source);
    const child = spawn(process.execPath, ['--import', 'tsx', childFile, inbox], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = once(child, 'exit');
    const events: T[] = [];
    const waiters: { match: (event: T) => boolean; resolve: () => void; reject: (error: Error) => void }[] = [];
    child.once('exit', (code, signal) => {
      for (const waiter of waiters.splice(0)) waiter.reject(new Error(`the watcher process exited (${code ?? signal}); saw ${JSON.stringify(events)}`));
    });
    createInterface({ input: child.stdout }).on('line', (line) => {
      const event = JSON.parse(line) as T;
      events.push(event);
      for (const waiter of waiters.filter((w) => w.match(event))) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    });
    const waitFor = (match: (event: T) => boolean): Promise<void> =>
      events.some(match) ? Promise.resolve() : new Promise((resolve, reject) => waiters.push({ match, resolve, reject }));
    return { child, exited, waitFor };
  }

  it('a watcher killed with SIGKILL mid-run loses nothing, and the next one processes each file exactly once', async () => {
    await writeFile(path.join(inbox, 'x.csv'), 'name\nAda\n');
    const { child, exited, waitFor } = await spawnWatcher<InboxEvent>(CHILD_SOURCE);
    try {
      await waitFor((e) => e.type === 'started' && e.name === 'x.csv');
      await writeFile(path.join(inbox, 'y.csv'), 'name\nGrace\n');
      await waitFor((e) => e.type === 'queued' && e.name === 'y.csv');
    } finally {
      child.kill('SIGKILL');
      await exited;
    }
    expect(await readdir(path.join(inbox, 'processing'))).toEqual(['x.csv']);
    expect((await readdir(inbox)).sort()).toEqual(['.reelwright-watch.lock', 'done', 'failed', 'processing', 'y.csv']);

    // The restarted watcher takes over the dead process's lock, resumes x.csv first, then y.csv.
    const calls: { name: string; content: string; context: InboxFileContext }[] = [];
    let resolveIdle!: () => void;
    const idle = new Promise<void>((resolve) => {
      resolveIdle = resolve;
    });
    const doneNames: string[] = [];
    await using watcher = await watchInbox({
      inbox,
      defaultTemplate: 'welcome',
      stableMs: 200,
      pollMs: 20,
      onLog: () => {},
      onEvent: (event) => {
        if (event.type === 'done') doneNames.push(event.name);
        if (event.type === 'done' && doneNames.length === 2) resolveIdle();
      },
      onFile: async (file, context) => {
        calls.push({ name: path.basename(file), content: await readFile(file, 'utf8'), context });
        return { outcome: 'done', summary: makeSummary(file) };
      },
    });
    await idle;
    expect(calls.map((c) => [c.name, c.context.resumed, c.content])).toEqual([
      ['x.csv', true, 'name\nAda\n'],
      ['y.csv', false, 'name\nGrace\n'],
    ]);
    expect(await readdir(path.join(inbox, 'processing'))).toEqual([]);
    expect((await readdir(path.join(inbox, 'done'))).sort()).toEqual(['x.csv', 'x.csv.summary.json', 'y.csv', 'y.csv.summary.json']);
    const lock = JSON.parse(await readFile(path.join(inbox, '.reelwright-watch.lock'), 'utf8')) as { pid: number };
    expect(lock.pid).toBe(process.pid);
  });

  it('a watcher killed with SIGKILL after moving a file to done/ but before onFiled recorded it: the next one records it first', async () => {
    await writeFile(path.join(inbox, 'x.csv'), 'name\nAda\n');
    const { child, exited, waitFor } = await spawnWatcher<{ type: string; from?: string; to?: string }>(FILING_CHILD_SOURCE);
    try {
      await waitFor((e) => e.type === 'filing');
    } finally {
      child.kill('SIGKILL');
      await exited;
    }
    const processing = path.join(inbox, 'processing');
    expect(await readdir(processing)).toEqual([`x.csv${FILING_SUFFIX}`]);
    expect((await readdir(path.join(inbox, 'done'))).sort()).toEqual(['x.csv', 'x.csv.summary.json']);

    const filings: { from: string; to: string }[] = [];
    let resolveFiled!: () => void;
    const filed = new Promise<void>((resolve) => {
      resolveFiled = resolve;
    });
    await using watcher = await watchInbox({
      inbox,
      defaultTemplate: 'welcome',
      stableMs: 200,
      pollMs: 20,
      onLog: () => {},
      onFile: async () => {
        throw new Error('nothing should run: x.csv is done');
      },
      onFiled: async ({ from, to }) => {
        filings.push({ from, to });
        resolveFiled();
      },
    });
    await filed;
    await watcher.close();
    expect(filings).toEqual([{ from: path.join(processing, 'x.csv'), to: path.join(inbox, 'done', 'x.csv') }]);
    expect(await readdir(processing)).toEqual([]);
  });
});
