/**
 * Which provider makes a clip, through the real CLI and the real SDKs: a slot's fallback chain
 * (`luma:ray-flash-2` → `runway:gen4.5`) on an outage but never after a moderation refusal,
 * `--provider`/`--model` for one run, and `--draft` (the slot's `draftModel`, else the local
 * provider), with draft clips cached apart from final ones.
 */
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { readJournal } from '../helpers/project.js';
import { attemptShape, brollProject, creates, reportOf, runFacts, useProviders, summaryOf } from './providers-harness.js';

describe('fallback chains and per-run provider overrides', () => {
  const providers = useProviders({
    luma: {
      script: [
        // Lisbon: Luma is down (every create answers 500) → Runway makes the clip.
        { type: 'http', status: 500 },
        { type: 'http', status: 502 },
        { type: 'http', status: 500 },
        // Osaka: Luma's moderation refuses the prompt → no other provider is asked.
        { type: 'fail', failureReason: 'Contains blacklisted words' },
      ],
    },
  });

  it('falls back from Luma to Runway on an outage, never after a moderation refusal; --provider/--model replace the slot for one run', async () => {
    await using project = await brollProject({ clips: { concurrency: 1 } });
    const result = await runCli(['render', '--concurrency', '1', 'datasets/two-cities.csv', '-t', 'scene-card', '--json'], { cwd: project.dir, env: providers.env });
    expect(result.code, result.stderr).toBe(1);
    const summary = summaryOf(result);
    expect(summary.counts).toMatchObject({ rendered: 1, failed: 1 });

    const facts = runFacts(project.dir, summary.runId);
    const attemptsOf = (row: string) => facts.attempts.filter((a) => a.clipId === facts.uses.find((u) => u.rowKey === row)!.clipId);
    // Three paid-call attempts on Luma (none billed), then Runway at its own resolution and price.
    expect(attemptsOf('lis').map((a) => `${a.provider}:${a.model}`)).toEqual(['luma:ray-flash-2', 'luma:ray-flash-2', 'luma:ray-flash-2', 'runway:gen4.5']);
    expect(attemptShape(attemptsOf('lis'))).toEqual([
      ['failed', 'RW_PROVIDER_UNAVAILABLE', 0],
      ['failed', 'RW_PROVIDER_UNAVAILABLE', 0],
      ['failed', 'RW_PROVIDER_UNAVAILABLE', 0],
      ['succeeded', null, 0.6],
    ]);
    const runwayCreates = creates(providers.runway.requests);
    expect(runwayCreates).toHaveLength(1);
    expect(runwayCreates[0]!.body).toMatchObject({ model: 'gen4.5', ratio: '1280:720', duration: 5, promptText: 'Slow tracking shot through Lisbon at night' });
    expect(creates(providers.luma.requests)[0]!.body).toMatchObject({ model: 'ray-flash-2', resolution: '540p', duration: '5s', aspect_ratio: '16:9' });

    // Moderation: one Luma attempt, no Runway call for Osaka, and the row says why in Luma's words.
    expect(attemptShape(attemptsOf('osa'))).toEqual([['failed', 'Contains blacklisted words', 0]]);
    expect(runwayCreates.some((r) => JSON.stringify(r.body).includes('Osaka'))).toBe(false);
    const osaka = facts.rows.find((r) => r.rowKey === 'osa')!;
    expect(osaka).toMatchObject({ status: 'failed', error: { code: 'RW_CLIP_MODERATION_INPUT', message: expect.stringMatching(/not retried or sent to another provider: Luma's moderation refused words in the prompt.*Luma said: "Contains blacklisted words"/) } });
    const report = await reportOf(summary);
    expect(report.rows.find((r) => r.rowKey === 'osa')).toMatchObject({ status: 'failed', reason: expect.stringContaining('Contains blacklisted words') });
    expect(report.summary.spend.generationMicros).toBe(600_000);

    // --provider/--model for one run: Runway gen4.5 makes every clip, Luma is not called, the slot's chain does not apply.
    const lumaCalls = providers.luma.requests.length;
    const override = await runCli(['render', '--concurrency', '1', 'datasets/one-city.csv', '-t', 'scene-card', '--provider', 'runway', '--model', 'gen4.5', '--json'], { cwd: project.dir, env: providers.env });
    expect(override.code, override.stderr).toBe(0);
    const overridden = summaryOf(override);
    expect(overridden.counts).toMatchObject({ rendered: 1, changedRows: 1 });
    expect(providers.luma.requests.length).toBe(lumaCalls);
    const overrideFacts = runFacts(project.dir, overridden.runId);
    expect(overrideFacts.attempts.map((a) => `${a.provider}:${a.model}:${a.status}`)).toEqual(['runway:gen4.5:succeeded']);
    expect(creates(providers.runway.requests)).toHaveLength(2);

    // --model alone is refused: a model belongs to one provider.
    const modelOnly = await runCli(['render', '--concurrency', '1', 'datasets/one-city.csv', '-t', 'scene-card', '--model', 'ray-2'], { cwd: project.dir, env: providers.env });
    expect(modelOnly.code).toBe(2);
    expect(modelOnly.stderr).toMatch(/model needs .*provider/);
  });

  it('--draft uses each slot’s draftModel, or the local provider without one; draft and final clips have different ids and caches', async () => {
    await using project = await brollProject();
    const lumaBefore = creates(providers.luma.requests).length;
    const runwayBefore = creates(providers.runway.requests).length;

    const plan = await runCli(['plan', 'datasets/one-city.csv', '-t', 'draft-card', '--draft', '--json'], { cwd: project.dir, env: providers.env });
    expect(plan.code, plan.stderr).toBe(0);
    const doc = JSON.parse(plan.stdout) as { clips: { provider: string; model: string; draft: boolean }[]; totals: { money: { totalUsd: number } } };
    expect(doc.clips.map((c) => `${c.provider}:${c.model}:${c.draft}`).sort()).toEqual(['local:placeholder-v1:true', 'luma:ray-flash-2:true']);
    expect(doc.totals.money.totalUsd).toBeCloseTo(0.14, 6);

    const draft = await runCli(['render', '--concurrency', '1', 'datasets/one-city.csv', '-t', 'draft-card', '--draft', '--json'], { cwd: project.dir, env: providers.env });
    expect(draft.code, draft.stderr).toBe(0);
    const draftSummary = summaryOf(draft);
    expect(creates(providers.luma.requests).slice(lumaBefore).map((r) => (r.body as { model: string }).model)).toEqual(['ray-flash-2']);
    expect(creates(providers.runway.requests).length).toBe(runwayBefore);
    const draftUses = runFacts(project.dir, draftSummary.runId).uses;
    expect(draftUses.map((u) => `${u.slot}:${u.origin}`).sort()).toEqual(['backdrop:local', 'hero:generated']);

    const final = await runCli(['render', '--concurrency', '1', 'datasets/one-city.csv', '-t', 'draft-card', '--json'], { cwd: project.dir, env: providers.env });
    expect(final.code, final.stderr).toBe(0);
    const finalSummary = summaryOf(final);
    expect(finalSummary.counts).toMatchObject({ rendered: 1 });
    expect(creates(providers.luma.requests).slice(lumaBefore).map((r) => (r.body as { model: string }).model)).toEqual(['ray-flash-2', 'ray-2']);
    expect(creates(providers.runway.requests).slice(runwayBefore).map((r) => (r.body as { model: string }).model)).toEqual(['gen4.5']);
    const finalUses = runFacts(project.dir, finalSummary.runId).uses;
    for (const slot of ['hero', 'backdrop']) {
      const draftId = draftUses.find((u) => u.slot === slot)!.clipId;
      const finalId = finalUses.find((u) => u.slot === slot)!.clipId;
      expect(finalId, slot).not.toBe(draftId);
    }
    const requests = readJournal(project.dir, (journal) => Object.fromEntries(finalUses.concat(draftUses).map((u) => [u.clipId, journal.getClip(u.clipId)?.request])));
    expect(Object.values(requests).map((r) => `${r?.provider}:${r?.model}:${r?.draft}`).sort()).toEqual([
      'local:placeholder-v1:true',
      'luma:ray-2:false',
      'luma:ray-flash-2:true',
      'runway:gen4.5:false',
    ]);

    // Back to drafts: both draft clips come from the cache; nothing is generated or paid again.
    const again = await runCli(['render', '--concurrency', '1', 'datasets/one-city.csv', '-t', 'draft-card', '--draft', '--json'], { cwd: project.dir, env: providers.env });
    expect(again.code, again.stderr).toBe(0);
    const againSummary = summaryOf(again);
    expect(againSummary.counts).toMatchObject({ rendered: 1 });
    expect(againSummary.spendUsd.generation).toBe(0);
    expect(creates(providers.luma.requests).length - lumaBefore).toBe(2);
    expect(creates(providers.runway.requests).length - runwayBefore).toBe(1);
    const againUses = runFacts(project.dir, againSummary.runId).uses;
    expect(againUses.map((u) => `${u.slot}:${u.origin}:${u.clipId === draftUses.find((d) => d.slot === u.slot)!.clipId}`).sort()).toEqual(['backdrop:local:true', 'hero:cache:true']);
  });
});
