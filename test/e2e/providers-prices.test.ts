/**
 * Prices and chains checked before any spend, through the real CLI: a user's price table (from
 * `reelwright.config.json`) is what `plan` estimates and what Luma attempts record, and a fallback
 * that cannot make the clip is refused up front instead of halfway through a batch.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { brollProject, runFacts, useProviders, summaryOf } from './providers-harness.js';

const RESELLER_PRICES = {
  entries: [
    { provider: 'luma', model: 'ray-flash-2', resolution: '540p', seconds: 5, params: {}, unit: 'clip', usd: 0.05, source: 'reseller quote #42', date: '2026-11-20' },
    { provider: 'runway', model: 'gen4.5', resolution: null, seconds: null, params: {}, unit: 'second', usd: 0.1, source: 'reseller quote #42', date: '2026-11-20' },
  ],
};

describe('price table overrides and chains checked before any spend', () => {
  const providers = useProviders();

  it('plans and bills Luma at the price table the config names', async () => {
    await using project = await brollProject({ priceTable: 'prices/reseller.json' });
    await mkdir(project.path('prices'));
    await writeFile(project.path('prices', 'reseller.json'), JSON.stringify(RESELLER_PRICES));

    const plan = await runCli(['plan', 'datasets/two-cities.csv', '-t', 'scene-card', '--json'], { cwd: project.dir, env: providers.env });
    expect(plan.code, plan.stderr).toBe(0);
    const doc = JSON.parse(plan.stdout) as { totals: { money: { totalUsd: number; byModel: unknown[] } } };
    expect(doc.totals.money).toEqual({ totalUsd: 0.1, byModel: [{ provider: 'luma', model: 'ray-flash-2', clips: 2, usd: 0.1, source: 'reseller quote #42', date: '2026-11-20' }] });

    const result = await runCli(['render', '--concurrency', '1', 'datasets/one-city.csv', '-t', 'scene-card', '--json'], { cwd: project.dir, env: providers.env });
    expect(result.code, result.stderr).toBe(0);
    const summary = summaryOf(result);
    expect(summary.spendUsd.generation).toBeCloseTo(0.05, 6);
    const [attempt] = runFacts(project.dir, summary.runId).attempts;
    // Luma reports no cost: the attempt records the user's table, with its source and date.
    expect(attempt).toMatchObject({ provider: 'luma', status: 'succeeded', costUsd: 0.05, estimatedCostUsd: 0.05, costSource: 'price table: reseller quote #42 (2026-11-20)' });
    const report = JSON.parse(await readFile(summary.reports!.json, 'utf8')) as { summary: { spend: { generationMicros: number } } };
    expect(report.summary.spend.generationMicros).toBe(50_000);
  });

  it('refuses a fallback that cannot make the clip (an image→video-only model on a text slot) before any call', async () => {
    await using project = await brollProject();
    const scene = await readFile(project.path('templates', 'scene-card', 'index.tsx'), 'utf8');
    await writeFile(project.path('templates', 'scene-card', 'index.tsx'), scene.replace("fallback: ['runway:gen4.5']", "fallback: ['runway:gen4_turbo']"));
    const before = providers.luma.requests.length + providers.runway.requests.length;
    for (const command of ['plan', 'render']) {
      const result = await runCli([command, 'datasets/one-city.csv', '-t', 'scene-card'], { cwd: project.dir, env: providers.env });
      expect(result.code, `${command}: ${result.stderr}`).toBe(2);
      expect(result.stderr).toMatch(/Template "scene-card", B-roll slot "scene": the fallback runway:gen4_turbo cannot make this clip: .*needs an input image \(image→video only\)\. Use gen4\.5/);
    }
    expect(providers.luma.requests.length + providers.runway.requests.length).toBe(before);
  });
});
