import type { ClipAspect } from '../template/index.js';

const ASPECTS: readonly [ClipAspect, number][] = [
  ['16:9', 16 / 9],
  ['1:1', 1],
  ['9:16', 9 / 16],
];

/** Options of `aspectOfSize`. */
export type AspectOfSizeOptions = { width: number; height: number };

/**
 * The clip aspect closest to a frame size (compared as log ratios, so 4:5 → 1:1, 21:9 → 16:9):
 * what a B-roll slot without its own `aspect` asks for in that variant.
 *
 * @example
 * aspectOfSize({ width: 1080, height: 1920 }); // '9:16'
 */
export function aspectOfSize(options: AspectOfSizeOptions): ClipAspect {
  const ratio = Math.log(options.width / options.height);
  let best = ASPECTS[0] as [ClipAspect, number];
  for (const candidate of ASPECTS) if (Math.abs(Math.log(candidate[1]) - ratio) < Math.abs(Math.log(best[1]) - ratio)) best = candidate;
  return best[0];
}
