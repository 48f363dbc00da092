/**
 * Image→video through the real CLI and the real SDKs: a B-roll slot with `firstFrame: 'photo'` sends the row's
 * photo to Runway as a data URI (`POST /v1/image_to_video`, `promptImage`), the image-only `gen4_turbo` is
 * accepted when the row has a photo and refused for a row without one, a fallback carries the same photo, and
 * Luma — which downloads the first frame itself — refuses local photos up front.
 */
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { lastJsonEvent, runCli } from '../helpers/cli.js';
import type { RecordedRequest } from '../mocks/mock-http.js';
import { brollProject, creates, runFacts, useProviders, summaryOf } from './providers-harness.js';

type ImageToVideoBody = { model: string; promptImage: string; promptText?: string; ratio: string; duration: number };

/** The bytes and media type of a `data:` URI. */
function decodeDataUri(uri: string): { mediaType: string; bytes: Buffer } {
  const match = /^data:([^;,]+);base64,(.*)$/s.exec(uri);
  if (!match) throw new Error(`not a base64 data URI: ${uri.slice(0, 40)}…`);
  return { mediaType: match[1]!, bytes: Buffer.from(match[2]!, 'base64') };
}

const bodyOf = (request: RecordedRequest) => request.body as ImageToVideoBody;

