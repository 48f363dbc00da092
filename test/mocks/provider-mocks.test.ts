import { describe, expect, it } from 'vitest';
import { createLumaMock } from './luma-mock.js';
import { createRunwayMock } from './runway-mock.js';

const json = { 'content-type': 'application/json' };

describe('the Runway mock', () => {
  const headers = { ...json, authorization: 'Bearer rk', 'x-runway-version': '2024-11-06' };
  const body = JSON.stringify({ model: 'gen4.5', promptText: 'a fox', ratio: '1280:720', duration: 2 });

  it('answers 401 without the right bearer key and 400 without X-Runway-Version', async () => {
    await using mock = await createRunwayMock({ apiKey: 'rk' });
    const noKey = await fetch(`${mock.baseURL}/v1/text_to_video`, { method: 'POST', headers: json, body });
    expect(noKey.status).toBe(401);
    const noVersion = await fetch(`${mock.baseURL}/v1/text_to_video`, { method: 'POST', headers: { ...json, authorization: 'Bearer rk' }, body });
    expect(noVersion.status).toBe(400);
    expect(await noVersion.json()).toMatchObject({ error: expect.stringMatching(/X-Runway-Version/) });
    expect(mock.tasks.size).toBe(0);
  });

  it('validates bodies like the API: 400 with issues naming the field', async () => {
    await using mock = await createRunwayMock({ apiKey: 'rk' });
    const res = await fetch(`${mock.baseURL}/v1/text_to_video`, { method: 'POST', headers, body: JSON.stringify({ model: 'gen4.5', promptText: 'a fox', ratio: '960:960', duration: 11 }) });
    expect(res.status).toBe(400);
    const answer = (await res.json()) as { issues: { path: string[] }[] };
    expect(answer.issues.map((i) => i.path[0])).toEqual(['ratio', 'duration']);
  });

  it('throttles tasks over the concurrency limit and admits them as others finish', async () => {
    await using mock = await createRunwayMock({ apiKey: 'rk', concurrency: 1, pendingPolls: 0, runningPolls: 2 });
    const create = async () => ((await (await fetch(`${mock.baseURL}/v1/text_to_video`, { method: 'POST', headers, body })).json()) as { id: string }).id;
    const get = async (id: string) => ((await (await fetch(`${mock.baseURL}/v1/tasks/${id}`, { headers })).json()) as { status: string }).status;
    const a = await create();
    const b = await create();
    expect([await get(a), await get(b)]).toEqual(['RUNNING', 'THROTTLED']);
    // a's second RUNNING report is its last: it finishes and b is admitted.
    expect([await get(a), await get(b)]).toEqual(['RUNNING', 'RUNNING']);
    expect([await get(a), await get(b), await get(b)]).toEqual(['SUCCEEDED', 'RUNNING', 'SUCCEEDED']);
  });

  it('never answers a hanging create call, and records it unanswered', async () => {
    await using mock = await createRunwayMock({ apiKey: 'rk', script: [{ type: 'hang' }] });
    const controller = new AbortController();
    const pending = fetch(`${mock.baseURL}/v1/text_to_video`, { method: 'POST', headers, body, signal: controller.signal });
    await expect.poll(() => mock.requests.length).toBe(1);
    controller.abort();
    await expect(pending).rejects.toThrow();
    expect(mock.requests[0]!.status).toBeNull();
  });
});

