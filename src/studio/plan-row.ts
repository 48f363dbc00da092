import type { ClipRequest, CostEstimate } from '../clips/index.js';
import { createRowContext, rowKey, validateRow } from '../dataset/index.js';
import type { SlotColumn } from '../dataset/index.js';
import { planBatch } from '../plan/index.js';
import type { BatchPlan, CacheIndex, PlanProblem, ProviderDefaults, RenderJob } from '../plan/index.js';
import { ReelwrightError } from '../errors/index.js';
import { computeDuration } from '../render/index.js';
import { collectInputImages, FIRST_FRAME_PROBLEM_CODE } from '../run/index.js';
import type { InputImageStore } from '../run/index.js';
import type { RowValues, TemplateDefinition, VariantSize } from '../template/index.js';
import { toStudioProblem } from './read-studio-dataset.js';
import { StudioError } from './studio-error.js';
import type { StudioProblem } from './types.js';

/** Options of `planRow`. */
export type PlanRowOptions = {
  /** The template as loaded in Node. */
  template: TemplateDefinition;
  /** Its source hash (only the plan's manifests use it; clip ids do not). */
  templateHash: string;
  variant: string;
  /** Slot → cell text (the form's fields or the file's cells). */
  cells: Readonly<Record<string, string>>;
  /** Where the row is in its dataset (messages, hash keys). */
  line: number;
  index: number;
  /** How messages name the file (`welcome.csv`). */
  fileLabel: string;
  /** The dataset's folder: relative image paths resolve here and must stay inside, as in the CLI. */
  baseDir: string;
  /** The clip cache as the planner sees it. */
  cacheIndex: CacheIndex;
  /** List price of one attempt of a request (`ClipProvider.estimateCost`); may throw for a request the provider refuses. */
  priceOf: (request: ClipRequest) => CostEstimate;
  /**
   * The provider's own checks of a request (`ClipProvider.validateRequest`), run on each request of a `firstFrame`
   * slot as the batch runs them; the row's first-frame images are checked after it (`InputImageStore.check`).
   */
  validateRequest: (request: ClipRequest) => void;
  /** Where remote first-frame images are fetched to (`ProjectPaths.mediaDir`, the batch's and the render stage's). */
  mediaDir: string;
  /** Fetch remote first-frame images from loopback and private addresses too; default false, as the batch. */
  allowPrivateMedia?: boolean;
  /**
   * The studio's first-frame images, which its providers resolve input images from (`ClipProviders`' `inputImages`):
   * the row's usable images are added to it, so a clip planned here can be generated here.
   */
  inputImages: InputImageStore;
  signal?: AbortSignal | null;
  /** Provider and model choices, exactly as the batch gives them to the planner (so the clip ids match). */
  providerDefaults: ProviderDefaults;
  /** The batch's renderer version (part of the plan's manifests). */
  rendererVersion: string;
};

/**
 * A planned row.
 * - `ok: false`: the cells break a rule (validation, rowKey, duration or prompt); `problems` says which.
 * - `ok: true`: the coerced values, the video's length, and the planner's job with its clip ids.
 */
export type PlanRowResult =
  | { ok: false; problems: StudioProblem[]; rowKey: string | null }
  | {
      ok: true;
      rowKey: string;
      values: RowValues;
      /** Names of the template's image slots. */
      imageSlots: ReadonlySet<string>;
      durationInFrames: number;
      size: VariantSize;
      plan: BatchPlan;
      job: RenderJob;
    };

/**
 * A first-frame problem (`RW_PLAN_FIRST_FRAME`) as a studio problem: `text` is the batch's message as the CLI
 * prints it (it names file, line and column itself), shown under the image slot's field.
 */
function firstFrameProblem(problem: PlanProblem, template: TemplateDefinition, fileLabel: string, line: number): StudioProblem {
  const declared = problem.slot === null ? undefined : template.slots[problem.slot];
  const imageSlot = declared?.kind === 'broll' && declared.firstFrame !== undefined ? declared.firstFrame : problem.slot;
  // The form names cells by slot, so the batch's message names the image slot as its column.
  const where = `${fileLabel} line ${line}, column "${imageSlot}": `;
  const message = problem.message.startsWith(where) ? problem.message.slice(where.length) : problem.message;
  return { slot: imageSlot, column: null, rule: 'plan', message, text: problem.message };
}

function problemAt(fileLabel: string, line: number, slot: string | null, rule: string, message: string): StudioProblem {
  const where = slot === null ? '' : `, slot "${slot}"`;
  return { slot, column: null, rule, message, text: `${fileLabel} line ${line}${where}: ${message}` };
}

