import { createHash } from 'node:crypto';

/** Options for `buildLocalClipGraph`. */
export type BuildLocalClipGraphOptions = {
  /** Normalized prompt: decides palette, light and motion. */
  prompt: string;
  /** Seed (null = 0): a new seed gives a new variation of the same prompt's look. */
  seed: number | null;
  /** Output size in pixels (even). */
  width: number;
  height: number;
  /** Frames per second of the output. */
  fps: number;
  /** Clip length in seconds (the motion is paced to it). */
  seconds: number;
};

/** An ffmpeg `-filter_complex` graph with one output pad, `[out]`, and what it was built from. */
export type LocalClipGraph = {
  filterComplex: string;
  /** Seed for ffmpeg's grain (`noise` filter), derived from the same hash. */
  grainSeed: number;
  /** The palette, for tests and for debugging a look (`#rrggbb`). */
  palette: { stops: string[]; lights: string[] };
};

/**
 * The picture is composed at a quarter of the output size — soft, defocused content has no detail
 * that needs more — then scaled up. Generating at full size costs ~16× more for the same image.
 */
const COMPOSE_DIVISOR = 4;

/** Deterministic random numbers in [0, 1) from sha256 in counter mode over a key. */
function makeRandom(key: string): () => number {
  let block = Buffer.alloc(0);
  let offset = 0;
  let counter = 0;
  return () => {
    if (offset + 4 > block.length) {
      block = createHash('sha256').update(`${key}\0${counter++}`).digest();
      offset = 0;
    }
    const value = block.readUInt32BE(offset) / 0x1_0000_0000;
    offset += 4;
    return value;
  };
}

/** HSL (h in degrees, s and l in 0–1) to `0xRRGGBB`. */
function hsl(h: number, s: number, l: number): string {
  const hue = ((h % 360) + 360) % 360;
  const c = (1 - Math.abs(2 * l - 1)) * s;
  const x = c * (1 - Math.abs(((hue / 60) % 2) - 1));
  const m = l - c / 2;
  const [r, g, b] =
    hue < 60 ? [c, x, 0] : hue < 120 ? [x, c, 0] : hue < 180 ? [0, c, x] : hue < 240 ? [0, x, c] : hue < 300 ? [x, 0, c] : [c, 0, x];
  const hex = (v: number) => Math.round((v + m) * 255).toString(16).padStart(2, '0');
  return `0x${hex(r)}${hex(g)}${hex(b)}`;
}

/** A number for an ffmpeg expression: fixed decimals, so the graph text is stable. */
function num(value: number): string {
  return value.toFixed(4).replace(/\.?0+$/, '') || '0';
}

/**
 * Builds the ffmpeg filter graph of the local provider's placeholder B-roll: a slowly drifting
 * multi-stop gradient in a dark palette, out-of-focus bokeh discs and glows that float with a
 * little parallax, one soft light sweeping across, a vignette, and fine luma film grain. Every
 * choice (hues, positions, sizes, speeds) comes from sha256 of the prompt and the seed, so the same
 * request always gives the same graph, and the look reads as moody footage behind text rather
 * than a test pattern. Pure: no I/O.
 *
 * @example
 * const { filterComplex } = buildLocalClipGraph({ prompt: 'rainy neon street', seed: 7, width: 1280, height: 720, fps: 30, seconds: 5 });
 */
