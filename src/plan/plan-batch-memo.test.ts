/**
 * planBatch computes clip ids, prompts, manifest hashes and default output names once per distinct input
 * (a 100,000-row plan repeats the same few prompts): these tests pin that every answer is still what the
 * unmemoized functions give for that job — nothing stale across rows, slots, variants, images or draft.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { normalizePrompt, toClipId } from '../clips/index.js';
import type { ClipRequest, CostEstimate } from '../clips/index.js';
import type { DatasetRow } from '../dataset/index.js';
import { defineTemplate } from '../template/index.js';
import { aspectOfSize, buildJobManifest, hashManifest, planBatch } from './index.js';
import type { BatchPlan, InputImageIndex, PlanBatchOptions, PlanTemplate } from './index.js';

const sha = (text: string) => createHash('sha256').update(text).digest('hex');
const price = (request: ClipRequest): CostEstimate => ({ usd: request.seconds / 10, source: 'test', date: '2026-11-01' });

/** Slots with the same prompt that differ only in seed, resolution or first frame; two variants of different aspect. */
const template = defineTemplate({
  id: 'memo',
  version: '1',
  fps: 30,
  width: 1280,
  height: 720,
  duration: 2,
  variants: { landscape: { width: 1280, height: 720 }, portrait: { width: 720, height: 1280 } },
  slots: {
    name: { kind: 'text' },
    city: { kind: 'text' },
    seats: { kind: 'number', optional: true },
    photo: { kind: 'image', optional: true },
    seedA: { kind: 'broll', prompt: 'Aerial of {{city}}', seconds: 5, provider: 'runway', model: 'gen4.5', seed: 1 },
    seedB: { kind: 'broll', prompt: 'Aerial of {{city}}', seconds: 5, provider: 'runway', model: 'gen4.5', seed: 2 },
    res: { kind: 'broll', prompt: 'Aerial of {{city}}', seconds: 5, provider: 'luma', model: 'ray-flash-2', resolution: '540p' },
    photoClip: { kind: 'broll', prompt: 'Aerial of {{city}}', seconds: 5, provider: 'runway', model: 'gen4.5', firstFrame: 'photo' },
    seatsClip: { kind: 'broll', prompt: '{{seats}} seats in {{city}}', seconds: 4, provider: 'local', model: 'placeholder-v1' },
  },
  component: () => null,
});

function row(index: number, values: Record<string, string | number>): DatasetRow {
  const key = String(values['name']);
  return { index, line: index + 2, key, hash: sha(JSON.stringify([key, values])), values };
}

const photoOf: Record<number, string> = { 0: sha('ada.png'), 2: sha('ada.png'), 3: sha('bo.png'), 6: sha('ada.png') };
const images: InputImageIndex = { get: (rowIndex, slot) => (slot === 'photoClip' && photoOf[rowIndex] ? { ok: true, hash: photoOf[rowIndex] as string } : null) };

const rows = () => [
  row(0, { name: 'ada', city: 'Lisbon', seats: 5 }),
  row(1, { name: 'bo', city: 'Lisbon', seats: '5' as unknown as number }),
  row(2, { name: 'cy', city: 'Porto', seats: 5 }),
  row(3, { name: 'dee', city: 'Lisbon', seats: 7 }),
  row(4, { name: 'eve', city: ' Lisbon\n', seats: 5 }),
  row(5, { name: 'fay', city: 'Lisbon', seats: 5 }),
  row(6, { name: 'gus', city: 'Lisbon', seats: 5 }),
];

function options(over: Partial<PlanBatchOptions> = {}): PlanBatchOptions {
  return {
    template: template as PlanTemplate,
    templateHash: 'bundle-1',
    rows: rows(),
    variants: ['landscape', 'portrait'],
    providerDefaults: { models: { local: 'placeholder-v1', runway: 'gen4.5', luma: 'ray-flash-2' } },
    cacheIndex: { has: () => false },
    previousOutputs: { get: () => null },
    priceOf: price,
    inputImages: images,
    renderFpsEstimate: 10,
    rendererVersion: '0.1.0',
    ...over,
  };
}

/** The request each (job, slot) must carry, built from scratch the way the planner always did. */
function expectedRequest(plan: BatchPlan, jobIndex: number, slot: string, draft: boolean): ClipRequest {
  const job = plan.jobs[jobIndex]!;
  const declared = template.slots[slot as keyof typeof template.slots] as { prompt: string; seconds: number; provider: string; model: string; seed?: number; resolution?: string };
  const values = job.props as Record<string, string | number>;
  const prompt = normalizePrompt(declared.prompt.replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(values[name] ?? '')));
  const image = slot === 'photoClip' ? (photoOf[job.rowIndex] ?? null) : null;
  return {
    provider: declared.provider,
    model: declared.model,
    prompt,
    seconds: declared.seconds,
    aspect: aspectOfSize({ width: job.width, height: job.height }),
    resolution: declared.resolution ?? null,
    seed: declared.seed ?? null,
    inputImageHash: image,
    params: {},
    draft,
  };
}

