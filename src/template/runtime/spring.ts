/** Physical parameters of a spring. */
export type SpringConfig = { damping: number; mass: number; stiffness: number };

/** Defaults: a lively spring that settles in about a second at 30 fps. */
export const DEFAULT_SPRING_CONFIG: SpringConfig = { damping: 10, mass: 1, stiffness: 100 };

/** Options for `spring`. */
export type SpringOptions = {
  frame: number;
  fps: number;
  from?: number;
  to?: number;
  config?: Partial<SpringConfig>;
  /** Frames to wait before the spring starts. */
  delay?: number;
};

/**
 * Position of a damped spring released at `from` towards `to`, at `frame`.
 * Closed-form (no stepping), so any frame can be computed alone and the result is deterministic.
 * @example const scale = spring({ frame, fps, config: { damping: 12 } });
 */
export function spring(options: SpringOptions): number {
  const from = options.from ?? 0;
  const to = options.to ?? 1;
  const { damping, mass, stiffness } = { ...DEFAULT_SPRING_CONFIG, ...options.config };
  const t = (options.frame - (options.delay ?? 0)) / options.fps;
  if (t <= 0) return from;
  const omega0 = Math.sqrt(stiffness / mass);
  const zeta = damping / (2 * Math.sqrt(stiffness * mass));
  const x0 = 1; // displacement from target, normalized
  let x: number;
  if (zeta < 1) {
    const omegaD = omega0 * Math.sqrt(1 - zeta * zeta);
    x = Math.exp(-zeta * omega0 * t) * (x0 * Math.cos(omegaD * t) + ((zeta * omega0 * x0) / omegaD) * Math.sin(omegaD * t));
  } else if (zeta === 1) {
    x = Math.exp(-omega0 * t) * (x0 + omega0 * x0 * t);
  } else {
    const r1 = -omega0 * (zeta - Math.sqrt(zeta * zeta - 1));
    const r2 = -omega0 * (zeta + Math.sqrt(zeta * zeta - 1));
    const c2 = (r1 * x0) / (r1 - r2);
    const c1 = x0 - c2;
    x = c1 * Math.exp(r1 * t) + c2 * Math.exp(r2 * t);
  }
  return to + (from - to) * x;
}
