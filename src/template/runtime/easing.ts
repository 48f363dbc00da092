/** An easing function maps progress 0..1 to eased progress (usually 0..1). */
export type EasingFunction = (t: number) => number;

function bezier(x1: number, y1: number, x2: number, y2: number): EasingFunction {
  // Cubic Bézier with P0=(0,0), P3=(1,1); solve x(s)=t for s by Newton then bisection.
  const cx = 3 * x1;
  const bx = 3 * (x2 - x1) - cx;
  const ax = 1 - cx - bx;
  const cy = 3 * y1;
  const by = 3 * (y2 - y1) - cy;
  const ay = 1 - cy - by;
  const sampleX = (s: number) => ((ax * s + bx) * s + cx) * s;
  const sampleY = (s: number) => ((ay * s + by) * s + cy) * s;
  const slopeX = (s: number) => (3 * ax * s + 2 * bx) * s + cx;
  const solve = (t: number): number => {
    let s = t;
    for (let i = 0; i < 8; i++) {
      const err = sampleX(s) - t;
      if (Math.abs(err) < 1e-7) return s;
      const d = slopeX(s);
      if (Math.abs(d) < 1e-6) break;
      s -= err / d;
    }
    let lo = 0;
    let hi = 1;
    s = t;
    while (lo < hi) {
      const x = sampleX(s);
      if (Math.abs(x - t) < 1e-7) return s;
      if (t > x) lo = s;
      else hi = s;
      s = (lo + hi) / 2;
      if (hi - lo < 1e-9) break;
    }
    return s;
  };
  return (t) => (t <= 0 ? 0 : t >= 1 ? 1 : sampleY(solve(t)));
}

/**
 * Easing functions for `interpolate`. Compose with `in`, `out`, `inOut`.
 * @example interpolate(frame, [0, 30], [0, 1], { easing: Easing.out(Easing.cubic) })
 */
export const Easing = {
  linear: ((t) => t) as EasingFunction,
  quad: ((t) => t * t) as EasingFunction,
  cubic: ((t) => t * t * t) as EasingFunction,
  sin: ((t) => 1 - Math.cos((t * Math.PI) / 2)) as EasingFunction,
  circle: ((t) => 1 - Math.sqrt(1 - t * t)) as EasingFunction,
  exp: ((t) => (t === 0 ? 0 : Math.pow(2, 10 * (t - 1)))) as EasingFunction,
  /** `poly(n)`: t^n. */
  poly: (n: number): EasingFunction => (t) => Math.pow(t, n),
  /** Overshoots backwards before moving forward. */
  back: (s = 1.70158): EasingFunction => (t) => t * t * ((s + 1) * t - s),
  elastic: (bounciness = 1): EasingFunction => {
    const p = bounciness * Math.PI;
    return (t) => 1 - Math.pow(Math.cos((t * Math.PI) / 2), 3) * Math.cos(t * p);
  },
  bounce: ((t) => {
    if (t < 1 / 2.75) return 7.5625 * t * t;
    if (t < 2 / 2.75) return 7.5625 * (t -= 1.5 / 2.75) * t + 0.75;
    if (t < 2.5 / 2.75) return 7.5625 * (t -= 2.25 / 2.75) * t + 0.9375;
    return 7.5625 * (t -= 2.625 / 2.75) * t + 0.984375;
  }) as EasingFunction,
  /** CSS-style cubic Bézier, e.g. `bezier(0.25, 0.1, 0.25, 1)` for CSS `ease`. */
  bezier,
  ease: bezier(0.25, 0.1, 0.25, 1),
  in: (easing: EasingFunction): EasingFunction => easing,
  out: (easing: EasingFunction): EasingFunction => (t) => 1 - easing(1 - t),
  inOut: (easing: EasingFunction): EasingFunction => (t) => (t < 0.5 ? easing(t * 2) / 2 : 1 - easing((1 - t) * 2) / 2),
};
