import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { inspect } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openJournal } from '../journal/index.js';
import { probeMedia } from '../media/index.js';
import { DirClipCache } from '../../test/mocks/dir-clip-cache.js';
import { createLumaMock } from '../../test/mocks/luma-mock.js';
import { MemoryLedger } from '../../test/mocks/memory-ledger.js';
import { createRunwayMock } from '../../test/mocks/runway-mock.js';
import { seededRandom } from '../../test/mocks/seeded-random.js';
import {
  ClipGenerationError,
  createLumaProvider,
  createRateLimiter,
  createLocalProvider,
  createRunwayProvider,
  DEFAULT_LOCAL_MODEL,
  generateClip,
  openClipCache,
  promptHash,
  toClipCacheWriter,
  toClipId,
} from './index.js';
import type { ClipEvent, ClipProvider, ClipRequest, GenerateClipOptions } from './index.js';
import { ProviderError } from '../errors/index.js';
import { makeClipRequest } from './fixtures/make-clip-request.js';

// Recognizable fake keys: the leak test greps every record for them.
const RUNWAY_KEY = 'key_RUNWAY-SECRET-7f3a9c1e5b2d';
const LUMA_KEY = 'luma-SECRET-d41d8cd98f00b204e98';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'rw-generate-clip-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const runwayRequest = (over: Partial<ClipRequest> = {}): ClipRequest =>
  makeClipRequest({ prompt: 'Aerial dusk footage of Lisbon', seconds: 2, seed: 7, ...over });

const lumaRequest = (over: Partial<ClipRequest> = {}): ClipRequest =>
  makeClipRequest({ provider: 'luma', model: 'ray-flash-2', prompt: 'Aerial dusk footage of Lisbon', resolution: '540p', ...over });

/** Fast, deterministic settings: tiny poll interval and backoff, small output, seeded randomness. */
function fastOptions(ledger: MemoryLedger, events: ClipEvent[] = []) {
  return {
    ledger,
    cache: new DirClipCache(path.join(dir, 'cache')),
    workDir: path.join(dir, 'work'),
    pollIntervalMs: 1,
    retryPolicy: { baseDelayMs: 4, maxDelayMs: 40, jitter: 0.25 },
    output: { width: 256, height: 144 },
    deadlineMs: 30_000,
    random: seededRandom(42),
    onEvent: (event: ClipEvent) => events.push(event),
  } satisfies Partial<GenerateClipOptions>;
}

const outcomes = (ledger: MemoryLedger) =>
  ledger.attempts.map((a) => [a.outcome?.status ?? 'open', a.outcome && 'failureCode' in a.outcome ? a.outcome.failureCode : null, a.outcome?.costUsd ?? null]);

