import { useContext, type CSSProperties, type ReactNode } from 'react';
import { AbsoluteFill } from './absolute-fill.js';
import { AbsoluteFrameContext, SequenceEndContext, SequenceOffsetContext } from './runtime-context.js';

/** Props of `Sequence`. */
export type SequenceProps = {
  /** Frame (relative to the parent) at which the children start; they see frame 0 there. */
  from: number;
  /** How long the children are shown; default until the end. */
  durationInFrames?: number;
  /** `absolute-fill` (default) wraps the children in a full-frame layer; `none` adds no element. */
  layout?: 'absolute-fill' | 'none';
  style?: CSSProperties;
  children?: ReactNode;
};

/**
 * Time-shifts its children: inside, `useCurrentFrame()` counts from `from`, and nothing is
 * rendered outside `[from, from + durationInFrames)`.
 */
export function Sequence({ from, durationInFrames = Infinity, layout = 'absolute-fill', style, children }: SequenceProps) {
  const absolute = useContext(AbsoluteFrameContext);
  const parentOffset = useContext(SequenceOffsetContext);
  const parentEnd = useContext(SequenceEndContext);
  const offset = parentOffset + from;
  const local = absolute - offset;
  if (local < 0 || local >= durationInFrames) return null;
  const end = Math.min(parentEnd, offset + durationInFrames);
  const content = (
    <SequenceOffsetContext.Provider value={offset}>
      <SequenceEndContext.Provider value={end}>{children}</SequenceEndContext.Provider>
    </SequenceOffsetContext.Provider>
  );
  return layout === 'none' ? content : <AbsoluteFill style={style}>{content}</AbsoluteFill>;
}
