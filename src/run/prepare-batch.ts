import { statSync, type Stats } from 'node:fs';
import path from 'node:path';
import { openClipCache, PROVIDER_ENV, type ClipCache, type ClipId, type ClipRequest } from '../clips/index.js';
import { describeUnusedColumns, formatProblem, readDataset, type DatasetRow, type RowProblem } from '../dataset/index.js';
import { ConfigError, DatasetError } from '../errors/index.js';
import type { Journal, RenderHashRecord } from '../journal/index.js';
import { log, type LogLevel, type OnLog } from '../log/index.js';
import { planBatch, type BatchPlan } from '../plan/index.js';
import { bundleTemplate, type BundleTemplateResult } from '../render/index.js';
import type { TemplateDefinition } from '../template/index.js';
import { ClipProviders, DEFAULT_PROVIDER_MODELS } from './clip-providers.js';
import { collectInputImages } from './collect-input-images.js';
import type { InputImageStore } from './input-image-store.js';
import { DEFAULT_CONFIG, type ReelwrightConfig } from './load-config.js';
import { resolveClipChain, type ClipChainLink } from './resolve-clip-chain.js';
import { loadProjectTemplate } from './load-project-template.js';
import type { ProjectPaths } from './project-paths.js';
import { RENDERER_VERSION, renderSettingsOf } from './renderer-version.js';

/** Frames per second assumed for time estimates before anything is measured (2 warm workers, welcome-like cards). */
export const DEFAULT_RENDER_FPS_ESTIMATE = 20;