describe('generateClip with Runway', () => {
  it('journals the attempt before the create call and the task id right after, then downloads, checks and caches the clip', async () => {
    await using runway = await createRunwayMock({ apiKey: RUNWAY_KEY });
    const provider = createRunwayProvider({ apiKey: RUNWAY_KEY, baseURL: runway.baseURL });
    const ledger = new MemoryLedger();
    const events: ClipEvent[] = [];
    const request = runwayRequest();
    const clip = await generateClip({ request, provider, ...fastOptions(ledger, events) });

    expect(ledger.calls).toEqual(['begin 1', 'task 1', 'finish 1 succeeded']);
    expect(runway.count('POST', '/v1/text_to_video')).toBe(1);
    const post = runway.requests.find((r) => r.method === 'POST')!;
    expect(post.headers['x-runway-version']).toBe('2024-11-06');
    expect(post.body).toEqual({ model: 'gen4.5', promptText: request.prompt, ratio: '1280:720', duration: 2, seed: 7 });
    // gen4.5 bills 12 credits/s: 2 s = 24 credits = $0.24, as the task reported.
    expect(clip).toMatchObject({ clipId: toClipId(request), attempts: 1, costUsd: 0.24, provider: 'runway', model: 'gen4.5', seed: 7, cached: false });
    expect(clip.taskId).toBe(ledger.attempts[0]!.taskId);
    expect(ledger.attempts[0]).toMatchObject({ attemptNo: 1, promptHash: promptHash(request.prompt), estimatedCostUsd: 0.24, reportedEstimateUsd: 0.24 });
    expect(ledger.attempts[0]!.outcome).toMatchObject({ status: 'succeeded', costUsd: 0.24, costSource: 'runway reported cost', file: clip.file, fileHash: clip.fileHash });
    expect(events.filter((e) => e.type === 'waiting').map((e) => (e as { status: string }).status)).toEqual(['pending', 'running', 'running']);

    const info = await probeMedia({ file: clip.file });
    expect(info.video).toMatchObject({ codec: 'h264', pixelFormat: 'yuv420p', width: 256, height: 144, fps: 30 });
    expect(info.durationSeconds).toBeCloseTo(2, 1);
  });

  it('treats THROTTLED as waiting: no retry, no failure, one POST', async () => {
    await using runway = await createRunwayMock({ apiKey: RUNWAY_KEY, script: [{ type: 'succeed', throttledPolls: 3 }] });
    const provider = createRunwayProvider({ apiKey: RUNWAY_KEY, baseURL: runway.baseURL });
    const ledger = new MemoryLedger();
    const events: ClipEvent[] = [];
    const clip = await generateClip({ request: runwayRequest(), provider, ...fastOptions(ledger, events) });
    expect(clip.attempts).toBe(1);
    expect(runway.count('POST', '/v1/')).toBe(1);
    expect(events.filter((e) => e.type === 'waiting' && e.status === 'throttled')).toHaveLength(3);
    expect(events.some((e) => e.type === 'retry' || e.type === 'attempt-failed')).toBe(false);
  });

  it('queues clips beyond the account concurrency as THROTTLED and finishes them all, one POST each', async () => {
    await using runway = await createRunwayMock({ apiKey: RUNWAY_KEY, concurrency: 1 });
    const provider = createRunwayProvider({ apiKey: RUNWAY_KEY, baseURL: runway.baseURL });
    const ledger = new MemoryLedger();
    const events: ClipEvent[] = [];
    const clips = await Promise.all(
      ['harbour at dawn', 'tram on a hill', 'sardines on a grill'].map((prompt) => generateClip({ request: runwayRequest({ prompt }), provider, ...fastOptions(ledger, events) })),
    );
    expect(clips.map((c) => c.attempts)).toEqual([1, 1, 1]);
    expect(runway.count('POST', '/v1/text_to_video')).toBe(3);
    expect(events.some((e) => e.type === 'waiting' && e.status === 'throttled')).toBe(true);
  });

  it('keeps within the concurrency limiter so the account never throttles', async () => {
    await using runway = await createRunwayMock({ apiKey: RUNWAY_KEY, concurrency: 1 });
    const provider = createRunwayProvider({ apiKey: RUNWAY_KEY, baseURL: runway.baseURL });
    using limiter = createRateLimiter({ concurrency: 1 });
    const ledger = new MemoryLedger();
    const events: ClipEvent[] = [];
    await Promise.all(
      ['harbour at dawn', 'tram on a hill'].map((prompt) =>
        generateClip({ request: runwayRequest({ prompt }), provider, limiters: { runway: limiter }, ...fastOptions(ledger, events) }),
      ),
    );
    expect(events.some((e) => e.type === 'waiting' && e.status === 'throttled')).toBe(false);
    expect(limiter.active).toBe(0);
  });

  it("waits as long as a 429's retry-after asks, then succeeds on a second journaled attempt", async () => {
    await using runway = await createRunwayMock({
      apiKey: RUNWAY_KEY,
      script: [{ type: 'http', status: 429, headers: { 'retry-after': '0.05' } }],
    });
    const provider = createRunwayProvider({ apiKey: RUNWAY_KEY, baseURL: runway.baseURL });
    const ledger = new MemoryLedger();
    const events: ClipEvent[] = [];
    const clip = await generateClip({ request: runwayRequest(), provider, ...fastOptions(ledger, events) });
    expect(clip).toMatchObject({ attempts: 2, costUsd: 0.24 });
    expect(outcomes(ledger)).toEqual([
      ['failed', 'RW_PROVIDER_RATE_LIMITED', 0],
      ['succeeded', null, 0.24],
    ]);
    expect(events.find((e) => e.type === 'retry')).toMatchObject({ code: 'RW_PROVIDER_RATE_LIMITED', delayMs: 50 });
    expect(runway.count('POST', '/v1/text_to_video')).toBe(2);
  });

  it('backs off exponentially on 500, 500, then succeeds with the failed calls journaled at no cost', async () => {
    await using runway = await createRunwayMock({ apiKey: RUNWAY_KEY, script: [{ type: 'http', status: 500 }, { type: 'http', status: 500 }] });
    const provider = createRunwayProvider({ apiKey: RUNWAY_KEY, baseURL: runway.baseURL });
    const ledger = new MemoryLedger();
    const events: ClipEvent[] = [];
    const clip = await generateClip({ request: runwayRequest(), provider, ...fastOptions(ledger, events), random: () => 0 });
    expect(clip.attempts).toBe(3);
    expect(clip.costUsd).toBe(0.24);
    expect(outcomes(ledger)).toEqual([
      ['failed', 'RW_PROVIDER_UNAVAILABLE', 0],
      ['failed', 'RW_PROVIDER_UNAVAILABLE', 0],
      ['succeeded', null, 0.24],
    ]);
    expect(events.filter((e) => e.type === 'retry').map((e) => (e as { delayMs: number }).delayMs)).toEqual([4, 8]);
    // The SDK itself never retried: exactly one POST per journaled attempt.
    expect(runway.count('POST', '/v1/text_to_video')).toBe(3);
  });

  // Tests with a create that never answers use a 1.5 s client timeout: it bounds the wait, and every other call (the
  // retried create, Luma's lookup) answers well within it even on a loaded machine (300 ms timed a lookup out there).
  it('times out a create call that never answers and retries it, journaling its cost as unknown (Runway cannot list tasks)', async () => {
    await using runway = await createRunwayMock({ apiKey: RUNWAY_KEY, script: [{ type: 'hang' }] });
    const provider = createRunwayProvider({ apiKey: RUNWAY_KEY, baseURL: runway.baseURL, timeoutMs: 1_500 });
    const ledger = new MemoryLedger();
    const events: ClipEvent[] = [];
    const clip = await generateClip({ request: runwayRequest(), provider, ...fastOptions(ledger, events) });
    expect(clip.attempts).toBe(2);
    expect(outcomes(ledger)).toEqual([
      ['failed', 'RW_PROVIDER_TIMEOUT', null],
      ['succeeded', null, 0.24],
    ]);
    expect(ledger.attempts[0]!.outcome).toMatchObject({
      retryable: true,
      costSource: expect.stringMatching(/^unknown \(list price \$0\.24\): the create call got no answer, so runway may have made \(and may bill\) a task that reelwright cannot see; check the runway dashboard$/),
    });
    expect(events.find((e) => e.type === 'attempt-failed')).toMatchObject({ code: 'RW_PROVIDER_TIMEOUT', costUsd: null });
    // The clip's cost is what is known to be billed.
    expect(clip.costUsd).toBe(0.24);
  });

  it('a create that made a task but lost its answer is a second task at Runway: the lost one is journaled as unknown cost, not $0', async () => {
    await using runway = await createRunwayMock({ apiKey: RUNWAY_KEY, script: [{ type: 'succeed', lostAnswer: 'hang' }] });
    const provider = createRunwayProvider({ apiKey: RUNWAY_KEY, baseURL: runway.baseURL, timeoutMs: 1_500 });
    const ledger = new MemoryLedger();
    const clip = await generateClip({ request: runwayRequest(), provider, ...fastOptions(ledger) });
    // What Runway holds: two tasks, both billable; reelwright knows only the second one's id.
    expect(runway.tasks.size).toBe(2);
    expect(ledger.attempts.map((a) => a.taskId)).toEqual([null, clip.taskId]);
    expect(outcomes(ledger)).toEqual([
      ['failed', 'RW_PROVIDER_TIMEOUT', null],
      ['succeeded', null, 0.24],
    ]);
    expect(ledger.attempts[0]!.estimatedCostUsd).toBe(0.24);
  });

  it('fails at once on input moderation with Runway’s reason and never tries the fallback', async () => {
    await using runway = await createRunwayMock({
      apiKey: RUNWAY_KEY,
      script: [{ type: 'fail', failureCode: 'SAFETY.INPUT.TEXT', failure: 'The prompt was flagged by our content moderation system.' }],
    });
    await using luma = await createLumaMock({ apiKey: LUMA_KEY });
    const provider = createRunwayProvider({ apiKey: RUNWAY_KEY, baseURL: runway.baseURL });
    const lumaProvider = createLumaProvider({ apiKey: LUMA_KEY, baseURL: luma.baseURL });
    const ledger = new MemoryLedger();
    const error = await generateClip({
      request: runwayRequest({ seconds: 5 }),
      provider,
      fallbacks: [{ provider: lumaProvider, model: 'ray-flash-2' }],
      ...fastOptions(ledger),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ClipGenerationError);
    expect(error).toMatchObject({ code: 'RW_CLIP_MODERATION_INPUT', attempts: 1, failure: { kind: 'moderation_input', providerCode: 'SAFETY.INPUT.TEXT' } });
    expect((error as Error).message).toMatch(/content moderation refused the prompt.*SAFETY\.INPUT\.TEXT.*flagged by our content moderation system/);
    expect(outcomes(ledger)).toEqual([['failed', 'SAFETY.INPUT.TEXT', 0]]);
    expect(runway.count('POST', '/v1/')).toBe(1);
    expect(luma.count('POST', '/dream-machine/v1/generations')).toBe(0);
  });

  it('retries output moderation and bad output with a new seed each time', async () => {
    await using runway = await createRunwayMock({
      apiKey: RUNWAY_KEY,
      script: [
        { type: 'fail', failureCode: 'SAFETY.OUTPUT.VIDEO', failure: 'The output was flagged.' },
        { type: 'fail', failureCode: 'INTERNAL.BAD_OUTPUT.CODE01', failure: 'Bad output.', credits: 0 },
      ],
    });
    const provider = createRunwayProvider({ apiKey: RUNWAY_KEY, baseURL: runway.baseURL });
    const ledger = new MemoryLedger();
    const clip = await generateClip({ request: runwayRequest(), provider, ...fastOptions(ledger) });
    expect(outcomes(ledger)).toEqual([
      ['failed', 'SAFETY.OUTPUT.VIDEO', 0],
      ['failed', 'INTERNAL.BAD_OUTPUT.CODE01', 0],
      ['succeeded', null, 0.24],
    ]);
    const seeds = runway.requests.filter((r) => r.method === 'POST').map((r) => (r.body as { seed: number }).seed);
    expect(seeds[0]).toBe(7);
    expect(new Set(seeds).size).toBe(3);
    expect(clip.seed).toBe(seeds[2]);
    expect(ledger.attempts.map((a) => a.seed)).toEqual(seeds);
  });

  it.each([
    ['black', 'RW_CLIP_QA_BLACK'],
    ['frozen', 'RW_CLIP_QA_FROZEN'],
  ] as const)('rejects a %s clip as a paid attempt and regenerates it with a new seed', async (output, code) => {
    await using runway = await createRunwayMock({ apiKey: RUNWAY_KEY, script: [{ type: 'succeed', output }] });
    const provider = createRunwayProvider({ apiKey: RUNWAY_KEY, baseURL: runway.baseURL });
    const ledger = new MemoryLedger();
    const events: ClipEvent[] = [];
    const clip = await generateClip({ request: runwayRequest(), provider, ...fastOptions(ledger, events) });
    expect(outcomes(ledger)).toEqual([
      ['rejected', code, 0.24],
      ['succeeded', null, 0.24],
    ]);
    // Cost per usable clip counts the rejected attempt.
    expect(clip).toMatchObject({ attempts: 2, costUsd: 0.48 });
    expect(events.find((e) => e.type === 'rejected')).toMatchObject({ code, costUsd: 0.24 });
    expect(ledger.attempts[1]!.seed).not.toBe(ledger.attempts[0]!.seed);
  });

  it('refreshes an expired output URL by reading the task again, without paying twice', async () => {
    await using runway = await createRunwayMock({ apiKey: RUNWAY_KEY, script: [{ type: 'succeed', expiredUrls: 1 }] });
    const provider = createRunwayProvider({ apiKey: RUNWAY_KEY, baseURL: runway.baseURL });
    const ledger = new MemoryLedger();
    const clip = await generateClip({ request: runwayRequest(), provider, ...fastOptions(ledger) });
    expect(clip).toMatchObject({ attempts: 1, costUsd: 0.24 });
    expect(runway.count('POST', '/v1/')).toBe(1);
    expect(runway.requests.filter((r) => r.path.startsWith('/_outputs/')).map((r) => r.status)).toEqual([403, 200]);
  });

  it('counts an output that stays expired as a paid failure and generates again', async () => {
    await using runway = await createRunwayMock({ apiKey: RUNWAY_KEY, script: [{ type: 'succeed', expiredUrls: 99 }] });
    const provider = createRunwayProvider({ apiKey: RUNWAY_KEY, baseURL: runway.baseURL });
    const ledger = new MemoryLedger();
    const clip = await generateClip({ request: runwayRequest(), provider, ...fastOptions(ledger) });
    expect(outcomes(ledger)).toEqual([
      ['failed', 'RW_CLIP_DOWNLOAD_EXPIRED', 0.24],
      ['succeeded', null, 0.24],
    ]);
    expect(clip.costUsd).toBe(0.48);
  });

  it('cancels a task that never finishes at the deadline and says so', async () => {
    await using runway = await createRunwayMock({ apiKey: RUNWAY_KEY, script: [{ type: 'never' }] });
    const provider = createRunwayProvider({ apiKey: RUNWAY_KEY, baseURL: runway.baseURL });
    const ledger = new MemoryLedger();
    const error = await generateClip({ request: runwayRequest(), provider, ...fastOptions(ledger), deadlineMs: 300, pollIntervalMs: 10 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'RW_CLIP_DEADLINE', attempts: 1 });
    expect((error as Error).message).toMatch(/did not finish before the deadline/);
    // What Runway bills for a task stopped midway is not reported: the cost is unknown, with the list price beside it.
    expect(outcomes(ledger)).toEqual([['cancelled', null, null]]);
    expect(ledger.attempts[0]!.outcome).toMatchObject({ costSource: 'unknown (list price $0.24): the runway task was cancelled at the deadline, and runway does not report what it bills for it' });
    expect(runway.count('DELETE', '/v1/tasks/')).toBe(1);
    expect([...runway.tasks.values()][0]!.phase).toBe('CANCELLED');
  });

  it('polls a paid task left in flight by a killed run instead of creating a second one', async () => {
    await using runway = await createRunwayMock({ apiKey: RUNWAY_KEY });
    const provider = createRunwayProvider({ apiKey: RUNWAY_KEY, baseURL: runway.baseURL });
    const request = runwayRequest();
    const clipId = toClipId(request);
    await using journal = openJournal({ file: path.join(dir, 'journal.db'), secretValues: [] });
    const run = journal.beginRun({ command: 'render' });
    // The killed run: journaled, created the task, journaled its id, then died while polling.
    const attemptId = journal.beginAttempt({ clipId, runId: run.id, provider: 'runway', model: 'gen4.5', promptHash: promptHash(request.prompt), attemptNo: 1, seed: 7, estimatedCostUsd: 0.24 });
    const submitted = await provider.submit(request, null);
    journal.recordTaskId(attemptId, submitted.taskId, submitted.estimatedCostUsd);
    await provider.poll(submitted.taskId, null);
    // ... and one more attempt was journaled but its create call never returned.
    journal.beginAttempt({ clipId, runId: run.id, provider: 'runway', model: 'gen4.5', promptHash: promptHash(request.prompt), attemptNo: 2, seed: 8, estimatedCostUsd: 0.24 });

    await using cache = openClipCache({ stateDir: path.join(dir, 'state') });
    const events: ClipEvent[] = [];
    const clip = await generateClip({ request, provider, ...fastOptions(new MemoryLedger(), events), ledger: journal, cache: toClipCacheWriter(cache), runId: run.id });

    expect(runway.count('POST', '/v1/text_to_video')).toBe(1);
    expect(clip).toMatchObject({ taskId: submitted.taskId, attempts: 1, costUsd: 0.24 });
    expect(events[0]).toMatchObject({ type: 'resume', taskId: submitted.taskId, attemptNo: 1 });
    expect(journal.getAttempt(attemptId)).toMatchObject({ status: 'succeeded', taskId: submitted.taskId, costUsd: 0.24 });
    expect(journal.findInflightAttempt(clipId)).toBeNull();
    expect(journal.listAttempts({ clipId }).map((a) => a.status)).toEqual(['succeeded', 'abandoned']);
    expect(cache.get(clipId)).toMatchObject({ file: clip.file, fileHash: clip.fileHash, provider: 'runway', taskId: submitted.taskId, costUsd: 0.24 });

    // Run it again: the clip is cached, nothing is called.
    const again = await generateClip({ request, provider, ...fastOptions(new MemoryLedger()), ledger: journal, cache: toClipCacheWriter(cache) });
    expect(again).toMatchObject({ cached: true, attempts: 0, costUsd: 0, file: clip.file });
    expect(runway.count('POST', '/v1/')).toBe(1);
  });

  it('resumes on the same task id after the process is SIGKILLed while polling', async () => {
    await using runway = await createRunwayMock({ apiKey: RUNWAY_KEY, pendingPolls: 1, runningPolls: 3 });
    const request = runwayRequest({ prompt: 'killed mid-poll' });
    const journalFile = path.join(dir, 'journal.db');
    const fixture = fileURLToPath(new URL('../../test/mocks/fixtures/generate-clip-child.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', fixture, journalFile, runway.baseURL, RUNWAY_KEY, dir, JSON.stringify(request)], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, RUNWAYML_API_SECRET: '' },
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    // The child polls once a second: kill it as soon as its first poll reaches the mock.
    await expect.poll(() => runway.count('GET', '/v1/tasks/'), { timeout: 20_000, interval: 20 }).toBe(1);
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    expect(output).not.toContain('finished');
    const taskId = [...runway.tasks.keys()][0]!;

    await using journal = openJournal({ file: journalFile, secretValues: [] });
    expect(journal.findInflightAttempt(toClipId(request))).toMatchObject({ taskId, attemptNo: 1 });
    const clip = await generateClip({ request, provider: createRunwayProvider({ apiKey: RUNWAY_KEY, baseURL: runway.baseURL }), ...fastOptions(new MemoryLedger()), ledger: journal });
    expect(clip).toMatchObject({ taskId, attempts: 1, costUsd: 0.24 });
    expect(runway.count('POST', '/v1/text_to_video')).toBe(1);
    expect(journal.listAttempts({ clipId: toClipId(request) }).map((a) => [a.status, a.taskId])).toEqual([['succeeded', taskId]]);
  });

  it('asks beforeAttempt before every paid call and journals nothing when it refuses', async () => {
    await using runway = await createRunwayMock({ apiKey: RUNWAY_KEY, script: [{ type: 'fail', failureCode: 'SAFETY.OUTPUT.VIDEO', failure: 'flagged' }] });
    const provider = createRunwayProvider({ apiKey: RUNWAY_KEY, baseURL: runway.baseURL });
    const ledger = new MemoryLedger();
    const asked: number[] = [];
    const budgetError = new Error('budget: $0.30 left, next attempt estimated $0.24 on top of $0.24 spent');
    const error = await generateClip({
      request: runwayRequest(),
      provider,
      ...fastOptions(ledger),
      beforeAttempt: ({ attemptNo, estimatedCostUsd }) => {
        asked.push(attemptNo);
        if (attemptNo > 1) throw budgetError;
        expect(estimatedCostUsd).toBe(0.24);
      },
    }).catch((e: unknown) => e);
    expect(error).toBe(budgetError);
    expect(asked).toEqual([1, 2]);
    expect(ledger.attempts).toHaveLength(1);
    expect(runway.count('POST', '/v1/')).toBe(1);
  });

  it('runs the free local provider through the same loop (file: output, cost 0)', async () => {
    const provider = createLocalProvider({ workDir: path.join(dir, 'local') });
    const ledger = new MemoryLedger();
    const request: ClipRequest = { ...runwayRequest(), provider: 'local', model: DEFAULT_LOCAL_MODEL, resolution: '144p' };
    const clip = await generateClip({ request, provider, ...fastOptions(ledger) });
    expect(clip).toMatchObject({ provider: 'local', attempts: 1, costUsd: 0 });
    expect(ledger.attempts[0]!.outcome).toMatchObject({ status: 'succeeded', costUsd: 0 });
  });

  it('polls a local task at once: the local provider makes the clip inside submit, so it never waits out the poll interval', { timeout: 60_000 }, async () => {
    const provider = createLocalProvider({ workDir: path.join(dir, 'local-ready') });
    const ledger = new MemoryLedger();
    const request: ClipRequest = { ...runwayRequest({ prompt: 'ready on submit' }), provider: 'local', model: DEFAULT_LOCAL_MODEL, resolution: '144p' };
    // An hour between polls: waiting one out before the first poll would time this test out.
    const clip = await generateClip({ request, provider, ...fastOptions(ledger), pollIntervalMs: 3_600_000, deadlineMs: 7_200_000 });
    expect(clip).toMatchObject({ provider: 'local', attempts: 1, costUsd: 0 });
  });

  it('falls back to the next provider after an outage uses up the attempts', async () => {
    await using runway = await createRunwayMock({ apiKey: RUNWAY_KEY, defaultScript: { type: 'http', status: 503 } });
    await using luma = await createLumaMock({ apiKey: LUMA_KEY });
    const provider = createRunwayProvider({ apiKey: RUNWAY_KEY, baseURL: runway.baseURL });
    const lumaProvider = createLumaProvider({ apiKey: LUMA_KEY, baseURL: luma.baseURL });
    const ledger = new MemoryLedger();
    const events: ClipEvent[] = [];
    const request = runwayRequest({ seconds: 5 });
    const clip = await generateClip({
      request,
      provider,
      fallbacks: [{ provider: lumaProvider, model: 'ray-flash-2', resolution: '540p' }],
      ...fastOptions(ledger, events),
      maxAttempts: 2,
    });
    expect(clip).toMatchObject({ provider: 'luma', model: 'ray-flash-2', attempts: 3, costUsd: 0.14 });
    expect(ledger.attempts.map((a) => [a.provider, a.clipId])).toEqual([
      ['runway', toClipId(request)],
      ['runway', toClipId(request)],
      ['luma', toClipId(request)],
    ]);
    expect(events.find((e) => e.type === 'fallback')).toMatchObject({ from: 'runway', to: 'luma' });
  });

  it('validates the request and every fallback before any call', async () => {
    await using runway = await createRunwayMock({ apiKey: RUNWAY_KEY });
    await using luma = await createLumaMock({ apiKey: LUMA_KEY });
    const provider = createRunwayProvider({ apiKey: RUNWAY_KEY, baseURL: runway.baseURL });
    const lumaProvider = createLumaProvider({ apiKey: LUMA_KEY, baseURL: luma.baseURL });
    const ledger = new MemoryLedger();
    await expect(generateClip({ request: runwayRequest({ seconds: 12 }), provider, ...fastOptions(ledger) })).rejects.toMatchObject({
      code: 'RW_CLIP_INVALID_REQUEST',
      message: expect.stringMatching(/seconds must be one of 2, 3, .*10, got 12/),
    });
    // 2 s is fine for Runway but not for Luma (5 s or 9 s).
    await expect(generateClip({ request: runwayRequest(), provider, fallbacks: [{ provider: lumaProvider }], ...fastOptions(ledger) })).rejects.toMatchObject({
      code: 'RW_CLIP_INVALID_REQUEST',
      message: expect.stringMatching(/Luma .*seconds must be 5 or 9/),
    });
    expect(runway.requests).toHaveLength(0);
    expect(luma.requests).toHaveLength(0);
    expect(ledger.attempts).toHaveLength(0);
  });

  it('never puts an API key in errors, events, logs, journal records or cache metadata', async () => {
    await using runway = await createRunwayMock({
      apiKey: RUNWAY_KEY,
      script: [
        { type: 'http', status: 500 },
        { type: 'hang' },
        { type: 'fail', failureCode: 'SAFETY.OUTPUT.VIDEO', failure: 'flagged' },
        { type: 'succeed', output: 'black' },
        { type: 'fail', failureCode: 'SAFETY.INPUT.TEXT', failure: 'flagged' },
      ],
    });
    await using luma = await createLumaMock({ apiKey: LUMA_KEY, defaultScript: { type: 'http', status: 429, headers: { 'retry-after-ms': '1' } } });
    const provider = createRunwayProvider({ apiKey: RUNWAY_KEY, baseURL: runway.baseURL, timeoutMs: 1_500 });
    const lumaProvider = createLumaProvider({ apiKey: LUMA_KEY, baseURL: luma.baseURL, timeoutMs: 1_500 });
    const wrongKey = 'key_WRONG-SECRET-0a1b2c3d4e5f';
    const wrongRunway = createRunwayProvider({ apiKey: wrongKey, baseURL: runway.baseURL });
    const ledger = new MemoryLedger();
    const events: ClipEvent[] = [];
    const logs: string[] = [];
    const cache = new DirClipCache(path.join(dir, 'cache'));
    const errors: unknown[] = [];
    const common = { ...fastOptions(ledger, events), cache, logLevel: 'trace' as const, onLog: (e: { message: string }) => void logs.push(e.message) };
    errors.push(await generateClip({ request: runwayRequest(), provider, ...common, maxAttempts: 5 }).catch((e: unknown) => e));
    errors.push(await generateClip({ request: lumaRequest(), provider: lumaProvider, ...common }).catch((e: unknown) => e));
    errors.push(await generateClip({ request: runwayRequest({ prompt: 'another' }), provider: wrongRunway, ...common }).catch((e: unknown) => e));
    errors.push(await lumaProvider.poll('no-such-generation', null).catch((e: unknown) => e));

    expect(errors.map((e) => (e as { code?: string }).code)).toEqual(['RW_CLIP_MODERATION_INPUT', 'RW_CLIP_ATTEMPTS_EXHAUSTED', 'RW_CLIP_ATTEMPTS_EXHAUSTED', 'RW_PROVIDER_NOT_FOUND']);
    expect((errors[2] as Error).message).toMatch(/answered 401.*Check RUNWAYML_API_SECRET/);
    const everything = [
      ...errors.map((e) => inspect(e, { depth: 10, showHidden: true })),
      ...errors.map((e) => JSON.stringify(e)),
      JSON.stringify(ledger.attempts),
      JSON.stringify(events),
      JSON.stringify(cache.puts),
      ...logs,
    ].join('\n');
    expect(everything.length).toBeGreaterThan(1000);
    for (const key of [RUNWAY_KEY, LUMA_KEY, wrongKey]) expect(everything).not.toContain(key);
  });
});

describe('generateClip with Luma', () => {
  it('creates with 201, polls queued → dreaming → completed and records the price-table cost', async () => {
    await using luma = await createLumaMock({ apiKey: LUMA_KEY });
    const provider = createLumaProvider({ apiKey: LUMA_KEY, baseURL: luma.baseURL });
    const ledger = new MemoryLedger();
    const events: ClipEvent[] = [];
    const clip = await generateClip({ request: lumaRequest({ params: { loop: true } }), provider, ...fastOptions(ledger, events) });
    const post = luma.requests.find((r) => r.method === 'POST')!;
    expect(post.status).toBe(201);
    expect(post.body).toEqual({ model: 'ray-flash-2', prompt: 'Aerial dusk footage of Lisbon', aspect_ratio: '16:9', duration: '5s', resolution: '540p', loop: true });
    expect(clip).toMatchObject({ attempts: 1, costUsd: 0.14, provider: 'luma' });
    expect(ledger.attempts[0]!.outcome).toMatchObject({ status: 'succeeded', costUsd: 0.14, costSource: expect.stringMatching(/^price table: derived: .* \(2026-04-01\)$/) });
    expect(events.filter((e) => e.type === 'waiting').map((e) => (e as { status: string }).status)).toEqual(['pending', 'running', 'running']);
  });

  it('fails at once on "Contains blacklisted words" with Luma’s words, at no cost', async () => {
    await using luma = await createLumaMock({ apiKey: LUMA_KEY, script: [{ type: 'fail', failureReason: 'Contains blacklisted words' }] });
    const provider = createLumaProvider({ apiKey: LUMA_KEY, baseURL: luma.baseURL });
    const ledger = new MemoryLedger();
    const error = await generateClip({ request: lumaRequest(), provider, ...fastOptions(ledger) }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'RW_CLIP_MODERATION_INPUT', attempts: 1, costUsd: 0 });
    expect((error as Error).message).toMatch(/moderation refused words in the prompt.*"Contains blacklisted words"/);
    expect(luma.count('POST', '/dream-machine/v1/generations/video')).toBe(1);
  });

  it('retries "Frame moderation failed" (refunded, cost 0) and pays only for the clip that worked', async () => {
    await using luma = await createLumaMock({ apiKey: LUMA_KEY, script: [{ type: 'fail', failureReason: 'Frame moderation failed' }] });
    const provider = createLumaProvider({ apiKey: LUMA_KEY, baseURL: luma.baseURL });
    const ledger = new MemoryLedger();
    const clip = await generateClip({ request: lumaRequest(), provider, ...fastOptions(ledger) });
    expect(outcomes(ledger)).toEqual([
      ['failed', 'Frame moderation failed', 0],
      ['succeeded', null, 0.14],
    ]);
    expect(clip.costUsd).toBe(0.14);
  });

  it('retries "Job failed" as an internal error with backoff', async () => {
    await using luma = await createLumaMock({ apiKey: LUMA_KEY, script: [{ type: 'fail', failureReason: 'Job failed' }] });
    const provider = createLumaProvider({ apiKey: LUMA_KEY, baseURL: luma.baseURL });
    const ledger = new MemoryLedger();
    const events: ClipEvent[] = [];
    await generateClip({ request: lumaRequest(), provider, ...fastOptions(ledger, events) });
    expect(outcomes(ledger)[0]).toEqual(['failed', 'Job failed', 0]);
    expect(events.find((e) => e.type === 'retry')).toMatchObject({ code: 'Job failed' });
  });

  it('keeps polling through failed polls (500) without a new create call', async () => {
    await using luma = await createLumaMock({ apiKey: LUMA_KEY, script: [{ type: 'succeed', pollErrors: [500, 502] }] });
    const provider = createLumaProvider({ apiKey: LUMA_KEY, baseURL: luma.baseURL });
    const ledger = new MemoryLedger();
    const clip = await generateClip({ request: lumaRequest(), provider, ...fastOptions(ledger) });
    expect(clip.attempts).toBe(1);
    expect(luma.count('POST', '/dream-machine/v1/')).toBe(1);
  });

  it('waits out a 429 on create and stays under the per-minute cap with the limiter', async () => {
    await using luma = await createLumaMock({ apiKey: LUMA_KEY, script: [{ type: 'http', status: 429, headers: { 'retry-after-ms': '20' } }] });
    const provider = createLumaProvider({ apiKey: LUMA_KEY, baseURL: luma.baseURL });
    using limiter = createRateLimiter({ concurrency: 10, createsPerMinute: 20 });
    const ledger = new MemoryLedger();
    const events: ClipEvent[] = [];
    const clip = await generateClip({ request: lumaRequest(), provider, limiters: { luma: limiter }, ...fastOptions(ledger, events) });
    expect(clip.attempts).toBe(2);
    expect(events.find((e) => e.type === 'retry')).toMatchObject({ code: 'RW_PROVIDER_RATE_LIMITED', delayMs: 20 });
  });

  it('refuses a second paid task when the journal says one is in flight with a provider that is not configured', async () => {
    await using luma = await createLumaMock({ apiKey: LUMA_KEY });
    const provider = createLumaProvider({ apiKey: LUMA_KEY, baseURL: luma.baseURL });
    const ledger = new MemoryLedger();
    const request = lumaRequest();
    const id = ledger.beginAttempt({ clipId: toClipId(request), runId: null, provider: 'runway', model: 'gen4.5', promptHash: 'x', attemptNo: 1, seed: 1, estimatedCostUsd: 0.6 });
    ledger.recordTaskId(id, 'task-from-yesterday', 0.6);
    await expect(generateClip({ request, provider, ...fastOptions(ledger) })).rejects.toMatchObject({
      code: 'RW_CLIP_INFLIGHT_UNRESUMABLE',
      message: expect.stringMatching(/task-from-yesterday.*starting a new task would pay twice/),
    });
    expect(luma.requests).toHaveLength(0);
  });

  it('stops with CancelledError when aborted while polling and leaves the task in flight for the next run', async () => {
    await using luma = await createLumaMock({ apiKey: LUMA_KEY, dreamingPolls: 1000 });
    const provider = createLumaProvider({ apiKey: LUMA_KEY, baseURL: luma.baseURL });
    const ledger = new MemoryLedger();
    const controller = new AbortController();
    const events: ClipEvent[] = [];
    const onEvent = (event: ClipEvent) => {
      events.push(event);
      if (event.type === 'waiting' && event.status === 'running') controller.abort(new Error('Ctrl-C'));
    };
    await expect(generateClip({ request: lumaRequest(), provider, ...fastOptions(ledger), onEvent, signal: controller.signal })).rejects.toMatchObject({ code: 'RW_CANCELLED' });
    const inflight = ledger.findInflightAttempt(toClipId(lumaRequest()));
    expect(inflight?.taskId).toBe([...luma.generations.keys()][0]);
    expect(luma.count('DELETE', '/dream-machine/v1/')).toBe(0);
    // The attempt's temporary folder is gone.
    expect(existsSync(path.join(dir, 'work')) ? readdirSync(path.join(dir, 'work')) : []).toEqual([]);
  });
});

