import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it, vi } from 'vitest';
import { createRunwayProvider, toClipId } from '../clips/index.js';
import type { ClipId, ClipRequest, CostEstimate } from '../clips/index.js';
import type { DatasetRow } from '../dataset/index.js';
import { ConfigError } from '../errors/index.js';
import { defineTemplate } from '../template/index.js';
import { buildJobManifest, hashManifest, planBatch, resolveOutputPath, toPlanDocument } from './index.js';
import type { BatchPlan, InputImageEntry, InputImageIndex, PlanBatchOptions, PlanTemplate, PreviousOutput } from './index.js';

const price = (request: ClipRequest): CostEstimate => ({ usd: request.provider === 'runway' ? 0.12 * request.seconds : 0, source: `${request.provider}-pricing 2026-11`, date: '2026-11-01' });

const cityTemplate = defineTemplate({
  id: 'city',
  version: '1',
  fps: 30,
  width: 1280,
  height: 720,
  duration: 3,
  slots: {
    name: { kind: 'text' },
    city: { kind: 'text' },
    note: { kind: 'text', optional: true },
    bg: { kind: 'broll', prompt: 'Aerial  footage of {{city}} at dusk', seconds: 5, provider: 'runway', model: 'gen4.5', seed: 7 },
  },
  component: () => null,
});

const twoSlotTemplate = defineTemplate({
  id: 'two-slot',
  version: '2',
  fps: 25,
  width: 1280,
  height: 720,
  duration: (row: { seconds: number }) => row.seconds,
  variants: { landscape: { width: 1280, height: 720 }, portrait: { width: 720, height: 1280 } },
  slots: {
    name: { kind: 'text' },
    city: { kind: 'text' },
    seconds: { kind: 'number' },
    bg: { kind: 'broll', prompt: 'Street of {{city}}', seconds: 4, provider: 'runway', model: 'gen4.5' },
    outro: { kind: 'broll', prompt: '{{#if name}}Portrait of {{name}}{{/if}}', seconds: 2 },
  },
  component: () => null,
});

function row(index: number, values: Record<string, string | number>, key = String(values['name'] ?? index)): DatasetRow {
  const hash = createHash('sha256').update(JSON.stringify([key, values])).digest('hex');
  return { index, line: index + 2, key, hash, values };
}

function options(template: PlanTemplate, rows: DatasetRow[], over: Partial<PlanBatchOptions> = {}): PlanBatchOptions {
  return {
    template,
    templateHash: 'bundle-1',
    rows,
    providerDefaults: { models: { local: 'placeholder-v1', runway: 'gen4.5' } },
    cacheIndex: { has: () => false },
    previousOutputs: { get: () => null },
    priceOf: price,
    renderFpsEstimate: 10,
    rendererVersion: '0.1.0',
    renderSettings: { crf: 20, preset: 'veryfast' },
    ...over,
  };
}

/** What the journal would return for each job of a finished plan. */
function previousFrom(plan: BatchPlan, exists = true): PlanBatchOptions['previousOutputs'] {
  const byJob = new Map<string, PreviousOutput>();
  for (const job of plan.jobs) byJob.set(job.jobId, { manifestHash: job.manifestHash, outputExists: exists, manifest: JSON.parse(JSON.stringify(buildJobManifest({ plan, job }))) });
  return { get: (rowKey, variant) => byJob.get(`${rowKey}#${variant}`) ?? null };
}

const cities = ['Paris', 'Paris', 'Rome', 'Paris', 'Rome', 'Oslo'];
const cityRows = () => cities.map((city, i) => row(i, { name: `n${i}`, city }));

