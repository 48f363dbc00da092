/**
 * Input-moderation refusals are remembered across runs, through the real CLI, the real SQLite journal and the
 * real Runway SDK against the loopback mock: a prompt Runway refused (`SAFETY.INPUT.TEXT`) is not submitted
 * again by the next `render` — its row fails at once saying who refused it, when, why and what to do — `plan`
 * shows it as "refused earlier" outside the estimate, `render` prints that as a plan warning, and
 * `--retry-refused` submits it again.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli } from '../helpers/cli.js';
import { readJournal } from '../helpers/project.js';
import { brollProject, creates, runFacts, useProviders, summaryOf } from './providers-harness.js';

type PlanDoc = {
  totals: { newClips: number; refusedClips: number; money: { totalUsd: number } };
  clips: { status: string; prompt: string; estimate: unknown; refusal: Record<string, unknown> | null }[];
  warnings: string[];
};

const REFUSED_PROMPT = 'Aerial dusk footage of Forbidden City';
const WARNING = /^1 clip was refused by input moderation \(runway\) in an earlier run, so the video that uses it fails without a call to the provider\. Change the prompt or the row's values; or pass --retry-refused to submit it again\.$/;

describe('input-moderation refusals across runs', () => {
  const providers = useProviders();

  it('fails a refused prompt at once on the next render without a provider call, shows it in plan and as a render warning, and submits it again with --retry-refused', async () => {
    // One clip at a time, so the scripted refusal lands on the second row's clip.
    await using project = await brollProject({ clips: { concurrency: 1 } });
    await writeFile(project.path('datasets', 'cities.csv'), 'id,city\nlis,Lisbon\nbad,Forbidden City\n');
    const runway = providers.runway;
    runway.push({ type: 'succeed' }, { type: 'fail', failureCode: 'SAFETY.INPUT.TEXT', failure: 'The prompt was flagged by content moderation.' });
    const refusedCreates = () => creates(runway.requests).filter((r) => (r.body as { promptText: string }).promptText === REFUSED_PROMPT).length;
    const render = (...extra: string[]) => runCli(['render', '--concurrency', '1', 'datasets/cities.csv', '-t', 'runway-card', ...extra], { cwd: project.dir, env: providers.env });

    // Run 1: Runway's input moderation refuses the prompt.
    const first = await render('--json');
    expect(first.code, first.stderr).toBe(1);
    const firstSummary = summaryOf(first);
    expect(firstSummary.counts).toMatchObject({ rendered: 1, failed: 1 });
    const firstFacts = runFacts(project.dir, firstSummary.runId);
    expect(firstFacts.rows.find((r) => r.rowKey === 'bad')?.error?.code).toBe('RW_CLIP_MODERATION_INPUT');
    expect(firstFacts.attempts.filter((a) => a.failureCode === 'SAFETY.INPUT.TEXT').map((a) => a.failureKind)).toEqual(['moderation_input']);
    expect(refusedCreates()).toBe(1);

    // plan: "refused earlier", outside the estimate; exit 1 (that row would fail).
    const plan = await runCli(['plan', 'datasets/cities.csv', '-t', 'runway-card', '--json'], { cwd: project.dir, env: providers.env });
    expect(plan.code, plan.stderr).toBe(1);
    const doc = JSON.parse(plan.stdout) as PlanDoc;
    const schema = JSON.parse(await readFile(path.join(REPO_ROOT, 'schemas', 'plan.schema.json'), 'utf8')) as object;
    const validate = new Ajv2020({ allErrors: true, strict: true }).compile(schema);
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
    expect(doc.totals).toMatchObject({ newClips: 0, refusedClips: 1, money: { totalUsd: 0 } });
    expect(doc.clips).toEqual([
      expect.objectContaining({
        status: 'refused',
        prompt: REFUSED_PROMPT,
        estimate: null,
        refusal: {
          provider: 'runway',
          model: 'gen4.5',
          runId: firstSummary.runId,
          refusedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
          code: 'SAFETY.INPUT.TEXT',
          message: expect.stringContaining('Runway said: "The prompt was flagged by content moderation."'),
        },
      }),
    ]);
    expect(doc.warnings).toEqual([expect.stringMatching(WARNING)]);
    const planText = await runCli(['plan', 'datasets/cities.csv', '-t', 'runway-card'], { cwd: project.dir, env: providers.env });
    expect(planText.stderr).toContain(`clip: refused earlier runway:gen4.5 "${REFUSED_PROMPT}"`);
    expect(planText.stderr).toMatch(/Clips: 1 request → 1 after dedupe \(0 cached, 0 new, 1 refused earlier, 0 shared uses\)\./);
    expect(planText.stderr).toContain('Estimated spend: $0.00');

    // Run 2: no request of any kind; the row fails at once with the "refused earlier" message.
    const before = runway.requests.length;
    const second = await render('--json');
    expect(second.code, second.stderr).toBe(1);
    expect(runway.requests.length).toBe(before);
    const secondSummary = summaryOf(second);
    expect(secondSummary.counts).toMatchObject({ rendered: 0, upToDate: 1, failed: 1 });
    const secondFacts = runFacts(project.dir, secondSummary.runId);
    expect(secondFacts.attempts).toEqual([]);
    expect(secondFacts.rows.find((r) => r.rowKey === 'bad')).toMatchObject({
      status: 'failed',
      error: {
        code: 'RW_CLIP_REFUSED_EARLIER',
        message: expect.stringMatching(
          new RegExp(
            `^B-roll "clip" could not be generated: Refused earlier: runway's input moderation refused clip [0-9a-f]+ \\(gen4\\.5\\) in run ${firstSummary.runId} on \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC, ` +
              `so it is not submitted again\\. Reason: Runway's content moderation refused the prompt.*Runway said: "The prompt was flagged by content moderation\\."\\. ` +
              `Change the prompt or the row's values; or pass --retry-refused to submit it again\\.$`,
          ),
        ),
      },
    });
    // The plan warning is an NDJSON event, before any progress.
    const events = second.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { type: string; stage?: string; message?: string });
    const warningAt = events.findIndex((e) => e.type === 'warning');
    expect(events[warningAt]).toEqual({ type: 'warning', stage: 'plan', message: expect.stringMatching(WARNING) });
    expect(warningAt).toBeLessThan(events.findIndex((e) => e.type === 'progress'));

    // Run 3, without --json: the same warning on stderr, in plan's wording, before the row's failure.
    const third = await render();
    expect(third.code, third.stderr).toBe(1);
    expect(runway.requests.length).toBe(before);
    expect(third.stderr).toMatch(/clips: 0 new, 0 cached, 1 refused earlier \(est\. \$0\.00\)/);
    const warningLine = third.stderr.split('\n').findIndex((l) => l.startsWith('warning: ') && WARNING.test(l.slice('warning: '.length)));
    const failureLine = third.stderr.split('\n').findIndex((l) => l.includes('row bad (line 3, default) failed: B-roll "clip" could not be generated: Refused earlier:'));
    expect(warningLine).toBeGreaterThanOrEqual(0);
    expect(failureLine).toBeGreaterThan(warningLine);

    // Run 4: --retry-refused submits it again; this time Runway accepts it.
    const fourth = await render('--json', '--retry-refused');
    expect(fourth.code, fourth.stderr).toBe(0);
    expect(summaryOf(fourth).counts).toMatchObject({ rendered: 1, upToDate: 1, failed: 0 });
    expect(refusedCreates()).toBe(2);
    expect(fourth.stdout).not.toContain('"type":"warning"');
    readJournal(project.dir, (journal) => expect(journal.listInputRefusals()).toEqual([]));
    const after = await runCli(['plan', 'datasets/cities.csv', '-t', 'runway-card', '--json'], { cwd: project.dir, env: providers.env });
    expect(after.code, after.stderr).toBe(0);
    expect((JSON.parse(after.stdout) as PlanDoc).totals).toMatchObject({ refusedClips: 0 });
    for (const result of [first, second, third, fourth]) expect(result.stderr).not.toContain('MaxListenersExceededWarning');
  });
});
