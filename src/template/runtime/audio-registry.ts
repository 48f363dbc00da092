import type { AudioFrameEntry } from '../../render/page/page-api.js';

/** What one mounted `<Audio>` declared at its last render. */
export type AudioDescriptor = {
  /** Absolute URL. */
  src: string;
  /** Absolute frame at which the element's own frame is 0 (the enclosing sequences' offset). */
  offset: number;
  /** Absolute frame (exclusive) by which the element is gone at the latest: its sequences' end, or the video's. */
  endFrame: number;
  fps: number;
  startFrom: number;
  endAt: number | null;
  loop: boolean;
  playbackRate: number;
  volume: number | ((frame: number) => number);
  fadeInSeconds: number;
  fadeOutSeconds: number;
};

/**
 * The `<Audio>` elements mounted right now, by element id. Kept by mount/unmount layout effects rather than collected
 * while rendering, so an element React skips re-rendering still counts. Holds only mounted elements (no growth in the
 * studio, which never reads it).
 */
const mounted = new Map<number, AudioDescriptor>();
let nextId = 1;

/** @internal A fresh id for a newly mounted element. */
export function _nextAudioId(): number {
  return nextId++;
}

/** @internal Records (or updates) a mounted element. */
export function _setAudio(id: number, descriptor: AudioDescriptor): void {
  mounted.set(id, descriptor);
}

/** @internal Forgets an unmounted element. */
export function _removeAudio(id: number): void {
  mounted.delete(id);
}

/**
 * @internal The mounted elements at absolute `frame`, with their file time and gain there, ordered by id.
 * A `volume` function that throws or returns something outside 0–1 is reported through `onError` and the element is
 * left out of this frame.
 */
export function _audioAt(frame: number, onError: (message: string) => void): AudioFrameEntry[] {
  const entries: AudioFrameEntry[] = [];
  for (const [id, audio] of [...mounted].sort(([a], [b]) => a - b)) {
    const elementFrame = frame - audio.offset;
    let volume: number;
    if (typeof audio.volume === 'function') {
      try {
        volume = audio.volume(elementFrame);
      } catch (error) {
        onError(`<Audio src="${audio.src}">: volume(${elementFrame}) threw: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
        continue;
      }
    } else volume = audio.volume;
    if (typeof volume !== 'number' || !(volume >= 0 && volume <= 1)) {
      onError(`<Audio src="${audio.src}">: volume at frame ${elementFrame} is ${String(volume)}; it must be a number from 0 to 1.`);
      continue;
    }
    entries.push({
      id,
      src: audio.src,
      time: audio.startFrom + (elementFrame * audio.playbackRate) / audio.fps,
      volume,
      startFrom: audio.startFrom,
      endAt: audio.endAt,
      loop: audio.loop,
      playbackRate: audio.playbackRate,
      fadeInSeconds: audio.fadeInSeconds,
      fadeOutSeconds: audio.fadeOutSeconds,
      secondsLeft: Math.max(0, audio.endFrame - frame) / audio.fps,
    });
  }
  return entries;
}