describe('planBatch: clip dedupe and cache status', () => {
  it('counts clip requests before and after dedupe for repeated prompts and prices each distinct clip once', () => {
    const plan = planBatch(options(cityTemplate, cityRows()));
    expect(plan.totals).toMatchObject({ rows: 6, jobs: 6, render: 6, upToDate: 0, clipRequests: 6, distinctClips: 3, newClips: 3, cachedClips: 0, sharedUses: 3 });
    expect(plan.clips.map((c) => [c.request.prompt, c.users.length])).toEqual([
      ['Aerial footage of Paris at dusk', 3],
      ['Aerial footage of Rome at dusk', 2],
      ['Aerial footage of Oslo at dusk', 1],
    ]);
    expect(plan.totals.money).toEqual({ totalUsd: 1.8, byModel: [{ provider: 'runway', model: 'gen4.5', clips: 3, usd: 1.8, source: 'runway-pricing 2026-11', date: '2026-11-01' }] });
    expect(plan.totals.frames).toBe(6 * 90);
    expect(plan.totals.renderSeconds).toBe(54);
  });

  it('marks each use cached, shared or new', () => {
    const rome = toClipId({ provider: 'runway', model: 'gen4.5', prompt: 'Aerial footage of Rome at dusk', seconds: 5, aspect: '16:9', resolution: null, seed: 7, inputImageHash: null, params: {}, draft: false });
    const plan = planBatch(options(cityTemplate, cityRows(), { cacheIndex: { has: (id: ClipId) => id === rome } }));
    expect(plan.jobs.map((j) => j.clipStatus['bg'])).toEqual(['new', 'shared', 'cached', 'shared', 'cached', 'new']);
    expect(plan.jobs[2]?.clips['bg']).toBe(rome);
    expect(plan.totals).toMatchObject({ cachedClips: 1, newClips: 2, sharedUses: 2 });
    expect(plan.clips.find((c) => c.clipId === rome)).toMatchObject({ status: 'cached', estimate: null });
    expect(plan.totals.money.totalUsd).toBeCloseTo(1.2);
  });

  it('dedupes prompts that differ only in whitespace', () => {
    const rows = [row(0, { name: 'a', city: 'Paris' }), row(1, { name: 'b', city: '  Paris \n' }), row(2, { name: 'c', city: 'Paris\u00a0' })];
    const plan = planBatch(options(cityTemplate, rows));
    expect(plan.totals).toMatchObject({ clipRequests: 3, distinctClips: 1, sharedUses: 2 });
    expect(new Set(plan.jobs.map((j) => j.clips['bg'])).size).toBe(1);
  });

  it('gives each variant the clip aspect of its size and names outputs with the variant', () => {
    const rows = [row(0, { name: 'ada', city: 'Oslo', seconds: 2 }), row(1, { name: 'bo', city: 'Oslo', seconds: 3 })];
    const plan = planBatch(options(twoSlotTemplate, rows, { variants: ['landscape', 'portrait'] }));
    expect(plan.jobs.map((j) => j.outputName)).toEqual(['ada-landscape.mp4', 'ada-portrait.mp4', 'bo-landscape.mp4', 'bo-portrait.mp4']);
    expect(plan.jobs.map((j) => j.durationInFrames)).toEqual([50, 50, 75, 75]);
    const aspects = plan.clips.filter((c) => c.request.prompt === 'Street of Oslo').map((c) => c.request.aspect);
    expect(aspects).toEqual(['16:9', '9:16']);
    // The outro slot names no provider: the default local provider and its default model.
    expect(plan.clips.find((c) => c.request.prompt === 'Portrait of ada')?.request).toMatchObject({ provider: 'local', model: 'placeholder-v1' });
    expect(plan.totals).toMatchObject({ jobs: 4, clipRequests: 8, distinctClips: 6 });
  });

  it("names outputs with the template's outputName unless a name pattern is given", () => {
    const named = { ...twoSlotTemplate, outputName: '{{name}} in {{city}}-{{variant}}' };
    const rows = [row(0, { name: 'Ada', city: 'Oslo', seconds: 2 }, 'a'), row(1, { name: 'Ada', city: 'Oslo', seconds: 3 }, 'b')];
    const byTemplate = planBatch(options(named, rows, { variants: ['landscape'] }));
    expect(byTemplate.jobs.map((j) => j.outputName)).toEqual(['Ada in Oslo-landscape.mp4', 'Ada in Oslo-landscape-2.mp4']);
    const byOption = planBatch(options(named, rows, { variants: ['landscape'], namePattern: '{{key}}' }));
    expect(byOption.jobs.map((j) => j.outputName)).toEqual(rows.map((r) => `${r.key}.mp4`));
    expect(() => defineTemplate({ ...twoSlotTemplate, outputName: ' ' })).toThrow(/outputName must be a non-empty Handlebars pattern/);
  });

  it('uses draft models and keeps draft clips apart from final ones', () => {
    const template = defineTemplate({
      id: 'drafty',
      version: '1',
      fps: 30,
      width: 640,
      height: 640,
      duration: 1,
      slots: { city: { kind: 'text' }, bg: { kind: 'broll', prompt: '{{city}}', seconds: 5, provider: 'runway', model: 'gen4.5', draftModel: 'gen4_turbo' } },
      component: () => null,
    });
    const rows = [row(0, { city: 'Oslo' }, 'o')];
    const final = planBatch(options(template, rows));
    const draft = planBatch(options(template, rows, { draft: true }));
    expect(draft.clips[0]?.request).toMatchObject({ model: 'gen4_turbo', draft: true, aspect: '1:1' });
    expect(draft.jobs[0]?.clips['bg']).not.toBe(final.jobs[0]?.clips['bg']);
  });

  it('drafts a slot without a draftModel on the free local provider, cached apart from the final clip', () => {
    const rows = [row(0, { name: 'ada', city: 'Oslo' })];
    const final = planBatch(options(cityTemplate, rows));
    const draft = planBatch(options(cityTemplate, rows, { draft: true }));
    expect(final.clips[0]?.request).toMatchObject({ provider: 'runway', model: 'gen4.5', draft: false });
    expect(draft.clips[0]?.request).toMatchObject({ provider: 'local', model: 'placeholder-v1', draft: true, prompt: 'Aerial footage of Oslo at dusk' });
    expect(draft.jobs[0]?.clips['bg']).not.toBe(final.jobs[0]?.clips['bg']);
    expect(draft.totals.money.totalUsd).toBe(0);
    // An explicit --provider still wins in a draft run.
    const forced = planBatch(options(cityTemplate, rows, { draft: true, providerDefaults: { forceProvider: 'runway', models: { runway: 'gen4.5', local: 'placeholder-v1' } } }));
    expect(forced.clips[0]?.request).toMatchObject({ provider: 'runway', model: 'gen4.5', draft: true });
  });

  it('keeps a slot’s resolution for its own provider only (Luma’s 540p means nothing to Runway or the local provider)', () => {
    const template = defineTemplate({
      id: 'sized',
      version: '1',
      fps: 30,
      width: 640,
      height: 360,
      duration: 1,
      slots: { city: { kind: 'text' }, bg: { kind: 'broll', prompt: '{{city}}', seconds: 5, provider: 'luma', model: 'ray-flash-2', resolution: '540p' } },
      component: () => null,
    });
    const rows = [row(0, { city: 'Oslo' }, 'o')];
    const models = { luma: 'ray-flash-2', runway: 'gen4.5', local: 'placeholder-v1' };
    expect(planBatch(options(template, rows, { providerDefaults: { models } })).clips[0]?.request).toMatchObject({ provider: 'luma', resolution: '540p' });
    expect(planBatch(options(template, rows, { providerDefaults: { models, forceProvider: 'luma' } })).clips[0]?.request).toMatchObject({ provider: 'luma', resolution: '540p' });
    expect(planBatch(options(template, rows, { providerDefaults: { models, forceProvider: 'runway' } })).clips[0]?.request).toMatchObject({ provider: 'runway', resolution: null });
    expect(planBatch(options(template, rows, { draft: true, providerDefaults: { models } })).clips[0]?.request).toMatchObject({ provider: 'local', resolution: null });
  });

  it('replaces every provider with forceProvider and that provider’s default model', () => {
    const plan = planBatch(options(cityTemplate, cityRows(), { providerDefaults: { forceProvider: 'local', models: { local: 'placeholder-v1' } } }));
    expect(new Set(plan.clips.map((c) => `${c.request.provider}/${c.request.model}`))).toEqual(new Set(['local/placeholder-v1']));
    expect(plan.totals.money.totalUsd).toBe(0);
  });
});

