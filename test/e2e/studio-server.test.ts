import { cp, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStudio } from '../../src/studio/index.js';
import type { ClipEstimateResponse, PrepareRowResponse, Studio, StudioErrorInfo, StudioProject } from '../../src/studio/index.js';

const FIXTURE = fileURLToPath(new URL('../fixtures/studio-project/', import.meta.url));

/** A template whose B-roll comes from a paid provider (Runway), to check the cost gate. */
const PAID_TEMPLATE = `import { AbsoluteFill, BRoll, defineTemplate, type SlotMap, type SlotProps } from 'reelwright';
const slots = {
  city: { kind: 'text' },
  aerial: { kind: 'broll', prompt: 'Aerial footage of {{city}}', seconds: 5, provider: 'runway' },
} as const satisfies SlotMap;
function Promo({ city, aerial }: SlotProps<typeof slots>) {
  return <AbsoluteFill><BRoll src={aerial} />{city}</AbsoluteFill>;
}
export default defineTemplate({ id: 'promo', version: '1', fps: 10, width: 160, height: 90, duration: 1, slots, component: Promo });
`;

type RawAnswer = { status: number; body: string };

/** A request exactly as written: `fetch` would normalise `..` away before sending it. */
function rawGet(base: string, rawPath: string, headers: Record<string, string> = {}): Promise<RawAnswer> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const request = http.request({ host: url.hostname, port: url.port, path: rawPath, method: 'GET', headers }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    request.on('error', reject);
    request.end();
  });
}

