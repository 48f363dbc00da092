/**
 * bench-card — the fixed benchmark card. Its look is part of the benchmark spec, so results stay
 * comparable across versions: do not restyle it; bump `version` only if the spec itself changes.
 *
 * Spec: 1280×720, 30 fps, 150 frames (5 s). Full-frame `linear-gradient(${frame*2}deg, #123, #a4c)`;
 * centred "Hello {name}" in DejaVu Sans bold 96 px, white, `text-shadow: 0 4px 20px #000`, moved by
 * `translateX(${sin(frame/30)*200}px)` and scaled by `1 + 0.2*sin(frame/15)`; a footer
 * "Frame {frame} · Order #{1000+frame}" at 40 px, 40 px from the bottom, fading in over frames 0–30.
 * Every frame changes (gradient angle, text motion, frame counter): it measures the worst case.
 */
import { AbsoluteFill, defineTemplate, interpolate, useCurrentFrame, type SlotMap, type SlotProps } from 'reelwright';

const slots = {
  name: { kind: 'text', label: 'Name' },
} as const satisfies SlotMap;

function BenchCard({ name }: SlotProps<typeof slots>) {
  const frame = useCurrentFrame();
  const x = Math.sin(frame / 30) * 200;
  const scale = 1 + 0.2 * Math.sin(frame / 15);
  const footerOpacity = interpolate(frame, [0, 30], [0, 1]);
  return (
    <AbsoluteFill style={{ background: `linear-gradient(${frame * 2}deg, #123, #a4c)`, fontFamily: "'DejaVu Sans', sans-serif", color: '#ffffff' }}>
      <AbsoluteFill style={{ alignItems: 'center', justifyContent: 'center' }}>
        <div
          style={{
            fontSize: 96,
            fontWeight: 700,
            textShadow: '0 4px 20px #000',
            whiteSpace: 'nowrap',
            transform: `translateX(${x}px) scale(${scale})`,
          }}
        >
          Hello {name}
        </div>
      </AbsoluteFill>
      <div style={{ position: 'absolute', left: 0, right: 0, bottom: 40, textAlign: 'center', fontSize: 40, lineHeight: 1, opacity: footerOpacity }}>
        Frame {frame} · Order #{1000 + frame}
      </div>
    </AbsoluteFill>
  );
}

export default defineTemplate({
  id: 'bench-card',
  version: '1.0.0',
  description: 'Benchmark card with a fixed spec (every frame changes). Keep it comparable across versions.',
  fps: 30,
  width: 1280,
  height: 720,
  duration: 5,
  slots,
  component: BenchCard,
});
