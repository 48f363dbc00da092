/**
 * Issue 8 through the real binary: `render --quiet` as a crontab line, `watch <inbox>`, `schedule "<cron>" render`,
 * and `render --notify / --on-complete`, each on a temporary copy of the `small` fixture project.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { appendFile, copyFile, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DELIVERY_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, verifyNotificationSignature } from '../../src/automation/index.js';
import type { ReproduceVideoResult, RunSummary } from '../../src/run/index.js';
import { runCli, startCli as startCliProcess, type CliOptions, type CliProcess } from '../helpers/cli.js';
import { copyProject, fingerprint, listNames, listVideos, readJournal, renderedJobs, type TempProject } from '../helpers/project.js';

const HEADER = 'id,name,accent,score,logo,theme\n';
const ADA = 'ada,Ada Lovelace,#ff0000,42,assets/logo.svg,ocean\n';
const GRACE = 'grace,Grace Hopper,#00c000,7,,forest\n';
/** Ada without a logo (the two-pieces watch test is about when a file is taken, not about images). */
const ADA_NO_LOGO = 'ada,Ada Lovelace,#ff0000,42,,ocean\n';
/** Every row invalid: a colour that is not one and a score that is not a number. */
const ALL_INVALID = `${HEADER}bob,Bob,not-a-colour,7,,ocean\ncarl,Carl,#00c000,twelve,,forest\n`;
/** The one-line summary `formatSummaryLine` prints. */
const SUMMARY_LINE = /^run \S+ completed: \d+ rendered \(\d+ new, \d+ changed, \d+ unchanged\), \d+ failed/;
const WAIT_MS = 60_000;

