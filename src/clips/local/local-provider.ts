import { randomBytes } from 'node:crypto';
import { access, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CancelledError, ProviderError, ReelwrightError, throwIfAborted } from '../../errors/index.js';
import { normalizePrompt, toClipId } from '../clip-id.js';
import type { ClipId, ClipProvider, ClipRequest, CostEstimate, SubmittedTask, TaskState } from '../types.js';
import { generateLocalClip } from './generate-local-clip.js';

/** Model used when a slot names none. */
export const DEFAULT_LOCAL_MODEL = 'placeholder-v1';

/** Models the local provider knows; a new look gets a new model name, so cached clips stay valid. */
export const LOCAL_MODELS: readonly string[] = [DEFAULT_LOCAL_MODEL];

/** Longest clip the local provider makes, in seconds. */
export const LOCAL_MAX_SECONDS = 60;

/** Short side in pixels when `request.resolution` is null (720p). */
export const DEFAULT_LOCAL_SHORT_SIDE = 720;

/** Largest short side accepted through `request.resolution` (generation time grows with the pixels). */
const MAX_SHORT_SIDE = 1080;

/** Date of the local "price" (it has always been free). */
export const LOCAL_PRICE_DATE = '2026-11-25';

/** Options for `createLocalProvider`. */
export type CreateLocalProviderOptions = {
  /** Folder for generated clips (`local-<clipId>.mp4`) and their requests (`local-<clipId>.json`). Created on demand. */
  workDir: string;
};

const TASK_ID = /^local-([0-9a-f]{32})$/;

function invalid(request: ClipRequest, what: string): never {
  throw new ProviderError(`Local clip request (model "${request.model}"): ${what}`, { code: 'RW_CLIP_INVALID_REQUEST', retryable: false });
}

/**
 * The frame size of a local clip: `request.resolution` as `<short side>p` (`360p`, `720p`, `1080p`)
 * or `<width>x<height>`, else `DEFAULT_LOCAL_SHORT_SIDE` on the short side of the aspect
 * (16:9 → 1280x720, 9:16 → 720x1280, 1:1 → 720x720).
 */
function frameSize(request: ClipRequest): { width: number; height: number } {
  const resolution = request.resolution;
  const explicit = resolution === null ? null : /^(\d{2,4})x(\d{2,4})$/.exec(resolution);
  if (explicit) {
    const width = Number(explicit[1]);
    const height = Number(explicit[2]);
    const ok = (v: number) => v >= 64 && v <= 1920 && v % 2 === 0;
    if (!ok(width) || !ok(height)) invalid(request, `resolution "${resolution}": width and height must be even numbers from 64 to 1920.`);
    return { width, height };
  }
  const short = resolution === null ? DEFAULT_LOCAL_SHORT_SIDE : Number(/^(\d{2,4})p$/.exec(resolution)?.[1] ?? Number.NaN);
  if (!(short >= 64 && short <= MAX_SHORT_SIDE && short % 2 === 0)) {
    invalid(request, `resolution must be "<short side>p" (an even number from 64 to ${MAX_SHORT_SIDE}, e.g. "720p"), "<width>x<height>", or unset; got ${JSON.stringify(resolution)}.`);
  }
  const long = Math.round((short * 16) / 9 / 2) * 2;
  switch (request.aspect) {
    case '16:9':
      return { width: long, height: short };
    case '9:16':
      return { width: short, height: long };
    case '1:1':
      return { width: short, height: short };
    default:
      return invalid(request, `aspect must be 16:9, 9:16 or 1:1, got ${JSON.stringify(request.aspect)}.`);
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    // Absent (or unreadable): either way there is no usable clip there.
    return false;
  }
}

/** ffmpeg failures become `ProviderError`s (retryable unless ffmpeg is missing); cancellation passes through. */
function asProviderError(error: unknown, clipId: ClipId): unknown {
  if (error instanceof CancelledError || error instanceof ProviderError) return error;
  const code = error instanceof ReelwrightError ? error.code : 'RW_INTERNAL';
  const message = error instanceof Error ? error.message : String(error);
  return new ProviderError(`The local provider could not generate clip ${clipId}: ${message}`, {
    code: 'RW_LOCAL_GENERATION_FAILED',
    retryable: code !== 'RW_FFMPEG_MISSING',
    cause: error,
  });
}

/**
 * The built-in B-roll provider: no network, no key, free. It renders a placeholder clip with
 * ffmpeg — a moody, slowly drifting gradient with bokeh, a light sweep, vignette and grain, all
 * derived from the prompt and seed — so templates can be built and batches run end to end before
 * any money is spent. Same prompt and seed ⇒ byte-identical file (same ffmpeg build).
 *
 * `submit` generates the clip (the work happens there; it is fast) and returns the task id
 * `local-<clipId>`; `poll` answers `succeeded` with a `file:` URL, regenerating the file from the
 * saved request if it was deleted. `request.params` and `request.inputImageHash` are accepted and
 * ignored: the picture comes from prompt and seed only.
 *
 * @example
 * const local = createLocalProvider({ workDir: '.reelwright/local-clips' });
 * const { taskId } = await local.submit(request, signal);
 * const state = await local.poll(taskId, signal); // { status: 'succeeded', outputUrl: 'file:///…/local-….mp4', costUsd: 0 }
 * @see buildLocalClipGraph for the look
 */
