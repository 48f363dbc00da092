/**
 * my-template — a starter made by `reelwright new`. Edit anything: it is your template now.
 *
 * A template is a React component plus a list of slots. Every slot is one column of your dataset
 * (CSV, JSON, NDJSON): reelwright checks each row against the slots, then renders one MP4 per row.
 *
 * Timeline (4 s at 30 fps; times in seconds, turned into frames with the video's fps):
 *   0.0–0.6  the backdrop glow, two accent rings and the logo (or a monogram) spring in.
 *   0.3–1.2  "Hello," and the name rise into place.
 *   0.8–1.4  the accent bar grows under the name.
 *   1.0–1.4  the tagline fades in (inside a <Sequence>).
 *   1.5–4.0  hold: the springs have settled and nothing moves.
 *
 * The hold is free: when a frame looks exactly like the one before, the renderer reuses the captured
 * image instead of capturing it again, so still stretches cost almost nothing to render.
 * (A playing B-roll clip changes every frame, so no frame is reused while it plays.)
 *
 * Rules that keep every render identical for the same row: draw everything from the frame number
 * (useCurrentFrame), never from CSS animations, timers, Date or Math.random.
 */
import {
  AbsoluteFill,
  // @broll-begin
  BRoll,
  // @broll-end
  Img,
  Sequence,
  defineTemplate,
  interpolate,
  spring,
  useCurrentFrame,
  useVideoConfig,
  type SlotMap,
  type SlotProps,
} from 'reelwright';

/**
 * The slots: one per dataset column. The component receives each value already checked and typed
 * (a misspelled slot name fails `tsc`). README "Template reference" lists every kind and option.
 */
const slots = {
  // Required text: a row without a name is reported by `reelwright validate` and skipped by `render`.
  name: { kind: 'text', maxLength: 40, label: 'Name', description: 'Who the video is for.' },
  // A colour with a default: an empty cell gets the default. Cells look like #4f46e5 or #46e.
  accent: { kind: 'color', default: '#4f46e5', label: 'Accent colour' },
  // Optional image: an https:// URL or a path relative to the dataset file. Empty → a monogram.
  logo: { kind: 'image', optional: true, label: 'Logo', description: 'PNG, JPEG, WebP or SVG; leave empty for a monogram.' },
  // @broll-begin
  // Fills the B-roll prompt below.
  city: { kind: 'text', maxLength: 60, label: 'City' },
  // AI B-roll: {{city}} is replaced by each row's value. The free `local` provider makes a placeholder
  // clip with ffmpeg (no API key); switch to provider 'runway' or 'luma' (and a model) for real footage.
  // Identical prompts are generated once and cached: `reelwright plan` shows what is new and what it costs.
  background: { kind: 'broll', prompt: 'Slow cinematic aerial footage of {{city}} at dusk, soft light', seconds: 5, provider: 'local' },
  // @broll-end
} as const satisfies SlotMap;

type Props = SlotProps<typeof slots>;

/** DejaVu Sans is installed with reelwright (fonts-dejavu-core); other scripts fall back per letter. */
const FONT = "'DejaVu Sans', sans-serif";

/** `#rrggbb` + alpha → `rgba(…)`. Colour slots always arrive as `#rrggbb`. */
function withAlpha(hex: string, alpha: number): string {
  const value = Number.parseInt(hex.slice(1), 16);
  return `rgba(${(value >> 16) & 255}, ${(value >> 8) & 255}, ${value & 255}, ${alpha})`;
}

/** The tagline, shown from its <Sequence>'s start: inside it, useCurrentFrame() counts from 0. */
function Tagline({ size }: { size: number }) {
  const frame = useCurrentFrame();
  const { fps } = useVideoConfig();
  const opacity = interpolate(frame, [0, 0.4 * fps], [0, 1]);
  return <div style={{ marginTop: size * 1.2, fontSize: size, color: 'rgba(255,255,255,0.72)', opacity }}>Made for you with reelwright.</div>;
}