describe('planBatch: ids and hashes computed once per distinct input are never stale', () => {
  it('gives every job and slot the id toClipId gives its own request, across prompts, seeds, resolutions, images, variants and draft', () => {
    for (const draft of [false, true]) {
      const plan = planBatch(options({ draft }));
      expect(plan.problems).toEqual([]);
      for (const [i, job] of plan.jobs.entries()) {
        for (const slot of Object.keys(job.clips)) {
          const expected = expectedRequest(plan, i, slot, draft);
          // A draft of a slot without a draftModel runs on the local provider, at its default resolution.
          if (draft) Object.assign(expected, { provider: 'local', model: 'placeholder-v1', resolution: null });
          expect(job.clips[slot], `${job.jobId} ${slot}`).toBe(toClipId(expected));
        }
      }
      // Each distinct clip's stored request hashes to its id and holds exactly the planner's fields in order.
      for (const clip of plan.clips) {
        expect(toClipId(clip.request)).toBe(clip.clipId);
        expect(Object.keys(clip.request)).toEqual(['provider', 'model', 'prompt', 'seconds', 'aspect', 'resolution', 'seed', 'inputImageHash', 'params', 'draft']);
      }
    }
  });

  it('keeps requests apart that differ only in seed, resolution, first-frame image, variant or draft', () => {
    const final = planBatch(options());
    const draft = planBatch(options({ draft: true }));
    const ada = final.jobs[0]!.clips; // ada, landscape
    expect(new Set([ada['seedA'], ada['seedB'], ada['res'], ada['photoClip']]).size).toBe(4);
    // Jobs alternate landscape / portrait: row r's landscape job is jobs[2r].
    expect(final.jobs[2]!.clips['seedA']).toBe(ada['seedA']); // bo: same city, same seed
    expect(final.jobs[2]!.clips['photoClip']).not.toBe(ada['photoClip']); // bo: same city, no photo
    expect(final.jobs[4]!.clips['photoClip']).not.toBe(ada['photoClip']); // cy: same photo, another city
    expect(final.jobs[12]!.clips['photoClip']).toBe(ada['photoClip']); // gus: same city, same photo
    expect(final.jobs[10]!.clips['photoClip']).toBe(final.jobs[2]!.clips['photoClip']); // fay and bo: Lisbon, no photo
    expect(final.jobs[1]!.clips['seedA']).not.toBe(ada['seedA']); // ada, portrait: 9:16
    expect(final.jobs[13]!.clips['photoClip']).toBe(final.jobs[1]!.clips['photoClip']); // gus and ada, portrait
    expect(draft.jobs[0]!.clips['seedA']).not.toBe(ada['seedA']);
    // "5 seats" from the number 5 and from the string '5' is one prompt, so one clip.
    expect(final.jobs[2]!.clips['seatsClip']).toBe(ada['seatsClip']);
    expect(final.jobs[6]!.clips['seatsClip']).not.toBe(ada['seatsClip']); // dee: 7 seats
    // Whitespace around the city normalizes to the same prompt.
    expect(final.jobs[8]!.clips['seedA']).toBe(ada['seedA']);
  });

  it('gives every job the manifest hash of its full manifest, also when re-planned against previous outputs', () => {
    const plan = planBatch(options());
    for (const job of plan.jobs) expect(hashManifest(buildJobManifest({ plan, job }))).toBe(job.manifestHash);
    const byJob = new Map(plan.jobs.map((job) => [job.jobId, job]));
    const again = planBatch(
      options({
        previousOutputs: {
          get: (rowKey, variant) => {
            const job = byJob.get(`${rowKey}#${variant}`)!;
            return { manifestHash: job.manifestHash, outputExists: true, manifest: buildJobManifest({ plan, job }) };
          },
        },
      }),
    );
    expect(again.jobs.map((j) => j.status)).toEqual(plan.jobs.map(() => 'up_to_date'));
    expect(again.jobs.map((j) => j.manifestHash)).toEqual(plan.jobs.map((j) => j.manifestHash));
  });

  it('names outputs with the default patterns exactly as Handlebars renders them', () => {
    const keys = ['ada', 'Ada Lovelace', '../x', 'CON', 'con', 'a{{b}}', '<&>"\'', 'Zoë', 'x'.repeat(200), 'c000001', 'C000001'];
    const keyed = keys.map((key, i) => ({ index: i, line: i + 2, key, hash: sha(key), values: { name: key, city: 'Oslo' } }));
    for (const [pattern, variants] of [
      ['{{key}}', ['landscape']],
      ['{{key}}-{{variant}}', ['landscape', 'portrait']],
    ] as const) {
      const fast = planBatch(options({ rows: keyed, namePattern: pattern, variants }));
      // A comment keeps the output the same but takes the pattern through Handlebars.
      const rendered = planBatch(options({ rows: keyed, namePattern: `${pattern}{{! through Handlebars }}`, variants }));
      expect(fast.jobs.map((j) => j.outputName)).toEqual(rendered.jobs.map((j) => j.outputName));
      expect(fast.jobs.map((j) => j.manifestHash)).toEqual(rendered.jobs.map((j) => j.manifestHash));
    }
  });
});