describe('first-frame images (image→video)', () => {
  const providers = useProviders();

  it('renders gen4_turbo clips from each row’s photo sent as a data URI; a missing photo file and an empty photo fail their rows only', async () => {
    await using project = await brollProject({ clips: { concurrency: 1 } });
    const before = creates(providers.runway.requests).length;
    const result = await runCli(['render', '--concurrency', '1', 'datasets/photos.csv', '-t', 'photo-card', '--json'], { cwd: project.dir, env: providers.env });
    expect(result.code, result.stderr).toBe(1);
    const summary = summaryOf(result);
    expect(summary.counts).toMatchObject({ rendered: 2 });

    const made = creates(providers.runway.requests).slice(before);
    expect(made.map((r) => r.path)).toEqual(['/v1/image_to_video', '/v1/image_to_video']);
    const sent = new Map<string, Buffer>();
    for (const request of made) {
      const body = bodyOf(request);
      expect(body).toMatchObject({ model: 'gen4_turbo', ratio: '1280:720', duration: 2, promptText: 'Slow push-in, warm evening light' });
      const image = decodeDataUri(body.promptImage);
      expect(image.mediaType).toBe('image/png');
      sent.set(image.bytes.toString('hex'), image.bytes);
    }
    const ada = await readFile(project.path('datasets', 'photos', 'ada.png'));
    const bo = await readFile(project.path('datasets', 'photos', 'bo.png'));
    expect([...sent.keys()].sort()).toEqual([ada.toString('hex'), bo.toString('hex')].sort());

    const facts = runFacts(project.dir, summary.runId);
    const rowOf = (key: string) => facts.rows.find((r) => r.rowKey === key);
    expect(rowOf('ada')).toMatchObject({ status: 'rendered' });
    expect(rowOf('bo')).toMatchObject({ status: 'rendered' });
    // The photo file does not exist: the dataset reader refuses the row (line, column, what to do).
    const missing = facts.rows.find((r) => r.line === 4);
    expect(missing?.error).toMatchObject({ code: 'RW_DATASET_INVALID_ROW', message: expect.stringMatching(/line 4, column "photo": image file not found: "photos\/missing\.png".*check the spelling/) });
    // No photo on an image-only model: that row's problem, naming the model, before anything is paid.
    expect(rowOf('dee')?.error).toMatchObject({
      code: 'RW_CLIP_INVALID_REQUEST',
      message: expect.stringMatching(/B-roll slot "clip" takes its first frame from image slot "photo", which is empty for this row: Runway clip request \(model "gen4_turbo"\): needs an input image/),
    });
    // Each clip's id includes its image: two distinct clips, each generated once.
    expect(new Set(facts.uses.map((u) => u.clipId)).size).toBe(2);
    expect(facts.attempts.map((a) => `${a.provider}:${a.model}:${a.status}`)).toEqual(['runway:gen4_turbo:succeeded', 'runway:gen4_turbo:succeeded']);

    // plan --json shows each clip's input image hash (the sha256 of the photo's bytes).
    const plan = await runCli(['plan', 'datasets/local-photos.csv', '-t', 'photo-card', '--force', '--json'], { cwd: project.dir, env: providers.env });
    expect(plan.code, plan.stderr).toBe(0);
    const doc = JSON.parse(plan.stdout) as { clips: { inputImageHash: string | null; status: string }[] };
    const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
    expect(doc.clips.map((c) => [c.inputImageHash, c.status]).sort()).toEqual([[sha(ada), 'cached'], [sha(bo), 'cached']].sort());
  });

  it('gives a fallback the same photo, and leaves an image-only fallback out for a row without a photo', async () => {
    await using project = await brollProject({ clips: { concurrency: 1 } });
    // gen4.5 is down for ada's clip (three 500s): gen4_turbo makes it from the same photo.
    providers.runway.push({ type: 'http', status: 500 }, { type: 'http', status: 500 }, { type: 'http', status: 500 });
    const before = creates(providers.runway.requests).length;
    await writeFile(project.path('datasets', 'ada-and-dee.csv'), 'id,photo\nada,photos/ada.png\ndee,\n');
    const plan = await runCli(['plan', 'datasets/ada-and-dee.csv', '-t', 'photo-chain-card', '--json'], { cwd: project.dir, env: providers.env });
    expect(plan.code, plan.stderr).toBe(0);
    expect((JSON.parse(plan.stdout) as { warnings: string[] }).warnings).toEqual([
      expect.stringMatching(/^Template "photo-chain-card", B-roll slot "clip": the fallback runway:gen4_turbo is left out for rows whose image slot "photo" is empty: .*needs an input image.*\(1 clip without this fallback\.\)$/),
    ]);
    const result = await runCli(['render', '--concurrency', '1', 'datasets/ada-and-dee.csv', '-t', 'photo-chain-card', '--json'], { cwd: project.dir, env: providers.env });
    expect(result.code, result.stderr).toBe(0);
    expect(summaryOf(result).counts).toMatchObject({ rendered: 2 });
    // Dozens of polls share the run's AbortSignal: the SDK calls must not pile abort listeners on it.
    expect(result.stderr).not.toContain('MaxListenersExceededWarning');
    // render shows the plan's warning too, as an NDJSON event.
    expect(lastJsonEvent(result, 'warning')).toEqual({ type: 'warning', stage: 'plan', message: expect.stringMatching(/the fallback runway:gen4_turbo is left out for rows whose image slot "photo" is empty/) });

    const made = creates(providers.runway.requests).slice(before);
    const ada = await readFile(project.path('datasets', 'photos', 'ada.png'));
    const adaCalls = made.filter((r) => r.path === '/v1/image_to_video');
    expect(adaCalls.map((r) => [bodyOf(r).model, r.status])).toEqual([
      ['gen4.5', 500],
      ['gen4.5', 500],
      ['gen4.5', 500],
      ['gen4_turbo', 200],
    ]);
    for (const call of adaCalls) expect(decodeDataUri(bodyOf(call).promptImage).bytes.equals(ada)).toBe(true);
    // dee has no photo: gen4.5 makes its clip from the prompt alone.
    expect(made.filter((r) => r.path === '/v1/text_to_video').map((r) => (r.body as { model: string }).model)).toEqual(['gen4.5']);
  });

  it('refuses local photos for Luma up front (Luma needs an https:// image URL) and calls Luma for nothing', async () => {
    await using project = await brollProject();
    const lumaBefore = providers.luma.requests.length;
    const result = await runCli(['render', '--concurrency', '1', 'datasets/local-photos.csv', '-t', 'luma-photo-card', '--json'], { cwd: project.dir, env: providers.env });
    expect(result.code, result.stderr).toBe(1);
    const summary = summaryOf(result);
    expect(summary.counts).toMatchObject({ rendered: 0 });
    expect(providers.luma.requests.length).toBe(lumaBefore);
    const facts = runFacts(project.dir, summary.runId);
    expect(facts.attempts).toEqual([]);
    for (const key of ['ada', 'bo']) {
      expect(facts.rows.find((r) => r.rowKey === key)?.error, key).toMatchObject({
        code: 'RW_CLIP_INVALID_REQUEST',
        message: expect.stringMatching(/B-roll slot "clip" \(first frame from image slot "photo"\): Luma first frame: Luma image→video needs an https:\/\/ image URL .*local file/),
      });
    }
  });
});
