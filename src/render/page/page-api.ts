import type { VideoConfig } from '../../template/index.js';

/**
 * Pre-decoded frames of one B-roll clip at the output fps and size, served over HTTP.
 * Frame i (0-based) is at `${urlPrefix}${String(i + 1).padStart(6, '0')}.jpg`.
 */
export type ClipFrameSet = { urlPrefix: string; count: number; fps: number };

/** What the page needs to show one row of one variant. Plain JSON. */
export type PageInit = {
  /** Slot values; B-roll slots hold the clip URL, image slots a URL the page can load. */
  props: Record<string, unknown>;
  config: VideoConfig;
  /** Clip URL (as found in `props`) → its pre-decoded frames. A clip without frames falls back to a `<video>` seek. */
  clipFrames: Record<string, ClipFrameSet>;
  /** Seed for the page's `Math.random`, so "random" layouts are the same on every render of this row. */
  randomSeed: string;
};

/**
 * One `<Audio>` element mounted at a frame, as the page reports it: plain JSON. The renderer turns consecutive frames
 * of one element into audio segments and mixes them into the MP4.
 */
export type AudioFrameEntry = {
  /** Identifies one mounted element (a remount is a new id); fades apply to its first and last frame. */
  id: number;
  /** Absolute URL of the audio file (resolved against the page). */
  src: string;
  /** Seconds into the file at this frame before looping: `startFrom + elementFrame × playbackRate / fps`. */
  time: number;
  /** Gain at this frame, 0–1. */
  volume: number;
  /** Seconds into the file where playback (and every loop) starts. */
  startFrom: number;
  /** Seconds into the file where playback stops or loops; null for the file's end. */
  endAt: number | null;
  /** Restart at `startFrom` when `endAt` (or the file's end) is reached. */
  loop: boolean;
  /** Tempo factor (pitch kept). */
  playbackRate: number;
  /** Seconds of linear fade-in from the element's first frame. */
  fadeInSeconds: number;
  /** Seconds of linear fade-out up to the element's last frame. */
  fadeOutSeconds: number;
  /**
   * Seconds from this frame to the end of the element's enclosing sequences (or of the video): when it is unmounted at
   * the latest. The studio preview fades out against it; the render uses the element's actual last frame.
   */
  secondsLeft: number;
};

/** Result of rendering one frame in the page. */
export type FrameResult = {
  /** False when nothing in the DOM changed since the previous frame and no media advanced: the previous image can be reused. */
  changed: boolean;
  /** The `<Audio>` elements mounted at this frame (empty when none). Audio changes no DOM, so it never affects `changed`. */
  audio: AudioFrameEntry[];
};

/**
 * The API the page host installs as `window.__reelwright` once the bundle has loaded.
 * The Node side calls it through `page.evaluate`.
 */
export type PageApi = {
  /** Mounts (or re-mounts with new props) the template for one row; resolves when fonts and frame 0's media are ready. */
  init(input: PageInit): Promise<void>;
  /** Renders `frame` synchronously, then resolves once every image/clip frame it shows is decoded. */
  renderFrame(frame: number): Promise<FrameResult>;
  /** Errors thrown while rendering (template bugs) as plain messages, oldest first; cleared on read. */
  takeErrors(): string[];
};

/** Name of the global the page host installs. */
export const PAGE_API_GLOBAL = '__reelwright';