/** The output file's stat, or undefined when it cannot be read (gone, or not readable: treated as missing, as `existsSync` did). */
function statOutput(file: string): Stats | undefined {
  try {
    return statSync(file, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

/** A row the dataset reader refused, with every problem found. */
export type InvalidRow = { line: number; index: number; problems: RowProblem[]; messages: string[] };

/** Options for `prepareBatch`. */
export type PrepareBatchOptions = {
  paths: ProjectPaths;
  dataset: string;
  template: string;
  journal: Journal;
  /** Output folder for a template id (the default depends on it). */
  outDirFor: (templateId: string) => string;
  limit: number | null;
  rowKeys: readonly string[] | null;
  namePattern: string | null;
  variants: readonly string[] | null;
  map: Readonly<Record<string, string>> | null;
  draft: boolean;
  force: boolean;
  provider: string | null;
  model: string | null;
  jpegQuality: number;
  env: Readonly<Record<string, string | undefined>>;
  /** `plan` prices paid clips even without their keys; `render` refuses up front. */
  requireKeys: boolean;
  /**
   * Plan clips a provider's input moderation refused in an earlier run as `new` (to be submitted again, and
   * priced) instead of `refused` (default false: the journal's refusals stand; `--retry-refused`).
   */
  retryRefused?: boolean;
  /** The project config (`loadConfig`): provider base URLs and timeouts, price table, provider/model; default none. */
  config?: ReelwrightConfig | null;
  /** Fetch remote first-frame images from loopback and private addresses too (default false: rows are untrusted input). */
  allowPrivateMedia?: boolean;
  /** Folder that relative image paths in the dataset resolve from (and must stay inside); default the dataset file's folder. */
  assetsDir?: string | null;
  logLevel: LogLevel;
  onLog: OnLog | null;
  signal: AbortSignal | null;
};

/** Everything a batch needs before it spends anything: template, bundle, rows, plan, cache, providers. */
export type PreparedBatch = {
  template: TemplateDefinition;
  templateEntry: string;
  bundle: BundleTemplateResult;
  datasetFile: string;
  datasetLabel: string;
  /** Data rows read (valid + invalid) until reading stopped (a `limit` stops early). */
  rowsRead: number;
  validRows: DatasetRow[];
  invalidRows: InvalidRow[];
  unmappedColumns: readonly string[];
  plan: BatchPlan;
  cache: ClipCache;
  providers: ClipProviders;
  /** First-frame images (image→video) read for the plan, by hash; the providers resolve input images from it. */
  inputImages: InputImageStore;
  /** Fallbacks of each new clip, in order (empty when the slot declares none or they do not apply). */
  chains: ReadonlyMap<ClipId, readonly ClipChainLink[]>;
  /** Key variables a new clip needs that are not set (only with `requireKeys: false`; `render` refuses instead). */
  missingKeys: readonly string[];
  /** The config the batch was prepared with. */
  config: ReelwrightConfig;
};

/**
 * Loads and bundles the template, reads and validates the dataset (streamed), and plans the batch
 * against the journal's previous outputs and the clip cache. No money is spent and nothing is rendered.
 */
export async function prepareBatch(options: PrepareBatchOptions): Promise<PreparedBatch> {
  const logOptions = { logLevel: options.logLevel, tag: 'prepareBatch()', onLog: options.onLog };
  const { definition: template, entry: templateEntry } = await loadProjectTemplate({ paths: options.paths, template: options.template });
  const bundle = await bundleTemplate({ entry: templateEntry, cacheDir: options.paths.cacheDir });
  for (const variant of options.variants ?? []) {
    if (!(variant in template.variants)) {
      throw new ConfigError(
        `Template "${template.id}" has no variant "${variant}". Its variants: ${Object.keys(template.variants).join(', ')}.`,
        { code: 'RW_CONFIG_INVALID' },
      );
    }
  }

  const dataset = await readDataset({ file: options.dataset, template, map: options.map, assetsDir: options.assetsDir ?? null, signal: options.signal });
  const validRows: DatasetRow[] = [];
  const invalidRows: InvalidRow[] = [];
  const wanted = options.rowKeys ? new Set(options.rowKeys) : null;
  let rowsRead = 0;
  try {
    for await (const result of dataset.rows) {
      rowsRead++;
      if (result.ok) {
        if (wanted && !wanted.has(result.row.key)) continue;
        validRows.push(result.row);
        if (options.limit !== null && validRows.length >= options.limit) break;
      } else {
        invalidRows.push({
          line: result.line,
          index: result.index,
          problems: result.problems,
          messages: result.problems.map((p) => formatProblem(p, dataset.fileLabel)),
        });
      }
    }
  } finally {
    await dataset.close();
  }
  if (wanted) {
    const found = new Set(validRows.map((r) => r.key));
    const missing = [...wanted].filter((k) => !found.has(k));
    if (missing.length > 0) {
      throw new DatasetError(`${dataset.fileLabel} has no valid row with key ${missing.map((k) => JSON.stringify(k)).join(', ')}.`, {
        code: 'RW_DATASET_ROW_NOT_FOUND',
      });
    }
  }
  log.verbose(logOptions, `${dataset.fileLabel}: ${validRows.length} valid, ${invalidRows.length} invalid rows`);

  const config = options.config ?? DEFAULT_CONFIG;
  // Flags win over the config file.
  const forcedProvider = options.provider ?? config.provider;
  const forcedModel = options.provider ? options.model : config.model;
  // First frames (B-roll slots with `firstFrame`): read and hashed here, so the pure planner can put each row's
  // image hash in its clip request; an unusable image is that row's problem.
  const { store: inputImages, index: imageIndex } = await collectInputImages({
    template,
    rows: validRows,
    datasetLabel: dataset.fileLabel,
    columnOf: (slot) => dataset.mapping.slots[slot]?.column ?? null,
    mediaDir: options.paths.mediaDir,
    allowPrivateMedia: options.allowPrivateMedia ?? false,
    signal: options.signal,
  });
  const cache = openClipCache({ stateDir: options.paths.stateDir });
  const providers = new ClipProviders({
    env: options.env,
    config: { local: { workDir: path.join(options.paths.workDir, 'local') }, runway: config.providers.runway, luma: config.providers.luma },
    ...(config.priceTable ? { priceTable: config.priceTable } : {}),
    inputImages,
  });
  const models: Record<string, string> = { ...DEFAULT_PROVIDER_MODELS };
  if (forcedProvider && forcedModel) models[forcedProvider] = forcedModel;
  const providerOf = (id: string) => (options.requireKeys ? providers.get(id) : providers.forEstimate(id));
  const priceOf = (request: ClipRequest) => {
    const provider = providerOf(request.provider);
    provider.validateRequest(request);
    return provider.estimateCost(request);
  };
  // Requests of first-frame slots, row by row: the provider's own checks plus whether it can take the row's image.
  const validateRequest = (request: ClipRequest) => {
    const provider = providerOf(request.provider);
    provider.validateRequest(request);
    inputImages.check(request);
  };
  const outDir = options.outDirFor(template.id);
  // Refusals are few: one query for the plan, not one per clip.
  const refusals = options.retryRefused ? null : new Map(options.journal.listInputRefusals().map((r) => [r.clipId, r]));
  // The template's previous renders in one query, not one `getRender` per job (~10 % of planning CPU at 100,000 rows).
  // Hashes and paths only: the planner reads a previous manifest only when its hash differs (to say what changed), so the
  // manifest is fetched then, and a re-run of unchanged rows holds no manifests in memory.
  const journal = options.journal;
  const previousRenders = new Map<string, Map<string, RenderHashRecord>>();
  for (const render of journal.iterateRenderHashes(template.id)) {
    let byRow = previousRenders.get(render.variant);
    if (!byRow) previousRenders.set(render.variant, (byRow = new Map()));
    byRow.set(render.rowKey, render);
  }
  const plan = planBatch({
    template,
    templateHash: bundle.hash,
    rows: validRows,
    variants: options.variants,
    namePattern: options.namePattern,
    draft: options.draft,
    force: options.force,
    providerDefaults: { models, forceProvider: forcedProvider },
    cacheIndex: cache,
    refusals: refusals && refusals.size > 0 ? { get: (clipId) => refusals.get(clipId) ?? null } : null,
    previousOutputs: {
      get(rowKey, variant) {
        const previous = previousRenders.get(variant)?.get(rowKey);
        if (!previous) return null;
        // One stat per previous output: whether it is there, and its size and mtime against those recorded at render time.
        const file = path.dirname(previous.outputPath) === outDir ? statOutput(previous.outputPath) : undefined;
        return {
          manifestHash: previous.manifestHash,
          outputExists: file !== undefined,
          recordedFile: previous.outputFile,
          currentFile: file ? { bytes: file.size, mtimeMs: file.mtimeMs } : null,
          // Read by `explainChange` only after the hashes differed.
          get manifest() {
            return journal.getRender({ templateId: template.id, rowKey, variant })?.manifest;
          },
        };
      },
    },
    priceOf,
    inputImages: imageIndex,
    validateRequest,
    renderFpsEstimate: DEFAULT_RENDER_FPS_ESTIMATE,
    rendererVersion: RENDERER_VERSION,
    renderSettings: renderSettingsOf({ jpegQuality: options.jpegQuality }),
  });
  const { chains, missingKeys, chainWarnings } = checkClipChains({
    plan,
    template,
    providers,
    inputImages,
    forcedProvider,
    env: options.env,
    requireKeys: options.requireKeys,
  });
  const warnings = [
    // A column close to a slot without a column is most likely misspelled (that slot takes its default). Other unused
    // columns are often kept on purpose (an email for the mail merge): `validate` lists them, every run does not.
    ...describeUnusedColumns({ mapping: dataset.mapping, template, fileLabel: dataset.fileLabel })
      .filter((note) => note.slot !== null)
      .map((note) => note.message),
    ...refusalWarnings(plan),
    ...chainWarnings,
    ...missingKeys.map(
      (name) => `${name} is not set: the estimate uses list prices, but render refuses to start until the key is in the environment (reelwright providers shows which keys are set).`,
    ),
  ];
  return {
    template,
    templateEntry,
    bundle,
    datasetFile: dataset.file,
    datasetLabel: dataset.fileLabel,
    rowsRead,
    validRows,
    invalidRows,
    unmappedColumns: dataset.mapping.unmappedColumns,
    plan: warnings.length > 0 ? { ...plan, warnings: [...plan.warnings, ...warnings] } : plan,
    cache,
    providers,
    inputImages,
    chains,
    missingKeys,
    config,
  };
}

/** One line about the clips planned `refused` (refused by input moderation in an earlier run), or none. */
function refusalWarnings(plan: BatchPlan): string[] {
  const refused = plan.clips.filter((c) => c.status === 'refused');
  if (refused.length === 0) return [];
  const n = refused.length;
  const videos = refused.reduce((sum, c) => sum + c.users.length, 0);
  const by = [...new Set(refused.map((c) => c.refusal?.provider ?? c.request.provider))].join(', ');
  const them = n === 1 ? 'it' : 'them';
  return [
    `${n === 1 ? '1 clip was' : `${n} clips were`} refused by input moderation (${by}) in an earlier run, so ` +
      `${videos === 1 ? 'the video that uses it fails' : `the ${videos} videos that use ${them} fail`} without a call to the provider. ` +
      `Change the prompt or the row's values; or pass --retry-refused to submit ${them} again.`,
  ];
}

/**
 * Before anything is spent, checks every provider each new clip may use — its own and its
 * slot's fallbacks — and validates the request on each (model, duration, ratio, price), so a
 * fallback that cannot work (a missing key, an image-only model on a text slot) fails the plan up
 * front instead of halfway through a batch. With `requireKeys` a missing key throws
 * `RW_PROVIDER_KEY_MISSING` naming the variable; without, it is reported in `missingKeys`.
 *
 * Fallbacks carry the clip's first-frame image. For a slot with `firstFrame`, whether a fallback can make
 * the clip depends on the row's image (an image-only model when the row has none, Luma with a local file),
 * so a fallback that cannot is left out of that clip's chain, with a warning, instead of failing the batch.
 */
function checkClipChains(options: {
  plan: BatchPlan;
  template: TemplateDefinition;
  providers: ClipProviders;
  inputImages: InputImageStore;
  forcedProvider: string | null;
  env: Readonly<Record<string, string | undefined>>;
  requireKeys: boolean;
}): { chains: Map<ClipId, ClipChainLink[]>; missingKeys: string[]; chainWarnings: string[] } {
  const chains = new Map<ClipId, ClipChainLink[]>();
  const missing = new Set<string>();
  /** Fallbacks left out of some clips' chains, by slot, fallback and image mode: the first reason and how many clips. */
  const dropped = new Map<string, { text: string; clips: number }>();
  const providerFor = (id: string) => {
    const names = PROVIDER_ENV[id as keyof typeof PROVIDER_ENV];
    if (names && !options.env[names.key]) missing.add(names.key);
    return options.requireKeys ? options.providers.get(id) : options.providers.forEstimate(id);
  };
  for (const planned of options.plan.clips) {
    if (planned.status !== 'new') continue;
    providerFor(planned.request.provider);
    const slotName = planned.users[0]?.slot ?? '?';
    const slot = options.template.slots[slotName];
    const firstFrame = slot?.kind === 'broll' ? (slot.firstFrame ?? null) : null;
    const chain: ClipChainLink[] = [];
    for (const link of resolveClipChain({ planned, template: options.template, forcedProvider: options.forcedProvider })) {
      const provider = providerFor(link.provider);
      // The fallback makes the same clip: same prompt, seconds, aspect, seed and first-frame image.
      const request: ClipRequest = { ...planned.request, provider: link.provider, model: link.model ?? provider.defaultModel, resolution: link.resolution, params: {} };
      try {
        provider.validateRequest(request);
        options.inputImages.check(request);
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        if (firstFrame !== null && error.code === 'RW_CLIP_INVALID_REQUEST') {
          const empty = request.inputImageHash === null;
          const key = JSON.stringify([slotName, link.provider, request.model, empty]);
          const known = dropped.get(key);
          if (known) known.clips++;
          else {
            const rows = empty ? `rows whose image slot "${firstFrame}" is empty` : `rows whose first-frame image it cannot take`;
            const text = `Template "${options.template.id}", B-roll slot "${slotName}": the fallback ${link.provider}:${request.model} is left out for ${rows}: ${error.message}`;
            dropped.set(key, { text, clips: 1 });
          }
          continue;
        }
        throw new ConfigError(
          `Template "${options.template.id}", B-roll slot "${slotName}": the fallback ${link.provider}:${request.model} cannot make this clip: ${error.message}`,
          { code: error.code, cause: error },
        );
      }
      chain.push(link);
    }
    chains.set(planned.clipId, chain);
  }
  const chainWarnings = [...dropped.values()].map(({ text, clips }) => `${text} (${clips} clip${clips === 1 ? '' : 's'} without this fallback.)`);
  return { chains, missingKeys: [...missing].sort(), chainWarnings };
}
