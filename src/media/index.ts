/**
 * @module media
 * Typed ffmpeg and ffprobe invocations: run, probe, encode, extract frames, detect defects, and the
 * test-clip helpers other stages' tests use. Always spawns with argument arrays, never through a
 * shell; knows nothing about templates, rows or providers.
 */
export { runFfmpeg, DEFAULT_FFMPEG, DEFAULT_FFPROBE } from './run-ffmpeg.js';
export type { RunFfmpegOptions, RunFfmpegResult } from './run-ffmpeg.js';
export { spawnFfmpeg, DEFAULT_STDERR_LIMIT } from './spawn-ffmpeg.js';
export type { SpawnFfmpegOptions, SpawnFfmpegResult, SpawnedFfmpeg } from './spawn-ffmpeg.js';
export { probeMedia } from './probe-media.js';
export type { MediaInfo, ProbeMediaOptions } from './probe-media.js';
export { startEncoder, DEFAULT_CRF, DEFAULT_PRESET, DEFAULT_THREADS } from './start-encoder.js';
export type { Encoder, EncodeResult, StartEncoderOptions, X264Preset } from './start-encoder.js';
export { extractFrames, DEFAULT_EXTRACT_JPEG_QUALITY, EXTRACT_DONE_MARKER } from './extract-frames.js';
export type { ExtractFramesOptions, ExtractFramesResult, FrameFit } from './extract-frames.js';
export {
  detectClipDefects,
  DEFAULT_BLACK_PIXEL_THRESHOLD,
  DEFAULT_FREEZE_NOISE_DB,
  DEFAULT_FREEZE_MIN_SECONDS,
} from './detect-clip-defects.js';
export type { DetectClipDefectsOptions, ClipDefects, TimeSpan } from './detect-clip-defects.js';
export { makeTestClip } from './make-test-clip.js';
export type { MakeTestClipOptions, MakeTestClipResult, TestClipKind } from './make-test-clip.js';
export { readFrameIndex, FRAME_INDEX_LAYOUT } from './read-frame-index.js';
export type { ReadFrameIndexOptions, RawPixelFormat, PixelRegion } from './read-frame-index.js';
export { decodeFrames } from './decode-frames.js';
export type { DecodeFramesOptions } from './decode-frames.js';
export { hashFrames } from './hash-frames.js';
export { muxAudio, DEFAULT_AUDIO_BITRATE, DEFAULT_AUDIO_SAMPLE_RATE } from './mux-audio.js';
export type { AudioTrack, MuxAudioOptions, MuxAudioResult, VolumePoint } from './mux-audio.js';
export { measureAudioLevel } from './measure-audio-level.js';
export type { AudioLevel, MeasureAudioLevelOptions } from './measure-audio-level.js';
export type { HashFramesOptions } from './hash-frames.js';