export function buildLocalClipGraph(options: BuildLocalClipGraphOptions): LocalClipGraph {
  const { width, height, fps, seconds } = options;
  const random = makeRandom(`placeholder-v1\0${options.prompt}\0${options.seed ?? 0}`);
  const between = (lo: number, hi: number) => lo + (hi - lo) * random();
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] ?? (items[0] as T);

  const w = Math.max(16, Math.round(width / COMPOSE_DIVISOR));
  const h = Math.max(16, Math.round(height / COMPOSE_DIVISOR));
  const short = Math.min(w, h);
  const rate = String(fps);

  // Palette: a dark base hue, a neighbouring hue for the one colourful band or glow, pale lights.
  // Accents stay within ±25–70° of the base (or a muted complement): harmonious, never a test chart.
  const hue = between(0, 360);
  const complement = random() < 0.2;
  const accentHue = complement ? hue + 180 + between(-20, 20) : hue + (random() < 0.5 ? -1 : 1) * between(25, 70);
  const dark = hsl(hue, between(0.5, 0.7), between(0.045, 0.07));
  const deep = hsl(hue + between(-12, 12), between(0.45, 0.65), between(0.08, 0.12));
  const mid = hsl(hue + between(8, 25), between(0.45, 0.65), between(0.15, 0.21));
  const accent = hsl(accentHue, complement ? between(0.3, 0.45) : between(0.45, 0.65), between(0.26, 0.34));
  const lights = [
    hsl(accentHue + between(-15, 15), between(0.3, 0.55), between(0.74, 0.84)),
    hsl(hue + between(-20, 20), between(0.3, 0.5), between(0.72, 0.82)),
    hsl(between(25, 45), between(0.45, 0.65), between(0.72, 0.8)),
  ];

  const filters: string[] = [];
  // Base: gradients rotates its axis around the frame centre by `speed` radians per frame
  // (~0.4–0.9 rad over a 5 s clip). Endpoints must lie inside the frame: ffmpeg 5.1 replaces a
  // coordinate < 0 or ≥ the frame size with a random one.
  const speed = between(0.08, 0.18) / fps;
  const clampX = (x: number) => Math.min(w - 1, Math.max(0, Math.round(x)));
  const clampY = (y: number) => Math.min(h - 1, Math.max(0, Math.round(y)));
  let stops: string[];
  let axis: string;
  let type: 'linear' | 'radial';
  if (random() < 0.65) {
    // Linear: a broad band of accent light across the frame, dark at both ends.
    type = 'linear';
    stops = [dark, mid, accent, deep, dark];
    const angle = between(0, Math.PI);
    const dx = (w / 2) * Math.cos(angle);
    const dy = (h / 2) * Math.sin(angle);
    axis = `x0=${clampX(w / 2 - dx)}:y0=${clampY(h / 2 - dy)}:x1=${clampX(w / 2 + dx)}:y1=${clampY(h / 2 + dy)}`;
  } else {
    // Radial: a soft glow around an off-centre point, falling off into the dark.
    type = 'radial';
    stops = [accent, hsl(accentHue + between(-10, 10), between(0.4, 0.55), between(0.2, 0.26)), mid, deep, dark];
    const cx = between(0.25, 0.75) * w;
    const cy = between(0.2, 0.7) * h;
    axis = `x0=${clampX(cx)}:y0=${clampY(cy)}:x1=${cx < w / 2 ? w - 1 : 0}:y1=${cy < h / 2 ? h - 1 : 0}`;
  }
  filters.push(
    `gradients=s=${w}x${h}:r=${rate}:${stops.map((c, i) => `c${i}=${c}`).join(':')}:n=${stops.length}:${axis}` +
      `:type=${type}:speed=${num(speed)}:seed=${Math.floor(random() * 1e9)},format=gbrp[base]`,
  );

  let layer = 'base';
  let next = 0;
  const overlay = (source: string, size: number, x: string, y: string) => {
    const name = `s${next}`;
    const out = `o${next}`;
    next++;
    filters.push(`${source}[${name}]`);
    filters.push(`[${layer}][${name}]overlay=x='${x}-${num(size / 2)}':y='${y}-${num(size / 2)}':eval=frame:format=gbrp[${out}]`);
    layer = out;
  };
  /** A round light of diameter `size`: a flat disc with a soft rim (bokeh) or a plain falloff (glow). */
  const light = (size: number, color: string, alpha: number, kind: 'disc' | 'glow') => {
    const s = Math.max(4, Math.round(size));
    const r = Math.round(s / 2);
    const ring =
      kind === 'disc'
        ? `c0=${color}@${num(alpha)}:c1=${color}@${num(alpha * 0.92)}:c2=${color}@${num(alpha * 0.7)}:c3=${color}@0:n=4`
        : `c0=${color}@${num(alpha)}:c1=${color}@${num(alpha * 0.35)}:c2=${color}@0:n=3`;
    return { source: `gradients=s=${s}x${s}:r=${rate}:${ring}:x0=${r}:y0=${r}:x1=${r}:y1=0:type=radial:speed=0.00001`, size: s };
  };

  // One wide soft light sweeping across the frame over the clip's length.
  const sweep = light(short * between(1.2, 1.8), pick(lights), between(0.14, 0.22), 'glow');
  const fromLeft = random() < 0.5;
  const sweepStart = fromLeft ? between(-0.1, 0.2) : between(0.8, 1.1);
  const sweepTravel = (fromLeft ? 1 : -1) * between(0.35, 0.6);
  overlay(sweep.source, sweep.size, `${num(w)}*(${num(sweepStart)}+${num(sweepTravel / seconds)}*t)`, `${num(h * between(0.1, 0.6))}+${num(h * 0.05)}*sin(t*0.4)`);

  // Bokeh: big discs are closer, fainter and drift faster (parallax); small ones are crisper.
  const discs = 5 + Math.floor(random() * 4);
  for (let i = 0; i < discs; i++) {
    const depth = random();
    const kind = random() < 0.75 ? 'disc' : 'glow';
    const d = light(short * (0.07 + 0.28 * depth), pick(lights), (kind === 'disc' ? 0.42 : 0.5) - 0.24 * depth, kind);
    const cx = between(-0.05, 1.05) * w;
    const cy = between(0.05, 0.95) * h;
    const drift = (0.3 + depth) * short;
    const ax = num(drift * between(0.04, 0.12));
    const ay = num(drift * between(0.03, 0.08));
    const vx = num(drift * between(-0.03, 0.03));
    const vy = num(drift * between(-0.02, 0.01));
    const f1 = num(between(0.15, 0.45));
    const f2 = num(between(0.12, 0.4));
    const p1 = num(between(0, 6.28));
    const p2 = num(between(0, 6.28));
    overlay(d.source, d.size, `${num(cx)}+${ax}*sin(t*${f1}+${p1})+${vx}*t`, `${num(cy)}+${ay}*cos(t*${f2}+${p2})+${vy}*t`);
  }

  // Vignette and grain: grain at half size, scaled up, reads as film grain instead of digital noise.
  const grainSeed = Math.floor(random() * 2_000_000_000);
  filters.push(
    `[${layer}]vignette=angle=${num(between(0.7, 0.85))},` +
      `scale=${Math.round(width / 2)}:${Math.round(height / 2)}:flags=bicubic:out_color_matrix=bt709:out_range=tv,format=yuv420p,` +
      `noise=c0s=6:c0f=t:c0_seed=${grainSeed},` +
      `scale=${width}:${height}:flags=bicubic,setsar=1,format=yuv420p[out]`,
  );
  return { filterComplex: filters.join(';'), grainSeed, palette: { stops: stops.map((c) => `#${c.slice(2)}`), lights: lights.map((c) => `#${c.slice(2)}`) } };
}