export function createLocalProvider(options: CreateLocalProviderOptions): ClipProvider {
  if (typeof options.workDir !== 'string' || options.workDir.length === 0) {
    throw new ProviderError('createLocalProvider: options.workDir must be a folder path.', { code: 'RW_CLIP_INVALID_REQUEST', retryable: false });
  }
  const workDir = path.resolve(options.workDir);
  /** Generations in progress, so two submits of one clip share a single ffmpeg run. */
  const inFlight = new Map<ClipId, Promise<void>>();
  const clipFile = (clipId: ClipId) => path.join(workDir, `local-${clipId}.mp4`);
  const requestFile = (clipId: ClipId) => path.join(workDir, `local-${clipId}.json`);

  const validateRequest = (request: ClipRequest): void => {
    if (request.provider !== 'local') invalid(request, `provider must be "local", got ${JSON.stringify(request.provider)}.`);
    if (!LOCAL_MODELS.includes(request.model)) invalid(request, `unknown model. Allowed: ${LOCAL_MODELS.join(', ')}.`);
    if (typeof request.seconds !== 'number' || !Number.isFinite(request.seconds) || request.seconds <= 0 || request.seconds > LOCAL_MAX_SECONDS) {
      invalid(request, `seconds must be more than 0 and at most ${LOCAL_MAX_SECONDS}, got ${String(request.seconds)}. Shorten the slot's clip.`);
    }
    if (request.seed !== null && !Number.isSafeInteger(request.seed)) invalid(request, `seed must be a whole number or null, got ${String(request.seed)}.`);
    if (typeof request.prompt !== 'string') invalid(request, 'prompt must be a string.');
    frameSize(request);
  };

  /** Generates the clip unless its file exists; concurrent calls for one clip share the work. */
  const ensureClip = async (clipId: ClipId, request: ClipRequest, signal: AbortSignal | null): Promise<void> => {
    const file = clipFile(clipId);
    if (await exists(file)) return;
    let running = inFlight.get(clipId);
    if (!running) {
      const { width, height } = frameSize(request);
      running = generateLocalClip({ outFile: file, prompt: normalizePrompt(request.prompt), seed: request.seed, seconds: request.seconds, width, height, signal })
        .then(() => undefined)
        .finally(() => inFlight.delete(clipId));
      inFlight.set(clipId, running);
    }
    try {
      await running;
    } catch (error) {
      // Another caller's signal cancelled the shared run; ours has not fired, so run it again.
      if (error instanceof CancelledError && !signal?.aborted) return ensureClip(clipId, request, signal);
      throw asProviderError(error, clipId);
    }
  };

  /** Saves the request next to the clip so that `poll` can regenerate a deleted file. */
  const saveRequest = async (clipId: ClipId, request: ClipRequest): Promise<void> => {
    const target = requestFile(clipId);
    if (await exists(target)) return;
    const temp = `${target}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      await writeFile(temp, `${JSON.stringify(request)}\n`);
      await rename(temp, target);
    } finally {
      await rm(temp, { force: true });
    }
  };

  return {
    id: 'local',
    defaultModel: DEFAULT_LOCAL_MODEL,
    readyOnSubmit: true,
    validateRequest,

    estimateCost(): CostEstimate {
      return { usd: 0, source: 'local', date: LOCAL_PRICE_DATE };
    },

    async submit(request: ClipRequest, signal: AbortSignal | null): Promise<SubmittedTask> {
      validateRequest(request);
      throwIfAborted(signal);
      const clipId = toClipId(request);
      await mkdir(workDir, { recursive: true });
      await saveRequest(clipId, request);
      await ensureClip(clipId, request, signal);
      return { taskId: `local-${clipId}`, estimatedCostUsd: 0 };
    },

    async poll(taskId: string, signal: AbortSignal | null): Promise<TaskState> {
      throwIfAborted(signal);
      const match = TASK_ID.exec(taskId);
      if (!match) {
        throw new ProviderError(`The local provider has no task "${taskId}": local task ids look like local-<32 hex characters>.`, {
          code: 'RW_PROVIDER_NOT_FOUND',
          retryable: false,
        });
      }
      const clipId = match[1] as ClipId;
      if (!(await exists(clipFile(clipId)))) {
        let request: ClipRequest;
        try {
          request = JSON.parse(await readFile(requestFile(clipId), 'utf8')) as ClipRequest;
        } catch (error) {
          throw new ProviderError(
            `The local provider has no task "${taskId}" in ${workDir}: neither its clip nor its request is there (was the folder cleaned?). Submit the request again.`,
            { code: 'RW_PROVIDER_NOT_FOUND', retryable: false, cause: error },
          );
        }
        // Deterministic: regenerating gives the same bytes the first run produced.
        await ensureClip(clipId, request, signal);
      }
      return { status: 'succeeded', outputUrl: pathToFileURL(clipFile(clipId)).href, costUsd: 0 };
    },
  };
}
