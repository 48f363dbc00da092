/**
 * API keys never leave the environment: with recognizable fake keys (and a wrong one, so the
 * error paths run too), nothing reelwright writes or prints — journal bytes (database, WAL, lock),
 * clip cache, logs on stderr/stdout (verbose, SDK debug on), plan JSON, CSV/JSON/HTML reports,
 * error messages, `providers` output — contains any of them.
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { runCli, type CliResult } from '../helpers/cli.js';
import { readJournal } from '../helpers/project.js';
import { brollProject, creates, listFiles, LUMA_KEY, RUNWAY_KEY, useProviders, summaryOf } from './providers-harness.js';

/** A key the Runway mock refuses (401): the auth-failure path must not echo it either. */
const WRONG_RUNWAY_KEY = 'rwtest-WRONG-runway-key-c41a9f-DO-NOT-LEAK';
const KEYS = [RUNWAY_KEY, LUMA_KEY, WRONG_RUNWAY_KEY];

describe('keys never appear in anything reelwright writes or prints', () => {
  const providers = useProviders({
    // Lisbon: Luma is down, Runway (the fallback) makes it. Osaka: refused by Luma's moderation.
    luma: { script: [{ type: 'http', status: 500 }, { type: 'http', status: 500 }, { type: 'http', status: 500 }, { type: 'fail', failureReason: 'Contains blacklisted words' }] },
  });

  it('journal database and WAL, cache, logs, plan JSON, reports, errors and providers output hold no key', async () => {
    await using project = await brollProject({ clips: { concurrency: 1 } });
    // lumaai logs every request's headers when DEBUG=true: prove the key is not among them.
    const env = { ...providers.env, DEBUG: 'true' };
    const outputs: CliResult[] = [];
    const run = async (args: string[], extra: Record<string, string> = {}) => {
      const result = await runCli(args, { cwd: project.dir, env: { ...env, ...extra } });
      outputs.push(result);
      return result;
    };

    const plan = await run(['plan', 'datasets/two-cities.csv', '-t', 'scene-card', '--json']);
    expect(plan.code, plan.stderr).toBe(0);
    const render = await run(['render', '--concurrency', '1', 'datasets/two-cities.csv', '-t', 'scene-card', '--verbose']);
    expect(render.code, render.stderr).toBe(1);
    // Again with --json: Lisbon's clip comes from the cache; Osaka's refused prompt is submitted again on request
    // (--retry-refused; a refusal is otherwise remembered) and passes this time.
    const json = await run(['render', '--concurrency', '1', 'datasets/two-cities.csv', '-t', 'scene-card', '--json', '--force', '--retry-refused']);
    expect(json.code, json.stderr).toBe(0);
    expect(creates(providers.runway.requests).length).toBeGreaterThanOrEqual(1);
    // A wrong Runway key: 401s, a failed row and its error message.
    const refused = await run(['render', '--concurrency', '1', 'datasets/one-city.csv', '-t', 'runway-card', '--json', '--verbose'], { RUNWAYML_API_SECRET: WRONG_RUNWAY_KEY });
    expect(refused.code, refused.stderr).toBe(1);
    const refusedSummary = summaryOf(refused);
    const errors = readJournal(project.dir, (journal) => journal.listRows(refusedSummary.runId).map((r) => r.error?.message ?? ''));
    expect(errors.join('\n')).toMatch(/answered 401.*Check RUNWAYML_API_SECRET \(the key is not shown here\)/);
    expect(providers.runway.requests.some((r) => r.headers['authorization'] === `Bearer ${WRONG_RUNWAY_KEY}`)).toBe(true);
    const balances = await run(['providers', '--json']);
    expect(balances.code, balances.stderr).toBe(0);
    await run(['providers'], { RUNWAYML_API_SECRET: WRONG_RUNWAY_KEY });
    await run(['runs']);

    // The keys really were used: the mocks saw them.
    expect(providers.runway.requests.some((r) => r.headers['authorization'] === `Bearer ${RUNWAY_KEY}`)).toBe(true);
    expect(providers.luma.requests.some((r) => r.headers['authorization'] === `Bearer ${LUMA_KEY}`)).toBe(true);

    const printed = outputs.map((o) => `${o.stdout}\n${o.stderr}`).join('\n');
    expect(printed).toMatch(/RUNWAYML_API_SECRET/);
    for (const key of KEYS) expect(printed.includes(key), `a key in CLI output:\n${printed.slice(0, 2000)}`).toBe(false);

    const files = await listFiles(project.dir);
    const names = files.map((f) => f.slice(project.dir.length));
    for (const wanted of ['/.reelwright/journal.db', '/reelwright.config.json']) expect(names).toContain(wanted);
    expect(names.filter((n) => /\/outputs\/[^/]+\/reports\/report-.*\.(csv|json|html)$/.test(n)).length).toBeGreaterThanOrEqual(9);
    expect(names.some((n) => n.startsWith('/.reelwright/clips/'))).toBe(true);
    for (const file of files) {
      const bytes = await readFile(file);
      for (const key of KEYS) expect(bytes.includes(key), `${key} in ${file}`).toBe(false);
    }
  });
});
