import type { ClipId, ClipRequest, CostEstimate, InputRefusal } from '../clips/index.js';
import type { DatasetRow } from '../dataset/index.js';
import type { RowValues, SlotMap, VariantSize } from '../template/index.js';

/**
 * Why a job renders.
 * - `new_row`: no earlier render of this (row, variant) is known.
 * - `row_changed`: the row's values changed (its row hash differs).
 * - `template_changed`: the template id, version or code (bundle hash), the renderer version, the
 *   render settings, or the variant's size changed.
 * - `clip_changed`: a B-roll clip request changed without the row changing (provider, model,
 *   draft mode, slot settings).
 * - `forced`: `force: true`.
 * - `output_missing`: the manifest matches but the file is gone, or the output name changed.
 * - `output_changed`: the manifest matches but the file's size differs from what was recorded when it was
 *   rendered (truncated, overwritten, corrupted on disk).
 */
export type RenderReason = 'new_row' | 'row_changed' | 'template_changed' | 'clip_changed' | 'forced' | 'output_missing' | 'output_changed';

/**
 * What the plan does with a job.
 * - `render`: render it (see `reason`).
 * - `up_to_date`: an output with the same manifest exists; nothing to do.
 */
export type RenderJobStatus = 'render' | 'up_to_date';

/**
 * Where a job's clip will come from.
 * - `cached`: already in the clip cache: costs nothing now.
 * - `shared`: the same request as an earlier job of this batch: generated (or fetched) once.
 * - `new`: must be generated (paid), for this job first.
 * - `refused`: "refused earlier": a provider's input moderation refused this clip in an earlier run; render
 *   fails the job without calling the provider (and costs nothing) unless told to retry refused clips.
 */
export type ClipUseStatus = 'cached' | 'shared' | 'new' | 'refused';

/** Render settings that change the output bytes (encoder preset, CRF, pixel format, JPEG quality …). */
export type RenderSettings = Readonly<Record<string, string | number | boolean | null>>;

/**
 * Provider and model choices applied to every B-roll slot.
 * A slot's own `provider`/`model` win unless `forceProvider` is set.
 */
export type ProviderDefaults = {
  /** Provider for slots that name none; `DEFAULT_PROVIDER` (`local`) by default. */
  provider?: string;
  /** Replaces every slot's provider (e.g. `--provider local` for a free rehearsal); the slot's model is then ignored. */
  forceProvider?: string | null;
  /** Model per provider id for slots that name none (each `ClipProvider.defaultModel`). */
  models: Readonly<Record<string, string>>;
};

/** What is known about the previous output of a (row, variant). */
export type PreviousOutput = {
  manifestHash: string;
  /** Whether its file is still on disk (the caller checks; the planner does no I/O). */
  outputExists: boolean;
  /** Its file's size and mtime as recorded when it was rendered; null or omitted when unknown (no size check). */
  recordedFile?: OutputFileFacts | null;
  /** Its file's size and mtime on disk now (the caller stats it); null or omitted when unknown (no size check). */
  currentFile?: OutputFileFacts | null;
  /** The previous manifest (as stored by the journal), used to say *what* changed; optional. */
  manifest?: unknown;
};

/** An output file's size in bytes and modification time (ms since the epoch). */
export type OutputFileFacts = { bytes: number; mtimeMs: number };

/** Looks up the previous output of a (row, variant); the run stage backs it with one `Journal.iterateRenderHashes` query (and `getRender` for a manifest whose hash differs). */
export type PreviousOutputs = { get(rowKey: string, variant: string): PreviousOutput | null };

/** The clip cache as the planner sees it. `ClipCache` fits. */
export type CacheIndex = { has(clipId: ClipId): boolean };

/** Input-moderation refusals the journal remembers (`Journal.listInputRefusals`), by clip id. */
export type RefusalIndex = { get(clipId: ClipId): InputRefusal | null };

/**
 * The first-frame image of one row for one B-roll slot with `firstFrame`, as the caller (`prepareBatch`)
 * found it: the sha256 of its bytes, or why it cannot be used (the row is then refused with `code` and `message`).
 */
export type InputImageEntry = { ok: true; hash: string } | { ok: false; code: string; message: string };

/**
 * First-frame images by row and B-roll slot. `get` answers null when the row's image slot is empty
 * (the clip is then text→video). Rows are named by their 0-based data index (`DatasetRow.index`).
 */
