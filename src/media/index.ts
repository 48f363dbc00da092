/**
 * @module media
 * Typed ffmpeg and ffprobe invocations: run, probe, encode, extract frames, detect defects.
 * Always spawns with argument arrays, never through a shell; knows nothing about templates or providers.
 */
export { runFfmpeg, DEFAULT_FFMPEG, DEFAULT_FFPROBE } from './run-ffmpeg.js';
export type { RunFfmpegOptions, RunFfmpegResult } from './run-ffmpeg.js';
export { probeMedia } from './probe-media.js';
export type { MediaInfo, ProbeMediaOptions } from './probe-media.js';