describe('planBatch: incremental runs', () => {
  it('finds every job up to date when nothing changed, and plans no clips', () => {
    const first = planBatch(options(cityTemplate, cityRows()));
    const again = planBatch(options(cityTemplate, cityRows(), { previousOutputs: previousFrom(first) }));
    expect(again.totals).toMatchObject({ render: 0, upToDate: 6, clipRequests: 0, distinctClips: 0, frames: 0 });
    expect(again.totals.money.totalUsd).toBe(0);
    expect(again.jobs.every((j) => j.status === 'up_to_date' && j.reason === null)).toBe(true);
    expect(again.jobs.map((j) => j.manifestHash)).toEqual(first.jobs.map((j) => j.manifestHash));
  });

  it('renders only the edited row and says its row changed', () => {
    const first = planBatch(options(cityTemplate, cityRows()));
    const edited = cityRows();
    edited[3] = row(3, { name: 'n3', city: 'Lisbon' });
    const again = planBatch(options(cityTemplate, edited, { previousOutputs: previousFrom(first) }));
    expect(again.jobs.filter((j) => j.status === 'render').map((j) => [j.rowKey, j.reason, j.clipStatus['bg']])).toEqual([['n3', 'row_changed', 'new']]);
    expect(again.totals).toMatchObject({ render: 1, upToDate: 5, newClips: 1 });
  });

  it('renders every row when the template code changes', () => {
    const first = planBatch(options(cityTemplate, cityRows()));
    const again = planBatch(options(cityTemplate, cityRows(), { templateHash: 'bundle-2', previousOutputs: previousFrom(first) }));
    expect(again.totals.render).toBe(6);
    expect(again.totals.reasons.template_changed).toBe(6);
  });

  it('names a clip change when only the provider defaults moved the model', () => {
    const template = defineTemplate({
      id: 'nomodel',
      version: '1',
      fps: 30,
      width: 1280,
      height: 720,
      duration: 1,
      slots: { city: { kind: 'text' }, bg: { kind: 'broll', prompt: '{{city}}', seconds: 5, provider: 'runway' } },
      component: () => null,
    });
    const rows = [row(0, { city: 'Oslo' }, 'o')];
    const first = planBatch(options(template, rows));
    const again = planBatch(options(template, rows, { previousOutputs: previousFrom(first), providerDefaults: { models: { runway: 'gen4_turbo' } } }));
    expect(again.jobs[0]).toMatchObject({ status: 'render', reason: 'clip_changed' });
  });

  it('re-renders a job whose file is gone, and every job with force', () => {
    const first = planBatch(options(cityTemplate, cityRows()));
    const missing = planBatch(options(cityTemplate, cityRows(), { previousOutputs: previousFrom(first, false) }));
    expect(missing.totals.reasons.output_missing).toBe(6);
    const forced = planBatch(options(cityTemplate, cityRows(), { previousOutputs: previousFrom(first), force: true }));
    expect(forced.totals).toMatchObject({ render: 6, upToDate: 0 });
    expect(forced.totals.reasons.forced).toBe(6);
  });

  it('re-renders a job whose file size differs from the recorded one as output_changed, ignores a new mtime, and trusts renders without a recorded size', () => {
    const first = planBatch(options(cityTemplate, cityRows().slice(0, 1)));
    const job = first.jobs[0] as (typeof first.jobs)[number];
    const recorded = { bytes: 48_213, mtimeMs: 1_764_100_000_123 };
    const planWith = (previous: Partial<PreviousOutput>) =>
      planBatch(options(cityTemplate, cityRows().slice(0, 1), { previousOutputs: { get: () => ({ manifestHash: job.manifestHash, outputExists: true, ...previous }) } })).jobs[0];
    // Truncated on disk (the user's `truncate -s 1000`).
    const truncated = planWith({ recordedFile: recorded, currentFile: { bytes: 1000, mtimeMs: 1_764_100_999_000 } });
    expect(truncated).toMatchObject({ status: 'render', reason: 'output_changed' });
    // Copied without its timestamp: same bytes, still up to date.
    expect(planWith({ recordedFile: recorded, currentFile: { bytes: 48_213, mtimeMs: 1_764_100_999_000 } })).toMatchObject({ status: 'up_to_date', reason: null });
    // Journaled before sizes were recorded, or not stat'ed: no check, as before.
    expect(planWith({ recordedFile: null, currentFile: { bytes: 1000, mtimeMs: 1 } })).toMatchObject({ status: 'up_to_date', reason: null });
    expect(planWith({})).toMatchObject({ status: 'up_to_date', reason: null });
    // A missing file stays output_missing.
    expect(planWith({ outputExists: false, recordedFile: recorded, currentFile: null })).toMatchObject({ status: 'render', reason: 'output_missing' });
  });

  it('treats a different manifest hash without a stored manifest as a row change', () => {
    const plan = planBatch(options(cityTemplate, cityRows().slice(0, 1), { previousOutputs: { get: () => ({ manifestHash: 'old', outputExists: true }) } }));
    expect(plan.jobs[0]?.reason).toBe('row_changed');
  });
});