export type InputImageIndex = { get(rowIndex: number, slot: string): InputImageEntry | null };

/**
 * The parts of a template the planner reads. Any `TemplateDefinition` fits, whatever its slots
 * (its typed `duration(row)` is accepted as a function of some row).
 */
export type PlanTemplate = {
  readonly id: string;
  readonly version: string;
  readonly fps: number;
  /** Seconds, or a function of the row's values. */
  readonly duration: number | ((row: never) => number);
  readonly slots: SlotMap;
  /** At least one variant (`defineTemplate` guarantees it). */
  readonly variants: Readonly<Record<string, VariantSize>>;
  /** The template's default output name pattern, used when `namePattern` is not given. */
  readonly outputName?: string;
};

/** Options of `planBatch`. */
export type PlanBatchOptions = {
  /** A `TemplateDefinition` (from `defineTemplate` or `loadTemplate`). */
  template: PlanTemplate;
  /** Hash of the template's bundled code (its "bundle hash"). */
  templateHash: string;
  /** Valid rows, in dataset order (a `DatasetRow` iterable; invalid ones are reported by the caller). */
  rows: Iterable<DatasetRow>;
  /** Variant names to render; the template's first variant when empty or absent. */
  variants?: readonly string[] | null;
  /**
   * Handlebars pattern for output names over the row's fields plus `{{key}}`, `{{variant}}`,
   * `{{index}}` (0-based) and `{{line}}`. Default: `DEFAULT_NAME_PATTERN` (`{{key}}`), or
   * `DEFAULT_VARIANT_NAME_PATTERN` (`{{key}}-{{variant}}`) when the template declares variants.
   */
  namePattern?: string | null;
  /** Draft run: slots use their `draftModel` (the local provider when they declare none), and clips are cached apart from final ones. */
  draft?: boolean;
  providerDefaults: ProviderDefaults;
  cacheIndex: CacheIndex;
  /**
   * Clips a provider's input moderation refused in an earlier run: planned `refused` (no estimate) rather than
   * `new`. Absent or null: none are known (or the caller retries them, `--retry-refused`).
   */
  refusals?: RefusalIndex | null;
  previousOutputs: PreviousOutputs;
  /** List price of one attempt of a request (`ClipProvider.estimateCost`). Called once per new clip. */
  priceOf: (request: ClipRequest) => CostEstimate;
  /**
   * First-frame images for B-roll slots that declare `firstFrame` (hashed by the caller; the planner does no I/O).
   * Without it such slots plan text→video requests (`inputImageHash: null`), as for an empty image slot.
   */
  inputImages?: InputImageIndex | null;
  /**
   * Checks each request of a slot with `firstFrame`, row by row (`ClipProvider.validateRequest` plus the caller's
   * image checks): whether it can work depends on the row's image (an image-only model and an empty image slot,
   * an image a provider cannot take), so a `ReelwrightError` with code `RW_CLIP_INVALID_REQUEST` thrown here
   * refuses that row, not the batch. Any other error (a missing key, a missing price) fails the plan.
   */
  validateRequest?: ((request: ClipRequest) => void) | null;
  /** Frames per second the render pool manages, for the time estimate. */
  renderFpsEstimate: number;
  /** Render everything, even up-to-date jobs. */
  force?: boolean;
  /** Renderer version (part of every manifest). */
  rendererVersion: string;
  /** Settings that change output bytes (part of every manifest). */
  renderSettings?: RenderSettings;
  /** Cap on output name length in UTF-8 bytes; `DEFAULT_MAX_OUTPUT_NAME_BYTES`. */
  maxOutputNameBytes?: number;
};

/** One video to make (or already made): a row × variant. Compact: it holds no copy of the row's text. */
export type RenderJob = {
  /** `<rowKey>#<variant>`: unique within the plan, stable across runs. */
  jobId: string;
  rowKey: string;
  /** 0-based data index. */
  rowIndex: number;
  /** 1-based line of the row in the dataset file. */
  line: number;
  rowHash: string;
  variant: string;
  width: number;
  height: number;
  fps: number;
  durationInFrames: number;
  /** Sanitized, unique (case-insensitively) file name, relative to the output folder; join with `resolveOutputPath`. */
  outputName: string;
  /** The row's values (the same object the dataset reader produced, not a copy). */
  props: RowValues;
  /** B-roll slot → clip id. */
  clips: Readonly<Record<string, ClipId>>;
  /** B-roll slot → where its clip comes from; empty for `up_to_date` jobs (they need no clips). */
  clipStatus: Readonly<Record<string, ClipUseStatus>>;
  /** `hashManifest(buildJobManifest({ plan, job }))`. */
  manifestHash: string;
  status: RenderJobStatus;
  /** Why it renders; null when up to date. */
  reason: RenderReason | null;
};

