import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProviderError } from '../../errors/index.js';
import { detectClipDefects, probeMedia } from '../../media/index.js';
import { createLocalProvider, toClipId } from '../index.js';
import type { ClipRequest, TaskState } from '../index.js';
import { makeClipRequest } from '../fixtures/make-clip-request.js';

let dir: string;

const request = (overrides: Partial<ClipRequest> = {}): ClipRequest =>
  makeClipRequest({ provider: 'local', model: 'placeholder-v1', prompt: 'rainy neon street at night', seconds: 1, resolution: '180p', seed: 7, ...overrides });

const sha256 = async (file: string) => createHash('sha256').update(await readFile(file)).digest('hex');

function fileOf(state: TaskState): string {
  if (state.status !== 'succeeded') throw new Error(`expected succeeded, got ${JSON.stringify(state)}`);
  expect(state.outputUrl).toMatch(/^file:\/\//);
  return fileURLToPath(state.outputUrl);
}

async function generate(workDir: string, req: ClipRequest): Promise<string> {
  const provider = createLocalProvider({ workDir });
  const { taskId } = await provider.submit(req, null);
  return fileOf(await provider.poll(taskId, null));
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'rw-local-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('createLocalProvider', () => {
  it('is free and needs no key', () => {
    const provider = createLocalProvider({ workDir: path.join(dir, 'free') });
    expect(provider.id).toBe('local');
    expect(provider.defaultModel).toBe('placeholder-v1');
    expect(provider.estimateCost(request())).toEqual({ usd: 0, source: 'local', date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });
  });

  it('submits a task named after the clip id and polls it as succeeded with a file: URL', async () => {
    const provider = createLocalProvider({ workDir: path.join(dir, 'task') });
    const req = request();
    const submitted = await provider.submit(req, null);
    expect(submitted).toEqual({ taskId: `local-${toClipId(req)}`, estimatedCostUsd: 0 });
    const state = await provider.poll(submitted.taskId, null);
    expect(state).toMatchObject({ status: 'succeeded', costUsd: 0 });
    expect(path.basename(fileOf(state))).toBe(`local-${toClipId(req)}.mp4`);
  });

  it('makes byte-identical files for the same prompt and seed, and different ones for another seed or prompt', async () => {
    const a = await generate(path.join(dir, 'det-a'), request());
    const b = await generate(path.join(dir, 'det-b'), request({ prompt: '  rainy neon\nstreet at night ' }));
    const otherSeed = await generate(path.join(dir, 'det-c'), request({ seed: 8 }));
    const otherPrompt = await generate(path.join(dir, 'det-d'), request({ prompt: 'misty forest at dawn' }));
    expect(await sha256(b)).toBe(await sha256(a));
    expect(await sha256(otherSeed)).not.toBe(await sha256(a));
    expect(await sha256(otherPrompt)).not.toBe(await sha256(a));
  });

  it('writes H.264 yuv420p at 30 fps with the requested length, the aspect’s size and the placeholder tags', async () => {
    const long = `${'very long prompt '.repeat(12)}end`;
    const file = await generate(path.join(dir, 'probe'), request({ seconds: 2, resolution: null, prompt: long }));
    const info = await probeMedia({ file });
    expect(info.video).toMatchObject({ codec: 'h264', pixelFormat: 'yuv420p', width: 1280, height: 720, fps: 30, frameCount: 60 });
    expect(info.durationSeconds).toBeCloseTo(2, 1);
    expect(info.hasAudio).toBe(false);
    expect(info.tags['comment']).toBe('reelwright local placeholder clip');
    const title = info.tags['title'] ?? '';
    expect(title.length).toBeLessThanOrEqual(120);
    expect(title.endsWith('…')).toBe(true);
    expect(long.startsWith(title.slice(0, -1))).toBe(true);
  });

  it('sizes 9:16 and 1:1 clips from the short side, and takes an explicit size', async () => {
    const sizes: [Partial<ClipRequest>, number, number][] = [
      [{ aspect: '9:16', resolution: '180p' }, 180, 320],
      [{ aspect: '1:1', resolution: '180p' }, 180, 180],
      [{ aspect: '16:9', resolution: '256x144' }, 256, 144],
    ];
    for (const [overrides, width, height] of sizes) {
      const file = await generate(path.join(dir, 'sizes'), request({ ...overrides, seconds: 0.5 }));
      const info = await probeMedia({ file });
      expect(info.video, JSON.stringify(overrides)).toMatchObject({ width, height, frameCount: 15 });
    }
  });

  it('passes the clip QA gate: not black, not frozen', async () => {
    for (const prompt of ['rainy neon street at night', 'misty forest at dawn', 'corporate blue background']) {
      const file = await generate(path.join(dir, 'qa'), request({ prompt, seconds: 3, resolution: '360p' }));
      const defects = await detectClipDefects({ file });
      expect(defects.blackRatio, prompt).toBeLessThan(0.05);
      expect(defects.frozenRatio, prompt).toBe(0);
    }
  });

  it('regenerates a deleted clip on poll, byte for byte', async () => {
    const workDir = path.join(dir, 'regen');
    const provider = createLocalProvider({ workDir });
    const { taskId } = await provider.submit(request(), null);
    const file = fileOf(await provider.poll(taskId, null));
    const before = await sha256(file);
    await rm(file);
    // A new provider instance (a resumed batch in a new process) polls the same task.
    const again = createLocalProvider({ workDir });
    expect(fileOf(await again.poll(taskId, null))).toBe(file);
    expect(await sha256(file)).toBe(before);
    expect((await readdir(workDir)).filter((name) => name.includes('.tmp'))).toEqual([]);
  });

  it('answers RW_PROVIDER_NOT_FOUND for a task it never saw', async () => {
    const provider = createLocalProvider({ workDir: path.join(dir, 'unknown') });
    await expect(provider.poll(`local-${'0'.repeat(32)}`, null)).rejects.toMatchObject({ code: 'RW_PROVIDER_NOT_FOUND', retryable: false });
    await expect(provider.poll('gen-123', null)).rejects.toMatchObject({ code: 'RW_PROVIDER_NOT_FOUND' });
  });

  it('rejects durations outside (0, 60] seconds, unknown models and bad resolutions before any work', () => {
    const provider = createLocalProvider({ workDir: path.join(dir, 'invalid') });
    for (const seconds of [0, -1, 61, Number.NaN]) {
      const attempt = () => provider.validateRequest(request({ seconds }));
      expect(attempt).toThrow(ProviderError);
      expect(attempt).toThrow(/seconds must be more than 0 and at most 60/);
    }
    expect(() => provider.validateRequest(request({ seconds: 60 }))).not.toThrow();
    expect(() => provider.validateRequest(request({ model: 'gen4.5' }))).toThrow(/unknown model\. Allowed: placeholder-v1/);
    expect(() => provider.validateRequest(request({ resolution: '4k' }))).toThrow(/resolution must be/);
    expect(() => provider.validateRequest(request({ resolution: '2160p' }))).toThrow(expect.objectContaining({ code: 'RW_CLIP_INVALID_REQUEST', retryable: false }));
  });

  it('stops generating when the signal fires and leaves no clip behind', async () => {
    const workDir = path.join(dir, 'cancel');
    const provider = createLocalProvider({ workDir });
    const controller = new AbortController();
    const pending = provider.submit(request({ seconds: 20, resolution: '720p' }), controller.signal);
    controller.abort(new Error('stop'));
    await expect(pending).rejects.toMatchObject({ code: 'RW_CANCELLED' });
    expect((await readdir(workDir).catch(() => [] as string[])).filter((name) => name.endsWith('.mp4'))).toEqual([]);
  });
});