/**
 * Validates one row and plans it exactly as a batch would: coerced and checked with the dataset stage's own
 * functions (`createRowContext` + `validateRow` + `rowKey`: the CLI's rules and messages), its length from
 * `computeDuration`, its first-frame images (B-roll slots with `firstFrame`) read and hashed by the batch's
 * `collectInputImages` (a remote image is fetched into `mediaDir`; local paths were confined to `baseDir` by
 * validation), and its B-roll clip requests and ids from `planBatch` against the clip cache, with the images'
 * hashes and the batch's per-row request checks. An unusable image is a row problem with the batch's message.
 * Throws `StudioError` `RW_STUDIO_UNKNOWN_VARIANT` for a variant the template lacks.
 *
 * @example
 * const planned = await planRow({ template, templateHash, variant: 'landscape', cells: { name: 'Ada' }, line: 2, index: 0,
 *   fileLabel: 'welcome.csv', baseDir: '/work/demo/datasets', cacheIndex: cache, priceOf, validateRequest, mediaDir, inputImages });
 * if (planned.ok) planned.job.clips; // { background: 'c0ffee…' }
 */
export async function planRow(options: PlanRowOptions): Promise<PlanRowResult> {
  const { template, variant, line, index, fileLabel } = options;
  const size = template.variants[variant];
  if (!size) {
    throw new StudioError(`Template "${template.id}" has no variant "${variant}"; it has ${Object.keys(template.variants).join(', ')}.`, {
      code: 'RW_STUDIO_UNKNOWN_VARIANT',
      status: 400,
    });
  }
  // The form names cells by slot: every data slot reads the "column" of its own name.
  const slots: Record<string, SlotColumn> = {};
  const cells: Record<string, string> = {};
  for (const [slot, declared] of Object.entries(template.slots)) {
    if (declared.kind === 'broll') continue;
    slots[slot] = { column: slot, match: 'exact' };
    const cell = options.cells[slot];
    if (typeof cell === 'string') cells[slot] = cell;
  }
  const context = createRowContext({ template, mapping: { slots, unmappedColumns: [] }, baseDir: options.baseDir });
  const checked = validateRow({ record: { line, index, cells }, context });
  if (!checked.ok) return { ok: false, problems: checked.problems.map((problem) => toStudioProblem(problem, fileLabel)), rowKey: null };
  const values = checked.values;
  const keySlot = context.keySlot;
  if (keySlot !== null && values[keySlot] === undefined) {
    const message = `this cell is empty, but "${keySlot}" names each row (it is the template's rowKey), so every row needs one.`;
    return { ok: false, problems: [problemAt(fileLabel, line, keySlot, 'required', message)], rowKey: null };
  }
  const { key, hash } = rowKey({ values, keySlot, slotOrder: context.slotOrder, imageSlots: context.imageSlots, baseDir: context.images.baseDir });

  let durationInFrames: number;
  try {
    durationInFrames = computeDuration({ template, props: values }).durationInFrames;
  } catch (error) {
    return { ok: false, problems: [problemAt(fileLabel, line, null, 'duration', (error as Error).message)], rowKey: key };
  }

  const row = { index, line, key, hash, values };
  // First frames exactly as `prepareBatch` reads them: same reader, hash, limits and messages.
  const images = await collectInputImages({
    template,
    rows: [row],
    datasetLabel: fileLabel,
    columnOf: (slot) => slot,
    mediaDir: options.mediaDir,
    allowPrivateMedia: options.allowPrivateMedia ?? false,
    signal: options.signal ?? null,
  });
  for (const [slot, declared] of Object.entries(template.slots)) {
    if (declared.kind !== 'broll' || declared.firstFrame === undefined) continue;
    const entry = images.index.get(index, slot);
    const image = entry?.ok ? images.store.get(entry.hash) : null;
    if (image) options.inputImages.add(image);
  }

  let plan: BatchPlan;
  try {
    plan = planBatch({
      template,
      templateHash: options.templateHash,
      rows: [row],
      variants: [variant],
      providerDefaults: options.providerDefaults,
      cacheIndex: options.cacheIndex,
      previousOutputs: { get: () => null },
      priceOf: options.priceOf,
      inputImages: images.index,
      validateRequest: (request) => {
        options.validateRequest(request);
        images.store.check(request);
      },
      renderFpsEstimate: 1,
      rendererVersion: options.rendererVersion,
    });
  } catch (error) {
    // A prompt that does not compile, a provider without a model, a request the provider refuses (a duration it
    // does not offer): the batch would refuse to plan too. Anything else is a bug and propagates.
    if (!(error instanceof ReelwrightError)) throw error;
    return { ok: false, problems: [problemAt(fileLabel, line, null, 'plan', error.message)], rowKey: key };
  }
  const job = plan.jobs[0];
  if (plan.problems.length > 0 || !job) {
    const problems = plan.problems.map((p) =>
      p.code === FIRST_FRAME_PROBLEM_CODE ? firstFrameProblem(p, template, fileLabel, line) : problemAt(fileLabel, line, p.slot, 'plan', p.message),
    );
    return { ok: false, problems: problems.length > 0 ? problems : [problemAt(fileLabel, line, null, 'plan', 'the planner made no job for this row.')], rowKey: key };
  }
  return { ok: true, rowKey: key, values, imageSlots: context.imageSlots, durationInFrames, size, plan, job };
}
