/**
 * One active run per project folder (issue 3), with two real `reelwright render` processes in one project.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RunSummary } from '../../src/run/index.js';
import { lastJsonEvent, startCli as startCliProcess, type CliOptions, type CliProcess } from '../helpers/cli.js';
import { copyProject, listVideos, readJournal, type TempProject } from '../helpers/project.js';

const RENDER = ['render', 'datasets/people.csv', '--template', 'card', '--json'];

describe('two renders in one project', () => {
  let project: TempProject;
  const started: CliProcess[] = [];
  const startCli = (args: readonly string[], options: CliOptions) => {
    const cli = startCliProcess(args, options);
    started.push(cli);
    return cli;
  };
  beforeAll(async () => {
    project = await copyProject('small');
  });
  afterEach(async () => {
    // A failed assertion must not leave a render (and its browsers) holding the project's lock.
    for (const cli of started.splice(0)) {
      cli.kill('SIGKILL');
      await cli.exited;
    }
  });
  afterAll(async () => {
    await project?.remove();
  });

  it('started at once: one renders, the other exits 2 at once with a message naming the running one', async () => {
    const a = startCli(RENDER, { cwd: project.dir });
    const b = startCli(RENDER, { cwd: project.dir });
    const [ra, rb] = await Promise.all([a.exited, b.exited]);
    expect([ra.code, rb.code].sort()).toEqual([0, 2]);
    const aWon = ra.code === 0;
    const [winner, loser, winnerPid] = aWon ? [ra, rb, a.child.pid] : [rb, ra, b.child.pid];
    expect(loser.stderr).toMatch(new RegExp(`Another reelwright run is active in .*: pid ${winnerPid} on host "[^"]+", command "render"`));
    expect(loser.stderr).toMatch(/--wait/);
    expect(loser.wallMs).toBeLessThan(winner.wallMs);
    expect(lastJsonEvent<RunSummary>(winner, 'summary').counts.rendered).toBe(3);
    // The refused run never reached the journal.
    expect(readJournal(project.dir, (journal) => journal.listRuns().length)).toBe(1);
    expect(await listVideos(project.path('outputs', 'card'))).toHaveLength(3);
  });

  it('--wait queues behind the running render, then finds everything up to date', async () => {
    const first = startCli([...RENDER, '--force'], { cwd: project.dir });
    // The plan event comes after the lock is taken: from here on the second one must wait.
    await first.waitForJson((e) => e['type'] === 'plan');
    const second = startCli([...RENDER, '--wait'], { cwd: project.dir });
    const [a, b] = await Promise.all([first.exited, second.exited]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    const firstSummary = lastJsonEvent<RunSummary>(a, 'summary');
    const secondSummary = lastJsonEvent<RunSummary>(b, 'summary');
    expect(firstSummary.counts.rendered).toBe(3);
    expect(secondSummary.counts).toMatchObject({ rendered: 0, upToDate: 3 });
    const [firstRun, secondRun] = readJournal(project.dir, (journal) => [journal.getRun(firstSummary.runId), journal.getRun(secondSummary.runId)]);
    expect(secondRun?.startedAt).toBeGreaterThanOrEqual(firstRun?.endedAt as number);
  });
});
