import type { AudioFrameEntry } from '../../render/index.js';

/** Seconds an element may drift from the frame's file time before it is seeked (seeking every frame stutters). */
export const DEFAULT_AUDIO_DRIFT_SECONDS = 0.15;

/** What the decision needs to know about an existing element. */
export type AudioElementState = {
  currentTime: number;
  /** Length of the file in seconds; NaN (or Infinity) while unknown. */
  duration: number;
};

/** Options of `planPreviewAudio`. */
export type PlanPreviewAudioOptions = {
  /** The `<Audio>` entries of the frame just shown, with absolute `src`s. */
  entries: readonly AudioFrameEntry[];
  /** The elements that exist now, by src. */
  elements: ReadonlyMap<string, AudioElementState>;
  /** Seconds of playback clock since the frame's own time (the page took that long to render it); default 0. */
  lateSeconds?: number;
  /** Default `DEFAULT_AUDIO_DRIFT_SECONDS`. */
  driftSeconds?: number;
};

/** One element that should be heard: created when missing, then set and played. */
export type AudioElementPlay = {
  src: string;
  /** Gain 0–1 (clamped; the entry's volume times the fade-in). */
  volume: number;
  playbackRate: number;
  /** Where to seek to, or null to leave the element where it is (it is within the drift of the wanted time). */
  seekTo: number | null;
};

/** What `planPreviewAudio` decided. */
export type PreviewAudioPlan = {
  play: AudioElementPlay[];
  /** Srcs of existing elements that should be silent at this frame. */
  pause: string[];
};

function clamp01(value: number): number {
  return Number.isFinite(value) ? Math.min(1, Math.max(0, value)) : 0;
}

/**
 * Decides, for the `<Audio>` entries of one shown frame, what each preview element does: one element per distinct
 * src (the first entry with that src wins), seeked only when it drifted more than `driftSeconds` from the wanted file
 * time; elements whose src is not in the entries, or whose entry is past its end without `loop`, are paused.
 * A looping entry wraps between `startFrom` and `endAt` (or the file's end, once known). Fade-in is applied, and
 * fade-out against `secondsLeft` (the end of the element's sequences or of the video). An element that a condition
 * unmounts earlier fades out in the render but not here: its last frame is only known once it is gone.
 *
 * @example
 * planPreviewAudio({ entries, elements: new Map([[src, { currentTime: 1.02, duration: 12 }]]) });
 * // → { play: [{ src, volume: 1, playbackRate: 1, seekTo: null }], pause: [] }
 */
export function planPreviewAudio(options: PlanPreviewAudioOptions): PreviewAudioPlan {
  const late = Math.max(0, options.lateSeconds ?? 0);
  const drift = options.driftSeconds ?? DEFAULT_AUDIO_DRIFT_SECONDS;
  const play: AudioElementPlay[] = [];
  const heard = new Set<string>();
  const seen = new Set<string>();
  for (const entry of options.entries) {
    if (seen.has(entry.src)) continue;
    seen.add(entry.src);
    const element = options.elements.get(entry.src);
    const rate = entry.playbackRate > 0 ? entry.playbackRate : 1;
    let time = entry.time + late * rate;
    const fileEnd = element && Number.isFinite(element.duration) ? element.duration : null;
    const end = entry.endAt ?? fileEnd;
    if (entry.loop && end !== null && end > entry.startFrom) {
      time = entry.startFrom + ((time - entry.startFrom) % (end - entry.startFrom));
    } else if (end !== null && time >= end) {
      continue;
    }
    const elapsed = (entry.time - entry.startFrom) / rate + late;
    const fadeIn = entry.fadeInSeconds > 0 ? elapsed / entry.fadeInSeconds : 1;
    const fadeOut = entry.fadeOutSeconds > 0 ? (entry.secondsLeft - late) / entry.fadeOutSeconds : 1;
    const volume = clamp01(entry.volume * Math.min(1, Math.max(0, fadeIn), Math.max(0, fadeOut)));
    const seekTo = !element || Math.abs(element.currentTime - time) > drift ? time : null;
    play.push({ src: entry.src, volume, playbackRate: rate, seekTo });
    heard.add(entry.src);
  }
  const pause = [...options.elements.keys()].filter((src) => !heard.has(src));
  return { play, pause };
}
