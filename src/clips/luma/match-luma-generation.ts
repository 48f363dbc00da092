import type LumaAI from 'lumaai';
import type { GenerationCreateParams } from 'lumaai/resources/generations/generations';

/** How far Luma's `created_at` may be behind our clock and still count as "after the create call". */
export const LUMA_CLOCK_SKEW_MS = 60_000;

/** Options for `matchLumaGeneration`. */
export type MatchLumaGenerationOptions = {
  /** Generations as `GET /generations` lists them (newest first). */
  generations: readonly LumaAI.Generation[];
  /** The body our create call sent (`POST /generations/video`). */
  body: GenerationCreateParams;
  /** When the create call was made (ms since the epoch); `created_at` must be ≥ this − `skewMs`. */
  sinceMs: number;
  /** Generation ids never to return (earlier attempts of the same clip). */
  excludeIds?: readonly string[];
  /** Clock-skew allowance (default `LUMA_CLOCK_SKEW_MS`). */
  skewMs?: number;
};

type SentRequest = {
  model?: unknown;
  prompt?: unknown;
  aspect_ratio?: unknown;
  duration?: unknown;
  resolution?: unknown;
  loop?: unknown;
  keyframes?: { frame0?: { url?: unknown } | null } | null;
};

/**
 * The id of the listed generation that our unanswered create call made, or null: same model,
 * prompt, aspect ratio, duration, resolution, loop and first-frame URL as `body`, created at or after
 * `sinceMs − skewMs`, not in `excludeIds`. When several match (an identical request made by someone
 * else at about the same time), the one created closest to `sinceMs` wins. Limit: an identical
 * request created by another run or process within the skew window looks the same as ours; only the
 * ids in `excludeIds` (this clip's earlier attempts in this call) are known not to be.
 *
 * @example
 * const id = matchLumaGeneration({ generations: page.generations, body, sinceMs: attemptStartedAt });
 */
export function matchLumaGeneration(options: MatchLumaGenerationOptions): string | null {
  const { body, sinceMs } = options;
  const from = sinceMs - (options.skewMs ?? LUMA_CLOCK_SKEW_MS);
  const exclude = new Set(options.excludeIds ?? []);
  const wantFrame0 = body.keyframes?.frame0 && 'url' in body.keyframes.frame0 ? body.keyframes.frame0.url : null;
  let best: { id: string; distance: number } | null = null;
  for (const generation of options.generations) {
    if (!generation.id || exclude.has(generation.id)) continue;
    if (generation.generation_type !== undefined && generation.generation_type !== 'video') continue;
    const createdAt = generation.created_at ? Date.parse(generation.created_at) : Number.NaN;
    if (!Number.isFinite(createdAt) || createdAt < from) continue;
    const sent = (generation.request ?? {}) as SentRequest;
    const model = sent.model ?? generation.model;
    if (model !== body.model || sent.prompt !== body.prompt) continue;
    if ((sent.aspect_ratio ?? '16:9') !== (body.aspect_ratio ?? '16:9')) continue;
    if (sent.duration !== body.duration || sent.resolution !== body.resolution) continue;
    if ((sent.loop ?? false) !== (body.loop ?? false)) continue;
    const frame0 = sent.keyframes?.frame0?.url ?? null;
    if (frame0 !== wantFrame0) continue;
    const distance = Math.abs(createdAt - sinceMs);
    if (!best || distance < best.distance) best = { id: generation.id, distance };
  }
  return best?.id ?? null;
}
