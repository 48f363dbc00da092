import { describe, expect, it } from 'vitest';
import { createRunwayMock } from '../../../test/mocks/runway-mock.js';
import { ConfigError } from '../../errors/index.js';
import { createRunwayProvider, mapRunwayFailure } from '../index.js';
import type { ClipRequest } from '../index.js';
import { makeClipRequest } from '../fixtures/make-clip-request.js';

const KEY = 'key_runway_adapter_test_123';
const request = (over: Partial<ClipRequest> = {}): ClipRequest => makeClipRequest(over);
const offline = (resolve: ((hash: string) => string) | null = null) =>
  createRunwayProvider({ apiKey: KEY, baseURL: 'http://127.0.0.1:9', resolveInputImage: resolve });

describe('the Runway adapter', () => {
  it.each([
    [{ model: 'gen3a' }, /unknown model\. Allowed: gen4\.5, gen4_turbo, veo3\.1, veo3\.1_fast/],
    [{ model: 'gen4_turbo' }, /needs an input image \(image→video only\)\. Use gen4\.5 or veo3\.1 or veo3\.1_fast/],
    [{ seconds: 11 }, /seconds must be one of 2, 3, 4, 5, 6, 7, 8, 9, 10, got 11/],
    [{ model: 'veo3.1', seconds: 5 }, /seconds must be one of 4, 6, 8, got 5/],
    [{ aspect: '1:1' as const }, /aspect 1:1 \(ratio 960:960\) is not available for text→video\. Allowed ratios: 1280:720, 720:1280/],
    [{ resolution: '1080p' }, /resolution must be 720p \(or unset\), got "1080p"/],
    [{ prompt: 'x'.repeat(1001) }, /the prompt has 1001 characters; Runway allows at most 1000/],
    [{ prompt: '  ' }, /the prompt is empty/],
    [{ params: { loop: true } }, /unknown param "loop"\. This model takes no params/],
    [{ seed: -1 }, /seed must be a whole number from 0 to 4294967295/],
    [{ inputImageHash: 'abc' }, /has an input image but the Runway provider was built without resolveInputImage/],
  ])('refuses %o before any call, saying what is allowed', (over, message) => {
    const provider = offline();
    let thrown: unknown;
    try {
      provider.validateRequest(request(over));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect(thrown).toMatchObject({ code: 'RW_CLIP_INVALID_REQUEST', message: expect.stringMatching(message) });
  });

  it('accepts what each model supports and prices it from the table', () => {
    const provider = offline(() => 'https://img.example/first.png');
    provider.validateRequest(request({ model: 'veo3.1', seconds: 8, resolution: '1080p', aspect: '9:16' }));
    provider.validateRequest(request({ model: 'gen4_turbo', inputImageHash: 'h', aspect: '1:1', seconds: 10 }));
    expect(provider.estimateCost(request({ seconds: 5 }))).toMatchObject({ usd: 0.6, date: '2026-11-01' });
    expect(provider.estimateCost(request({ model: 'gen4_turbo', seconds: 10, inputImageHash: 'h' })).usd).toBe(0.5);
    expect(provider.estimateCost(request({ model: 'veo3.1_fast', seconds: 8 })).usd).toBeCloseTo(0.8);
    expect(provider.estimateCost(request({ model: 'veo3.1_fast', seconds: 8, params: { audio: true } })).usd).toBeCloseTo(1.2);
  });

  it('sends image→video with the resolved image, the model’s ratio and the seed', async () => {
    await using mock = await createRunwayMock({ apiKey: KEY });
    const seen: string[] = [];
    const provider = createRunwayProvider({
      apiKey: KEY,
      baseURL: mock.baseURL,
      resolveInputImage: (hash) => {
        seen.push(hash);
        return 'data:image/png;base64,iVBORw0KGgo=';
      },
    });
    const task = await provider.submit(request({ model: 'gen4_turbo', aspect: '1:1', inputImageHash: 'sha-of-image', seed: 99, prompt: '' }), null);
    expect(seen).toEqual(['sha-of-image']);
    const post = mock.requests.find((r) => r.method === 'POST')!;
    expect(post.path).toBe('/v1/image_to_video');
    expect(post.body).toEqual({ model: 'gen4_turbo', promptImage: 'data:image/png;base64,iVBORw0KGgo=', ratio: '960:960', duration: 5, seed: 99 });
    expect(post.headers['authorization']).toBe(`Bearer ${KEY}`);
    expect(task.estimatedCostUsd).toBeCloseTo(0.25);
  });

  it('asks Veo for no audio unless the slot wants it (audio doubles the price)', async () => {
    await using mock = await createRunwayMock({ apiKey: KEY });
    const provider = createRunwayProvider({ apiKey: KEY, baseURL: mock.baseURL });
    await provider.submit(request({ model: 'veo3.1_fast', seconds: 4, resolution: '1080p' }), null);
    await provider.submit(request({ model: 'veo3.1_fast', seconds: 4, params: { audio: true } }), null);
    const bodies = mock.requests.filter((r) => r.method === 'POST').map((r) => r.body as Record<string, unknown>);
    expect(bodies.map((b) => [b['ratio'], b['audio']])).toEqual([
      ['1920:1080', false],
      ['1280:720', true],
    ]);
  });

  it('never lets the SDK retry a create call: one 500 is one POST and a retryable error', async () => {
    await using mock = await createRunwayMock({ apiKey: KEY, script: [{ type: 'http', status: 500 }] });
    const provider = createRunwayProvider({ apiKey: KEY, baseURL: mock.baseURL });
    await expect(provider.submit(request(), null)).rejects.toMatchObject({ code: 'RW_PROVIDER_UNAVAILABLE', retryable: true, status: 500 });
    expect(mock.count('POST', '/v1/')).toBe(1);
  });

  it('reads retry-after-ms from a 429 into the error', async () => {
    await using mock = await createRunwayMock({ apiKey: KEY, script: [{ type: 'http', status: 429, headers: { 'retry-after-ms': '1500' } }] });
    const provider = createRunwayProvider({ apiKey: KEY, baseURL: mock.baseURL });
    await expect(provider.submit(request(), null)).rejects.toMatchObject({
      code: 'RW_PROVIDER_RATE_LIMITED',
      retryable: true,
      retryAfterMs: 1500,
      message: expect.stringMatching(/answered 429: You have exceeded the rate limit\..*asked to wait 2 s/),
    });
  });

  it('turns a 400 body with issues into a message naming the field', async () => {
    await using mock = await createRunwayMock({ apiKey: KEY });
    // Bypass validateRequest on purpose: the API refuses what the adapter would have refused.
    const provider = createRunwayProvider({ apiKey: KEY, baseURL: mock.baseURL });
    await expect(provider.submit(request({ aspect: '1:1' }), null)).rejects.toMatchObject({
      code: 'RW_PROVIDER_BAD_REQUEST',
      retryable: false,
      message: expect.stringMatching(/answered 400: Validation of body failed; ratio: Invalid enum value/),
    });
  });

  it('names the variable, not the key, when the key is refused', async () => {
    await using mock = await createRunwayMock({ apiKey: KEY });
    const provider = createRunwayProvider({ apiKey: 'key_not_the_right_one_42', baseURL: mock.baseURL });
    const error = (await provider.poll('any', null).catch((e: unknown) => e)) as Error;
    expect(error).toMatchObject({ code: 'RW_PROVIDER_AUTH', retryable: false });
    expect(error.message).toMatch(/401.*Check RUNWAYML_API_SECRET \(the key is not shown here\)/);
    expect(error.message).not.toContain('key_not_the_right_one_42');
  });

  it('maps task states: progress, cost in credits, and cancel through DELETE', async () => {
    await using mock = await createRunwayMock({ apiKey: KEY, runningPolls: 2 });
    const provider = createRunwayProvider({ apiKey: KEY, baseURL: mock.baseURL });
    const { taskId } = await provider.submit(request({ seconds: 2 }), null);
    expect(await provider.poll(taskId, null)).toEqual({ status: 'pending' });
    expect(await provider.poll(taskId, null)).toEqual({ status: 'running', progress: 0 });
    expect(await provider.poll(taskId, null)).toEqual({ status: 'running', progress: 0.5 });
    expect(await provider.poll(taskId, null)).toMatchObject({ status: 'succeeded', costUsd: 0.24, outputUrl: expect.stringContaining('/_outputs/') });
    const second = await provider.submit(request({ seconds: 2 }), null);
    await provider.cancel(second.taskId, null);
    expect(await provider.poll(second.taskId, null)).toEqual({ status: 'cancelled' });
  });

  it.each([
    ['SAFETY.INPUT.TEXT', 'moderation_input'],
    ['SAFETY.INPUT.IMAGE', 'moderation_input'],
    ['INPUT_PREPROCESSING.SAFETY.TEXT', 'moderation_input'],
    ['SAFETY.OUTPUT.VIDEO', 'moderation_output'],
    ['INTERNAL.BAD_OUTPUT.CODE01', 'bad_output'],
    ['ASSET.INVALID', 'invalid_input'],
    ['INTERNAL', 'internal'],
    ['SOMETHING.NEW', 'internal'],
    [null, 'internal'],
  ] as const)('maps failureCode %s to %s', (failureCode, kind) => {
    const failure = mapRunwayFailure({ failureCode, failure: 'details from Runway' });
    expect(failure).toMatchObject({ kind, providerCode: failureCode });
    expect(failure.message).toContain('Runway said: "details from Runway"');
  });
});
