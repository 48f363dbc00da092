import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { createLumaMock } from '../../test/mocks/luma-mock.js';
import { createRunwayMock } from '../../test/mocks/runway-mock.js';
import { CancelledError } from '../errors/index.js';
import { createLumaProvider, createRunwayProvider } from './index.js';
import type { ClipRequest } from './index.js';
import { withCallSignal } from './with-call-signal.js';
import { makeClipRequest } from './fixtures/make-clip-request.js';

const RUNWAY_KEY = 'key_runway_call_signal_test';
const LUMA_KEY = 'key_luma_call_signal_test';

const request = (provider: 'runway' | 'luma', over: Partial<ClipRequest> = {}): ClipRequest =>
  makeClipRequest({ provider, model: provider === 'runway' ? 'gen4.5' : 'ray-flash-2', ...over });

const abortListeners = (signal: AbortSignal) => getEventListeners(signal, 'abort').length;

describe('withCallSignal', () => {
  it('leaves no abort listener on the run-wide signal after 25 Runway polls, a create and a cancel', async () => {
    await using mock = await createRunwayMock({ apiKey: RUNWAY_KEY, defaultScript: { type: 'never' } });
    const provider = createRunwayProvider({ apiKey: RUNWAY_KEY, baseURL: mock.baseURL });
    const run = new AbortController();
    const { taskId } = await provider.submit(request('runway'), run.signal);
    for (let i = 0; i < 25; i++) await provider.poll(taskId, run.signal);
    await provider.cancel(taskId, run.signal);
    expect(mock.count('GET', '/v1/tasks/')).toBe(25);
    expect(abortListeners(run.signal)).toBe(0);
  });

  it('leaves no abort listener on the run-wide signal after 25 Luma polls, a create and a cancel', async () => {
    await using mock = await createLumaMock({ apiKey: LUMA_KEY, defaultScript: { type: 'never' } });
    const provider = createLumaProvider({ apiKey: LUMA_KEY, baseURL: mock.baseURL });
    const run = new AbortController();
    const { taskId } = await provider.submit(request('luma'), run.signal);
    for (let i = 0; i < 25; i++) await provider.poll(taskId, run.signal);
    await provider.cancel(taskId, run.signal);
    expect(abortListeners(run.signal)).toBe(0);
  });

  it('still cancels a call in flight when the run-wide signal aborts, and detaches afterwards', async () => {
    await using mock = await createRunwayMock({ apiKey: RUNWAY_KEY, script: [{ type: 'hang' }] });
    const provider = createRunwayProvider({ apiKey: RUNWAY_KEY, baseURL: mock.baseURL });
    const run = new AbortController();
    // Abort when the create call (which the mock never answers) reaches the mock.
    const push = mock.requests.push.bind(mock.requests);
    mock.requests.push = (...items) => {
      if (items.some((r) => r.method === 'POST')) run.abort(new Error('stop'));
      return push(...items);
    };
    const submitting = provider.submit(request('runway'), run.signal);
    await expect(submitting).rejects.toBeInstanceOf(CancelledError);
    expect(abortListeners(run.signal)).toBe(0);
  });

  it('hands an already aborted signal on as aborted, and null as null', async () => {
    const run = new AbortController();
    run.abort(new Error('before'));
    expect(await withCallSignal(run.signal, async (s) => [s?.aborted, (s?.reason as Error).message])).toEqual([true, 'before']);
    expect(await withCallSignal(null, async (s) => s)).toBeNull();
    expect(abortListeners(run.signal)).toBe(0);
  });
});
