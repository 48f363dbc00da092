import path from 'node:path';
import { DEFAULT_LOCAL_MODEL, generateClip, toClipCacheWriter, toClipId } from '../clips/index.js';
import type { ClipCache, ClipProvider, ClipRequest, ClipId, CostEstimate, GenerateClipResult, OnClipEvent } from '../clips/index.js';
import { ReelwrightError } from '../errors/index.js';
import type { Journal } from '../journal/index.js';
import { extractFrames } from '../media/index.js';
import type { ClipProviders, ProjectPaths, ReelwrightConfig } from '../run/index.js';
import type { StudioClipStatus } from './types.js';

/** How B-roll frames are fitted into the output: the renderer's rule (`BRoll` covers by default). */
export const PREVIEW_FRAME_FIT = 'cover';

/** Options of `createPreviewClips`. */
export type CreatePreviewClipsOptions = {
  /** The project's folders, as the batch derives them (`projectPaths`): frames, work files. */
  paths: ProjectPaths;
  /** The project's clip cache (`openClipCache`). */
  cache: ClipCache;
  /** The batch's providers (keys from the environment, base URLs and prices from the project config). */
  providers: ClipProviders;
  /** The project config: QA limits and deadline of clip generation. */
  config: ReelwrightConfig;
  /** Opens the journal that records every generation attempt; called on first use. */
  openLedger: () => Journal;
  /** Time between polls of a paid task; null or absent: `generateClip`'s default (tests set it through `readTimingEnv`). */
  pollIntervalMs?: number | null;
};

/** A planned B-roll clip of the previewed row (from `planBatch`). */
export type PreviewClipRequest = {
  clipId: ClipId;
  request: ClipRequest;
  /** The planner's verdict: in the cache, or to be generated. */
  cached: boolean;
};

/** Options of `PreviewClips.prepare`. */
export type PrepareClipOptions = PreviewClipRequest & {
  /** Output fps, width and height of the variant: the frames are decoded at exactly this. */
  fps: number;
  width: number;
  height: number;
  signal?: AbortSignal | null;
};

/** A clip ready for the preview page. */
export type PreparedClip = {
  status: StudioClipStatus;
  /** The clip file shown. */
  file: string;
  /** Its frames at the output fps and size (`000001.jpg` …). */
  framesDir: string;
  count: number;
  /** List price of the planned clip when it is not cached yet. */
  estimate: CostEstimate | null;
};

/** What generating a planned clip would cost, and whether this studio can do it. */
export type ClipEstimate = { estimate: CostEstimate; available: boolean; reason: string | null };

/** Options of `PreviewClips.generate`. */
export type GeneratePreviewClipOptions = { request: ClipRequest; onEvent?: OnClipEvent | null; signal?: AbortSignal | null };

/** The clip side of the studio preview: cache lookups, free local clips, paid generation on request, frame decoding. */
export interface PreviewClips {
  /** The clip the batch will use when cached; else the local provider's clip (for a local slot) or a free placeholder. */
  prepare(options: PrepareClipOptions): Promise<PreparedClip>;
  /** The provider's list price for one attempt (priced even without a key). */
  estimate(request: ClipRequest): ClipEstimate;
  /** The provider's own checks of a request (`ClipProvider.validateRequest`, even without a key); throws what it throws. */
  validate(request: ClipRequest): void;
  /** Generates (and caches) the planned clip through the clip stage: journaled attempts, QA, normalisation. */
  generate(options: GeneratePreviewClipOptions): Promise<GenerateClipResult>;
}

/**
 * The free stand-in for a paid request: same prompt, seconds, aspect and seed, from the local provider. Without
 * the first-frame image on purpose: the local provider ignores `inputImageHash` (its picture comes from prompt
 * and seed only, see `createLocalProvider`), so keeping it would only cache one identical-looking placeholder per
 * image instead of one per prompt. The planned request, and so the clip id the batch uses, keeps its image.
 */
function placeholderRequest(request: ClipRequest): ClipRequest {
  return { ...request, provider: 'local', model: DEFAULT_LOCAL_MODEL, resolution: null, params: {}, inputImageHash: null };
}

