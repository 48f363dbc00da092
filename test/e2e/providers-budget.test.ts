/**
 * `--budget` through the real CLI: `plan` refuses an estimate over it; `render` starts no paid
 * attempt past it and marks the rows left "skipped: budget" in the journal and the report; a
 * re-run with a larger budget renders them without paying again for finished clips.
 */
import { writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { listVideos } from '../helpers/project.js';
import { brollProject, creates, reportOf, runFacts, useProviders, summaryOf } from './providers-harness.js';

describe('--budget through plan and render', () => {
  const providers = useProviders({ runway: { concurrency: 10 } });

  it('plan refuses an estimate over the budget; render stops paying at it, skips the rest, and a larger budget finishes them without paying twice', async () => {
    await using project = await brollProject();
    await writeFile(project.path('datasets', 'three-cities.csv'), 'id,city\nlis,Lisbon\nosa,Osaka\nrio,Rio de Janeiro\n');
    const args = ['datasets/three-cities.csv', '-t', 'runway-card'];

    // Three new gen4.5 clips at $0.24 each: $0.72.
    const over = await runCli(['plan', ...args, '--budget', '0.5'], { cwd: project.dir, env: providers.env });
    expect(over.code, over.stderr).toBe(1);
    expect(over.stderr).toMatch(/The estimate \$0\.72 is over the \$0\.50 budget/);
    const under = await runCli(['plan', ...args, '--budget', '0.72'], { cwd: project.dir, env: providers.env });
    expect(under.code, under.stderr).toBe(0);
    expect(providers.runway.requests).toHaveLength(0);

    // $0.50 pays for two clips; the third would pass the budget, so it never starts.
    const first = await runCli(['render', '--concurrency', '1', ...args, '--budget', '0.5', '--json'], { cwd: project.dir, env: providers.env });
    expect(first.code, first.stderr).toBe(1);
    const summary = summaryOf(first);
    expect(summary).toMatchObject({ status: 'budget_exceeded', exitCode: 1, counts: { rendered: 2, skipped: 1, failed: 0 } });
    expect(summary.spendUsd.generation).toBeCloseTo(0.48, 6);
    expect(creates(providers.runway.requests)).toHaveLength(2);
    const facts = runFacts(project.dir, summary.runId);
    expect(facts.run.status).toBe('budget_exceeded');
    expect(facts.attempts.map((a) => a.status)).toEqual(['succeeded', 'succeeded']);
    // Which clip reaches the budget check last is up to the scheduler; the row that did is the one skipped.
    const skipped = facts.rows.find((r) => r.status === 'skipped')!;
    const rendered = facts.rows.filter((r) => r.status === 'rendered').map((r) => `${r.rowKey}.mp4`).sort();
    expect(rendered).toHaveLength(2);
    expect(await listVideos(project.path('outputs', 'runway-card'))).toEqual(rendered);
    expect(skipped).toMatchObject({ status: 'skipped', error: { code: 'RW_BUDGET_EXCEEDED', message: expect.stringMatching(/^skipped: budget \(Budget reached: \$0\.48 spent or in flight in this run.*over the \$0\.50 budget/) } });
    const report = await reportOf(summary);
    expect(report.summary.rows).toMatchObject({ rendered: 2, skipped: 1 });
    expect(report.rows.find((r) => r.rowKey === skipped.rowKey)).toMatchObject({ status: 'skipped', errorCode: 'RW_BUDGET_EXCEEDED', reason: expect.stringMatching(/^skipped: budget/), generationMicros: 0 });
    expect(report.summary.budget).toEqual({ limitMicros: 500_000, usedMicros: 480_000, usedFraction: 0.96 });
    expect(report.summary.spend.generationMicros).toBe(480_000);

    // A larger budget: only the skipped row is generated and rendered; the finished ones are up to date.
    const second = await runCli(['render', '--concurrency', '1', ...args, '--budget', '1', '--json'], { cwd: project.dir, env: providers.env });
    expect(second.code, second.stderr).toBe(0);
    const resumed = summaryOf(second);
    expect(resumed).toMatchObject({ status: 'completed', counts: { rendered: 1, upToDate: 2, skipped: 0 } });
    expect(runFacts(project.dir, resumed.runId).rows.filter((r) => r.status === 'rendered').map((r) => r.rowKey)).toEqual([skipped.rowKey]);
    expect(resumed.spendUsd.generation).toBeCloseTo(0.24, 6);
    expect(creates(providers.runway.requests)).toHaveLength(3);
    expect(creates(providers.runway.requests).map((r) => (r.body as { promptText: string }).promptText).sort()).toEqual([
      'Aerial dusk footage of Lisbon',
      'Aerial dusk footage of Osaka',
      'Aerial dusk footage of Rio de Janeiro',
    ]);
    expect(await listVideos(project.path('outputs', 'runway-card'))).toEqual(['lis.mp4', 'osa.mp4', 'rio.mp4']);
  });
});

describe('--budget and a Runway create call that got no answer', () => {
  // The first create makes a task (which Runway bills) but its answer never comes; Runway cannot list tasks.
  const providers = useProviders({ runway: { concurrency: 10, script: [{ type: 'succeed', lostAnswer: 'hang' }] } });

  it('counts the lost create at its list price: the budget stops a third task that the $0 it used to record would have let through', async () => {
    await using project = await brollProject({ providers: { runway: { timeoutMs: 1_500 } } });
    await writeFile(project.path('datasets', 'two-cities.csv'), 'id,city\nlis,Lisbon\nosa,Osaka\n');
    const result = await runCli(['render', '--concurrency', '1', 'datasets/two-cities.csv', '-t', 'runway-card', '--budget', '0.5', '--json'], {
      cwd: project.dir,
      env: providers.env,
    });
    expect(result.code, result.stderr).toBe(1);
    const summary = summaryOf(result);
    expect(summary).toMatchObject({ status: 'budget_exceeded', counts: { rendered: 1, skipped: 1, failed: 0 } });
    // Two create calls, two tasks at Runway ($0.48, within the budget), one of them unseen by reelwright. Counted at $0,
    // the lost create would have let a third create through ($0.72).
    expect(creates(providers.runway.requests)).toHaveLength(2);
    expect(providers.runway.tasks.size).toBe(2);
    expect(result.stderr).toMatch(/attempt 1: the create call got no answer, so runway may have made \(and may bill\) a task that reelwright cannot see; check the runway dashboard \(RW_PROVIDER_TIMEOUT\)/);

    const facts = runFacts(project.dir, summary.runId);
    const lost = facts.attempts.filter((a) => a.costUsd === null);
    expect(lost).toHaveLength(1);
    expect(lost[0]).toMatchObject({ status: 'failed', failureCode: 'RW_PROVIDER_TIMEOUT', taskId: null, costSource: expect.stringMatching(/^unknown \(list price \$0\.24\)/) });
    expect(facts.rows.find((r) => r.status === 'skipped')).toMatchObject({
      error: { code: 'RW_BUDGET_EXCEEDED', message: expect.stringMatching(/\(with \$0\.24 at list price for attempts of unknown cost\)/) },
    });
    // Known spend is what Runway confirmed; the report lists the lost create as unknown cost at its list price.
    expect(summary.spendUsd.generation).toBeCloseTo(0.24, 6);
    expect(summary.spendUsd.unknown).toBeCloseTo(0.24, 6);
    const report = await reportOf(summary);
    expect(report.summary.ledger).toMatchObject({ unknownCostAttempts: 1, unknownCostEstimateMicros: 240_000 });
  });
});
