/**
 * A Luma create call that gets no answer, through the real CLI, the real `lumaai` SDK (with a short
 * client timeout from the config) and the real journal: when the generation exists anyway it is found
 * with `GET /generations` and polled on the same attempt (paid once); when it does not, the clip is
 * created again as before.
 */
import { writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { attemptShape, brollProject, creates, runFacts, useProviders, summaryOf } from './providers-harness.js';

/** ray-flash-2 at 540p, 5 s, from the price table. */
const CLIP_USD = 0.14;

describe('a Luma create call that timed out is not paid for twice', () => {
  const providers = useProviders();

  const lists = () => providers.luma.requests.filter((r) => r.method === 'GET' && r.path === '/dream-machine/v1/generations');

  /**
   * Each test renders its own city: an identical request created by the other test seconds earlier would
   * be inside the clock-skew window and be taken for the lost create (see `matchLumaGeneration`).
   */
  async function renderOneCity(city: string) {
    // 1.5 s client timeout: the hanging create fails soon; everything else answers well within it, even on a loaded machine.
    await using project = await brollProject({ providers: { luma: { timeoutMs: 1_500 } } });
    await writeFile(project.path('datasets', 'city.csv'), `id,city\nc1,${city}\n`);
    const result = await runCli(['render', '--concurrency', '1', 'datasets/city.csv', '-t', 'scene-card', '--json'], { cwd: project.dir, env: providers.env });
    expect(result.code, result.stderr).toBe(0);
    const summary = summaryOf(result);
    expect(summary.counts).toMatchObject({ rendered: 1, failed: 0 });
    return { summary, facts: runFacts(project.dir, summary.runId) };
  }

  it('finds the generation the unanswered create made and polls it: one generation, one attempt with its task id and cost', async () => {
    providers.luma.push({ type: 'succeed', lostAnswer: 'hang' });
    const before = { creates: creates(providers.luma.requests).length, generations: providers.luma.generations.size, lists: lists().length };
    const { summary, facts } = await renderOneCity('Lisbon');

    expect(creates(providers.luma.requests).length - before.creates).toBe(1);
    expect(providers.luma.generations.size - before.generations).toBe(1);
    const generationId = [...providers.luma.generations.keys()].at(-1)!;
    // The create got no answer: the mock never sent one.
    expect(creates(providers.luma.requests).at(-1)!.status).toBeNull();
    expect(lists().length - before.lists).toBe(1);
    expect(lists().at(-1)!.query).toEqual({ limit: '20', offset: '0' });

    expect(attemptShape(facts.attempts)).toEqual([['succeeded', null, CLIP_USD]]);
    expect(facts.attempts[0]).toMatchObject({ provider: 'luma', taskId: generationId });
    expect(summary.spendUsd.generation).toBeCloseTo(CLIP_USD, 6);
    // No fallback to Runway either.
    expect(creates(providers.runway.requests)).toHaveLength(0);
  });

  it('creates again when the unanswered create made no generation (the request never reached Luma)', async () => {
    providers.luma.push({ type: 'hang' });
    const before = { creates: creates(providers.luma.requests).length, generations: providers.luma.generations.size, lists: lists().length };
    const { summary, facts } = await renderOneCity('Osaka');

    expect(creates(providers.luma.requests).length - before.creates).toBe(2);
    expect(providers.luma.generations.size - before.generations).toBe(1);
    expect(lists().length - before.lists).toBe(1);
    expect(attemptShape(facts.attempts)).toEqual([
      ['failed', 'RW_PROVIDER_TIMEOUT', 0],
      ['succeeded', null, CLIP_USD],
    ]);
    expect(facts.attempts.map((a) => a.taskId)).toEqual([null, [...providers.luma.generations.keys()].at(-1)]);
    expect(summary.spendUsd.generation).toBeCloseTo(CLIP_USD, 6);
  });
});