describe('generateClip after a Luma create call that got no answer', () => {
  const lists = (luma: { requests: { method: string; path: string }[] }) => luma.requests.filter((r) => r.method === 'GET' && r.path === '/dream-machine/v1/generations').length;

  it.each([
    ['never answers (timeout)', 'hang', 'RW_PROVIDER_TIMEOUT'],
    ['resets the connection', 'drop', 'RW_PROVIDER_CONNECTION'],
  ] as const)('finds the generation the create made when it %s and polls it on the same attempt: one generation, one task id, one cost', async (_what, lostAnswer, code) => {
    await using luma = await createLumaMock({ apiKey: LUMA_KEY, script: [{ type: 'succeed', lostAnswer }] });
    const provider = createLumaProvider({ apiKey: LUMA_KEY, baseURL: luma.baseURL, timeoutMs: 1_500 });
    const ledger = new MemoryLedger();
    const events: ClipEvent[] = [];
    const logs: string[] = [];
    const onLog = (e: { message: string }) => void logs.push(e.message);
    const clip = await generateClip({ request: lumaRequest(), provider, ...fastOptions(ledger, events), logLevel: 'verbose', onLog });

    expect(luma.generations.size).toBe(1);
    const [generationId] = [...luma.generations.keys()];
    expect(luma.count('POST', '/dream-machine/v1/generations/video')).toBe(1);
    expect(lists(luma)).toBe(1);
    expect(ledger.calls).toEqual(['begin 1', 'task 1', 'finish 1 succeeded']);
    expect(ledger.attempts[0]).toMatchObject({ taskId: generationId, reportedEstimateUsd: null });
    expect(outcomes(ledger)).toEqual([['succeeded', null, 0.14]]);
    expect(clip).toMatchObject({ attempts: 1, costUsd: 0.14, taskId: generationId, provider: 'luma' });
    expect(events.map((e) => e.type).filter((t) => t !== 'waiting')).toEqual(['attempt', 'submitted', 'succeeded']);
    expect(events.find((e) => e.type === 'submitted')).toMatchObject({ taskId: generationId, attemptNo: 1 });
    expect(logs.join('\n')).toContain(`the luma create call got no answer (${code}) but task ${generationId} exists`);
  });

  it('creates again, as before, when the unanswered create made no generation', async () => {
    await using luma = await createLumaMock({ apiKey: LUMA_KEY, script: [{ type: 'hang' }] });
    const provider = createLumaProvider({ apiKey: LUMA_KEY, baseURL: luma.baseURL, timeoutMs: 1_500 });
    const ledger = new MemoryLedger();
    const events: ClipEvent[] = [];
    const clip = await generateClip({ request: lumaRequest(), provider, ...fastOptions(ledger, events) });
    expect(luma.count('POST', '/dream-machine/v1/generations/video')).toBe(2);
    expect(lists(luma)).toBe(1);
    expect(luma.generations.size).toBe(1);
    expect(outcomes(ledger)).toEqual([
      ['failed', 'RW_PROVIDER_TIMEOUT', 0],
      ['succeeded', null, 0.14],
    ]);
    // Luma listed no generation from the lost create: nothing was billed for it, so its cost is a known $0.
    expect(ledger.attempts[0]!.outcome).toMatchObject({ costSource: 'no task was created (the create call got no answer, and luma lists no task from it)' });
    expect(ledger.attempts.map((a) => a.taskId)).toEqual([null, [...luma.generations.keys()][0]]);
    expect(clip.attempts).toBe(2);
  });

  it('does not pick an earlier attempt’s generation of the same clip as the lost create’s', async () => {
    // The first clip comes back black (QA rejects it, paid); the regeneration's create is lost before
    // Luma stores it. The identical earlier generation is within the clock-skew window but is not this attempt's.
    await using luma = await createLumaMock({ apiKey: LUMA_KEY, script: [{ type: 'succeed', output: 'black' }, { type: 'hang' }] });
    const provider = createLumaProvider({ apiKey: LUMA_KEY, baseURL: luma.baseURL, timeoutMs: 1_500 });
    const ledger = new MemoryLedger();
    await generateClip({ request: lumaRequest(), provider, ...fastOptions(ledger) });
    expect(outcomes(ledger)).toEqual([
      ['rejected', 'RW_CLIP_QA_BLACK', 0.14],
      ['failed', 'RW_PROVIDER_TIMEOUT', 0],
      ['succeeded', null, 0.14],
    ]);
    expect(lists(luma)).toBe(1);
    expect(luma.generations.size).toBe(2);
    expect(new Set(ledger.attempts.map((a) => a.taskId)).size).toBe(3);
  });

  it('treats a failed lookup as "unknown" and creates again; answered errors (5xx) are not looked up', async () => {
    await using luma = await createLumaMock({ apiKey: LUMA_KEY, script: [{ type: 'hang' }, { type: 'http', status: 500 }] });
    const real = createLumaProvider({ apiKey: LUMA_KEY, baseURL: luma.baseURL, timeoutMs: 1_500 });
    let lookups = 0;
    const provider: ClipProvider = {
      ...real,
      findSubmitted: () => {
        lookups += 1;
        return Promise.reject(new ProviderError('Luma GET /generations answered 503.', { code: 'RW_PROVIDER_UNAVAILABLE', retryable: true }));
      },
    };
    const ledger = new MemoryLedger();
    const clip = await generateClip({ request: lumaRequest(), provider, ...fastOptions(ledger) });
    expect(lookups).toBe(1);
    // The lookup failed, so the lost create may have made a generation: its cost is unknown. The 500 was an answer: $0.
    expect(outcomes(ledger)).toEqual([
      ['failed', 'RW_PROVIDER_TIMEOUT', null],
      ['failed', 'RW_PROVIDER_UNAVAILABLE', 0],
      ['succeeded', null, 0.14],
    ]);
    expect(clip.attempts).toBe(3);
  });
});