function Starter(props: Props) {
  const { name, accent, logo } = props;
  const frame = useCurrentFrame();
  const { fps, width, height, variant } = useVideoConfig();
  // One component, two layouts: the variant (or the aspect ratio) decides sizes.
  const vertical = variant === 'vertical' || height > width;
  const unit = Math.min(width, height) / 720; // 1 at 1280×720 and 720×1280
  const nameSize = Math.round((vertical ? 84 : 96) * unit);

  // interpolate: map a frame range to a value range (clamped at both ends by default).
  const glow = interpolate(frame, [0, 0.6 * fps], [0, 1]);
  // spring: a damped spring from 0 to 1, starting `delay` frames in (closed form, so deterministic).
  const logoIn = spring({ frame, fps, delay: 0.1 * fps, config: { damping: 14, stiffness: 160 } });
  const helloIn = spring({ frame, fps, delay: 0.3 * fps, config: { damping: 18 } });
  const nameIn = spring({ frame, fps, delay: 0.45 * fps, config: { damping: 18 } });
  const bar = interpolate(frame, [0.8 * fps, 1.4 * fps], [0, 1]);
  // Round what a spring feeds into styles: once it has settled, every frame draws the very same pixels
  // and the hold is reused instead of re-captured.
  const rise = (progress: number) => `translateY(${Math.round((1 - progress) * 40 * unit)}px)`;
  const settled = (progress: number) => Math.round(progress * 1000) / 1000;

  const logoSize = Math.round(96 * unit);
  return (
    <AbsoluteFill style={{ background: '#0b1020', fontFamily: FONT, color: '#ffffff' }}>
      {/* @broll-begin */}
      {/* The clip fills the frame; a dark veil keeps the text readable on any footage. */}
      <BRoll src={props.background} fit="cover" />
      <AbsoluteFill style={{ background: 'linear-gradient(180deg, rgba(11,16,32,0.35) 0%, rgba(11,16,32,0.85) 100%)' }} />
      {/* @broll-end */}
      <AbsoluteFill style={{ opacity: glow, background: `radial-gradient(80% 70% at ${vertical ? '50% 0%' : '0% 0%'}, ${withAlpha(accent, 0.55)} 0%, ${withAlpha(accent, 0)} 70%)` }} />

      {/* Two rings in the accent colour, springing open behind the text. */}
      <AbsoluteFill style={{ overflow: 'hidden', opacity: glow }}>
        {[0, 1].map((i) => {
          const size = Math.round((vertical ? 620 : 560) * unit * (1 - i * 0.3));
          const open = settled(spring({ frame, fps, delay: (0.15 + i * 0.15) * fps, config: { damping: 20, stiffness: 90 } }));
          return (
            <div
              key={i}
              style={{
                position: 'absolute',
                width: size,
                height: size,
                left: vertical ? (width - size) / 2 : width - size * 0.75,
                top: vertical ? height * 0.08 + i * size * 0.15 : height * 0.12 + i * size * 0.15,
                borderRadius: '50%',
                border: `${Math.round(2 * unit) || 1}px solid ${withAlpha(accent, 0.6 - i * 0.2)}`,
                background: withAlpha(accent, 0.06),
                transform: `scale(${open})`,
              }}
            />
          );
        })}
      </AbsoluteFill>

      <AbsoluteFill style={{ padding: Math.round(72 * unit), paddingBottom: Math.round((vertical ? 200 : 72) * unit), justifyContent: 'flex-end', alignItems: vertical ? 'center' : 'flex-start', textAlign: vertical ? 'center' : 'left' }}>
        <div style={{ width: logoSize, height: logoSize, marginBottom: Math.round(36 * unit), transform: `scale(${settled(logoIn)})`, borderRadius: 24 * unit, overflow: 'hidden', background: logo ? '#ffffff' : accent, display: 'flex', alignItems: 'center', justifyContent: 'center' }}>
          {logo ? (
            // <Img> waits until the image is decoded before the frame is captured.
            <Img src={logo} style={{ width: '80%', height: '80%', objectFit: 'contain' }} />
          ) : (
            <span style={{ fontSize: logoSize * 0.5, fontWeight: 700 }}>{name.slice(0, 1).toUpperCase()}</span>
          )}
        </div>
        <div style={{ fontSize: Math.round(36 * unit), color: 'rgba(255,255,255,0.8)', opacity: settled(helloIn), transform: rise(helloIn) }}>Hello,</div>
        <div style={{ fontSize: nameSize, fontWeight: 700, lineHeight: 1.1, letterSpacing: '-0.02em', maxWidth: '100%', overflowWrap: 'anywhere', opacity: settled(nameIn), transform: rise(nameIn) }}>
          {/* Row values are plain text in React (escaped): never use dangerouslySetInnerHTML. */}
          {name}
        </div>
        <div style={{ height: Math.round(8 * unit), width: Math.round(160 * unit * bar), marginTop: Math.round(24 * unit), borderRadius: 4 * unit, background: accent }} />
        {/* <Sequence from> shifts time for its children: they appear at 1.0 s and count frames from there.
            layout="none" keeps them in this column (the default wraps them in a full-frame layer); the
            fixed-height box holds their place so nothing jumps when they appear. */}
        <div style={{ height: Math.round(28 * unit * 2.4) }}>
          <Sequence from={Math.round(1.0 * fps)} layout="none">
            <Tagline size={Math.round(28 * unit)} />
          </Sequence>
        </div>
      </AbsoluteFill>
    </AbsoluteFill>
  );
}

export default defineTemplate({
  // The id is the folder name: `reelwright render data.csv -t my-template` finds templates/my-template/.
  id: 'my-template',
  // Recorded with every video (manifest, reports). Any change to this file re-renders on the next `render`.
  version: '1.0.0',
  description: 'Starter template made by reelwright new.',
  fps: 30,
  // The default size; the first variant below is what `render` makes unless you pass --variants.
  width: 1280,
  height: 720,
  duration: 4, // seconds (or a function of the row)
  variants: {
    landscape: { width: 1280, height: 720 }, // 16:9
    vertical: { width: 720, height: 1280 }, // 9:16: `render --variants landscape,vertical`
  },
  // The name identifies the row (names must be unique; key by an id column if they repeat), so editing another cell re-renders the same file instead of leaving a stale one under the row's old hash.
  rowKey: 'name',
  // Files named after the person (sanitized): outputs/my-template/Ada Lovelace-landscape.mp4.
  outputName: '{{name}}-{{variant}}',
  slots,
  component: Starter,
});
