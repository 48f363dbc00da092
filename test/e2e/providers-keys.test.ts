/**
 * Provider keys through the real CLI: a missing key stops `render` before anything is spent or
 * rendered, `plan` still prices the batch and names the missing variable, `reelwright providers`
 * reports keys (never printing one), limits and balances, and a bad config file is refused naming
 * the bad key.
 */
import { writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { listVideos, readJournal } from '../helpers/project.js';
import { brollProject, creates, LUMA_KEY, RUNWAY_KEY, useProviders } from './providers-harness.js';

describe('provider keys and settings through the CLI', () => {
  const providers = useProviders();

  it('render without RUNWAYML_API_SECRET exits 2 naming the variable, before any call, row or journal run', async () => {
    await using project = await brollProject();
    const result = await runCli(['render', '--concurrency', '1', 'datasets/two-cities.csv', '-t', 'runway-card', '--json'], { cwd: project.dir, env: { ...providers.env, RUNWAYML_API_SECRET: '' } });
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toMatch(/RUNWAYML_API_SECRET/);
    expect(result.stderr).not.toMatch(/LUMAAI_API_KEY/);
    expect(providers.runway.requests).toHaveLength(0);
    expect(await listVideos(project.path('outputs', 'runway-card'))).toEqual([]);
    expect(readJournal(project.dir, (journal) => journal.listRuns())).toEqual([]);
  });

  it('render refuses up front when only a fallback provider lacks its key (the chain could not be honoured)', async () => {
    await using project = await brollProject();
    const before = providers.luma.requests.length;
    const result = await runCli(['render', '--concurrency', '1', 'datasets/one-city.csv', '-t', 'scene-card', '--json'], { cwd: project.dir, env: { ...providers.env, RUNWAYML_API_SECRET: '' } });
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toMatch(/runway provider needs an API key: set the RUNWAYML_API_SECRET/);
    expect(providers.luma.requests.length).toBe(before);
  });

  it('plan prices the batch without any key and says which keys are missing', async () => {
    await using project = await brollProject();
    const env = { ...providers.env, RUNWAYML_API_SECRET: '', LUMAAI_API_KEY: '' };
    const json = await runCli(['plan', 'datasets/two-cities.csv', '-t', 'runway-card', '--json'], { cwd: project.dir, env });
    expect(json.code, json.stderr).toBe(0);
    const doc = JSON.parse(json.stdout) as { totals: { newClips: number; money: { totalUsd: number; byModel: { provider: string; model: string; usd: number }[] } }; warnings: string[] };
    // gen4.5 at 12 credits/s × 2 s × 2 clips.
    expect(doc.totals.newClips).toBe(2);
    expect(doc.totals.money.totalUsd).toBeCloseTo(0.48, 6);
    expect(doc.totals.money.byModel).toEqual([expect.objectContaining({ provider: 'runway', model: 'gen4.5', usd: 0.48 })]);
    expect(doc.warnings).toEqual([expect.stringMatching(/^RUNWAYML_API_SECRET is not set: .*render refuses to start/)]);
    // The fallback's key counts too.
    const chain = await runCli(['plan', 'datasets/one-city.csv', '-t', 'scene-card'], { cwd: project.dir, env });
    expect(chain.code, chain.stderr).toBe(0);
    expect(chain.stderr).toMatch(/warning: LUMAAI_API_KEY is not set/);
    expect(chain.stderr).toMatch(/warning: RUNWAYML_API_SECRET is not set/);
    expect(chain.stderr).toMatch(/luma:ray-flash-2 1 clip ≈ \$0\.14/);
    expect(providers.runway.requests.length + providers.luma.requests.length).toBe(0);
  });

  it('providers lists each provider, whether its key is set (never the key), its limits and its balance from the API', async () => {
    await using project = await brollProject({ providers: { luma: { baseURL: providers.luma.baseURL, concurrency: 4, requestsPerMinute: 12 } } });
    const { LUMAAI_BASE_URL: _unused, ...envWithoutLumaUrl } = providers.env;
    const result = await runCli(['providers', '--json'], { cwd: project.dir, env: envWithoutLumaUrl });
    expect(result.code, result.stderr).toBe(0);
    const statuses = JSON.parse(result.stdout) as { id: string; keyPresent: boolean; keyVariable: string | null; balanceUsd: number | null; baseURLSource: string | null; limits: unknown; error: string | null }[];
    expect(statuses).toEqual([
      expect.objectContaining({ id: 'local', keyVariable: null, limits: { concurrency: 2, requestsPerMinute: null } }),
      // 1000 credits × $0.01 (GET /v1/organization).
      expect.objectContaining({ id: 'runway', keyVariable: 'RUNWAYML_API_SECRET', keyPresent: true, balanceUsd: 10, baseURLSource: 'env', limits: { concurrency: 2, requestsPerMinute: null }, error: null }),
      // 5000 USD cents (GET /credits), the base URL from the config file.
      expect.objectContaining({ id: 'luma', keyVariable: 'LUMAAI_API_KEY', keyPresent: true, balanceUsd: 50, baseURLSource: 'config', limits: { concurrency: 4, requestsPerMinute: 12 }, error: null }),
    ]);
    expect(providers.runway.requests.filter((r) => r.method === 'GET' && r.path === '/v1/organization')).toHaveLength(1);
    expect(providers.luma.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/credits'))).toHaveLength(1);
    expect(`${result.stdout}${result.stderr}`).not.toContain(RUNWAY_KEY);
    expect(`${result.stdout}${result.stderr}`).not.toContain(LUMA_KEY);

    // Without a key: said so, no balance call, still no key printed.
    const calls = providers.luma.requests.length;
    const text = await runCli(['providers'], { cwd: project.dir, env: { ...envWithoutLumaUrl, LUMAAI_API_KEY: '' } });
    expect(text.code, text.stderr).toBe(0);
    expect(text.stderr).toMatch(/luma .*LUMAAI_API_KEY not set/);
    expect(text.stderr).toMatch(/runway .*RUNWAYML_API_SECRET set .*balance \$10\.00/);
    expect(providers.luma.requests.length).toBe(calls);
    expect(`${text.stdout}${text.stderr}`).not.toContain(RUNWAY_KEY);
  });

  it('a config file with a misspelt or secret key is refused (exit 2) naming the key, before anything runs', async () => {
    await using project = await brollProject();
    await writeFile(project.path('reelwright.config.json'), JSON.stringify({ providers: { runway: { concurency: 3 } } }));
    const render = await runCli(['render', '--concurrency', '1', 'datasets/one-city.csv', '-t', 'runway-card'], { cwd: project.dir, env: providers.env });
    expect(render.code).toBe(2);
    expect(render.stderr).toMatch(/reelwright\.config\.json: unknown key "providers\.runway\.concurency"\. Allowed in providers\.runway: baseURL, timeoutMs, concurrency, requestsPerMinute/);

    await writeFile(project.path('reelwright.config.json'), JSON.stringify({ providers: { luma: { apiKey: LUMA_KEY, requestsPerMinute: 0 } } }));
    const plan = await runCli(['plan', 'datasets/one-city.csv', '-t', 'scene-card'], { cwd: project.dir, env: providers.env });
    expect(plan.code).toBe(2);
    expect(plan.stderr).toMatch(/providers\.luma\.apiKey: API keys are never read from the config file/);
    expect(plan.stderr).toMatch(/providers\.luma\.requestsPerMinute must be >= 1, got 0/);
    expect(plan.stderr).not.toContain(LUMA_KEY);
    expect(creates(providers.runway.requests)).toHaveLength(0);
  });
});
