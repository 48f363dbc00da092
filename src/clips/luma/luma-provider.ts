import type LumaAI from 'lumaai';
import type { GenerationCreateParams } from 'lumaai/resources/generations/generations';
import { ConfigError, ProviderError, throwIfAborted } from '../../errors/index.js';
import type { CancellableClipProvider, ResolveInputImage } from '../adapter-types.js';
import { DEFAULT_PRICE_TABLE, priceFromTable } from '../price-table.js';
import type { PriceTable } from '../price-table.js';
import type { ClipRequest, CostEstimate, SubmittedTask, TaskState } from '../types.js';
import { withCallSignal } from '../with-call-signal.js';
import { createLumaClient } from './create-luma-client.js';
import { mapLumaError, mapLumaFailure } from './map-luma-failure.js';
import { matchLumaGeneration } from './match-luma-generation.js';

/** Luma's default model: the cheaper of the two. */
export const DEFAULT_LUMA_MODEL = 'ray-flash-2';
/** Resolution sent when a request names none (also what the price lookup uses). */
export const DEFAULT_LUMA_RESOLUTION = '720p';
/** Per-request HTTP timeout. */
export const DEFAULT_LUMA_TIMEOUT_MS = 60_000;

/** Newest generations `findSubmitted` reads (one page of `GET /generations`). */
export const LUMA_FIND_SUBMITTED_LIMIT = 20;

const LUMA_MODELS = ['ray-2', 'ray-flash-2'] as const;
const LUMA_SECONDS = [5, 9] as const;
const LUMA_RESOLUTIONS = ['540p', '720p', '1080p', '4k'] as const;
const LUMA_PROMPT_MIN = 3;
const LUMA_PROMPT_MAX = 5000;

/** Options for `createLumaProvider`. */
export type CreateLumaProviderOptions = {
  /** `LUMAAI_API_KEY`. Kept inside the SDK client; never put in messages or records. */
  apiKey: string;
  /** API base URL (a mock server, a reseller); null for `https://api.lumalabs.ai/dream-machine/v1`. */
  baseURL?: string | null;
  /** Per-request timeout in ms (default `DEFAULT_LUMA_TIMEOUT_MS`). */
  timeoutMs?: number;
  /** Prices per generation; Luma reports none, so this table is what each attempt records. */
  priceTable?: PriceTable;
  /** Resolves `inputImageHash` to an https URL for `keyframes.frame0`; required for image→video. */
  resolveInputImage?: ResolveInputImage | null;
};

/**
 * The Luma Dream Machine adapter over `lumaai` (`POST /generations/video` → 201, poll
 * `GET /generations/{id}`). SDK retries are off (`maxRetries: 0`). Luma has no seed parameter, so a
 * "new seed" retry is simply a new generation. Failed generations are refunded: they cost 0.
 * `findSubmitted` reads the newest `LUMA_FIND_SUBMITTED_LIMIT` generations (`GET /generations`) so a
 * create call that timed out is not paid for twice when it did reach Luma.
 *
 * @example
 * const luma = createLumaProvider({ apiKey: process.env.LUMAAI_API_KEY!, baseURL: process.env.LUMAAI_BASE_URL });
 * @see ../../../../shared/PROVIDERS.md
 */
