/**
 * A real `render` SIGKILLed while it polls a paid Runway task: the next `render` polls the same
 * task id (journaled right after the create call) instead of paying for a new one, and nothing the
 * killed process left on disk (journal, WAL, lock) holds a key.
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { runCli, startCli } from '../helpers/cli.js';
import { listVideos, readJournal } from '../helpers/project.js';
import { brollProject, creates, listFiles, LUMA_KEY, RUNWAY_KEY, runFacts, useProviders, summaryOf, waitForRequest } from './providers-harness.js';

describe('a render killed while polling a provider task', () => {
  // The task stays RUNNING until the test lets it finish.
  const providers = useProviders({ runway: { script: [{ type: 'never' }] } });

  it('resumes by polling the same task id: exactly one create call for the clip, one attempt, one bill', async () => {
    await using project = await brollProject();
    const cli = startCli(['render', '--concurrency', '1', 'datasets/one-city.csv', '-t', 'runway-card', '--json'], { cwd: project.dir, env: providers.env });
    // Two polls of the task: its id is journaled and the process is in its polling loop.
    const isPoll = (r: { method: string; path: string }) => r.method === 'GET' && r.path.startsWith('/v1/tasks/');
    await waitForRequest(providers.runway, (_r, all) => all.filter(isPoll).length >= 2, cli.exited);
    cli.kill('SIGKILL');
    const killed = await cli.exited;
    expect(killed.signal).toBe('SIGKILL');

    const created = creates(providers.runway.requests);
    expect(created).toHaveLength(1);
    const [task] = [...providers.runway.tasks.values()];
    expect(task!.phase).toBe('RUNNING');
    const pollsBeforeKill = providers.runway.requests.filter(isPoll).length;

    // What the killed process left behind — journal, its WAL, the lock — holds no key.
    const state = await listFiles(project.path('.reelwright'));
    expect(state.some((f) => f.endsWith('journal.db-wal'))).toBe(true);
    for (const file of state) {
      const bytes = await readFile(file);
      expect(bytes.includes(RUNWAY_KEY), file).toBe(false);
      expect(bytes.includes(LUMA_KEY), file).toBe(false);
    }

    // The provider finishes the task while nobody watches.
    task!.script = { type: 'succeed' };

    const result = await runCli(['render', '--concurrency', '1', 'datasets/one-city.csv', '-t', 'runway-card', '--json'], { cwd: project.dir, env: providers.env });
    expect(result.code, result.stderr).toBe(0);
    const summary = summaryOf(result);
    expect(summary.counts).toMatchObject({ rendered: 1, failed: 0 });
    expect(await listVideos(project.path('outputs', 'runway-card'))).toEqual(['lis.mp4']);

    expect(creates(providers.runway.requests)).toHaveLength(1);
    const pollsAfter = providers.runway.requests.filter(isPoll).slice(pollsBeforeKill);
    expect(pollsAfter.length).toBeGreaterThan(0);
    expect(new Set(pollsAfter.map((r) => r.path))).toEqual(new Set([`/v1/tasks/${task!.id}`]));

    const facts = runFacts(project.dir, summary.runId);
    // The attempt belongs to the killed run; the new run polled it to success.
    expect(facts.attempts).toHaveLength(0);
    const clipId = facts.uses[0]!.clipId;
    const { attempts, runs } = readJournal(project.dir, (journal) => ({ attempts: journal.listAttempts({ clipId }), runs: journal.listRuns() }));
    expect(attempts.map((a) => [a.taskId, a.status, a.costUsd])).toEqual([[task!.id, 'succeeded', 0.24]]);
    expect(runs.map((r) => r.status).sort()).toEqual(['completed', 'interrupted']);
  });
});
