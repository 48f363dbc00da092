/**
 * The studio's clip panel for an image→video slot (`firstFrame`) shows the clip `reelwright render` made and cached
 * for the row's photo (same clip id, status `cached`), and a different, not yet generated clip once the photo changes.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { startStudio } from '../../src/studio/index.js';
import type { ClipEstimateResponse, ClipGenerateResponse, PrepareRowResponse, Studio } from '../../src/studio/index.js';
import { runCli } from '../helpers/cli.js';
import { brollProject, creates, runFacts, summaryOf, useProviders } from './providers-harness.js';

async function post<T>(studio: Studio, route: string, body: unknown): Promise<T> {
  const response = await fetch(new URL(route, studio.url), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const json = (await response.json()) as T;
  expect(response.status, JSON.stringify(json)).toBe(200);
  return json;
}

describe('studio: image→video B-roll slots', () => {
  const providers = useProviders();

  it('shows the clip the batch cached for the row’s photo, and a new clip at the image→video price when the photo changes', async () => {
    await using project = await brollProject({ clips: { concurrency: 1 } });
    const rendered = await runCli(['render', '--concurrency', '1', 'datasets/local-photos.csv', '-t', 'photo-card', '--json'], { cwd: project.dir, env: providers.env });
    expect(rendered.code, rendered.stderr).toBe(0);
    const summary = summaryOf(rendered);
    const batchClipOf = new Map(runFacts(project.dir, summary.runId).uses.map((use) => [use.rowKey, use.clipId]));
    expect(batchClipOf.size).toBe(2);

    await using studio = await startStudio({ projectDir: project.dir, port: 0, env: providers.env, renderRow: null });
    const row = (key: string, line: number) => ({
      template: 'templates/photo-card/index.tsx',
      dataset: 'datasets/local-photos.csv',
      variant: 'default',
      cells: { id: key, photo: `photos/${key}.png` },
      line,
      index: line - 2,
    });
    for (const [key, line] of [['ada', 2], ['bo', 3]] as const) {
      const estimate = await post<ClipEstimateResponse>(studio, '/api/clips/estimate', { ...row(key, line), slot: 'clip' });
      expect(estimate).toMatchObject({ clipId: batchClipOf.get(key), cached: true, provider: 'runway', model: 'gen4_turbo' });
      const prepared = await post<PrepareRowResponse>(studio, '/api/prepare', row(key, line));
      expect(prepared.ok, JSON.stringify(prepared.problems)).toBe(true);
      expect(prepared.clips).toMatchObject([{ slot: 'clip', clipId: batchClipOf.get(key), status: 'cached' }]);
    }

    // A new photo in the same file: a clip neither run has made, priced as gen4_turbo image→video.
    const ada = await readFile(project.path('datasets', 'photos', 'ada.png'));
    await writeFile(project.path('datasets', 'photos', 'ada.png'), Buffer.concat([ada, Buffer.from('a retouched photo')]));
    const changed = await post<ClipEstimateResponse>(studio, '/api/clips/estimate', { ...row('ada', 2), slot: 'clip' });
    expect(changed.clipId).not.toBe(batchClipOf.get('ada'));
    expect(changed).toMatchObject({ cached: false, paid: true, available: true });
    const plan = await runCli(['plan', 'datasets/local-photos.csv', '-t', 'photo-card', '--json'], { cwd: project.dir, env: providers.env });
    expect(plan.code, plan.stderr).toBe(0);
    const doc = JSON.parse(plan.stdout) as { clips: { clipId: string; status: string; estimate: { usd: number } | null }[] };
    expect(doc.clips.find((c) => c.status === 'new')).toMatchObject({ clipId: changed.clipId, estimate: { usd: changed.estimate.usd } });
  });

  it('generates an image→video clip from the studio with the row’s photo, under the id the batch then finds cached', async () => {
    await using project = await brollProject({ clips: { concurrency: 1 } });
    await using studio = await startStudio({ projectDir: project.dir, port: 0, env: providers.env, renderRow: null });
    const row = { template: 'templates/photo-card/index.tsx', dataset: 'datasets/local-photos.csv', variant: 'default', cells: { id: 'bo', photo: 'photos/bo.png' }, line: 3, index: 1, slot: 'clip' };
    const estimate = await post<ClipEstimateResponse>(studio, '/api/clips/estimate', row);
    const before = creates(providers.runway.requests).length;
    const generated = await post<ClipGenerateResponse>(studio, '/api/clips/generate', { ...row, clipId: estimate.clipId });
    expect(generated).toMatchObject({ clipId: estimate.clipId, cached: false });
    const made = creates(providers.runway.requests).slice(before);
    expect(made.map((r) => r.path)).toEqual(['/v1/image_to_video']);
    const promptImage = (made[0]!.body as { promptImage: string }).promptImage;
    const bo = await readFile(project.path('datasets', 'photos', 'bo.png'));
    expect(promptImage).toBe(`data:image/png;base64,${bo.toString('base64')}`);

    const plan = await runCli(['plan', 'datasets/local-photos.csv', '-t', 'photo-card', '--json'], { cwd: project.dir, env: providers.env });
    expect(plan.code, plan.stderr).toBe(0);
    const doc = JSON.parse(plan.stdout) as { clips: { clipId: string; status: string }[] };
    expect(doc.clips.find((c) => c.clipId === estimate.clipId)).toMatchObject({ status: 'cached' });
  });
});
