import type { ClipFrameSet, PageInit } from '../render/index.js';
import type { PreviewClips } from './create-preview-clips.js';
import { planRow } from './plan-row.js';
import type { PlanRowOptions } from './plan-row.js';
import type { PrepareRowResponse, StudioClip, StudioProblem } from './types.js';

/** Options of `prepareRow`: those of `planRow` (prices and request checks come from `clips`), plus where files are served from. */
export type PrepareRowOptions = Omit<PlanRowOptions, 'priceOf' | 'validateRequest'> & {
  clips: PreviewClips;
  /** Downloads a remote image (http/https) with the run stage's limits; returns the local file. */
  fetchMedia: (url: string, signal: AbortSignal | null) => Promise<string>;
  /** The URL the preview page loads a local file or folder from (images, clips, frame folders). */
  urlOf: (file: string) => string;
  /** How the API names a local file (relative to the project). */
  refOf: (file: string) => string;
  signal?: AbortSignal | null;
};

/**
 * Turns one row (the form's cells) into exactly what the renderer gives the page for it (`PageInit`): the row
 * planned by `planRow` (the CLI's validation, the planner's clip ids), each B-roll slot's clip from the cache (or
 * the free local clip or placeholder, see `createPreviewClips`) decoded into frames at the variant's size and the
 * template's fps, and local image paths turned into URLs the page can load. A row that breaks a rule comes back
 * with `ok: false` and its problems; nothing is generated for it.
 *
 * @example
 * const result = await prepareRow({ template, templateHash, variant: 'landscape', cells, line: 2, index: 0, … });
 * if (result.ok) await iframe.contentWindow.__reelwright.init(result.init);
 * @see planRow
 */
export async function prepareRow(options: PrepareRowOptions): Promise<PrepareRowResponse> {
  const { template, line, fileLabel } = options;
  const signal = options.signal ?? null;
  const planned = await planRow({ ...options, signal, priceOf: (request) => options.clips.estimate(request).estimate, validateRequest: options.clips.validate });
  const failed = (problems: StudioProblem[], rowKey: string | null): PrepareRowResponse => ({ ok: false, problems, rowKey, init: null, durationInFrames: null, clips: [] });
  if (!planned.ok) return failed(planned.problems, planned.rowKey);
  const { values, job, plan, size } = planned;

  const props: Record<string, unknown> = { ...values };
  const problems: StudioProblem[] = [];
  for (const slot of planned.imageSlots) {
    const value = values[slot];
    if (typeof value !== 'string') continue;
    if (/^https?:\/\//i.test(value)) {
      try {
        props[slot] = options.urlOf(await options.fetchMedia(value, signal));
      } catch (error) {
        const message = (error as Error).message;
        problems.push({ slot, column: null, rule: 'image', message, text: `${fileLabel} line ${line}, slot "${slot}": ${message}` });
      }
    } else if (value.startsWith('/') || /^[A-Za-z]:[\\/]/.test(value)) {
      // The dataset stage resolved (and confined) a local image path; the page loads it over HTTP.
      props[slot] = options.urlOf(value);
    }
    // Anything else is the template's own asset (an image default), already relative to its bundle.
  }
  if (problems.length > 0) return failed(problems, planned.rowKey);

  const clipFrames: Record<string, ClipFrameSet> = {};
  const clips: StudioClip[] = [];
  for (const [slot, clipId] of Object.entries(job.clips)) {
    const clip = plan.clips.find((candidate) => candidate.clipId === clipId);
    if (!clip) continue;
    const prepared = await options.clips.prepare({
      clipId,
      request: clip.request,
      cached: clip.status === 'cached',
      fps: template.fps,
      width: size.width,
      height: size.height,
      signal,
    });
    const url = options.urlOf(prepared.file);
    props[slot] = url;
    clipFrames[url] = { urlPrefix: `${options.urlOf(prepared.framesDir)}/`, count: prepared.count, fps: template.fps };
    clips.push({
      slot,
      clipId,
      status: prepared.status,
      provider: clip.request.provider,
      model: clip.request.model,
      prompt: clip.request.prompt,
      seconds: clip.request.seconds,
      estimate: prepared.estimate,
      file: options.refOf(prepared.file),
      framesDir: options.refOf(prepared.framesDir),
    });
  }

  const init: PageInit = {
    props,
    config: { width: size.width, height: size.height, fps: template.fps, durationInFrames: planned.durationInFrames, variant: job.variant },
    clipFrames,
    randomSeed: planned.rowKey,
  };
  return { ok: true, problems: [], rowKey: planned.rowKey, init, durationInFrames: planned.durationInFrames, clips };
}
