/**
 * Issue 9 through the real binary: `reelwright render <dataset> -t <id> --queue redis://… --shared <dir>` as a user
 * types it (the coordinator wiring in `cli/commands/render.ts`), against a real `redis-server` and two real
 * `reelwright worker` processes (one browser each, own state folders, one shared folder).
 * test/e2e/queue.test.ts covers the faults at the API level; this file covers the CLI path.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeMedia } from '../../src/media/index.js';
import type { RunSummary } from '../../src/run/index.js';
import { lastJsonEvent, runCli, startCli, type CliProcess } from '../helpers/cli.js';
import { copyProject, listNames, listVideos, readJournal, renderedJobs, type TempProject } from '../helpers/project.js';
import { startRedisServer, type RedisServer } from '../helpers/redis-server.js';

const ROWS = ['ada', 'grace', 'linus'];
const NO_SHARED_ENV = { REELWRIGHT_SHARED_DIR: '' };

/** Worker events (`reelwright worker --json`) of one type. */
function eventsOf(worker: CliProcess, type: string): Record<string, unknown>[] {
  return worker.stdoutLines
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((event) => event['type'] === type);
}

describe('reelwright render --queue through the binary, with two worker processes', () => {
  let redis: RedisServer;
  let project: TempProject;
  let scratch: string;
  let shared: string;
  let render: string[];
  const workers: CliProcess[] = [];

  beforeAll(async () => {
    redis = await startRedisServer();
    project = await copyProject('small');
    scratch = await mkdtemp(path.join(tmpdir(), 'rw-cli-queue-'));
    shared = path.join(scratch, 'shared');
    await mkdir(shared); // one machine: the shared folder is a local one (workers refuse a missing folder)
    render = ['render', 'datasets/people.csv', '--template', 'card', '--queue', redis.url(0), '--shared', shared, '--json'];
    for (const name of ['w1', 'w2']) {
      workers.push(
        startCli(
          ['worker', '--queue', redis.url(0), '--shared', shared, '--state-dir', path.join(scratch, `state-${name}`), '--concurrency', '1', '--name', name, '--json'],
          { cwd: project.dir, env: NO_SHARED_ENV },
        ),
      );
    }
    await Promise.all(workers.map((w) => w.waitForJson((e) => e['type'] === 'ready')));
  });

  afterAll(async () => {
    // SIGTERM drains (no job is running by now); SIGKILL the group afterwards in case a browser is left.
    for (const worker of workers) worker.kill('SIGTERM');
    const ended = await Promise.all(workers.map((w) => w.exited));
    for (const worker of workers) worker.kill('SIGKILL');
    await redis?.stop();
    await project?.remove();
    if (scratch) await rm(scratch, { recursive: true, force: true });
    expect(ended.map((e) => e.code)).toEqual([0, 0]);
  });

  it('renders every row on the workers, journals it once, copies the MP4s out, and a second run renders nothing', async () => {
    const first = await runCli(render, { cwd: project.dir, env: NO_SHARED_ENV });
    expect(first.code, first.stderr).toBe(0);
    const summary = lastJsonEvent<RunSummary>(first, 'summary');
    expect(summary.counts).toMatchObject({ rows: 3, rendered: 3, failed: 0, invalid: 0 });

    const outDir = project.path('outputs', 'card');
    expect(await listVideos(outDir)).toEqual(ROWS.map((r) => `${r}-landscape.mp4`));
    for (const name of await listVideos(outDir)) {
      const info = await probeMedia({ file: path.join(outDir, name) });
      expect(info.video, name).toMatchObject({ codec: 'h264', pixelFormat: 'yuv420p', width: 160, height: 90, fps: 10, frameCount: 10 });
    }
    expect(renderedJobs(project.dir)).toEqual(ROWS.map((r) => `${r}#landscape`));

    // The workers rendered the jobs (not a local pool): one completion per row, summed over both workers
    // (how they split the three jobs is up to BullMQ).
    const completed = workers.flatMap((w) => eventsOf(w, 'completed'));
    expect(completed.map((e) => e['rowJobId']).sort()).toEqual(ROWS.map((r) => `${r}#landscape`));
    expect(workers.flatMap((w) => eventsOf(w, 'failed'))).toEqual([]);
    // The coordinator copied each MP4 out of the shared folder and deleted it there.
    const runOutputs = await listNames(path.join(shared, 'outputs'));
    for (const run of runOutputs) expect(await listNames(path.join(shared, 'outputs', run))).toEqual([]);

    // Incremental through the queue path: nothing to render, no job reaches a worker.
    const again = await runCli(render, { cwd: project.dir, env: NO_SHARED_ENV });
    expect(again.code, again.stderr).toBe(0);
    expect(lastJsonEvent<RunSummary>(again, 'summary').counts).toMatchObject({ rows: 3, rendered: 0, failed: 0 });
    expect(renderedJobs(project.dir)).toEqual(ROWS.map((r) => `${r}#landscape`));
    expect(workers.flatMap((w) => eventsOf(w, 'started'))).toHaveLength(3);
  });

  it('exits with code 2 and names --shared when --queue has no shared folder, before a journal run begins', async () => {
    await using other = await copyProject('small');
    const result = await runCli(['render', 'datasets/people.csv', '--template', 'card', '--queue', redis.url(1)], { cwd: other.dir, env: NO_SHARED_ENV });
    expect(result.code, result.stdout + result.stderr).toBe(2);
    expect(result.stderr).toContain('--shared');
    expect(result.stderr).toContain('REELWRIGHT_SHARED_DIR');
    expect(await listVideos(other.path('outputs', 'card'))).toEqual([]);
    // Checked before the run starts: a template with B-roll would otherwise pay for its clips first.
    expect(readJournal(other.dir, (journal) => journal.listRuns({ limit: 10 }))).toEqual([]);
  });

  it('exits with code 2 naming the folder when --shared does not exist, before a journal run begins', async () => {
    await using other = await copyProject('small');
    const missing = path.join(scratch, 'not-mounted');
    const result = await runCli(['render', 'datasets/people.csv', '--template', 'card', '--queue', redis.url(1), '--shared', missing], { cwd: other.dir, env: NO_SHARED_ENV });
    expect(result.code, result.stdout + result.stderr).toBe(2);
    expect(result.stderr).toContain(missing);
    expect(readJournal(other.dir, (journal) => journal.listRuns({ limit: 10 }))).toEqual([]);
  });
});
