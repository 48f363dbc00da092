import { inspect } from 'node:util';
import { describe, expect, it, vi } from 'vitest';
import { createLumaMock } from '../../../test/mocks/luma-mock.js';
import { ConfigError } from '../../errors/index.js';
import { createLumaProvider, mapLumaFailure } from '../index.js';
import type { ClipRequest } from '../index.js';
import { makeClipRequest } from '../fixtures/make-clip-request.js';

const KEY = 'luma_adapter_test_key_456';
const request = (over: Partial<ClipRequest> = {}): ClipRequest =>
  makeClipRequest({ provider: 'luma', model: 'ray-2', prompt: 'Waves over black sand', aspect: '9:16', ...over });

describe('the Luma adapter', () => {
  it.each([
    [{ model: 'ray-1.6' }, /unknown model\. Allowed: ray-2, ray-flash-2/],
    [{ seconds: 6 }, /seconds must be 5 or 9 \(Luma durations "5s"\/"9s"\), got 6/],
    [{ resolution: '2k' }, /resolution must be one of 540p, 720p, 1080p, 4k/],
    [{ prompt: 'hi' }, /the prompt has 2 characters; Luma needs at least 3/],
    [{ prompt: 'x'.repeat(5001) }, /at most 5000/],
    [{ params: { audio: true } }, /unknown param "audio"\. Allowed: loop/],
    [{ params: { loop: 'yes' } }, /param "loop" must be true or false/],
    [{ resolution: '4k' }, /No price for luma model "ray-2" at 4k, 5 s in the price table/],
  ])('refuses %o before any call', (over, message) => {
    const provider = createLumaProvider({ apiKey: KEY, baseURL: 'http://127.0.0.1:9' });
    let thrown: unknown;
    try {
      provider.validateRequest(request(over));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect((thrown as Error).message).toMatch(message);
  });

  it('prices from the table at the resolution it will send (720p when unset)', () => {
    const provider = createLumaProvider({ apiKey: KEY, baseURL: 'http://127.0.0.1:9' });
    expect(provider.estimateCost(request())).toMatchObject({ usd: 0.71, date: '2026-04-01' });
    expect(provider.estimateCost(request({ seconds: 9 })).usd).toBe(1.27);
    expect(provider.estimateCost(request({ model: 'ray-flash-2', resolution: '1080p' })).usd).toBe(0.55);
  });

  it('creates with 201 and the documented body, with the first frame as keyframes.frame0', async () => {
    await using mock = await createLumaMock({ apiKey: KEY });
    const provider = createLumaProvider({ apiKey: KEY, baseURL: mock.baseURL, resolveInputImage: () => 'https://img.example/first.jpg' });
    const task = await provider.submit(request({ inputImageHash: 'h1', params: { loop: true } }), null);
    const post = mock.requests.find((r) => r.method === 'POST')!;
    expect(post).toMatchObject({ path: '/dream-machine/v1/generations/video', status: 201 });
    expect(post.body).toEqual({
      model: 'ray-2',
      prompt: 'Waves over black sand',
      aspect_ratio: '9:16',
      duration: '5s',
      resolution: '720p',
      loop: true,
      keyframes: { frame0: { type: 'image', url: 'https://img.example/first.jpg' } },
    });
    expect(task).toEqual({ taskId: [...mock.generations.keys()][0], estimatedCostUsd: null });
  });

  it('refuses a data: URI as Luma input image (Luma fetches images by URL)', async () => {
    await using mock = await createLumaMock({ apiKey: KEY });
    const provider = createLumaProvider({ apiKey: KEY, baseURL: mock.baseURL, resolveInputImage: () => 'data:image/png;base64,AAAA' });
    await expect(provider.submit(request({ inputImageHash: 'h1' }), null)).rejects.toMatchObject({ code: 'RW_CLIP_INVALID_REQUEST' });
    expect(mock.requests).toHaveLength(0);
  });

  it('maps a 400 moderation refusal on create to RW_PROVIDER_MODERATION, and other 400s to bad requests', async () => {
    await using mock = await createLumaMock({
      apiKey: KEY,
      script: [
        { type: 'http', status: 400, body: { detail: 'Advanced prompt moderation failed' } },
        { type: 'http', status: 400, body: { detail: 'Prompt is too short, minimum length is 3 characters' } },
      ],
    });
    const provider = createLumaProvider({ apiKey: KEY, baseURL: mock.baseURL });
    await expect(provider.submit(request(), null)).rejects.toMatchObject({ code: 'RW_PROVIDER_MODERATION', retryable: false });
    await expect(provider.submit(request(), null)).rejects.toMatchObject({
      code: 'RW_PROVIDER_BAD_REQUEST',
      message: 'Luma POST /generations/video answered 400: Prompt is too short, minimum length is 3 characters.',
    });
  });

  it('reports failed generations as refunded (cost 0) and completed ones without a cost (the table applies)', async () => {
    await using mock = await createLumaMock({ apiKey: KEY, queuedPolls: 0, dreamingPolls: 0, script: [{ type: 'fail', failureReason: 'Job failed' }] });
    const provider = createLumaProvider({ apiKey: KEY, baseURL: mock.baseURL });
    const failed = await provider.submit(request(), null);
    expect(await provider.poll(failed.taskId, null)).toMatchObject({ status: 'failed', costUsd: 0, failure: { kind: 'internal', providerCode: 'Job failed' } });
    const ok = await provider.submit(request(), null);
    expect(await provider.poll(ok.taskId, null)).toMatchObject({ status: 'succeeded', costUsd: null });
    await provider.cancel(ok.taskId, null);
    await expect(provider.poll(ok.taskId, null)).rejects.toMatchObject({ code: 'RW_PROVIDER_NOT_FOUND' });
  });

  it('keeps extra generations queued over the concurrency limit (waiting, not failure)', async () => {
    await using mock = await createLumaMock({ apiKey: KEY, concurrency: 1, queuedPolls: 0, dreamingPolls: 5 });
    const provider = createLumaProvider({ apiKey: KEY, baseURL: mock.baseURL });
    const first = await provider.submit(request(), null);
    const second = await provider.submit(request(), null);
    expect(await provider.poll(first.taskId, null)).toMatchObject({ status: 'running' });
    expect(await provider.poll(second.taskId, null)).toEqual({ status: 'pending' });
  });

  it('answers 429 past 20 creates a minute, with retry-after', async () => {
    await using mock = await createLumaMock({ apiKey: KEY, createsPerMinute: 2 });
    const provider = createLumaProvider({ apiKey: KEY, baseURL: mock.baseURL });
    await provider.submit(request(), null);
    await provider.submit(request(), null);
    await expect(provider.submit(request(), null)).rejects.toMatchObject({ code: 'RW_PROVIDER_RATE_LIMITED', retryAfterMs: 1000 });
  });

  it('findSubmitted lists GET /generations?limit=20&offset=0 and finds the generation a timed-out create made, and nothing else', async () => {
    await using mock = await createLumaMock({ apiKey: KEY, script: [{ type: 'succeed' }, { type: 'succeed' }, { type: 'succeed', lostAnswer: 'hang' }] });
    const provider = createLumaProvider({ apiKey: KEY, baseURL: mock.baseURL, timeoutMs: 1_500 });
    const earlier = await provider.submit(request(), null);
    await provider.submit(request({ prompt: 'A different prompt' }), null);
    const sinceMs = Date.now();
    await expect(provider.submit(request(), null)).rejects.toMatchObject({ code: 'RW_PROVIDER_TIMEOUT' });
    const landed = [...mock.generations.keys()].at(-1)!;
    expect(mock.generations.size).toBe(3);
    expect(await provider.findSubmitted!({ request: request(), sinceMs, excludeTaskIds: [earlier.taskId] }, null)).toBe(landed);
    // The earlier identical generation is only found when not excluded, and a different request finds nothing.
    expect(await provider.findSubmitted!({ request: request(), sinceMs, excludeTaskIds: [landed] }, null)).toBe(earlier.taskId);
    expect(await provider.findSubmitted!({ request: request({ seconds: 9 }), sinceMs, excludeTaskIds: [] }, null)).toBeNull();
    const lists = mock.requests.filter((r) => r.method === 'GET' && r.path === '/dream-machine/v1/generations');
    expect(lists.map((r) => [r.query, r.status])).toEqual(Array.from({ length: 3 }, () => [{ limit: '20', offset: '0' }, 200]));
  });

  it('findSubmitted maps a failed list call like any other Luma call', async () => {
    await using mock = await createLumaMock({ apiKey: KEY });
    const provider = createLumaProvider({ apiKey: 'wrong-key', baseURL: mock.baseURL });
    await expect(provider.findSubmitted!({ request: request(), sinceMs: Date.now(), excludeTaskIds: [] }, null)).rejects.toMatchObject({ code: 'RW_PROVIDER_AUTH' });
  });

  it('keeps the key out of the request log lumaai prints when DEBUG=true', async () => {
    await using mock = await createLumaMock({ apiKey: KEY });
    const provider = createLumaProvider({ apiKey: KEY, baseURL: mock.baseURL });
    const logged: string[] = [];
    const spy = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void logged.push(inspect(args, { depth: 8 })));
    const previous = process.env['DEBUG'];
    process.env['DEBUG'] = 'true';
    try {
      const { taskId } = await provider.submit(request(), null);
      await provider.poll(taskId, null);
    } finally {
      if (previous === undefined) delete process.env['DEBUG'];
      else process.env['DEBUG'] = previous;
      spy.mockRestore();
    }
    expect(logged.join('\n')).toContain('LumaAI:DEBUG:request');
    expect(logged.join('\n')).not.toContain(KEY);
    expect(mock.requests.map((r) => r.headers['authorization'])).toEqual([`Bearer ${KEY}`, `Bearer ${KEY}`]);
  });

  it.each([
    ['Contains blacklisted words', 'moderation_input'],
    ['Advanced prompt moderation failed', 'moderation_input'],
    ['Frame moderation failed', 'moderation_output'],
    ['Prompt processing failed', 'internal'],
    ['Job failed', 'internal'],
    ['Something unexpected', 'internal'],
    [null, 'internal'],
  ] as const)('maps failure_reason %s to %s', (reason, kind) => {
    expect(mapLumaFailure(reason)).toMatchObject({ kind, providerCode: reason });
  });
});
