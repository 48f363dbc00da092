import { useContext } from 'react';
import { AbsoluteFrameContext, SequenceOffsetContext } from './runtime-context.js';

/**
 * The frame being rendered, relative to the enclosing `Sequence` (0 at its start).
 * @example const opacity = interpolate(useCurrentFrame(), [0, 15], [0, 1]);
 */
export function useCurrentFrame(): number {
  return useContext(AbsoluteFrameContext) - useContext(SequenceOffsetContext);
}
