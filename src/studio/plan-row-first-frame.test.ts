/**
 * The studio plans a B-roll slot with `firstFrame` (image→video) exactly as `prepareBatch` does: the row's image is
 * read and hashed by the batch's `collectInputImages`, so clip id and `inputImageHash` match the batch's, change
 * with the image, and an image the batch cannot use is a studio problem with the batch's own message.
 */
import { createHash } from 'node:crypto';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openClipCache } from '../clips/index.js';
import type { ClipCache } from '../clips/index.js';
import { openJournal } from '../journal/index.js';
import type { PlanProblem } from '../plan/index.js';
import { DEFAULT_JPEG_QUALITY } from '../render/index.js';
import { ClipProviders, DEFAULT_CONFIG, DEFAULT_PROVIDER_MODELS, FIRST_FRAME_PROBLEM_CODE, InputImageStore, RENDERER_VERSION, prepareBatch, projectPaths } from '../run/index.js';
import type { PreparedBatch, ProjectPaths } from '../run/index.js';
import { loadTemplate } from '../template/index.js';
import { createPreviewClips } from './create-preview-clips.js';
import { planRow } from './plan-row.js';
import type { PlanRowResult } from './plan-row.js';

const FIXTURE = fileURLToPath(new URL('../../test/fixtures/projects/broll/', import.meta.url));
const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('planRow with first-frame images', () => {
  let work: string;
  let project: string;
  let paths: ProjectPaths;
  let cache: ClipCache;
  let inputImages: InputImageStore;

  beforeAll(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'rw-plan-row-first-frame-'));
    project = path.join(work, 'project');
    await cp(FIXTURE, project, { recursive: true });
    await writeFile(path.join(project, 'datasets', 'photos', 'notes.png'), 'not an image at all');
    // Rows the batch refuses: not an image (the dataset stage), a loopback URL (private addresses are refused: the first frame).
    await writeFile(path.join(project, 'datasets', 'bad-photos.csv'), 'id,photo\nada,photos/ada.png\nnix,photos/notes.png\nfar,http://127.0.0.1:9/photo.png\ncy,photos/missing.png\n');
    paths = projectPaths({ projectDir: project });
    cache = openClipCache({ stateDir: paths.stateDir });
    inputImages = new InputImageStore();
  });

  afterAll(async () => {
    cache?.close();
    await rm(work, { recursive: true, force: true });
  });

  /** `prepareBatch` as `reelwright plan` calls it (no keys needed). */
  async function batchPlan(dataset: string, template: string): Promise<PreparedBatch> {
    const journal = openJournal({ file: paths.journalFile, secretValues: [] });
    try {
      const prepared = await prepareBatch({
        paths,
        dataset: path.join(paths.datasetsDir, dataset),
        template,
        journal,
        outDirFor: (id) => path.join(paths.outputsDir, id),
        limit: null,
        rowKeys: null,
        namePattern: null,
        variants: null,
        map: null,
        draft: false,
        force: false,
        provider: null,
        model: null,
        jpegQuality: DEFAULT_JPEG_QUALITY,
        env: {},
        requireKeys: false,
        logLevel: 'error',
        onLog: null,
        signal: null,
      });
      prepared.cache.close();
      return prepared;
    } finally {
      journal.close();
    }
  }

  /** `planRow` wired as the studio wires it (`startStudio` + `createRequestHandler`): the batch's providers and the studio's image store. */
  async function studioPlan(template: string, cells: Record<string, string>, line: number, fileLabel: string): Promise<PlanRowResult> {
    const definition = (await loadTemplate({ entry: path.join(paths.templatesDir, template, 'index.tsx'), cacheDir: paths.cacheDir })).definition;
    const providers = new ClipProviders({ env: {}, config: { local: { workDir: path.join(paths.workDir, 'local') } }, inputImages });
    const clips = createPreviewClips({ paths, cache, providers, config: DEFAULT_CONFIG, openLedger: () => { throw new Error('planning opens no journal'); } });
    return planRow({
      template: definition,
      templateHash: 'test',
      variant: 'default',
      cells,
      line,
      index: line - 2,
      fileLabel,
      baseDir: paths.datasetsDir,
      cacheIndex: cache,
      priceOf: (request) => clips.estimate(request).estimate,
      validateRequest: clips.validate,
      providerDefaults: { models: { ...DEFAULT_PROVIDER_MODELS }, forceProvider: null },
      rendererVersion: RENDERER_VERSION,
      mediaDir: paths.mediaDir,
      inputImages,
    });
  }

  it("gives an image→video slot the batch's clip id, image hash and price, and a new id when the image changes", async () => {
    const batch = await batchPlan('photos.csv', 'photo-card');
    const batchClip = (key: string) => {
      const job = batch.plan.jobs.find((j) => j.rowKey === key)!;
      return batch.plan.clips.find((c) => c.clipId === job.clips['clip'])!;
    };
    const adaBytes = await readFile(path.join(paths.datasetsDir, 'photos', 'ada.png'));
    expect(batchClip('ada').request.inputImageHash).toBe(sha(adaBytes));

    for (const [key, line] of [['ada', 2], ['bo', 3]] as const) {
      const planned = await studioPlan('photo-card', { id: key, photo: `photos/${key}.png` }, line, 'photos.csv');
      expect(planned.ok, JSON.stringify(planned)).toBe(true);
      if (!planned.ok) continue;
      const clip = planned.plan.clips[0]!;
      expect(planned.job.clips['clip']).toBe(batchClip(key).clipId);
      expect(clip.request.inputImageHash).toBe(batchClip(key).request.inputImageHash);
      expect(clip.request).toEqual(batchClip(key).request);
      // The image→video price of gen4_turbo, as `plan` shows it.
      expect(clip.estimate).toEqual(batchClip(key).estimate);
      // The studio's providers can now resolve the image (Runway's data URI) for a generation from the studio.
      expect(inputImages.get(clip.request.inputImageHash!)?.file).toBe(path.join(paths.datasetsDir, 'photos', `${key}.png`));
    }

    // Another image in the same cell: another clip, in the studio as in the batch.
    const before = batchClip('ada').clipId;
    const edited = Buffer.concat([adaBytes, Buffer.from('edited after the first plan')]);
    await writeFile(path.join(paths.datasetsDir, 'photos', 'ada.png'), edited);
    const after = await studioPlan('photo-card', { id: 'ada', photo: 'photos/ada.png' }, 2, 'photos.csv');
    expect(after.ok).toBe(true);
    if (!after.ok) return;
    const rebatched = await batchPlan('photos.csv', 'photo-card');
    const rebatchedClip = rebatched.plan.clips.find((c) => c.clipId === rebatched.plan.jobs.find((j) => j.rowKey === 'ada')!.clips['clip'])!;
    expect(after.job.clips['clip']).not.toBe(before);
    expect(after.job.clips['clip']).toBe(rebatchedClip.clipId);
    expect(after.plan.clips[0]!.request.inputImageHash).toBe(sha(edited));
    await writeFile(path.join(paths.datasetsDir, 'photos', 'ada.png'), adaBytes);
  });

  it("reports an image the batch cannot use as a problem of the image's field, with the batch's message", async () => {
    const batch = await batchPlan('bad-photos.csv', 'photo-card');
    const batchProblem = (key: string): PlanProblem => batch.plan.problems.find((p) => p.rowKey === key)!;
    expect(batchProblem('far')).toMatchObject({ code: FIRST_FRAME_PROBLEM_CODE, message: expect.stringMatching(/^bad-photos\.csv line 4, column "photo": .*Could not fetch http:\/\/127\.0\.0\.1:9\/photo\.png/) });

    for (const [key, line, photo] of [['far', 4, 'http://127.0.0.1:9/photo.png']] as const) {
      const planned = await studioPlan('photo-card', { id: key, photo }, line, 'bad-photos.csv');
      expect(planned.ok).toBe(false);
      if (planned.ok) continue;
      expect(planned.problems).toEqual([
        {
          slot: 'photo',
          column: null,
          rule: 'plan',
          message: batchProblem(key).message.replace(`bad-photos.csv line ${line}, column "photo": `, ''),
          text: batchProblem(key).message,
        },
      ]);
    }

    // A photo file that does not exist, or is not an image: the dataset stage refuses the row, in both, with the same words.
    for (const [key, line, photo] of [['cy', 5, 'photos/missing.png'], ['nix', 3, 'photos/notes.png']] as const) {
      const refused = await studioPlan('photo-card', { id: key, photo }, line, 'bad-photos.csv');
      expect(refused.ok).toBe(false);
      if (refused.ok) continue;
      expect(refused.problems.map((p) => p.text)).toEqual(batch.invalidRows.find((r) => r.line === line)!.messages);
    }
    expect(batch.invalidRows.find((r) => r.line === 3)!.messages).toEqual([expect.stringMatching(/^bad-photos\.csv line 3, column "photo": "photos\/notes\.png" is not an image/)]);
  });

  it('refuses a local photo for Luma as the batch does', async () => {
    const batch = await batchPlan('local-photos.csv', 'luma-photo-card');
    const expected = batch.plan.problems.find((p) => p.rowKey === 'ada')!;
    expect(expected.message).toMatch(/Luma image→video needs an https:\/\/ image URL/);
    const planned = await studioPlan('luma-photo-card', { id: 'ada', photo: 'photos/ada.png' }, 2, 'local-photos.csv');
    expect(planned.ok).toBe(false);
    if (planned.ok) return;
    expect(planned.problems.map((p) => [p.slot, p.message])).toEqual([['clip', expected.message]]);
  });
});