describe('planBatch: problems and errors', () => {
  it('skips a duplicate key and an empty prompt as row problems and plans the rest', () => {
    const rows = [
      row(0, { name: 'a', city: 'Oslo', seconds: 1 }),
      row(1, { name: 'a', city: 'Rome', seconds: 1 }),
      row(2, { name: '', city: 'Oslo', seconds: 1 }, 'blank'),
      row(3, { name: 'c', city: 'Oslo', seconds: 0 }),
    ];
    const plan = planBatch(options(twoSlotTemplate, rows));
    expect(plan.jobs.map((j) => j.rowKey)).toEqual(['a']);
    expect(plan.problems.map((p) => [p.rowKey, p.line, p.code, p.slot])).toEqual([
      ['a', 3, 'RW_PLAN_DUPLICATE_KEY', null],
      ['blank', 4, 'RW_PLAN_EMPTY_PROMPT', 'outro'],
      ['c', 5, 'RW_TEMPLATE_DURATION_INVALID', null],
    ]);
    expect(plan.problems[1]?.message).toMatch(/outro.*empty/);
    expect(plan.totals).toMatchObject({ rows: 4, skippedRows: 3, jobs: 1 });
  });

  it('refuses a prompt that names a field which is not a slot, before reading any row', () => {
    const template = defineTemplate({
      id: 'typo',
      version: '1',
      fps: 30,
      width: 1280,
      height: 720,
      duration: 1,
      slots: { city: { kind: 'text' }, bg: { kind: 'broll', prompt: 'Footage of {{cty}}', seconds: 5 } },
      component: () => null,
    });
    const rows = {
      [Symbol.iterator]: () => {
        throw new Error('rows were read');
      },
    };
    expect(() => planBatch(options(template, [], { rows }))).toThrow(expect.objectContaining({ code: 'RW_TEMPLATE_PROMPT_INVALID', message: expect.stringMatching(/slot "bg".*cty.*city/s) }));
  });

  it('refuses an unknown variant, a bad name pattern and a non-positive fps estimate', () => {
    expect(() => planBatch(options(twoSlotTemplate, [], { variants: ['square'] }))).toThrow(expect.objectContaining({ code: 'RW_PLAN_UNKNOWN_VARIANT', message: expect.stringMatching(/landscape, portrait/) }));
    expect(() => planBatch(options(cityTemplate, [], { namePattern: '{{email}}' }))).toThrow(expect.objectContaining({ code: 'RW_PLAN_NAME_PATTERN' }));
    expect(() => planBatch(options(cityTemplate, [], { renderFpsEstimate: 0 }))).toThrow(expect.objectContaining({ code: 'RW_PLAN_BAD_OPTION', message: expect.stringMatching(/options\.renderFpsEstimate/) }));
    expect(() => planBatch(options(cityTemplate, [], { providerDefaults: { forceProvider: 'luma', models: {} } }))).toThrow(expect.objectContaining({ code: 'RW_PLAN_NO_MODEL' }));
  });

  it('names the unknown placeholder of a name pattern and lists the ones it may use, not Handlebars\' "[object Object]"', () => {
    let message = '';
    try {
      planBatch(options(cityTemplate, [], { namePattern: '{{nmae}}-{{key}}' }));
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/uses \{\{nmae\}\}, which is not a placeholder \(line 1, column 2\)\. Available: .*\{\{city\}\}.*\{\{key\}\}, \{\{variant\}\}, \{\{index\}\}, \{\{line\}\}/);
    expect(message).not.toMatch(/object Object/);
  });

  it('does not let a prompt reach prototype properties', () => {
    const make = (prompt: string) =>
      defineTemplate({
        id: 'proto',
        version: '1',
        fps: 30,
        width: 1280,
        height: 720,
        duration: 1,
        slots: { city: { kind: 'text' }, bg: { kind: 'broll', prompt, seconds: 5 } },
        component: () => null,
      });
    const rows = [row(0, { city: 'Oslo' }, 'o')];
    const plan = planBatch(options(make('{{city}} {{lookup . "constructor"}} {{lookup . "__proto__"}} {{lookup city "toString"}}'), rows));
    expect(plan.clips[0]?.request.prompt).toBe('Oslo');
    expect(() => planBatch(options(make('{{city.constructor.name}}'), rows))).toThrow(expect.objectContaining({ code: 'RW_TEMPLATE_PROMPT_INVALID' }));
  });

  it('plans without reading the clock or randomness', () => {
    const now = vi.spyOn(Date, 'now').mockImplementation(() => {
      throw new Error('clock read');
    });
    const random = vi.spyOn(Math, 'random').mockImplementation(() => {
      throw new Error('random read');
    });
    try {
      const a = planBatch(options(cityTemplate, cityRows()));
      const b = planBatch(options(cityTemplate, cityRows()));
      expect(toPlanDocument(a)).toEqual(toPlanDocument(b));
    } finally {
      now.mockRestore();
      random.mockRestore();
    }
  });
});