describe('the Luma mock', () => {
  const headers = { ...json, authorization: 'Bearer lk' };

  it('creates with 201 and reports a uuid generation in state queued', async () => {
    await using mock = await createLumaMock({ apiKey: 'lk' });
    const res = await fetch(`${mock.baseURL}/generations/video`, { method: 'POST', headers, body: JSON.stringify({ model: 'ray-2', prompt: 'a fox' }) });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), state: 'queued', failure_reason: null, model: 'ray-2' });
  });

  it('answers Luma’s own 400 texts in {detail} and 401 for a wrong key', async () => {
    await using mock = await createLumaMock({ apiKey: 'lk' });
    const short = await fetch(`${mock.baseURL}/generations/video`, { method: 'POST', headers, body: JSON.stringify({ model: 'ray-2', prompt: 'hi' }) });
    expect([short.status, await short.json()]).toEqual([400, { detail: 'Prompt is too short, minimum length is 3 characters' }]);
    const wrong = await fetch(`${mock.baseURL}/credits`, { headers: { authorization: 'Bearer nope' } });
    expect(wrong.status).toBe(401);
  });

  it('lists generations and deletes one with 204', async () => {
    await using mock = await createLumaMock({ apiKey: 'lk' });
    const created = (await (await fetch(`${mock.baseURL}/generations/video`, { method: 'POST', headers, body: JSON.stringify({ model: 'ray-flash-2', prompt: 'a fox' }) })).json()) as { id: string };
    const list = (await (await fetch(`${mock.baseURL}/generations?limit=10&offset=0`, { headers })).json()) as { count: number };
    expect(list.count).toBe(1);
    expect((await fetch(`${mock.baseURL}/generations/${created.id}`, { method: 'DELETE', headers })).status).toBe(204);
    expect((await fetch(`${mock.baseURL}/generations/${created.id}`, { headers })).status).toBe(404);
  });

  it('lists newest first with limit and offset, each generation shaped like GET /generations/{id}', async () => {
    await using mock = await createLumaMock({ apiKey: 'lk' });
    const ids: string[] = [];
    for (const prompt of ['first fox', 'second fox', 'third fox']) {
      const res = await fetch(`${mock.baseURL}/generations/video`, { method: 'POST', headers, body: JSON.stringify({ model: 'ray-2', prompt }) });
      ids.push(((await res.json()) as { id: string }).id);
    }
    type Page = { generations: { id: string; request: { prompt: string } }[]; count: number; has_more: boolean; limit: number; offset: number };
    const page = async (query: string) => (await (await fetch(`${mock.baseURL}/generations?${query}`, { headers })).json()) as Page;
    const first = await page('limit=2&offset=0');
    expect(first).toMatchObject({ count: 2, has_more: true, limit: 2, offset: 0 });
    expect(first.generations.map((g) => g.id)).toEqual([ids[2], ids[1]]);
    expect((await page('limit=2&offset=2')).generations.map((g) => g.request.prompt)).toEqual(['first fox']);
    const one = await (await fetch(`${mock.baseURL}/generations/${ids[0]}`, { headers })).json();
    const listed = (await page('limit=10&offset=0')).generations.find((g) => g.id === ids[0]);
    expect(Object.keys(listed!).sort()).toEqual(Object.keys(one as object).sort());
    expect((await fetch(`${mock.baseURL}/generations?limit=0`, { headers })).status).toBe(422);
  });

  it('lostAnswer: creates the generation (listed, polled, running) but never answers the create call, or resets it', async () => {
    await using mock = await createLumaMock({ apiKey: 'lk', script: [{ type: 'succeed', lostAnswer: 'hang' }, { type: 'succeed', lostAnswer: 'drop' }, { type: 'drop' }] });
    const create = (signal?: AbortSignal) => fetch(`${mock.baseURL}/generations/video`, { method: 'POST', headers, body: JSON.stringify({ model: 'ray-2', prompt: 'a fox' }), ...(signal ? { signal } : {}) });
    const controller = new AbortController();
    const pending = create(controller.signal);
    await expect.poll(() => mock.generations.size).toBe(1);
    controller.abort();
    await expect(pending).rejects.toThrow();
    expect(mock.requests[0]!.status).toBeNull();
    const [id] = [...mock.generations.keys()];
    expect((await (await fetch(`${mock.baseURL}/generations/${id}`, { headers })).json()) as object).toMatchObject({ id, state: 'queued' });
    // drop after creating: the connection is reset, the generation exists.
    await expect(create()).rejects.toThrow();
    expect(mock.generations.size).toBe(2);
    // drop without creating: nothing exists.
    await expect(create()).rejects.toThrow();
    expect(mock.generations.size).toBe(2);
    const list = (await (await fetch(`${mock.baseURL}/generations?limit=10&offset=0`, { headers })).json()) as { count: number };
    expect(list.count).toBe(2);
  });
});
