/**
 * Provider faults through the whole pipeline (plan → clips → render → journal → report) with the
 * real CLI and the real Runway SDK against the loopback mock: every scripted fault of PROVIDERS.md
 * on its own row, then the journal's attempts, the rows that failed and why, and the report's
 * money checked against each other.
 */
import { writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { listVideos } from '../helpers/project.js';
import type { RunwayMockScript } from '../mocks/runway-mock.js';
import { attemptShape, brollProject, creates, reportOf, runFacts, useProviders, summaryOf } from './providers-harness.js';

/** gen4.5: 12 credits/s × 2 s = 24 credits = $0.24 per generation. */
const CLIP_USD = 0.24;

/** One row per fault, in dataset order (one clip at a time, so each row takes the next scripts). */
const FAULTS: { id: string; city: string; scripts: RunwayMockScript[] }[] = [
  { id: 'throttled', city: 'Throttleton', scripts: [{ type: 'succeed', throttledPolls: 3 }] },
  { id: 'limited', city: 'Ratelimit Bay', scripts: [{ type: 'http', status: 429, headers: { 'retry-after': '1' } }, { type: 'succeed' }] },
  { id: 'flaky', city: 'Flakeville', scripts: [{ type: 'http', status: 500 }, { type: 'http', status: 503 }, { type: 'succeed' }] },
  { id: 'refused', city: 'Forbidden City', scripts: [{ type: 'fail', failureCode: 'SAFETY.INPUT.TEXT', failure: 'The prompt was flagged by content moderation.' }] },
  { id: 'unsafe', city: 'Unsafe Harbor', scripts: [{ type: 'fail', failureCode: 'SAFETY.OUTPUT.VIDEO', failure: 'The output was flagged by content moderation.', credits: 24 }, { type: 'succeed' }] },
  { id: 'black', city: 'Blackpool', scripts: [{ type: 'succeed', output: 'black' }, { type: 'succeed' }] },
  { id: 'frozen', city: 'Frozen Lake', scripts: [{ type: 'succeed', output: 'frozen' }, { type: 'succeed' }] },
  // The first output URL handed out has already expired (403): a fresh read of the task gives a working one.
  { id: 'expired', city: 'Expiry Falls', scripts: [{ type: 'succeed', expiredUrls: 1 }] },
];

describe('Runway faults through plan → render → journal → report', () => {
  const providers = useProviders({ runway: { concurrency: 10, script: FAULTS.flatMap((f) => f.scripts) } });

  it('waits out throttling and 429s, retries 5xx, reseeds after output moderation and QA rejections, never retries input moderation; journal and report agree', async () => {
    // One clip at a time so the scripted faults land on their rows.
    await using project = await brollProject({ clips: { concurrency: 1 } });
    await writeFile(project.path('datasets', 'faults.csv'), `id,city\n${FAULTS.map((f) => `${f.id},${f.city}`).join('\n')}\n`);

    const result = await runCli(['render', '--concurrency', '1', 'datasets/faults.csv', '-t', 'runway-card', '--json'], { cwd: project.dir, env: providers.env });
    expect(result.code, result.stderr).toBe(1);
    const summary = summaryOf(result);
    expect(summary).toMatchObject({ status: 'completed', exitCode: 1, counts: { rows: 8, jobs: 8, rendered: 7, failed: 1, skipped: 0 } });
    expect(await listVideos(project.path('outputs', 'runway-card'))).toEqual(['black.mp4', 'expired.mp4', 'flaky.mp4', 'frozen.mp4', 'limited.mp4', 'throttled.mp4', 'unsafe.mp4']);

    const facts = runFacts(project.dir, summary.runId);
    const byRow = new Map(facts.uses.map((u) => [u.rowKey, facts.attempts.filter((a) => a.clipId === u.clipId)]));
    expect(Object.fromEntries([...byRow].map(([row, attempts]) => [row, attemptShape(attempts)]))).toEqual({
      throttled: [['succeeded', null, CLIP_USD]],
      limited: [['failed', 'RW_PROVIDER_RATE_LIMITED', 0], ['succeeded', null, CLIP_USD]],
      flaky: [['failed', 'RW_PROVIDER_UNAVAILABLE', 0], ['failed', 'RW_PROVIDER_UNAVAILABLE', 0], ['succeeded', null, CLIP_USD]],
      refused: [['failed', 'SAFETY.INPUT.TEXT', 0]],
      unsafe: [['failed', 'SAFETY.OUTPUT.VIDEO', CLIP_USD], ['succeeded', null, CLIP_USD]],
      black: [['rejected', 'RW_CLIP_QA_BLACK', CLIP_USD], ['succeeded', null, CLIP_USD]],
      frozen: [['rejected', 'RW_CLIP_QA_FROZEN', CLIP_USD], ['succeeded', null, CLIP_USD]],
      expired: [['succeeded', null, CLIP_USD]],
    });
    // Costs come from what Runway reported, not from the price table.
    expect(facts.attempts.filter((a) => a.status === 'succeeded').every((a) => a.costSource === 'runway reported cost')).toBe(true);
    // The 429's retry-after (1 s) was honoured before the next create.
    const limited = byRow.get('limited')!;
    expect(limited[1]!.startedAt - limited[0]!.endedAt!).toBeGreaterThanOrEqual(950);
    // Regenerations after output moderation and QA rejections use a new seed each time.
    for (const row of ['unsafe', 'black', 'frozen']) {
      const [first, second] = byRow.get(row)!;
      expect(second!.seed, row).toEqual(expect.any(Number));
      expect(second!.seed, row).not.toBe(first!.seed);
    }
    // Exactly one create call per journaled attempt; the refused prompt was sent once.
    expect(creates(providers.runway.requests)).toHaveLength(facts.attempts.length);
    expect(facts.attempts).toHaveLength(14);
    expect(creates(providers.runway.requests).filter((r) => (r.body as { promptText: string }).promptText.includes('Forbidden City'))).toHaveLength(1);
    // Throttled polls were waited out, not failed.
    const throttledTask = facts.attempts.find((a) => a.clipId === facts.uses.find((u) => u.rowKey === 'throttled')!.clipId)!.taskId!;
    expect(providers.runway.tasks.get(throttledTask)!.polls).toBeGreaterThanOrEqual(4);
    // Output URLs expire: the clip is downloaded right after the poll that reported it, and an expired
    // URL is replaced by re-reading the task, not by paying for a new generation.
    const expiredTask = byRow.get('expired')![0]!.taskId!;
    const log = providers.runway.requests.map((r) => `${r.method} ${r.path} ${r.status}`);
    const firstDownload = log.findIndex((line) => line.startsWith(`GET /_outputs/${expiredTask}/`));
    expect(log.slice(firstDownload - 1, firstDownload + 3)).toEqual([
      `GET /v1/tasks/${expiredTask} 200`,
      expect.stringMatching(new RegExp(`^GET /_outputs/${expiredTask}/.*\\.mp4 403$`)),
      `GET /v1/tasks/${expiredTask} 200`,
      expect.stringMatching(new RegExp(`^GET /_outputs/${expiredTask}/.*\\.mp4 200$`)),
    ]);

    // The row that failed says why in the provider's own plain words.
    const refused = facts.rows.find((r) => r.rowKey === 'refused')!;
    expect(refused.status).toBe('failed');
    expect(refused.error).toEqual({
      code: 'RW_CLIP_MODERATION_INPUT',
      message: expect.stringMatching(/^B-roll "clip" could not be generated: .*input moderation, so it is not retried.*Runway's content moderation refused the prompt.*Runway said: "The prompt was flagged by content moderation\."/),
    });

    // The report reconciles with the journal, to the micro-dollar.
    const report = await reportOf(summary);
    const paidMicros = facts.attempts.reduce((sum, a) => sum + Math.round((a.costUsd ?? 0) * 1e6), 0);
    expect(paidMicros).toBe(Math.round(10 * CLIP_USD * 1e6));
    expect(report.summary.spend.generationMicros).toBe(paidMicros);
    expect(report.summary.ledger).toMatchObject({ totalMicros: paidMicros, recordedTotalMicros: paidMicros, balanced: true, attempts: 14, unknownCostAttempts: 0 });
    expect(report.summary.rows).toMatchObject({ total: 8, rendered: 7, failed: 1, skipped: 0 });
    expect(report.rows.reduce((sum, r) => sum + r.generationMicros, 0) + report.summary.spend.unattributedMicros).toBe(paidMicros);
    expect(summary.spendUsd.generation).toBeCloseTo(10 * CLIP_USD, 6);
    const reportRow = (key: string) => report.rows.find((r) => r.rowKey === key)!;
    expect(reportRow('refused')).toMatchObject({ status: 'failed', errorCode: 'RW_CLIP_MODERATION_INPUT', reason: expect.stringContaining('Runway said: "The prompt was flagged by content moderation."') });
    expect(reportRow('black').slots[0]).toMatchObject({ attempts: 2, rejectedAttempts: 1, paidMicros: Math.round(2 * CLIP_USD * 1e6), problems: [expect.objectContaining({ status: 'rejected', code: 'RW_CLIP_QA_BLACK' })] });
    expect(reportRow('flaky').slots[0]).toMatchObject({ attempts: 3, failedAttempts: 2, paidMicros: Math.round(CLIP_USD * 1e6) });
    const failures = Object.fromEntries(report.summary.failuresByCode.map((f) => [`${f.status} ${f.code}`, f.count]));
    expect(failures).toEqual({
      'failed RW_PROVIDER_RATE_LIMITED': 1,
      'failed RW_PROVIDER_UNAVAILABLE': 2,
      'failed SAFETY.INPUT.TEXT': 1,
      'failed SAFETY.OUTPUT.VIDEO': 1,
      'rejected RW_CLIP_QA_BLACK': 1,
      'rejected RW_CLIP_QA_FROZEN': 1,
    });
    expect(report.summary.byProvider).toEqual([expect.objectContaining({ provider: 'runway', attempts: 14, succeeded: 7, usableClips: 7, paidMicros })]);
  });

  it('a task that never finishes is cancelled at the clip deadline: its cost is unknown (list price in the report) and the row fails saying so', async () => {
    await using project = await brollProject({ clips: { deadlineSeconds: 1.5 } });
    providers.runway.push({ type: 'never' });
    const before = creates(providers.runway.requests).length;
    const result = await runCli(['render', '--concurrency', '1', 'datasets/one-city.csv', '-t', 'runway-card', '--json'], { cwd: project.dir, env: providers.env });
    expect(result.code, result.stderr).toBe(1);
    const summary = summaryOf(result);
    expect(summary.counts).toMatchObject({ rendered: 0, failed: 1 });
    const facts = runFacts(project.dir, summary.runId);
    // Runway does not report what a task stopped midway bills: unknown, not $0.
    expect(attemptShape(facts.attempts)).toEqual([['cancelled', null, null]]);
    const taskId = facts.attempts[0]!.taskId!;
    // Cancelled at the provider so the abandoned task stops billing.
    expect(providers.runway.requests.filter((r) => r.method === 'DELETE' && r.path === `/v1/tasks/${taskId}`)).toHaveLength(1);
    expect(creates(providers.runway.requests).length - before).toBe(1);
    expect(facts.rows[0]).toMatchObject({ status: 'failed', error: { code: 'RW_CLIP_DEADLINE', message: expect.stringMatching(/did not finish before the deadline/) } });
    const report = await reportOf(summary);
    expect(report.summary.spend.generationMicros).toBe(0);
    expect(report.summary.ledger).toMatchObject({ unknownCostAttempts: 1, unknownCostEstimateMicros: 240_000 });
    expect(report.rows[0]).toMatchObject({ status: 'failed', errorCode: 'RW_CLIP_DEADLINE' });
  });
});