describe('planBatch: output names', () => {
  it('keeps hostile names inside the output folder, short, flat and unique', () => {
    const hostile = ['../../etc/passwd', 'a/b\\c:d*e?f"g<h>i|j', 'bell\u0007tab\tnul\u0000', 'x'.repeat(300), '   ', 'CON', 'con', 'nul.txt', '..', '.hidden', 'é'.repeat(200), 'Same', 'same', 'SAME', 'rtl\u202egnp.exe'];
    const rows = hostile.map((name, i) => row(i, { name, city: 'Oslo' }, `k${i}`));
    const plan = planBatch(options(cityTemplate, rows, { namePattern: '{{name}}' }));
    const names = plan.jobs.map((j) => j.outputName);
    expect(names).toHaveLength(hostile.length);
    expect(new Set(names.map((n) => n.toLowerCase())).size).toBe(names.length);
    for (const name of names) {
      expect(name).toMatch(/\.mp4$/);
      expect(name).not.toMatch(/[/\\:*?"<>|\u0000-\u001f\u202e]/);
      expect(name.startsWith('.')).toBe(false);
      expect(Buffer.byteLength(name)).toBeLessThanOrEqual(120);
      expect(resolveOutputPath('/srv/out', name).startsWith('/srv/out/')).toBe(true);
    }
    expect(names.slice(0, 3)).toEqual(['_._etc_passwd.mp4', 'a_b_c_d_e_f_g_h_i_j.mp4', 'belltabnul.mp4']);
    expect(names[4]).toBe('video.mp4');
    expect(names.slice(5, 8)).toEqual(['_CON.mp4', '_con-2.mp4', '_nul.txt.mp4']);
    expect(names.slice(11, 14)).toEqual(['Same.mp4', 'same-2.mp4', 'SAME-3.mp4']);
  });

  it('uses {{key}} for a template without variants', () => {
    const plan = planBatch(options(cityTemplate, [row(0, { name: 'Ada Lovelace', city: 'London' })]));
    expect(plan.jobs[0]?.outputName).toBe('Ada Lovelace.mp4');
    expect(plan.namePattern).toBe('{{key}}');
  });

  it('warns when several variants are rendered with a pattern that ignores the variant', () => {
    const plan = planBatch(options(twoSlotTemplate, [row(0, { name: 'ada', city: 'Oslo', seconds: 1 })], { variants: ['landscape', 'portrait'], namePattern: '{{name}}' }));
    expect(plan.jobs.map((j) => j.outputName)).toEqual(['ada.mp4', 'ada-2.mp4']);
    expect(plan.warnings[0]).toMatch(/\{\{variant\}\}/);
  });
});

describe('resolveOutputPath', () => {
  it('throws when a name escapes the output folder', () => {
    for (const bad of ['../x.mp4', '/etc/passwd', '', '.', 'a/../../x.mp4', 'x\0.mp4']) {
      expect(() => resolveOutputPath('/srv/out', bad), bad).toThrow(expect.objectContaining({ code: 'RW_OUTPUT_PATH_ESCAPES' }));
    }
    expect(resolveOutputPath('/srv/out', 'ok.mp4')).toBe('/srv/out/ok.mp4');
  });
});

/** A B-roll slot on Runway gen4_turbo (image→video only) whose first frame is the row's `photo`. */
const photoTemplate = defineTemplate({
  id: 'photo',
  version: '1',
  fps: 30,
  width: 1280,
  height: 720,
  duration: 3,
  slots: {
    name: { kind: 'text' },
    photo: { kind: 'image', optional: true },
    scene: { kind: 'broll', prompt: 'Slow push-in, warm light', seconds: 5, provider: 'runway', model: 'gen4_turbo', firstFrame: 'photo' },
  },
  component: () => null,
});

const sha = (text: string) => createHash('sha256').update(text).digest('hex');

/** Row index → the `scene` slot's first-frame entry. */
function images(byRow: Record<number, InputImageEntry>): InputImageIndex {
  return { get: (rowIndex, slot) => (slot === 'scene' ? (byRow[rowIndex] ?? null) : null) };
}

/** The real Runway adapter's checks (no call is made): gen4_turbo refuses a request without an input image. */
const runway = createRunwayProvider({ apiKey: 'plan-test', baseURL: 'http://127.0.0.1:9', resolveInputImage: () => 'data:image/png;base64,AA==' });

describe('planBatch: first-frame images (image→video)', () => {
  const photoRows = () => [row(0, { name: 'ada', photo: '/data/ada.png' }), row(1, { name: 'bo', photo: '/data/bo.png' }), row(2, { name: 'cy', photo: '/data/ada-copy.png' })];

  it('puts the row’s image hash in the clip request: another image gives another clip id, the same image shares one clip', () => {
    const ada = sha('ada bytes');
    const bo = sha('bo bytes');
    const plan = planBatch(options(photoTemplate, photoRows(), { inputImages: images({ 0: { ok: true, hash: ada }, 1: { ok: true, hash: bo }, 2: { ok: true, hash: ada } }), validateRequest: (r) => runway.validateRequest(r) }));
    expect(plan.problems).toEqual([]);
    expect(plan.clips.map((c) => c.request.inputImageHash)).toEqual([ada, bo]);
    const [adaJob, boJob, cyJob] = plan.jobs;
    expect(adaJob!.clips['scene']).not.toBe(boJob!.clips['scene']);
    // Same prompt, same bytes (under another file name): one clip, generated once and shared.
    expect(cyJob!.clips['scene']).toBe(adaJob!.clips['scene']);
    expect(cyJob!.clipStatus['scene']).toBe('shared');
    expect(plan.totals).toMatchObject({ clipRequests: 3, distinctClips: 2, sharedUses: 1 });
    const expected = toClipId({ provider: 'runway', model: 'gen4_turbo', prompt: 'Slow push-in, warm light', seconds: 5, aspect: '16:9', resolution: null, seed: null, inputImageHash: ada, params: {}, draft: false });
    expect(adaJob!.clips['scene']).toBe(expected);
    expect(toPlanDocument(plan).clips.map((c) => c.inputImageHash)).toEqual([ada, bo]);
  });

  it('changes the clip id, and re-renders with clip_changed, when only the image’s bytes change', () => {
    const rows = [row(0, { name: 'ada', photo: '/data/ada.png' })];
    const first = planBatch(options(photoTemplate, rows, { inputImages: images({ 0: { ok: true, hash: sha('v1') } }) }));
    const same = planBatch(options(photoTemplate, rows, { inputImages: images({ 0: { ok: true, hash: sha('v1') } }), previousOutputs: previousFrom(first) }));
    expect(same.jobs[0]).toMatchObject({ status: 'up_to_date' });
    const edited = planBatch(options(photoTemplate, rows, { inputImages: images({ 0: { ok: true, hash: sha('v2') } }), previousOutputs: previousFrom(first) }));
    expect(edited.jobs[0]).toMatchObject({ status: 'render', reason: 'clip_changed' });
    expect(edited.jobs[0]!.clips['scene']).not.toBe(first.jobs[0]!.clips['scene']);
  });

  it('refuses a row whose image is empty on an image-only model, naming the model, and plans the others', () => {
    const rows = [row(0, { name: 'ada', photo: '/data/ada.png' }), row(1, { name: 'bo' })];
    const plan = planBatch(options(photoTemplate, rows, { inputImages: images({ 0: { ok: true, hash: sha('ada') } }), validateRequest: (r) => runway.validateRequest(r) }));
    expect(plan.jobs.map((j) => j.rowKey)).toEqual(['ada']);
    expect(plan.problems).toEqual([
      {
        rowKey: 'bo',
        rowIndex: 1,
        line: 3,
        variant: 'default',
        slot: 'scene',
        code: 'RW_CLIP_INVALID_REQUEST',
        message: expect.stringMatching(/^B-roll slot "scene" takes its first frame from image slot "photo", which is empty for this row: Runway clip request \(model "gen4_turbo"\): needs an input image.* Fill this row's "photo" cell/),
      },
    ]);
  });

  it('falls back to text→video for an empty image slot when the model also makes text→video', () => {
    const template = { ...photoTemplate, slots: { ...photoTemplate.slots, scene: { ...photoTemplate.slots.scene, model: 'gen4.5' } } };
    const plan = planBatch(options(template, [row(0, { name: 'bo' })], { inputImages: images({}), validateRequest: (r) => runway.validateRequest(r) }));
    expect(plan.problems).toEqual([]);
    expect(plan.clips[0]!.request).toMatchObject({ model: 'gen4.5', inputImageHash: null });
  });

  it('refuses a row whose image could not be read with the caller’s message, and plans the rest', () => {
    const plan = planBatch(
      options(photoTemplate, photoRows(), {
        inputImages: images({ 0: { ok: true, hash: sha('ada') }, 1: { ok: false, code: 'RW_PLAN_FIRST_FRAME', message: 'people.csv line 3, column "Photo": cannot read the image file' }, 2: { ok: true, hash: sha('cy') } }),
      }),
    );
    expect(plan.jobs.map((j) => j.rowKey)).toEqual(['ada', 'cy']);
    expect(plan.problems).toEqual([{ rowKey: 'bo', rowIndex: 1, line: 3, variant: null, slot: 'scene', code: 'RW_PLAN_FIRST_FRAME', message: 'people.csv line 3, column "Photo": cannot read the image file' }]);
    expect(plan.totals.skippedRows).toBe(1);
  });

  it('lets errors other than an invalid request fail the plan (a missing key is not a row problem)', () => {
    const missingKey = () => {
      throw new ConfigError('The runway provider needs an API key: set the RUNWAYML_API_SECRET environment variable.', { code: 'RW_PROVIDER_KEY_MISSING' });
    };
    expect(() => planBatch(options(photoTemplate, photoRows(), { inputImages: images({ 0: { ok: true, hash: sha('ada') } }), validateRequest: missingKey }))).toThrow(/RUNWAYML_API_SECRET/);
  });
});

describe('the plan and manifest documents', () => {
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  const schema = (name: string) => JSON.parse(readFileSync(fileURLToPath(new URL(`../../schemas/${name}`, import.meta.url)), 'utf8')) as object;
  const validatePlan = ajv.compile(schema('plan.schema.json'));
  const validateManifest = ajv.compile(schema('manifest.schema.json'));

  it('validates real plans against schemas/plan.schema.json', () => {
    const rome = toClipId({ provider: 'runway', model: 'gen4.5', prompt: 'Aerial footage of Rome at dusk', seconds: 5, aspect: '16:9', resolution: null, seed: 7, inputImageHash: null, params: {}, draft: false });
    const first = planBatch(options(cityTemplate, cityRows(), { cacheIndex: { has: (id: ClipId) => id === rome } }));
    const edited = [...cityRows(), row(6, { name: 'n0', city: 'Oslo' })];
    edited[1] = row(1, { name: 'n1', city: 'Bergen' });
    const second = planBatch(options(cityTemplate, edited, { previousOutputs: previousFrom(first) }));
    const multi = planBatch(options(twoSlotTemplate, [row(0, { name: 'a', city: 'Oslo', seconds: 2 }), row(1, { name: '', city: 'x', seconds: 1 }, 'b')], { variants: ['landscape', 'portrait'], draft: true }));
    const photos = planBatch(options(photoTemplate, [row(0, { name: 'ada', photo: '/data/ada.png' }), row(1, { name: 'bo' })], { inputImages: images({ 0: { ok: true, hash: sha('ada') } }) }));
    expect(photos.clips.map((c) => c.request.inputImageHash)).toEqual([sha('ada'), null]);
    for (const plan of [first, second, multi, photos]) {
      const doc = JSON.parse(JSON.stringify(toPlanDocument(plan))) as unknown;
      expect(validatePlan(doc), JSON.stringify(validatePlan.errors)).toBe(true);
    }
    expect(second.problems).toHaveLength(1);
    expect(second.jobs.map((j) => j.status)).toContain('up_to_date');
  });

  it('rejects a plan document with an unsafe output name (the schema is not vacuous)', () => {
    const doc = JSON.parse(JSON.stringify(toPlanDocument(planBatch(options(cityTemplate, cityRows()))))) as { jobs: { outputName: string }[] };
    doc.jobs[0]!.outputName = '../escape.mp4';
    expect(validatePlan(doc)).toBe(false);
  });

  it('validates manifests against schemas/manifest.schema.json and hashes them independently of key order', () => {
    const plan = planBatch(options(twoSlotTemplate, [row(0, { name: 'a', city: 'Oslo', seconds: 2 })]));
    const job = plan.jobs[0]!;
    const manifest = buildJobManifest({ plan, job });
    expect(validateManifest(JSON.parse(JSON.stringify(manifest))), JSON.stringify(validateManifest.errors)).toBe(true);
    expect(hashManifest(manifest)).toBe(job.manifestHash);
    const reordered = Object.fromEntries(Object.entries(manifest).reverse()) as typeof manifest;
    expect(Object.keys(reordered)[0]).toBe('outputName');
    const shuffled = { ...reordered, template: { bundleHash: manifest.template.bundleHash, version: manifest.template.version, id: manifest.template.id } };
    expect(hashManifest(shuffled)).toBe(job.manifestHash);
    expect(hashManifest({ ...manifest, row: { ...manifest.row, hash: 'other' } })).not.toBe(job.manifestHash);
  });
});

describe('planBatch with clips refused earlier', () => {
  const paris = toClipId({ provider: 'runway', model: 'gen4.5', prompt: 'Aerial footage of Paris at dusk', seconds: 5, aspect: '16:9', resolution: null, seed: 7, inputImageHash: null, params: {}, draft: false });
  const refusal = {
    clipId: paris,
    attemptId: 3,
    runId: '20261125T180400Z-ab12',
    runStartedAt: Date.UTC(2026, 10, 25, 18, 4),
    provider: 'runway',
    model: 'gen4.5',
    failureCode: 'SAFETY.INPUT.TEXT',
    message: 'Runway’s content moderation refused the prompt (SAFETY.INPUT.TEXT). Runway said: "flagged".',
    refusedAt: Date.UTC(2026, 10, 25, 18, 5),
  };
  const refusals = { get: (id: ClipId) => (id === paris ? refusal : null) };

  it('plans a clip the journal remembers as refused by input moderation as "refused": no price asked, not in the money, every use refused', () => {
    const base = planBatch(options(cityTemplate, cityRows()));
    const priceOf = vi.fn(price);
    const plan = planBatch(options(cityTemplate, cityRows(), { refusals, priceOf }));
    expect(plan.clips.find((c) => c.clipId === paris)).toMatchObject({ status: 'refused', estimate: null, refusal, users: [{ rowKey: 'n0' }, { rowKey: 'n1' }, { rowKey: 'n3' }] });
    expect(priceOf.mock.calls.map(([r]) => r.prompt)).toEqual(['Aerial footage of Rome at dusk', 'Aerial footage of Oslo at dusk']);
    expect(plan.jobs.filter((j) => j.clips['bg'] === paris).map((j) => j.clipStatus['bg'])).toEqual(['refused', 'refused', 'refused']);
    expect(plan.totals).toMatchObject({ distinctClips: 3, newClips: 2, cachedClips: 0, refusedClips: 1, sharedUses: base.totals.sharedUses - 2, render: base.totals.render });
    expect(plan.totals.money.totalUsd).toBeCloseTo(base.totals.money.totalUsd - 0.6, 6);
    expect(base.totals.refusedClips).toBe(0);
  });

  it('lets a cached clip win over a remembered refusal, and without refusals plans it new', () => {
    const cached = planBatch(options(cityTemplate, cityRows(), { refusals, cacheIndex: { has: (id: ClipId) => id === paris } }));
    expect(cached.clips.find((c) => c.clipId === paris)).toMatchObject({ status: 'cached', refusal: null });
    expect(planBatch(options(cityTemplate, cityRows(), { refusals: null })).clips.find((c) => c.clipId === paris)).toMatchObject({ status: 'new', refusal: null });
  });

  it('shows the refusal in the plan document, which validates against schemas/plan.schema.json', () => {
    const ajv = new Ajv2020({ allErrors: true, strict: true });
    const validatePlan = ajv.compile(JSON.parse(readFileSync(fileURLToPath(new URL('../../schemas/plan.schema.json', import.meta.url)), 'utf8')) as object);
    const doc = JSON.parse(JSON.stringify(toPlanDocument(planBatch(options(cityTemplate, cityRows(), { refusals }))))) as {
      clips: { clipId: string; status: string; refusal: unknown; estimate: unknown }[];
      jobs: { clips: { status: string }[] }[];
    };
    expect(validatePlan(doc), JSON.stringify(validatePlan.errors)).toBe(true);
    expect(doc.clips.find((c) => c.clipId === paris)).toMatchObject({
      status: 'refused',
      estimate: null,
      refusal: { provider: 'runway', model: 'gen4.5', runId: refusal.runId, refusedAt: '2026-11-25T18:05:00.000Z', code: 'SAFETY.INPUT.TEXT', message: refusal.message },
    });
    expect(doc.clips.filter((c) => c.clipId !== paris).every((c) => c.refusal === null)).toBe(true);
    // The schema ties status and refusal together.
    const broken = structuredClone(doc);
    broken.clips.find((c) => c.clipId === paris)!.refusal = null;
    expect(validatePlan(broken)).toBe(false);
  });
});