/** One job × slot that uses a clip. */
export type ClipUser = { jobId: string; rowKey: string; variant: string; slot: string };

/** One distinct clip the batch needs (after dedupe), with everyone who uses it. */
export type PlannedClip = {
  clipId: ClipId;
  request: ClipRequest;
  /** `promptHash(request.prompt)`, for the journal's attempts. */
  promptHash: string;
  /** `cached`: in the cache; `new`: to be generated; `refused`: refused by input moderation in an earlier run (see `refusal`). */
  status: 'cached' | 'new' | 'refused';
  /** List price of one attempt; null for cached and refused clips (nothing to pay). */
  estimate: CostEstimate | null;
  /** What the journal remembers about the refusal, for `refused` clips; else null. */
  refusal: InputRefusal | null;
  /** Render jobs using it, first user first. */
  users: ClipUser[];
};

/** A row the planner could not plan (it is skipped; the rest of the batch goes on). */
export type PlanProblem = {
  rowKey: string;
  rowIndex: number;
  line: number;
  /** The variant concerned, or null when the whole row is refused. */
  variant: string | null;
  /** The B-roll slot concerned, or null. */
  slot: string | null;
  /**
   * `RW_PLAN_DUPLICATE_KEY`, `RW_PLAN_EMPTY_PROMPT`, `RW_PLAN_PROMPT_FAILED`, `RW_TEMPLATE_DURATION_INVALID`,
   * `RW_CLIP_INVALID_REQUEST`, or the code of an unusable first-frame image (`RW_PLAN_FIRST_FRAME`).
   */
  code: string;
  message: string;
};

/** Estimated money for one provider and model. */
export type MoneyLine = {
  provider: string;
  model: string;
  /** New clips of this model. */
  clips: number;
  /** Sum of list prices of one attempt each. */
  usd: number;
  /** Where the price comes from and its date (from `priceOf`). */
  source: string;
  date: string;
};

/** Plan totals. */
export type PlanTotals = {
  /** Valid rows seen. */
  rows: number;
  /** Rows refused by the planner (see `problems`). */
  skippedRows: number;
  /** Row × variant jobs. */
  jobs: number;
  render: number;
  upToDate: number;
  /** Render jobs by reason. */
  reasons: Readonly<Record<RenderReason, number>>;
  /** Clip uses of render jobs, before dedupe. */
  clipRequests: number;
  /** Distinct clips after dedupe. */
  distinctClips: number;
  cachedClips: number;
  newClips: number;
  /** Distinct clips refused by input moderation in an earlier run: not submitted, not in the money estimate. */
  refusedClips: number;
  /** Uses served by an earlier job's clip in this batch. */
  sharedUses: number;
  money: { totalUsd: number; byModel: MoneyLine[] };
  /** Frames to render. */
  frames: number;
  /** `frames / renderFpsEstimate`. */
  renderSeconds: number;
};

/** The whole plan: pure data, computed without I/O. */
export type BatchPlan = {
  template: { id: string; version: string; hash: string };
  variants: string[];
  namePattern: string;
  draft: boolean;
  force: boolean;
  rendererVersion: string;
  renderSettings: RenderSettings;
  jobs: RenderJob[];
  /** Distinct clips needed by render jobs, in first-use order. */
  clips: PlannedClip[];
  problems: PlanProblem[];
  /** Batch-level advice (e.g. a name pattern that makes names collide). */
  warnings: string[];
  totals: PlanTotals;
};

/** What each finished video's manifest records: everything that decides its bytes, plus its name. */
export type RenderManifest = {
  kind: 'reelwright.manifest';
  version: 1;
  template: { id: string; version: string; bundleHash: string };
  row: { key: string; hash: string };
  variant: { name: string; width: number; height: number };
  fps: number;
  durationInFrames: number;
  /** B-roll slot → clip id. */
  clips: Readonly<Record<string, string>>;
  renderer: { version: string };
  renderSettings: RenderSettings;
  outputName: string;
};