/** Polls `check` every 25 ms until it returns a value other than undefined/false, or fails after `timeoutMs`. */
async function pollUntil<T>(
  what: string,
  check: () => Promise<T | undefined | false> | T | undefined | false,
  options: { timeoutMs?: number; detail?: () => string } = {},
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? WAIT_MS;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${options.detail ? `\n${options.detail()}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Live stderr of a running CLI: resolves when the text printed so far matches, rejects when the process exits first. */
function stderrOf(cli: CliProcess): { text: () => string; waitFor: (match: (text: string) => boolean, what: string) => Promise<string> } {
  let text = '';
  cli.child.stderr?.on('data', (chunk: string | Buffer) => {
    text += chunk.toString();
  });
  let exited = false;
  void cli.exited.then(() => {
    exited = true;
  });
  return {
    text: () => text,
    waitFor: (match, what) =>
      pollUntil(what, () => {
        if (match(text)) return text;
        if (exited) throw new Error(`the process exited before ${what}; stderr:\n${text}`);
        return undefined;
      }, { detail: () => `stderr:\n${text}` }),
  };
}

const summaryLines = (stderr: string): string[] => stderr.split('\n').filter((line) => SUMMARY_LINE.test(line));

const exists = (file: string): Promise<boolean> => stat(file).then(
  () => true,
  () => false,
);

describe('reelwright automation through the real binary', () => {
  const projects: TempProject[] = [];
  const started: CliProcess[] = [];
  const startCli = (args: readonly string[], options: CliOptions): CliProcess => {
    const cli = startCliProcess(args, options);
    started.push(cli);
    return cli;
  };
  const project = async (): Promise<TempProject> => {
    const copy = await copyProject('small');
    projects.push(copy);
    return copy;
  };
  afterEach(async () => {
    // A failed assertion must not leave a watcher or scheduler (and its browsers) running.
    for (const cli of started.splice(0)) {
      cli.kill('SIGKILL');
      await cli.exited;
    }
    for (const copy of projects.splice(0)) await copy.remove();
  });

  it('the crontab line (render --quiet) prints only the summary on stderr, then 0 rendered when unchanged, and exits 1 on an invalid row', async () => {
    const p = await project();
    await writeFile(p.path('datasets', 'feed.csv'), `${HEADER}${ADA}`);
    const first = await runCli(['render', 'datasets/feed.csv', '--template', 'card', '--quiet'], { cwd: p.dir });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toBe('');
    expect(first.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(SUMMARY_LINE)]);
    expect(first.stderr).toMatch(/ 1 rendered \(1 new, 0 changed, 0 unchanged\), 0 failed/);
    expect(await listVideos(p.path('outputs', 'card'))).toEqual(['ada-landscape.mp4']);

    const second = await runCli(['render', 'datasets/feed.csv', '--template', 'card', '--quiet'], { cwd: p.dir });
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toBe('');
    expect(second.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(/ 0 rendered \(0 new, 0 changed, 1 unchanged\), 0 failed/)]);

    await appendFile(p.path('datasets', 'feed.csv'), 'bob,Bob,not-a-colour,7,,ocean\n');
    const invalid = await runCli(['render', 'datasets/feed.csv', '--template', 'card', '--quiet'], { cwd: p.dir });
    expect(invalid.code, invalid.stderr).toBe(1);
    expect(invalid.stdout).toBe('');
    expect(invalid.stderr).toMatch(/feed\.csv line 3, column "accent": expected a colour/);
    expect(summaryLines(invalid.stderr)).toEqual([expect.stringMatching(/ 0 rendered .*, 0 failed, 1 invalid/)]);
  });

  it('watch renders a CSV written in two pieces once, files it under done/ with its summary, files an all-invalid one under failed/, and stops on SIGINT', async () => {
    const p = await project();
    const inbox = p.path('inbox');
    await mkdir(inbox);
    const watcher = startCli(['watch', 'inbox', '--template', 'card', '--stable-ms', '300', '--verbose'], { cwd: p.dir });
    const stderr = stderrOf(watcher);
    await stderr.waitFor((t) => /Watching inbox/.test(t), 'the watcher to start');

    // First half: the header and Ada. The watcher must see it, but not take it while the rest is still coming.
    const half = `${HEADER}${ADA_NO_LOGO}`;
    await writeFile(p.path('inbox', 'people.csv'), half);
    await stderr.waitFor((t) => t.includes(`people.csv: waiting until it is completely written (${Buffer.byteLength(half)} bytes)`), 'the watcher to see the first half');
    await appendFile(p.path('inbox', 'people.csv'), GRACE);

    const watcherStderr = { detail: () => `stderr:\n${stderr.text()}` };
    await pollUntil('people.csv in done/', async () => (await listNames(p.path('inbox', 'done'))).includes('people.csv'), watcherStderr);
    expect(await listNames(p.path('inbox', 'done'))).toEqual(['people.csv', 'people.csv.summary.json']);
    expect(await readFile(p.path('inbox', 'done', 'people.csv'), 'utf8')).toBe(`${HEADER}${ADA_NO_LOGO}${GRACE}`);
    const summary = JSON.parse(await readFile(p.path('inbox', 'done', 'people.csv.summary.json'), 'utf8')) as RunSummary;
    expect(summary).toMatchObject({ status: 'completed', exitCode: 0, dataset: p.path('inbox', 'done', 'people.csv') });
    expect(summary.counts).toMatchObject({ rows: 2, invalid: 0, rendered: 2, failed: 0 });
    expect(await listVideos(p.path('outputs', 'card'))).toEqual(['ada-landscape.mp4', 'grace-landscape.mp4']);

    await writeFile(p.path('inbox', 'broken.csv'), ALL_INVALID);
    await pollUntil('broken.csv in failed/', async () => (await listNames(p.path('inbox', 'failed'))).includes('broken.csv.report.txt'), watcherStderr);
    expect(await listNames(p.path('inbox', 'failed'))).toEqual(['broken.csv', 'broken.csv.report.txt', 'broken.csv.summary.json']);
    const report = await readFile(p.path('inbox', 'failed', 'broken.csv.report.txt'), 'utf8');
    expect(report).toMatch(/broken\.csv line 2, column "accent": expected a colour like "#4f46e5" or "#fff", got "not-a-colour"/);
    expect(report).toMatch(/broken\.csv line 3, column "score": expected a number, got "twelve"/);

    watcher.kill('SIGINT');
    const result = await watcher.exited;
    expect(result.code, result.stderr).toBe(0);
    expect(await listNames(inbox)).not.toContain('people.csv');
    expect(await listNames(p.path('inbox', 'processing'))).toEqual([]);
    // Each row was rendered exactly once, and each file's summary is logged once.
    expect(renderedJobs(p.dir)).toEqual(['ada#landscape', 'grace#landscape']);
    expect(summaryLines(result.stderr)).toHaveLength(2);
  });

  it('watch resolves a dropped file\'s relative image paths against the inbox: a logo next to it renders, a missing one fails only its row, naming the path', async () => {
    const p = await project();
    const inbox = p.path('inbox');
    await mkdir(p.path('inbox', 'logos'), { recursive: true });
    await copyFile(p.path('datasets', 'assets', 'logo.svg'), p.path('inbox', 'logos', 'acme.svg'));
    const watcher = startCli(['watch', 'inbox', '--template', 'card', '--stable-ms', '300'], { cwd: p.dir });
    const stderr = stderrOf(watcher);
    await stderr.waitFor((t) => /Watching inbox/.test(t), 'the watcher to start');

    // The watcher reads the file from inbox/processing/; "logos/acme.svg" still means inbox/logos/acme.svg.
    await writeFile(p.path('inbox', 'logos.csv'), `${HEADER}ada,Ada Lovelace,#ff0000,42,logos/acme.svg,ocean\ngrace,Grace Hopper,#00c000,7,logos/missing.svg,forest\n`);
    await pollUntil('logos.csv in done/', async () => (await listNames(p.path('inbox', 'done'))).includes('logos.csv.summary.json'), {
      detail: () => `stderr:\n${stderr.text()}`,
    });
    const summary = JSON.parse(await readFile(p.path('inbox', 'done', 'logos.csv.summary.json'), 'utf8')) as RunSummary;
    expect(summary).toMatchObject({ status: 'completed', exitCode: 1 });
    expect(summary.counts).toMatchObject({ rows: 2, invalid: 1, rendered: 1, failed: 0 });
    expect(await listVideos(p.path('outputs', 'card'))).toEqual(['ada-landscape.mp4']);
    expect(renderedJobs(p.dir)).toEqual(['ada#landscape']);
    const missing = path.join(inbox, 'logos', 'missing.svg');
    expect(stderr.text()).toContain(
      `logos.csv line 3, column "logo": image file not found: "logos/missing.svg" (looked for ${missing}). ` +
        `Relative image paths start in the assets folder (${inbox}): check the spelling, put the file there, or use an https:// URL.`,
    );

    watcher.kill('SIGINT');
    const result = await watcher.exited;
    expect(result.code, result.stderr).toBe(0);
    expect(summaryLines(result.stderr)).toHaveLength(1);
  });

  it('reproduce re-renders videos from a watched inbox with identical frames: the journal follows each file into done/, a same-named second drop included', async () => {
    const p = await project();
    await mkdir(p.path('inbox'));
    const watcher = startCli(['watch', 'inbox', '--template', 'card', '--stable-ms', '300'], { cwd: p.dir });
    const stderr = stderrOf(watcher);
    await stderr.waitFor((t) => /Watching inbox/.test(t), 'the watcher to start');
    // "<name> → done/<final name>" is logged once the move is recorded in the journal.
    const filed = (text: string): string[] => text.split('\n').filter((line) => line.includes('people.csv → done/'));
    await writeFile(p.path('inbox', 'people.csv'), `${HEADER}${ADA_NO_LOGO}${GRACE}`);
    await stderr.waitFor((t) => filed(t).length === 1, 'people.csv to be filed');
    // The same name again, with Grace changed and Linus new: it is filed as done/people.<timestamp>.csv.
    await writeFile(p.path('inbox', 'people.csv'), `${HEADER}grace,Grace Hopper,#00c000,8,,forest\nlinus,Linus Torvalds,#0000ff,99,,forest\n`);
    await stderr.waitFor((t) => filed(t).length === 2, 'the second people.csv to be filed');
    watcher.kill('SIGINT');
    const stopped = await watcher.exited;
    expect(stopped.code, stopped.stderr).toBe(0);

    const second = (await listNames(p.path('inbox', 'done'))).find((name) => /^people\..+Z\.csv$/.test(name)) ?? '';
    expect(second, 'the second file is filed under a timestamped name').not.toBe('');
    expect(await listNames(p.path('inbox', 'processing'))).toEqual([]);
    // Oldest first: each run names the file it read, where that file is now.
    const runs = readJournal(p.dir, (journal) => journal.listRuns().reverse());
    expect(runs.map((run) => run.dataset)).toEqual([p.path('inbox', 'done', 'people.csv'), p.path('inbox', 'done', second)]);
    expect(renderedJobs(p.dir)).toEqual(['ada#landscape', 'grace#landscape', 'grace#landscape', 'linus#landscape']);

    // Ada was last rendered from the first file, Grace (score 8) from the second: reproducing either one from the
    // other file would fail (row not found, or "row changed").
    for (const [row, run] of [['ada', runs[0]], ['grace', runs[1]]] as const) {
      const video = path.join('outputs', 'card', `${row}-landscape.mp4`);
      const before = await fingerprint(p.path(video));
      const result = await runCli(['reproduce', video, '--json'], { cwd: p.dir });
      expect(result.code, result.stderr).toBe(0);
      expect(JSON.parse(result.stdout) as ReproduceVideoResult).toMatchObject({ identical: true, rowKey: row, runId: run?.id, originalFrames: 10, identicalFrames: 10 });
      expect(await fingerprint(p.path(video))).toEqual(before);
    }
  });

  it('schedule runs render on a 6-field cron, never overlapping a run still going, and stops on SIGINT', async () => {
    const p = await project();
    // 300 ms a frame makes the row's 10 frames last ≥ 3 s on any machine, and --force makes every run render it:
    // each run outlasts the 2 s interval, so the ticks in between must skip.
    await writeFile(p.path('datasets', 'feed.csv'), 'id,name,accent,score,logo,theme,frame_ms\nada,Ada Lovelace,#ff0000,42,assets/logo.svg,ocean,300\n');
    const scheduler = startCli(['schedule', '*/2 * * * * *', 'render', 'datasets/feed.csv', '--template', 'card', '--force'], { cwd: p.dir });
    const stderr = stderrOf(scheduler);
    await stderr.waitFor((t) => summaryLines(t).length >= 2, 'two scheduled runs');
    scheduler.kill('SIGINT');
    const result = await scheduler.exited;
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/^Scheduled "\*\/2 \* \* \* \* \*": next run \S+ \(Ctrl-C to stop\)\.$/m);

    const runs = readJournal(p.dir, (journal) => journal.listRuns({ limit: 1000 }));
    const finished = runs.filter((run) => run.status === 'completed');
    expect(finished.length).toBeGreaterThanOrEqual(2);
    // One summary line per finished run, not one per logger.
    expect(summaryLines(result.stderr)).toHaveLength(finished.length);
    const byStart = [...runs].sort((a, b) => a.startedAt - b.startedAt);
    for (let i = 1; i < byStart.length; i++) {
      const previous = byStart[i - 1]!;
      expect(previous.endedAt, `run ${previous.id} has no end`).not.toBeNull();
      expect(byStart[i]!.startedAt, `run ${byStart[i]!.id} started before ${previous.id} ended`).toBeGreaterThanOrEqual(previous.endedAt ?? Infinity);
    }
    expect(result.stderr).toMatch(/skipped: previous run still going/);
  });

  it('--notify POSTs one signed summary to a loopback server, a closed server does not fail the run, and --on-complete gets the summary on stdin', async () => {
    const p = await project();
    await writeFile(p.path('datasets', 'feed.csv'), `${HEADER}${ADA}`);
    await writeFile(
      p.path('on-complete.mjs'),
      "import { readFileSync, writeFileSync } from 'node:fs';\nwriteFileSync(process.argv[2], readFileSync(0));\n",
    );
    const secret = 'e2e-notify-secret';
    const received: { method: string | undefined; url: string | undefined; headers: IncomingHttpHeaders; body: string }[] = [];
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        received.push({ method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    const env = { REELWRIGHT_NOTIFY_SECRET: secret };
    try {
      const result = await runCli(
        ['render', 'datasets/feed.csv', '--template', 'card', '--quiet', '--notify', url, '--on-complete', 'node on-complete.mjs hook-summary.json'],
        { cwd: p.dir, env },
      );
      expect(result.code, result.stderr).toBe(0);
      expect(received).toHaveLength(1);
      const [delivery] = received;
      expect(delivery).toMatchObject({ method: 'POST', url: '/hook' });
      expect(delivery!.headers[DELIVERY_HEADER.toLowerCase()]).toBeTruthy();
      const verdict = verifyNotificationSignature({
        body: delivery!.body,
        timestamp: delivery!.headers[TIMESTAMP_HEADER.toLowerCase()] as string | undefined,
        signature: delivery!.headers[SIGNATURE_HEADER.toLowerCase()] as string | undefined,
        secret,
      });
      expect(verdict).toEqual({ valid: true });
      expect(verifyNotificationSignature({ body: delivery!.body, timestamp: delivery!.headers[TIMESTAMP_HEADER.toLowerCase()] as string, signature: delivery!.headers[SIGNATURE_HEADER.toLowerCase()] as string, secret: 'wrong' })).toEqual({ valid: false, reason: 'mismatch' });
      const notified = JSON.parse(delivery!.body) as Record<string, unknown>;
      const hookSummary = JSON.parse(await readFile(p.path('hook-summary.json'), 'utf8')) as RunSummary;
      expect(hookSummary).toMatchObject({ status: 'completed', exitCode: 0, counts: { rendered: 1, failed: 0 } });
      expect(JSON.stringify(notified)).toContain(hookSummary.runId);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }

    // The server is gone: the notification fails after its retries, the run does not.
    const down = await runCli(['render', 'datasets/feed.csv', '--template', 'card', '--quiet', '--notify', url], { cwd: p.dir, env });
    expect(down.code, down.stderr).toBe(0);
    expect(down.stderr).toMatch(/notification to http:\/\/127\.0\.0\.1:\d+ failed after \d+ attempts?/);
    expect(summaryLines(down.stderr)).toEqual([expect.stringMatching(/ 0 rendered \(0 new, 0 changed, 1 unchanged\)/)]);
    expect(await exists(p.path('outputs', 'card', 'ada-landscape.mp4'))).toBe(true);
  });
});