describe('generateClip remembers input-moderation refusals across runs', () => {
  it('fails a clip Runway refused in an earlier run at once, without a call, saying who refused it, when, why and what to do; retryRefused submits it again', async () => {
    await using runway = await createRunwayMock({
      apiKey: RUNWAY_KEY,
      script: [{ type: 'fail', failureCode: 'SAFETY.INPUT.TEXT', failure: 'The prompt was flagged by our content moderation system.' }],
    });
    const provider = createRunwayProvider({ apiKey: RUNWAY_KEY, baseURL: runway.baseURL });
    await using journal = openJournal({ file: path.join(dir, 'journal.db'), secretValues: [] });
    await using cache = openClipCache({ stateDir: path.join(dir, 'state') });
    const request = runwayRequest();
    const clipId = toClipId(request);
    const options = (runId: string) => ({ request, provider, ...fastOptions(new MemoryLedger()), ledger: journal, cache: toClipCacheWriter(cache), runId });

    const first = journal.beginRun({ command: 'render' });
    await expect(generateClip(options(first.id))).rejects.toMatchObject({ code: 'RW_CLIP_MODERATION_INPUT' });
    expect(journal.listAttempts({ clipId })).toMatchObject([{ status: 'failed', failureCode: 'SAFETY.INPUT.TEXT', failureKind: 'moderation_input' }]);
    const requestsAfterRefusal = runway.requests.length;

    // The next run: refused at once, no request of any kind, no attempt journaled.
    const second = journal.beginRun({ command: 'render' });
    const error = await generateClip(options(second.id)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ClipGenerationError);
    expect(error).toMatchObject({ code: 'RW_CLIP_REFUSED_EARLIER', attempts: 0, costUsd: 0, failure: { kind: 'moderation_input', providerCode: 'SAFETY.INPUT.TEXT' } });
    const message = (error as Error).message;
    expect(message).toMatch(new RegExp(`^Refused earlier: runway's input moderation refused clip ${clipId} \\(gen4\\.5\\) in run ${first.id} on \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC, so it is not submitted again\\. Reason: `));
    expect(message).toContain('Runway said: "The prompt was flagged by our content moderation system."');
    expect(message).toMatch(/Change the prompt or the row's values; or pass --retry-refused to submit it again\.$/);
    expect(runway.requests.length).toBe(requestsAfterRefusal);
    expect(journal.listAttempts({ clipId })).toHaveLength(1);

    // Asked to retry: submitted again; the mock now accepts it, and the refusal no longer stands.
    const third = journal.beginRun({ command: 'render' });
    const clip = await generateClip({ ...options(third.id), retryRefused: true });
    expect(clip).toMatchObject({ cached: false, attempts: 1 });
    expect(runway.count('POST', '/v1/text_to_video')).toBe(2);
    expect(journal.findInputRefusal(clipId)).toBeNull();
  });

  it('remembers a refusal of the create call itself (Luma 400 "prompt moderation") the same way', async () => {
    await using luma = await createLumaMock({ apiKey: LUMA_KEY, script: [{ type: 'http', status: 400, body: { detail: 'Advanced prompt moderation failed' } }] });
    const provider = createLumaProvider({ apiKey: LUMA_KEY, baseURL: luma.baseURL });
    await using journal = openJournal({ file: path.join(dir, 'journal.db'), secretValues: [] });
    const request = lumaRequest();
    const run = journal.beginRun({ command: 'render' });
    const base = { request, provider, ...fastOptions(new MemoryLedger()), ledger: journal, runId: run.id };
    await expect(generateClip(base)).rejects.toMatchObject({ code: 'RW_CLIP_MODERATION_INPUT' });
    expect(journal.listAttempts({ clipId: toClipId(request) })).toMatchObject([{ status: 'failed', failureCode: 'RW_PROVIDER_MODERATION', failureKind: 'moderation_input' }]);
    const calls = luma.requests.length;
    await expect(generateClip(base)).rejects.toMatchObject({ code: 'RW_CLIP_REFUSED_EARLIER', message: expect.stringContaining("Refused earlier: luma's input moderation refused clip") });
    expect(luma.requests.length).toBe(calls);
  });

  it('does not remember output moderation: the next call submits again (with new seeds)', async () => {
    const flagged = { type: 'fail', failureCode: 'SAFETY.OUTPUT.VIDEO', failure: 'The output was flagged.' } as const;
    await using runway = await createRunwayMock({ apiKey: RUNWAY_KEY, script: [flagged, flagged] });
    const provider = createRunwayProvider({ apiKey: RUNWAY_KEY, baseURL: runway.baseURL });
    await using journal = openJournal({ file: path.join(dir, 'journal.db'), secretValues: [] });
    const request = runwayRequest();
    const base = { request, provider, ...fastOptions(new MemoryLedger()), ledger: journal, maxAttempts: 2 };
    await expect(generateClip(base)).rejects.toMatchObject({ code: 'RW_CLIP_ATTEMPTS_EXHAUSTED' });
    expect(journal.listAttempts({ clipId: toClipId(request) }).map((a) => a.failureKind)).toEqual(['moderation_output', 'moderation_output']);
    expect(journal.findInputRefusal(toClipId(request))).toBeNull();
    const clip = await generateClip(base);
    expect(clip.attempts).toBe(1);
    expect(runway.count('POST', '/v1/text_to_video')).toBe(3);
  });
});
