import RunwayML from '@runwayml/sdk';
import type { ImageToVideoCreateParams, TextToVideoCreateParams } from '@runwayml/sdk/resources';
import { ConfigError, assertNever, throwIfAborted } from '../../errors/index.js';
import type { CancellableClipProvider, ResolveInputImage } from '../adapter-types.js';
import { DEFAULT_PRICE_TABLE, priceFromTable } from '../price-table.js';
import type { PriceTable } from '../price-table.js';
import type { ClipRequest, CostEstimate, SubmittedTask, TaskState } from '../types.js';
import { withCallSignal } from '../with-call-signal.js';
import { mapRunwayError, mapRunwayFailure } from './map-runway-failure.js';
import { RUNWAY_MODELS, RUNWAY_PROMPT_MAX, runwayRatio } from './runway-models.js';

/** Runway's default model: text→video and image→video, 2–10 s. */
export const DEFAULT_RUNWAY_MODEL = 'gen4.5';
/** Per-request HTTP timeout. */
export const DEFAULT_RUNWAY_TIMEOUT_MS = 60_000;
/** One Runway credit in USD (PROVIDERS.md). */
export const RUNWAY_CREDIT_USD = 0.01;

/** Options for `createRunwayProvider`. */
export type CreateRunwayProviderOptions = {
  /** `RUNWAYML_API_SECRET`. Kept inside the SDK client; never put in messages or records. */
  apiKey: string;
  /** API base URL (a mock server, a reseller); null for Runway's default `https://api.dev.runwayml.com`. */
  baseURL?: string | null;
  /** Per-request timeout in ms (default `DEFAULT_RUNWAY_TIMEOUT_MS`). */
  timeoutMs?: number;
  /** List prices for `estimateCost` (default: the shipped table). */
  priceTable?: PriceTable;
  /** Resolves `inputImageHash` to a data URI or https URL; required for image→video requests. */
  resolveInputImage?: ResolveInputImage | null;
};

const credits = (value: { credits?: number } | null | undefined): number | null =>
  value && typeof value.credits === 'number' && Number.isFinite(value.credits) ? value.credits * RUNWAY_CREDIT_USD : null;

/**
 * The Runway adapter over `@runwayml/sdk`. SDK retries are off (`maxRetries: 0`) for every call:
 * a retried create can bill twice, so `generateClip` does all retrying where the journal sees it.
 *
 * @example
 * const runway = createRunwayProvider({ apiKey: process.env.RUNWAYML_API_SECRET!, baseURL: process.env.RUNWAYML_BASE_URL });
 * @see ../../../../shared/PROVIDERS.md
 */
