import type { EasingFunction } from './easing.js';

/** What happens outside the input range: `clamp` holds the end value, `extend` keeps the slope, `identity` returns the input. */
export type Extrapolate = 'clamp' | 'extend' | 'identity';

/** Options for `interpolate`. */
export type InterpolateOptions = {
  /** Applied to each segment's progress. Default: linear. */
  easing?: EasingFunction;
  /** Default `clamp`: a template value rarely wants to run past its keyframes. */
  extrapolateLeft?: Extrapolate;
  extrapolateRight?: Extrapolate;
};

/**
 * Maps `input` from `inputRange` to `outputRange` (both the same length ≥ 2, input strictly increasing).
 * @example const opacity = interpolate(frame, [0, 20], [0, 1]);
 */
export function interpolate(input: number, inputRange: readonly number[], outputRange: readonly number[], options: InterpolateOptions = {}): number {
  if (inputRange.length !== outputRange.length || inputRange.length < 2) {
    throw new Error(`interpolate(): inputRange and outputRange must have the same length (≥ 2), got ${inputRange.length} and ${outputRange.length}.`);
  }
  for (let i = 1; i < inputRange.length; i++) {
    if (!((inputRange[i] as number) > (inputRange[i - 1] as number))) {
      throw new Error(`interpolate(): inputRange must be strictly increasing, got [${inputRange.join(', ')}].`);
    }
  }
  if (Number.isNaN(input)) return outputRange[0] as number;
  const easing = options.easing ?? ((t: number) => t);
  const left = options.extrapolateLeft ?? 'clamp';
  const right = options.extrapolateRight ?? 'clamp';
  let i = 1;
  while (i < inputRange.length - 1 && input > (inputRange[i] as number)) i++;
  const inMin = inputRange[i - 1] as number;
  const inMax = inputRange[i] as number;
  const outMin = outputRange[i - 1] as number;
  const outMax = outputRange[i] as number;
  if (input < inMin) {
    if (left === 'clamp') return outMin;
    if (left === 'identity') return input;
  }
  if (input > inMax) {
    if (right === 'clamp') return outMax;
    if (right === 'identity') return input;
  }
  const t = (input - inMin) / (inMax - inMin);
  const eased = t >= 0 && t <= 1 ? easing(t) : t;
  return outMin + (outMax - outMin) * eased;
}
