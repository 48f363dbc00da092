import Handlebars from 'handlebars';
import { promptHash } from '../clips/index.js';
import type { ClipId, ClipRequest } from '../clips/index.js';
import type { DatasetRow } from '../dataset/index.js';
import { ConfigError, ReelwrightError, TemplateError } from '../errors/index.js';
import { aspectOfSize } from './aspect-of-size.js';
import { buildManifest } from './build-manifest.js';
import { compileBrollSlots, HANDLEBARS_COMPILE_OPTIONS, HANDLEBARS_RUNTIME_OPTIONS } from './compile-broll-slots.js';
import type { CompiledBrollSlot } from './compile-broll-slots.js';
import { createClipMemo } from './create-clip-memo.js';
import type { ClipMemoEntry } from './create-clip-memo.js';
import { createManifestHasher } from './create-manifest-hasher.js';
import { createOutputNamer } from './create-output-namer.js';
import { explainChange } from './explain-change.js';
import type {
  BatchPlan,
  ClipUseStatus,
  MoneyLine,
  PlanBatchOptions,
  PlannedClip,
  PlanProblem,
  RenderJob,
  RenderReason,
  RenderSettings,
} from './types.js';

/** Output name pattern for a template without declared variants. */
export const DEFAULT_NAME_PATTERN = '{{key}}';
/** Output name pattern for a template that declares variants (always names the variant, so names do not depend on which variants a run renders). */
export const DEFAULT_VARIANT_NAME_PATTERN = '{{key}}-{{variant}}';
/** Names the planner adds to the output-name context; they win over data slots of the same name. */
export const NAME_PATTERN_FIELDS = ['key', 'variant', 'index', 'line'] as const;

type ClipMemo = (prompt: string, inputImageHash: string | null) => ClipMemoEntry;

const REASONS: readonly RenderReason[] = ['new_row', 'row_changed', 'template_changed', 'clip_changed', 'forced', 'output_missing', 'output_changed'];

function checkOption(ok: boolean, path: string, received: unknown, allowed: string): void {
  if (!ok) throw new ConfigError(`planBatch: options.${path} must be ${allowed}, got ${JSON.stringify(received) ?? String(received)}.`, { code: 'RW_PLAN_BAD_OPTION' });
}

/** `round(seconds × fps)`, at least 1 — the renderer's rule (`computeDuration`). */
function framesOf(template: PlanBatchOptions['template'], props: Readonly<Record<string, unknown>>): number {
  let seconds: unknown;
  try {
    seconds = typeof template.duration === 'function' ? (template.duration as (row: Readonly<Record<string, unknown>>) => unknown)(props) : template.duration;
  } catch (error) {
    throw new TemplateError(`duration(row) threw: ${(error as Error).message ?? String(error)}`, { code: 'RW_TEMPLATE_DURATION_INVALID', cause: error });
  }
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds <= 0 || Math.round(seconds * template.fps) < 1) {
    throw new TemplateError(`duration must be a positive number of seconds of at least one frame, got ${JSON.stringify(seconds) ?? String(seconds)}.`, {
      code: 'RW_TEMPLATE_DURATION_INVALID',
    });
  }
  return Math.round(seconds * template.fps);
}

/**
 * Plans a batch without doing anything: for every valid row × variant, renders each B-roll
 * prompt, builds and dedupes the clip requests, looks them up in the cache index, names the
 * output, computes the manifest hash and compares it with the previous output to decide
 * `render` or `up_to_date` (and why). Totals count rows, jobs, clip requests before and after
 * dedupe, cached and new clips, list-price money by provider and model, and render time.
 *
 * Pure: no files, network, clock or randomness — everything comes in through the options.
 * Compact: jobs keep the row's values object (not a copy) and hashes, never the file's text.
 * A row that cannot be planned (duplicate key, empty prompt, failing `duration`, an unusable
 * first-frame image) becomes a `problem` and is skipped; a template or option error throws before
 * any row is read.
 *
 * First frames (image→video): a B-roll slot with `firstFrame` takes the row's image hash from
 * `inputImages` into its request (`inputImageHash`), so the clip id — the dedupe and cache key —
 * changes with the image and rows with the same image and prompt share one clip. An empty image
 * slot gives a text→video request. Each such request goes through `validateRequest` row by row.
 *
 * Output names: `namePattern` (Handlebars over the row's fields and `key`, `variant`, `index`,
 * `line`), by default the template's `outputName`, else `{{key}}`, or `{{key}}-{{variant}}` when the template declares variants
 * (a template whose only variant is the implicit `default` declares none). Sanitized by
 * `sanitizeOutputName`, then made unique with `-2`, `-3`, … in row order.
 *
 * @example
 * const plan = planBatch({ template, templateHash, rows, providerDefaults: { models: { local: 'placeholder-v1' } },
 *   cacheIndex: cache, previousOutputs: { get: () => null }, priceOf: (r) => provider.estimateCost(r),
 *   renderFpsEstimate: 12, rendererVersion: '0.1.0' });
 * @see toPlanDocument
 */
