import { createContext } from 'react';
import type { ClipFrameSet } from '../../render/page/page-api.js';
import type { VideoConfig } from '../types.js';

/** Absolute frame being rendered (before any `Sequence` offset). */
export const AbsoluteFrameContext = createContext<number>(0);

/** Sum of the `from` offsets of the enclosing sequences. */
export const SequenceOffsetContext = createContext<number>(0);

/** Absolute frame (exclusive) at which the enclosing sequences end (the earliest of their ends); Infinity when none is bounded. */
export const SequenceEndContext = createContext<number>(Infinity);

/** The video being rendered. */
export const VideoConfigContext = createContext<VideoConfig | null>(null);

/** Clip URL → pre-decoded frames, provided by the host. */
export const ClipFramesContext = createContext<Readonly<Record<string, ClipFrameSet>>>({});