export function createLumaProvider(options: CreateLumaProviderOptions): CancellableClipProvider {
  if (typeof options.apiKey !== 'string' || options.apiKey.length === 0) {
    throw new ConfigError('Luma needs an API key: set LUMAAI_API_KEY.', { code: 'RW_PROVIDER_KEY_MISSING' });
  }
  const timeoutMs = options.timeoutMs ?? DEFAULT_LUMA_TIMEOUT_MS;
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1) {
    throw new ConfigError(`options.timeoutMs must be a whole number of milliseconds ≥ 1, got ${String(timeoutMs)}.`, { code: 'RW_CONFIG_INVALID' });
  }
  const client = createLumaClient({ apiKey: options.apiKey, baseURL: options.baseURL ?? null, maxRetries: 0, timeoutMs });
  const priceTable = options.priceTable ?? DEFAULT_PRICE_TABLE;
  const resolveInputImage = options.resolveInputImage ?? null;

  const invalid = (request: ClipRequest, what: string): never => {
    throw new ConfigError(`Luma clip request (model "${request.model}"): ${what}`, { code: 'RW_CLIP_INVALID_REQUEST' });
  };

  /** The `POST /generations/video` body for a request (also what `findSubmitted` matches against). */
  const createBody = async (request: ClipRequest, signal: AbortSignal | null): Promise<GenerationCreateParams> => {
    let keyframes: GenerationCreateParams['keyframes'];
    if (request.inputImageHash !== null) {
      if (!resolveInputImage) throw new ConfigError('Luma image→video needs resolveInputImage.', { code: 'RW_CLIP_INVALID_REQUEST' });
      const url = await resolveInputImage(request.inputImageHash, signal);
      if (!/^https?:\/\//i.test(url)) {
        throw new ConfigError(`Luma clip request: the input image must be an http(s) URL (Luma fetches it); got a ${url.split(':')[0]}: value.`, {
          code: 'RW_CLIP_INVALID_REQUEST',
        });
      }
      keyframes = { frame0: { type: 'image', url } };
    }
    return {
      model: request.model as GenerationCreateParams['model'],
      prompt: request.prompt,
      aspect_ratio: request.aspect,
      duration: `${request.seconds}s`,
      resolution: request.resolution ?? DEFAULT_LUMA_RESOLUTION,
      loop: request.params['loop'] === true,
      ...(keyframes ? { keyframes } : {}),
    };
  };

  const provider: CancellableClipProvider = {
    id: 'luma',
    defaultModel: DEFAULT_LUMA_MODEL,

    validateRequest(request) {
      if (!(LUMA_MODELS as readonly string[]).includes(request.model)) invalid(request, `unknown model. Allowed: ${LUMA_MODELS.join(', ')}.`);
      if (!(LUMA_SECONDS as readonly number[]).includes(request.seconds)) {
        invalid(request, `seconds must be 5 or 9 (Luma durations "5s"/"9s"), got ${request.seconds}.`);
      }
      if (request.resolution !== null && !(LUMA_RESOLUTIONS as readonly string[]).includes(request.resolution)) {
        invalid(request, `resolution must be one of ${LUMA_RESOLUTIONS.join(', ')} (or unset for ${DEFAULT_LUMA_RESOLUTION}), got "${request.resolution}".`);
      }
      const length = request.prompt.trim().length;
      if (request.inputImageHash === null && length < LUMA_PROMPT_MIN) {
        invalid(request, `the prompt has ${length} characters; Luma needs at least ${LUMA_PROMPT_MIN}.`);
      }
      if (request.prompt.length > LUMA_PROMPT_MAX) {
        invalid(request, `the prompt has ${request.prompt.length} characters; Luma allows at most ${LUMA_PROMPT_MAX}. Shorten the slot's prompt.`);
      }
      if (request.inputImageHash !== null && !resolveInputImage) invalid(request, 'has an input image but the Luma provider was built without resolveInputImage.');
      for (const [key, value] of Object.entries(request.params)) {
        if (key !== 'loop') invalid(request, `unknown param "${key}". Allowed: loop.`);
        if (typeof value !== 'boolean') invalid(request, `param "loop" must be true or false, got ${JSON.stringify(value)}.`);
      }
      provider.estimateCost(request);
    },

    estimateCost(request): CostEstimate {
      return priceFromTable({
        table: priceTable,
        provider: 'luma',
        model: request.model,
        resolution: request.resolution ?? DEFAULT_LUMA_RESOLUTION,
        seconds: request.seconds,
        params: {},
      });
    },

    async submit(request, signal): Promise<SubmittedTask> {
      throwIfAborted(signal);
      const body = await createBody(request, signal);
      let generation: LumaAI.Generation;
      try {
        generation = await withCallSignal(signal, (s) => client.generations.create(body, { signal: s }));
      } catch (error) {
        throw mapLumaError(error, 'POST /generations/video');
      }
      if (!generation.id) {
        throw new ProviderError('Luma POST /generations/video answered without a generation id.', { code: 'RW_PROVIDER_HTTP', retryable: false });
      }
      // Luma reports no price; generateClip records the price table's.
      return { taskId: generation.id, estimatedCostUsd: null };
    },

    async findSubmitted(search, signal): Promise<string | null> {
      throwIfAborted(signal);
      const body = await createBody(search.request, signal);
      let page: LumaAI.GenerationListResponse;
      try {
        page = await withCallSignal(signal, (s) => client.generations.list({ limit: LUMA_FIND_SUBMITTED_LIMIT, offset: 0 }, { signal: s }));
      } catch (error) {
        throw mapLumaError(error, 'GET /generations');
      }
      return matchLumaGeneration({ generations: page.generations ?? [], body, sinceMs: search.sinceMs, excludeIds: search.excludeTaskIds });
    },

    async poll(taskId, signal): Promise<TaskState> {
      throwIfAborted(signal);
      let generation: LumaAI.Generation;
      try {
        generation = await withCallSignal(signal, (s) => client.generations.get(taskId, { signal: s }));
      } catch (error) {
        throw mapLumaError(error, `GET /generations/${taskId}`);
      }
      switch (generation.state) {
        case 'queued':
          return { status: 'pending' };
        case 'dreaming':
          return { status: 'running', progress: null };
        case 'completed': {
          const video = generation.assets?.video;
          if (!video) {
            return {
              status: 'failed',
              failure: { kind: 'bad_output', providerCode: null, message: `Luma generation ${taskId} completed without a video URL.` },
              costUsd: null,
            };
          }
          // Luma reports no cost: null makes generateClip record the price table's.
          return { status: 'succeeded', outputUrl: video, costUsd: null };
        }
        case 'failed':
          // Luma refunds failed generations (PROVIDERS.md).
          return { status: 'failed', failure: mapLumaFailure(generation.failure_reason), costUsd: 0 };
        default:
          throw new ProviderError(`Luma GET /generations/${taskId} returned an unknown state ${JSON.stringify(generation.state)}.`, {
            code: 'RW_PROVIDER_HTTP',
            retryable: true,
          });
      }
    },

    async cancel(taskId, signal) {
      try {
        await withCallSignal(signal, (s) => client.generations.delete(taskId, { signal: s }));
      } catch (error) {
        throw mapLumaError(error, `DELETE /generations/${taskId}`);
      }
    },
  };
  return provider;
}