export function planBatch(options: PlanBatchOptions): BatchPlan {
  const { template, templateHash } = options;
  checkOption(typeof templateHash === 'string' && templateHash.length > 0, 'templateHash', templateHash, 'a non-empty string');
  checkOption(typeof options.rendererVersion === 'string' && options.rendererVersion.length > 0, 'rendererVersion', options.rendererVersion, 'a non-empty string');
  checkOption(Number.isFinite(options.renderFpsEstimate) && options.renderFpsEstimate > 0, 'renderFpsEstimate', options.renderFpsEstimate, 'a positive number of frames per second');
  const draft = options.draft ?? false;
  const force = options.force ?? false;
  const renderSettings: RenderSettings = { ...(options.renderSettings ?? {}) };

  const declared = Object.keys(template.variants);
  const variants = options.variants && options.variants.length > 0 ? [...new Set(options.variants)] : [declared[0] as string];
  for (const v of variants) {
    if (!Object.hasOwn(template.variants, v)) {
      throw new ConfigError(`Template "${template.id}" has no variant "${v}". Its variants: ${declared.join(', ')}.`, { code: 'RW_PLAN_UNKNOWN_VARIANT' });
    }
  }
  const declaresVariants = !(declared.length === 1 && declared[0] === 'default');
  const namePattern = options.namePattern ?? template.outputName ?? (declaresVariants ? DEFAULT_VARIANT_NAME_PATTERN : DEFAULT_NAME_PATTERN);

  // One private Handlebars environment per plan: no global helpers or partials leak in.
  const handlebars = Handlebars.create();
  const dataSlots = Object.entries(template.slots)
    .filter(([, slot]) => slot.kind !== 'broll')
    .map(([name]) => name);
  const probe: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const name of dataSlots) probe[name] = 'x';
  const slots = compileBrollSlots({ template, handlebars, probe, draft, providerDefaults: options.providerDefaults });

  const nameTemplate = handlebars.compile(namePattern, HANDLEBARS_COMPILE_OPTIONS);
  const renderName = (context: Readonly<Record<string, unknown>>) => nameTemplate(context, HANDLEBARS_RUNTIME_OPTIONS);
  try {
    renderName({ ...probe, key: 'k', variant: 'v', index: 0, line: 2 });
  } catch (error) {
    const available = `${dataSlots.length > 0 ? `the slots of template "${template.id}" (${dataSlots.map((f) => `{{${f}}}`).join(', ')}) and ` : ''}${NAME_PATTERN_FIELDS.map((f) => `{{${f}}}`).join(', ')}`;
    // Handlebars strict mode says `"nmae" not defined in [object Object] - 1:2`: name the placeholder instead.
    const unknown = /^"([^"]*)" not defined in [\s\S]* - (\d+):(\d+)$/.exec((error as Error).message);
    throw new ConfigError(
      unknown
        ? `Output name pattern ${JSON.stringify(namePattern)} uses {{${unknown[1]}}}, which is not a placeholder (line ${unknown[2]}, column ${unknown[3]}). Available: ${available}.`
        : `Output name pattern ${JSON.stringify(namePattern)} cannot be rendered: ${(error as Error).message}. It may use ${available}.`,
      { code: 'RW_PLAN_NAME_PATTERN', cause: error },
    );
  }
  const warnings: string[] = [];
  if (variants.length > 1 && !/\{\{\s*variant\s*\}\}/.test(namePattern)) {
    warnings.push(`The name pattern ${JSON.stringify(namePattern)} does not use {{variant}} while ${variants.length} variants are rendered: names get -2, -3 suffixes. Add {{variant}} to the pattern.`);
  }

  // The default patterns skip Handlebars (and a context per job): without escaping, `{{key}}` and `{{variant}}` render
  // the key and the variant name as they are, and both win over data slots of the same name.
  const nameOf = createOutputNamer(options.maxOutputNameBytes === undefined ? {} : { maxBytes: options.maxOutputNameBytes });
  const hashManifestOf = createManifestHasher({ template, templateHash, fps: template.fps, rendererVersion: options.rendererVersion, renderSettings });
  // Per variant, prepared once: its size, and per B-roll slot a memo of clip ids (every request field but the prompt
  // and the first-frame image is fixed by the slot and the variant, so rows sharing a prompt hash it once).
  const plannedVariants = variants.map((name) => {
    const size = template.variants[name] as { width: number; height: number };
    return {
      name,
      size: { name, width: size.width, height: size.height },
      clipOf: slots.map((slot) =>
        createClipMemo({
          provider: slot.provider,
          model: slot.model,
          seconds: slot.seconds,
          aspect: slot.aspect ?? aspectOfSize(size),
          resolution: slot.resolution,
          seed: slot.seed,
          params: {},
          draft,
        }),
      ),
    };
  });
  const jobs: RenderJob[] = [];
  const problems: PlanProblem[] = [];
  const clips = new Map<ClipId, PlannedClip>();
  const seenKeys = new Set<string>();
  const reasons = Object.fromEntries(REASONS.map((r) => [r, 0])) as Record<RenderReason, number>;
  let rowCount = 0;
  let skippedRows = 0;
  let clipRequests = 0;
  let sharedUses = 0;
  let frames = 0;
  const problem = (row: DatasetRow, code: string, message: string, variant: string | null = null, slot: string | null = null) =>
    problems.push({ rowKey: row.key, rowIndex: row.index, line: row.line, variant, slot, code, message });

  for (const row of options.rows) {
    rowCount++;
    if (seenKeys.has(row.key)) {
      skippedRows++;
      problem(row, 'RW_PLAN_DUPLICATE_KEY', `Row key "${row.key}" already names an earlier row; each row needs its own key. Make the key column unique or remove the duplicate row.`);
      continue;
    }
    seenKeys.add(row.key);

    const context: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
    for (const name of dataSlots) context[name] = row.values[name] ?? '';

    let durationInFrames: number;
    try {
      durationInFrames = framesOf(template, row.values);
    } catch (error) {
      skippedRows++;
      problem(row, (error as TemplateError).code ?? 'RW_TEMPLATE_DURATION_INVALID', `Template "${template.id}": ${(error as Error).message}`);
      continue;
    }

    // Prompts and first-frame images depend on the row only, not on the variant: look them up once per row.
    const prompts: string[] = [];
    const images: (string | null)[] = [];
    let refused = false;
    for (const slot of slots) {
      let prompt: string;
      try {
        prompt = slot.prompt(context);
      } catch (error) {
        problem(row, 'RW_PLAN_PROMPT_FAILED', `B-roll slot "${slot.name}": the prompt could not be rendered for this row: ${(error as Error).message}.`, null, slot.name);
        refused = true;
        break;
      }
      if (prompt === '') {
        problem(row, 'RW_PLAN_EMPTY_PROMPT', `B-roll slot "${slot.name}": the prompt is empty for this row. Fill the fields it uses, or give the prompt fixed words.`, null, slot.name);
        refused = true;
        break;
      }
      prompts.push(prompt);
      const image = slot.firstFrame !== null && options.inputImages ? options.inputImages.get(row.index, slot.name) : null;
      if (image && !image.ok) {
        problem(row, image.code, image.message, null, slot.name);
        refused = true;
        break;
      }
      images.push(image ? image.hash : null);
    }
    if (refused) {
      skippedRows++;
      continue;
    }

    for (const planned of plannedVariants) {
      const variant = planned.name;
      const jobId = `${row.key}#${variant}`;
      const jobClips: Record<string, ClipId> = {};
      const requests: ClipRequest[] = [];
      let failed = false;
      for (let i = 0; i < slots.length; i++) {
        const slot = slots[i] as CompiledBrollSlot;
        let request: ClipRequest;
        try {
          const entry = (planned.clipOf[i] as ClipMemo)(prompts[i] as string, images[i] ?? null);
          jobClips[slot.name] = entry.clipId;
          request = entry.request;
        } catch (error) {
          problem(row, (error as ConfigError).code ?? 'RW_CLIP_INVALID_REQUEST', `B-roll slot "${slot.name}": ${(error as Error).message}`, variant, slot.name);
          failed = true;
          break;
        }
        if (slot.firstFrame !== null && options.validateRequest) {
          // Whether the request can work depends on this row's image: a refusal is this row's problem.
          try {
            options.validateRequest(request);
          } catch (error) {
            if (!(error instanceof ReelwrightError) || error.code !== 'RW_CLIP_INVALID_REQUEST') throw error;
            const message =
              request.inputImageHash === null
                ? `B-roll slot "${slot.name}" takes its first frame from image slot "${slot.firstFrame}", which is empty for this row: ${error.message} ` +
                  `Fill this row's "${slot.firstFrame}" cell, or give the slot a model that also makes text→video.`
                : `B-roll slot "${slot.name}" (first frame from image slot "${slot.firstFrame}"): ${error.message}`;
            problem(row, error.code, message, variant, slot.name);
            failed = true;
            break;
          }
        }
        requests.push(request);
      }
      if (failed) continue;

      let rawName: string;
      if (namePattern === DEFAULT_NAME_PATTERN) rawName = row.key;
      else if (namePattern === DEFAULT_VARIANT_NAME_PATTERN) rawName = `${row.key}-${variant}`;
      else {
        const nameContext: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
        Object.assign(nameContext, context, { key: row.key, variant, index: row.index, line: row.line });
        rawName = renderName(nameContext);
      }
      const outputName = nameOf(rawName);
      const manifestFields = { rowKey: row.key, rowHash: row.hash, variant: planned.size, durationInFrames, clips: jobClips, outputName };
      const manifestHash = hashManifestOf(manifestFields);
      const previous = options.previousOutputs.get(row.key, variant);
      // Without a previous output the job is a new row (explainChange's first rule): no manifest to compare, none built.
      const natural =
        previous === null
          ? 'new_row'
          : explainChange({
              previous,
              manifest: buildManifest({ template, templateHash, fps: template.fps, rendererVersion: options.rendererVersion, renderSettings, ...manifestFields }),
              manifestHash,
            });
      const reason: RenderReason | null = natural ?? (force ? 'forced' : null);

      const clipStatus: Record<string, ClipUseStatus> = {};
      if (reason !== null) {
        reasons[reason]++;
        frames += durationInFrames;
        for (let i = 0; i < slots.length; i++) {
          const slot = slots[i] as CompiledBrollSlot;
          const clipId = jobClips[slot.name] as ClipId;
          const user = { jobId, rowKey: row.key, variant, slot: slot.name };
          clipRequests++;
          const known = clips.get(clipId);
          if (known) {
            known.users.push(user);
            if (known.status !== 'new') clipStatus[slot.name] = known.status;
            else {
              clipStatus[slot.name] = 'shared';
              sharedUses++;
            }
            continue;
          }
          const request = requests[i] as ClipRequest;
          const cached = options.cacheIndex.has(clipId);
          // A cached clip wins; one refused by input moderation in an earlier run is not paid for (render fails it at once).
          const refusal = cached ? null : (options.refusals?.get(clipId) ?? null);
          const status: PlannedClip['status'] = cached ? 'cached' : refusal ? 'refused' : 'new';
          clips.set(clipId, {
            clipId,
            request,
            promptHash: promptHash(request.prompt),
            status,
            estimate: status === 'new' ? options.priceOf(request) : null,
            refusal,
            users: [user],
          });
          clipStatus[slot.name] = status;
        }
      }
      jobs.push({
        jobId,
        rowKey: row.key,
        rowIndex: row.index,
        line: row.line,
        rowHash: row.hash,
        variant,
        width: planned.size.width,
        height: planned.size.height,
        fps: template.fps,
        durationInFrames,
        outputName,
        props: row.values,
        clips: jobClips,
        clipStatus,
        manifestHash,
        status: reason === null ? 'up_to_date' : 'render',
        reason,
      });
    }
  }

  const planned = [...clips.values()];
  const money = new Map<string, MoneyLine>();
  for (const clip of planned) {
    if (clip.estimate === null) continue;
    const { provider, model } = clip.request;
    const key = JSON.stringify([provider, model, clip.estimate.source, clip.estimate.date]);
    const line = money.get(key) ?? { provider, model, clips: 0, usd: 0, source: clip.estimate.source, date: clip.estimate.date };
    line.clips++;
    line.usd += clip.estimate.usd;
    money.set(key, line);
  }
  const byModel = [...money.values()]
    .map((l) => ({ ...l, usd: Math.round(l.usd * 1e6) / 1e6 }))
    .sort((a, b) => (a.provider + a.model < b.provider + b.model ? -1 : 1));
  const render = jobs.filter((j) => j.status === 'render').length;
  return {
    template: { id: template.id, version: template.version, hash: templateHash },
    variants,
    namePattern,
    draft,
    force,
    rendererVersion: options.rendererVersion,
    renderSettings,
    jobs,
    clips: planned,
    problems,
    warnings,
    totals: {
      rows: rowCount,
      skippedRows,
      jobs: jobs.length,
      render,
      upToDate: jobs.length - render,
      reasons,
      clipRequests,
      distinctClips: planned.length,
      cachedClips: planned.filter((c) => c.status === 'cached').length,
      newClips: planned.filter((c) => c.status === 'new').length,
      refusedClips: planned.filter((c) => c.status === 'refused').length,
      sharedUses,
      money: { totalUsd: Math.round(byModel.reduce((sum, l) => sum + l.usd, 0) * 1e6) / 1e6, byModel },
      frames,
      renderSeconds: frames / options.renderFpsEstimate,
    },
  };
}