export function createRunwayProvider(options: CreateRunwayProviderOptions): CancellableClipProvider {
  if (typeof options.apiKey !== 'string' || options.apiKey.length === 0) {
    throw new ConfigError('Runway needs an API key: set RUNWAYML_API_SECRET.', { code: 'RW_PROVIDER_KEY_MISSING' });
  }
  const timeoutMs = options.timeoutMs ?? DEFAULT_RUNWAY_TIMEOUT_MS;
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1) {
    throw new ConfigError(`options.timeoutMs must be a whole number of milliseconds ≥ 1, got ${String(timeoutMs)}.`, { code: 'RW_CONFIG_INVALID' });
  }
  const client = new RunwayML({
    apiKey: options.apiKey,
    // The SDK reads RUNWAYML_BASE_URL itself when this is undefined; pass what the caller resolved.
    baseURL: options.baseURL ?? undefined,
    maxRetries: 0,
    timeout: timeoutMs,
    // Only log/ may write to the console.
    logLevel: 'off',
  });
  const priceTable = options.priceTable ?? DEFAULT_PRICE_TABLE;
  const resolveInputImage = options.resolveInputImage ?? null;

  const invalid = (request: ClipRequest, what: string): never => {
    throw new ConfigError(`Runway clip request (model "${request.model}"): ${what}`, { code: 'RW_CLIP_INVALID_REQUEST' });
  };

  const provider: CancellableClipProvider = {
    id: 'runway',
    defaultModel: DEFAULT_RUNWAY_MODEL,

    validateRequest(request) {
      const spec = RUNWAY_MODELS[request.model];
      if (!spec) invalid(request, `unknown model. Allowed: ${Object.keys(RUNWAY_MODELS).join(', ')}.`);
      const model = spec!;
      const imageMode = request.inputImageHash !== null;
      if (imageMode && !model.imageToVideo) invalid(request, 'does not take an input image.');
      if (!imageMode && !model.textToVideo) {
        invalid(request, `needs an input image (image→video only). Use ${Object.entries(RUNWAY_MODELS).filter(([, s]) => s.textToVideo).map(([m]) => m).join(' or ')} for text→video.`);
      }
      if (imageMode && !resolveInputImage) invalid(request, 'has an input image but the Runway provider was built without resolveInputImage.');
      if (!Number.isInteger(request.seconds) || !model.durations.includes(request.seconds)) {
        invalid(request, `seconds must be one of ${model.durations.join(', ')}, got ${request.seconds}.`);
      }
      if (request.resolution !== null && !model.resolutions.includes(request.resolution)) {
        invalid(request, `resolution must be ${model.resolutions.join(' or ')} (or unset), got "${request.resolution}".`);
      }
      const ratio = runwayRatio(request.aspect, request.resolution);
      const ratios = imageMode ? model.imageRatios : model.textRatios;
      if (!ratios.includes(ratio)) {
        invalid(request, `aspect ${request.aspect} (ratio ${ratio}) is not available for ${imageMode ? 'image' : 'text'}→video. Allowed ratios: ${ratios.join(', ')}.`);
      }
      const prompt = request.prompt.trim();
      if (!imageMode && prompt.length === 0) invalid(request, 'the prompt is empty; text→video needs a prompt.');
      if (request.prompt.length > RUNWAY_PROMPT_MAX) {
        invalid(request, `the prompt has ${request.prompt.length} characters; Runway allows at most ${RUNWAY_PROMPT_MAX}. Shorten the slot's prompt.`);
      }
      if (request.seed !== null && (!Number.isInteger(request.seed) || request.seed < 0 || request.seed > 4_294_967_295)) {
        invalid(request, `seed must be a whole number from 0 to 4294967295, got ${request.seed}.`);
      }
      for (const [key, value] of Object.entries(request.params)) {
        if (!model.params.includes(key)) {
          invalid(request, `unknown param "${key}". ${model.params.length ? `Allowed: ${model.params.join(', ')}.` : 'This model takes no params.'}`);
        }
        if (key === 'audio' && typeof value !== 'boolean') invalid(request, `param "audio" must be true or false, got ${JSON.stringify(value)}.`);
      }
      // A missing price fails here, before any spend, rather than after a paid call.
      provider.estimateCost(request);
    },

    estimateCost(request): CostEstimate {
      return priceFromTable({
        table: priceTable,
        provider: 'runway',
        model: request.model,
        resolution: request.resolution ?? '720p',
        seconds: request.seconds,
        params: request.params,
      });
    },

    // No findSubmitted: Runway has no list-tasks endpoint, so a timed-out create is retried blind (it can bill twice).
    async submit(request, signal): Promise<SubmittedTask> {
      throwIfAborted(signal);
      const ratio = runwayRatio(request.aspect, request.resolution);
      const seed = request.seed ?? undefined;
      const audio = typeof request.params['audio'] === 'boolean' ? request.params['audio'] : undefined;
      const isVeo = request.model.startsWith('veo');
      try {
        if (request.inputImageHash !== null) {
          if (!resolveInputImage) throw new ConfigError('Runway image→video needs resolveInputImage.', { code: 'RW_CLIP_INVALID_REQUEST' });
          const promptImage = await resolveInputImage(request.inputImageHash, signal);
          const body = {
            model: request.model,
            promptImage,
            ...(request.prompt.trim() ? { promptText: request.prompt } : {}),
            ratio,
            duration: request.seconds,
            ...(seed !== undefined ? { seed } : {}),
            // Veo bills audio at twice the rate; ask for it only when the slot does.
            ...(isVeo ? { audio: audio ?? false } : {}),
          } as ImageToVideoCreateParams;
          const created = await withCallSignal(signal, (s) => client.imageToVideo.create(body, { signal: s }));
          return { taskId: created.id, estimatedCostUsd: credits(created.estimatedCost) };
        }
        const body = {
          model: request.model,
          promptText: request.prompt,
          ratio,
          duration: request.seconds,
          ...(seed !== undefined ? { seed } : {}),
          ...(isVeo ? { audio: audio ?? false } : {}),
        } as TextToVideoCreateParams;
        const created = await withCallSignal(signal, (s) => client.textToVideo.create(body, { signal: s }));
        return { taskId: created.id, estimatedCostUsd: credits(created.estimatedCost) };
      } catch (error) {
        throw mapRunwayError(error, request.inputImageHash !== null ? 'POST /v1/image_to_video' : 'POST /v1/text_to_video');
      }
    },

    async poll(taskId, signal): Promise<TaskState> {
      throwIfAborted(signal);
      let task: Awaited<ReturnType<typeof client.tasks.retrieve>>;
      try {
        task = await withCallSignal(signal, (s) => client.tasks.retrieve(taskId, { signal: s }));
      } catch (error) {
        throw mapRunwayError(error, `GET /v1/tasks/${taskId}`);
      }
      switch (task.status) {
        case 'PENDING':
          return { status: 'pending' };
        case 'THROTTLED':
          return { status: 'throttled' };
        case 'RUNNING':
          return { status: 'running', progress: typeof task.progress === 'number' ? task.progress : null };
        case 'SUCCEEDED': {
          const outputUrl = task.output[0];
          if (!outputUrl) {
            const failure = { kind: 'bad_output' as const, providerCode: null, message: `Runway task ${taskId} reported success without an output URL.` };
            return { status: 'failed', failure, costUsd: credits(task.cost) };
          }
          return { status: 'succeeded', outputUrl, costUsd: credits(task.cost) };
        }
        case 'FAILED':
          return {
            status: 'failed',
            failure: mapRunwayFailure({ failureCode: task.failureCode, failure: task.failure }),
            costUsd: credits(task.cost),
          };
        case 'CANCELLED':
          return { status: 'cancelled' };
        default:
          return assertNever(task, 'Runway task status');
      }
    },

    async cancel(taskId, signal) {
      try {
        await withCallSignal(signal, (s) => client.tasks.delete(taskId, { signal: s }));
      } catch (error) {
        throw mapRunwayError(error, `DELETE /v1/tasks/${taskId}`);
      }
    },
  };
  return provider;
}