async function post(studio: Studio, route: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: unknown }> {
  const response = await fetch(new URL(route, studio.url), { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: response.status, json: await response.json() };
}

function errorOf(json: unknown): StudioErrorInfo {
  return (json as { error: StudioErrorInfo }).error;
}

describe('studio server', () => {
  let work: string;
  let project: string;
  let studio: Studio;

  beforeAll(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'rw-studio-server-'));
    project = path.join(work, 'project');
    await cp(FIXTURE, project, { recursive: true });
    await mkdir(path.join(project, 'templates', 'promo'));
    await writeFile(path.join(project, 'templates', 'promo', 'index.tsx'), PAID_TEMPLATE);
    await writeFile(path.join(project, 'datasets', 'promo.csv'), 'city\nLisbon\n');
    await writeFile(path.join(work, 'outside.csv'), 'name,score\nMallory,1\n');
    await symlink(path.join(work, 'outside.csv'), path.join(project, 'datasets', 'leak.csv'));
    studio = await startStudio({ projectDir: project, port: 0, env: {}, renderRow: null });
  });

  afterAll(async () => {
    await studio?.close();
    await rm(work, { recursive: true, force: true });
  });

  it('binds 127.0.0.1 by default and cannot be reached on the other interfaces', async () => {
    expect(studio.host).toBe('127.0.0.1');
    expect(new URL(studio.url).hostname).toBe('127.0.0.1');
    expect((await rawGet(studio.url, '/api/project')).status).toBe(200);
    const external = Object.values(networkInterfaces())
      .flat()
      .find((address) => address && !address.internal && address.family === 'IPv4');
    if (external) {
      const refused = await new Promise<string>((resolve) => {
        const socket = net.connect({ host: external.address, port: studio.port });
        socket.once('connect', () => {
          socket.destroy();
          resolve('connected');
        });
        socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
      });
      expect(refused).toBe('ECONNREFUSED');
    }
  });

  it('refuses ../ and paths outside the project in the file routes', async () => {
    expect((await rawGet(studio.url, '/files/datasets/people.csv')).status).toBe(200);
    for (const rawPath of [
      '/files/datasets/../../package.json',
      '/files/datasets/../templates/card/index.tsx',
      '/files/datasets/%2e%2e/%2e%2e/outside.csv',
      '/files/datasets/..%2f..%2foutside.csv',
      '/files/state/journal.db',
      '/files/state/../datasets/people.csv',
      '/../outside.csv',
    ]) {
      const answer = await rawGet(studio.url, rawPath);
      expect([403, 404], rawPath).toContain(answer.status);
      expect(answer.body).not.toContain('Mallory');
    }
    // A symlink inside the project that leads out of it is not followed.
    expect((await rawGet(studio.url, '/files/datasets/leak.csv')).status).toBe(404);
  });

  it('refuses ../, absolute paths and symlinks out of the project in the API, naming the rule', async () => {
    const template = 'templates/card/index.tsx';
    for (const ref of ['../outside.csv', 'datasets/../../outside.csv', path.join(work, 'outside.csv'), 'datasets/leak.csv']) {
      const response = await fetch(new URL(`/api/dataset?template=${encodeURIComponent(template)}&ref=${encodeURIComponent(ref)}`, studio.url));
      expect(response.status, ref).toBe(403);
      const error = errorOf(await response.json());
      expect(error.code).toBe('RW_STUDIO_PATH_OUTSIDE');
      expect(error.message).not.toContain('Mallory');
    }
    const opened = await post(studio, '/api/open', { path: '../outside.csv' });
    expect(opened.status).toBe(403);
    expect(errorOf(opened.json).message).toMatch(/goes up a folder/);
    const template403 = await fetch(new URL('/api/template?ref=../../etc/passwd', studio.url));
    expect(template403.status).toBe(403);
    const inside = await post(studio, '/api/open', { path: 'datasets/people.csv' });
    expect(inside).toEqual({ status: 200, json: { kind: 'dataset', ref: 'datasets/people.csv' } });
  });

  it('answers only its own host name and origin, and only JSON posts', async () => {
    const rebound = await rawGet(studio.url, '/api/project', { host: `evil.example:${studio.port}` });
    expect(rebound.status).toBe(403);
    expect(rebound.body).toContain('RW_STUDIO_BAD_HOST');
    expect((await rawGet(studio.url, '/api/project', { host: `localhost:${studio.port}` })).status).toBe(200);
    const foreign = await post(studio, '/api/open', { path: 'datasets/people.csv' }, { origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
    const form = await fetch(new URL('/api/open', studio.url), { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{"path":"datasets/people.csv"}' });
    expect(form.status).toBe(415);
    const page = await fetch(studio.url);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.headers.get('x-frame-options')).toBe('DENY');
  });

  it('lists the project and reports that rendering is off when started with renderRow: null', async () => {
    const project_ = (await (await fetch(new URL('/api/project', studio.url))).json()) as StudioProject;
    expect(project_.templates.map((t) => t.ref)).toEqual(['templates/card/index.tsx', 'templates/promo/index.tsx']);
    // The symlink that leads out of the project is not listed either.
    expect(project_.datasets.map((d) => d.ref)).toEqual(['datasets/people.csv', 'datasets/promo.csv']);
    expect(project_.render).toEqual({ available: false, reason: expect.stringMatching(/runBatch/) });
    const refused = await post(studio, '/api/render', { template: 'templates/card/index.tsx', dataset: 'datasets/people.csv', rowKey: 'x', variant: 'landscape' });
    expect(refused.status).toBe(501);
    expect(errorOf(refused.json).code).toBe('RW_STUDIO_RENDER_UNAVAILABLE');
  });

  it('previews a paid B-roll slot with a free placeholder and gates generation behind a confirmed, available estimate', async () => {
    const row = { template: 'templates/promo/index.tsx', dataset: 'datasets/promo.csv', variant: 'default', cells: { city: 'Lisbon' }, line: 2, index: 0 };
    const prepared = await post(studio, '/api/prepare', row);
    expect(prepared.status).toBe(200);
    const answer = prepared.json as PrepareRowResponse;
    expect(answer.ok).toBe(true);
    expect(answer.clips).toHaveLength(1);
    expect(answer.clips[0]).toMatchObject({ slot: 'aerial', status: 'placeholder', provider: 'runway', prompt: 'Aerial footage of Lisbon' });
    expect(answer.clips[0]!.estimate!.usd).toBeGreaterThan(0);
    const clipUrl = answer.init!.props['aerial'] as string;
    // 5 s of clip decoded at the template's 10 fps and size, as the renderer shows it.
    expect(answer.init!.clipFrames[clipUrl]).toMatchObject({ count: 50, fps: 10 });

    const estimated = await post(studio, '/api/clips/estimate', { ...row, slot: 'aerial' });
    expect(estimated.status).toBe(200);
    const estimate = estimated.json as ClipEstimateResponse;
    expect(estimate).toMatchObject({ provider: 'runway', cached: false, paid: true, available: false, clipId: answer.clips[0]!.clipId });
    expect(estimate.reason).toMatch(/RUNWAYML_API_SECRET/);

    const unconfirmed = await post(studio, '/api/clips/generate', { ...row, slot: 'aerial' });
    expect(unconfirmed.status).toBe(428);
    expect(errorOf(unconfirmed.json).code).toBe('RW_STUDIO_CONFIRM_REQUIRED');
    const stale = await post(studio, '/api/clips/generate', { ...row, slot: 'aerial', clipId: 'not-the-estimated-clip' });
    expect(stale.status).toBe(409);
    const noKey = await post(studio, '/api/clips/generate', { ...row, slot: 'aerial', clipId: estimate.clipId });
    expect(noKey.status).toBe(501);
    expect(errorOf(noKey.json).message).toMatch(/not available here.*RUNWAYML_API_SECRET/s);
  });

  it('closes cleanly, twice, and frees its port', async () => {
    const second = await startStudio({ projectDir: project, port: 0 });
    const { port } = second;
    await second.close();
    await second.close();
    await new Promise<void>((resolve, reject) => {
      const server = net.createServer();
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => server.close(() => resolve()));
    });
  });
});
