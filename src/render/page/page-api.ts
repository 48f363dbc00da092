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

/** Result of rendering one frame in the page. */
export type FrameResult = {
  /** False when nothing in the DOM changed since the previous frame and no media advanced: the previous image can be reused. */
  changed: boolean;
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