/**
 * Creates the studio's clip service. A previewed B-roll slot shows, in this order: the cached clip for the
 * planned request (the one the batch will use); for a `local` slot, the clip the local provider makes (free,
 * generated through `generateClip` into the cache exactly as the batch does, so the batch then finds it); for a
 * paid slot not cached yet, a free local placeholder of the same prompt. Clips are decoded with `extractFrames`
 * into the batch's own frame folders (`<stateDir>/frames/<clip>-<w>x<h>-<fps>`, cover fit), so the preview shows
 * the renderer's exact frames. Work on one clip is shared by concurrent callers.
 *
 * @example
 * const clips = createPreviewClips({ paths, cache, providers, config, openLedger: () => journal });
 * const shown = await clips.prepare({ clipId, request, cached: false, fps: 30, width: 1280, height: 720 });
 */
export function createPreviewClips(options: CreatePreviewClipsOptions): PreviewClips {
  const { paths, cache, providers, config } = options;
  const inFlight = new Map<string, Promise<unknown>>();
  let ledger: Journal | null = null;

  const shared = <T>(key: string, work: () => Promise<T>): Promise<T> => {
    let running = inFlight.get(key) as Promise<T> | undefined;
    if (!running) {
      running = work().finally(() => inFlight.delete(key));
      inFlight.set(key, running);
    }
    return running;
  };

  const generate = (generateOptions: GeneratePreviewClipOptions): Promise<GenerateClipResult> => {
    const { request } = generateOptions;
    const clipId = toClipId(request);
    return shared(`generate:${clipId}`, async () => {
      const provider: ClipProvider = providers.get(request.provider);
      ledger ??= options.openLedger();
      return generateClip({
        request,
        clipId,
        provider,
        ledger,
        cache: toClipCacheWriter(cache),
        workDir: path.join(paths.workDir, 'clips'),
        runId: null,
        ...(config.clips.maxAttempts !== null ? { maxAttempts: config.clips.maxAttempts } : {}),
        ...(config.clips.deadlineMs !== null ? { deadlineMs: config.clips.deadlineMs } : {}),
        qa: config.clips.qa,
        ...(options.pollIntervalMs != null ? { pollIntervalMs: options.pollIntervalMs } : {}),
        signal: generateOptions.signal ?? null,
        onEvent: generateOptions.onEvent ?? null,
        onLog: () => undefined,
      });
    });
  };

  /** The cached file for a request, generating it with the local provider when it is a local one. */
  const cachedOrLocal = async (request: ClipRequest, signal: AbortSignal | null): Promise<string> => {
    const clipId = toClipId(request);
    const hit = cache.get(clipId);
    if (hit) return hit.file;
    if (request.provider !== 'local') {
      throw new ReelwrightError(`Clip ${clipId} is not cached, and only free local clips are made without asking.`, { code: 'RW_STUDIO_CLIP_NOT_CACHED' });
    }
    return (await generate({ request, signal })).file;
  };

  const frames = (file: string, fps: number, width: number, height: number, signal: AbortSignal | null) => {
    // The batch's own folder for these frames (`buildRenderTask`): same clip, size and fps ⇒ same folder, shared.
    const outDir = path.join(paths.framesDir, `${path.basename(file, '.mp4')}-${width}x${height}-${fps}`);
    return shared(`frames:${outDir}`, async () => ({ outDir, ...(await extractFrames({ input: file, outDir, fps, width, height, fit: PREVIEW_FRAME_FIT, signal })) }));
  };

  const estimate = (request: ClipRequest): ClipEstimate => {
    let reason: string | null = null;
    try {
      providers.get(request.provider);
    } catch (error) {
      reason = error instanceof Error ? error.message : String(error);
    }
    const provider = providers.forEstimate(request.provider);
    provider.validateRequest(request);
    return { estimate: provider.estimateCost(request), available: reason === null, reason };
  };

  return {
    estimate,
    validate: (request) => providers.forEstimate(request.provider).validateRequest(request),
    generate,
    async prepare(prepareOptions) {
      const { request, fps, width, height } = prepareOptions;
      const signal = prepareOptions.signal ?? null;
      let status: StudioClipStatus;
      let source: ClipRequest;
      if (prepareOptions.cached && cache.has(prepareOptions.clipId)) {
        status = 'cached';
        source = request;
      } else if (request.provider === 'local') {
        status = 'local';
        source = request;
      } else {
        status = 'placeholder';
        source = placeholderRequest(request);
      }
      const file = await cachedOrLocal(source, signal);
      const extracted = await frames(file, fps, width, height, signal);
      return {
        status,
        file,
        framesDir: extracted.outDir,
        count: extracted.count,
        estimate: status === 'placeholder' ? estimate(request).estimate : null,
      };
    },
  };
}
