import { useContext, useLayoutEffect, useState } from 'react';
import { _nextAudioId, _removeAudio, _setAudio } from './audio-registry.js';
import { SequenceEndContext, SequenceOffsetContext } from './runtime-context.js';
import { useCurrentFrame } from './use-current-frame.js';
import { useVideoConfig } from './use-video-config.js';

/** Slowest and fastest `playbackRate` (ffmpeg `atempo`, pitch kept). */
const PLAYBACK_RATE_RANGE = [0.25, 4] as const;

/** Props of `Audio`. */
export type AudioProps = {
  /**
   * The audio file: an asset imported by the template (`import music from './music.m4a'`) or an audio slot's value.
   * Any format ffmpeg decodes (m4a/AAC, mp3, wav, ogg/Opus, flac).
   */
  src: string;
  /** Seconds into the file heard at this element's frame 0 (trim the head); default 0. */
  startFrom?: number;
  /** Seconds into the file where it stops, or loops with `loop` (trim the tail); default the file's end. */
  endAt?: number;
  /**
   * Gain from 0 (silent) to 1 (as recorded), default 1; or a function of the element's frame (0 at its start),
   * e.g. `(f) => interpolate(f, [0, 30], [0, 1])`. Changes between frames are ramped linearly.
   */
  volume?: number | ((frame: number) => number);
  /** Seconds of linear fade-in from the first frame this element is mounted; default 0. */
  fadeInSeconds?: number;
  /** Seconds of linear fade-out ending at the last frame this element is mounted (its sequence's or the video's end); default 0. */
  fadeOutSeconds?: number;
  /** Restart at `startFrom` when `endAt` (or the file's end) is reached; default false (silence after the end). */
  loop?: boolean;
  /** Tempo factor from 0.25 to 4 (pitch is kept); default 1. */
  playbackRate?: number;
};

function fail(src: string, message: string): never {
  throw new Error(`<Audio src="${src}">: ${message}`);
}

function seconds(src: string, name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) fail(src, `${name} must be a number of seconds ≥ 0, got ${JSON.stringify(value)}.`);
  return value;
}

/**
 * Sound for the video: plays `src` from this element's frame 0 (inside a `Sequence`, from the sequence's start) for
 * as long as it is mounted. It renders nothing and changes no DOM, so frames around it are still reused; the renderer
 * mixes every `Audio` into the MP4's AAC track after the frames are encoded. The studio plays it while its preview plays (fade-outs excepted).
 *
 * @example
 * import music from './music.m4a';
 * <Audio src={music} volume={0.6} fadeOutSeconds={1.5} loop />
 * <Sequence from={45}><Audio src={row.voiceover} /></Sequence>
 */
export function Audio({ src, startFrom, endAt, volume = 1, fadeInSeconds, fadeOutSeconds, loop = false, playbackRate = 1 }: AudioProps): null {
  // Subscribes to the frame: the element re-renders on every frame like any other.
  useCurrentFrame();
  const { fps, durationInFrames } = useVideoConfig();
  const offset = useContext(SequenceOffsetContext);
  const sequenceEnd = useContext(SequenceEndContext);
  const [id] = useState(_nextAudioId);
  if (typeof src !== 'string' || src === '') {
    fail(String(src), 'src must be a non-empty URL (an imported audio file or an audio slot). Render {music && <Audio src={music} />} for an optional one.');
  }
  const from = seconds(src, 'startFrom', startFrom, 0);
  const until = endAt === undefined ? null : seconds(src, 'endAt', endAt, 0);
  if (until !== null && until <= from) fail(src, `endAt (${until}) must be after startFrom (${from}).`);
  if (typeof volume !== 'function' && (typeof volume !== 'number' || !(volume >= 0 && volume <= 1))) {
    fail(src, `volume must be a number from 0 to 1 or a function of the frame, got ${JSON.stringify(volume)}.`);
  }
  if (typeof playbackRate !== 'number' || !(playbackRate >= PLAYBACK_RATE_RANGE[0] && playbackRate <= PLAYBACK_RATE_RANGE[1])) {
    fail(src, `playbackRate must be a number from ${PLAYBACK_RATE_RANGE[0]} to ${PLAYBACK_RATE_RANGE[1]}, got ${JSON.stringify(playbackRate)}.`);
  }
  const fadeIn = seconds(src, 'fadeInSeconds', fadeInSeconds, 0);
  const fadeOut = seconds(src, 'fadeOutSeconds', fadeOutSeconds, 0);
  const absolute = typeof document === 'undefined' ? src : new URL(src, document.baseURI).href;
  // Every commit: the host reads the mounted elements after each frame (no DOM, so frame reuse is unaffected).
  useLayoutEffect(() => {
    _setAudio(id, {
      src: absolute,
      offset,
      endFrame: Math.min(sequenceEnd, durationInFrames),
      fps,
      startFrom: from,
      endAt: until,
      loop: loop === true,
      playbackRate,
      volume,
      fadeInSeconds: fadeIn,
      fadeOutSeconds: fadeOut,
    });
  });
  useLayoutEffect(() => () => _removeAudio(id), [id]);
  return null;
}
