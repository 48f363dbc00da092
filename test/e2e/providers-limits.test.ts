/**
 * Per-provider limits through the real CLI, measured from the provider's side: the mock never holds
 * more unfinished tasks than the concurrency limit (Runway's default 2, or the config's), and a
 * creates-per-minute limit from the config holds a create back rather than sending it.
 */
import { writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { brollProject, creates, runFacts, sampleOnRequest, useProviders, summaryOf } from './providers-harness.js';

const UNFINISHED = new Set(['THROTTLED', 'PENDING', 'RUNNING']);

describe('per-provider concurrency and create-rate limits', () => {
  // The mock itself would let 10 run at once: only reelwright's limiter holds them back. Tasks run
  // for 12 polls, so clips started together overlap whatever the scheduling.
  const providers = useProviders({ runway: { concurrency: 10, runningPolls: 12 } });

  const unfinishedRunwayTasks = () => [...providers.runway.tasks.values()].filter((t) => UNFINISHED.has(t.phase)).length;

  async function renderThreeCities(config: Parameters<typeof brollProject>[0]): Promise<{ max: number; created: number }> {
    await using project = await brollProject(config);
    await writeFile(project.path('datasets', 'three-cities.csv'), 'id,city\nlis,Lisbon\nosa,Osaka\nrio,Rio\n');
    const before = creates(providers.runway.requests).length;
    const stop = sampleOnRequest(providers.runway, unfinishedRunwayTasks);
    const result = await runCli(['render', '--concurrency', '1', 'datasets/three-cities.csv', '-t', 'runway-card', '--json'], { cwd: project.dir, env: providers.env });
    const max = stop();
    expect(result.code, result.stderr).toBe(0);
    expect(summaryOf(result).counts).toMatchObject({ rendered: 3 });
    return { max, created: creates(providers.runway.requests).length - before };
  }

  it('keeps at most 2 Runway tasks unfinished at once by default', async () => {
    expect(await renderThreeCities({})).toEqual({ max: 2, created: 3 });
  });

  it('keeps to the concurrency the config file sets', async () => {
    expect(await renderThreeCities({ providers: { runway: { concurrency: 1 } } })).toEqual({ max: 1, created: 3 });
  });

  it('holds a Luma create back past the configured creates per minute (here until the clip deadline), never sending it', async () => {
    await using project = await brollProject({ providers: { luma: { requestsPerMinute: 1 } }, clips: { deadlineSeconds: 3 } });
    const result = await runCli(['render', '--concurrency', '1', 'datasets/two-cities.csv', '-t', 'scene-card', '--json'], { cwd: project.dir, env: providers.env });
    expect(result.code, result.stderr).toBe(1);
    const summary = summaryOf(result);
    expect(summary.counts).toMatchObject({ rendered: 1, failed: 1 });
    expect(creates(providers.luma.requests)).toHaveLength(1);
    const facts = runFacts(project.dir, summary.runId);
    // The held-back clip never became a paid attempt, and the outage chain did not kick in.
    expect(facts.attempts.map((a) => `${a.provider}:${a.status}`)).toEqual(['luma:succeeded']);
    expect(creates(providers.runway.requests).some((r) => JSON.stringify(r.body).includes('night'))).toBe(false);
    const failed = facts.rows.find((r) => r.status === 'failed')!;
    expect(failed.error).toEqual({ code: 'RW_CLIP_DEADLINE', message: expect.stringMatching(/the luma create-rate window did not open before the deadline/) });
  });
});
