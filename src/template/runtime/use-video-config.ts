import { useContext } from 'react';
import type { VideoConfig } from '../types.js';
import { VideoConfigContext } from './runtime-context.js';

/** Size, fps, length in frames and variant name of the video being rendered. */
export function useVideoConfig(): VideoConfig {
  const config = useContext(VideoConfigContext);
  if (!config) throw new Error('useVideoConfig() must be called inside a reelwright template component.');
  return config;
}
