/**
 * bench-short — the benchmark's short template, for per-video overhead (1 frame) and memory over hundreds of
 * consecutive renders. 1280×720 at 30 fps, `frames` frames (default 6); every frame changes: a gradient that turns,
 * the row's name and the frame number. Part of the benchmark spec: keep it as is so results compare across versions.
 */
import { AbsoluteFill, defineTemplate, useCurrentFrame, type SlotMap, type SlotProps } from 'reelwright';

const slots = {
  name: { kind: 'text', maxLength: 60 },
  frames: { kind: 'number', optional: true, min: 1, max: 300 },
} as const satisfies SlotMap;

function BenchShort({ name }: SlotProps<typeof slots>) {
  const frame = useCurrentFrame();
  return (
    <AbsoluteFill
      style={{
        background: `linear-gradient(${frame * 7}deg, #0b2447, #a5d7e8)`,
        color: '#ffffff',
        fontFamily: "'DejaVu Sans', sans-serif",
        alignItems: 'center',
        justifyContent: 'center',
        fontSize: 72,
        fontWeight: 700,
      }}
    >
      <div>Hi {name}</div>
      <div style={{ fontSize: 32, marginTop: 24 }}>frame {frame}</div>
    </AbsoluteFill>
  );
}

export default defineTemplate({
  id: 'bench-short',
  version: '1.0.0',
  description: 'Short benchmark card (overhead and memory runs); every frame changes.',
  fps: 30,
  width: 1280,
  height: 720,
  duration: (row) => (row.frames ?? 6) / 30,
  slots,
  component: BenchShort,
});
