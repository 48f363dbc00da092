/**
 * One row × variant to render, sent to a pool worker. Plain JSON: it crosses a worker boundary
 * (and, with `--queue`, a Redis queue), so it carries file paths, never objects.
 */
export type RenderTask = {
  type: 'render';
  /** Stable id of the job (row key + variant); used for logs and progress. */
  jobId: string;
  /** Absolute path of the template entry; the worker loads the template from it (cached by hash). */
  templateEntry: string;
  /** The project's cache folder (`.reelwright/cache`) for template bundles. */
  cacheDir: string;
  /** Browser bundle produced by `bundleTemplate`. */
  bundleDir: string;
  bundleHash: string;
  variant: string;
  /** Slot values. Props named in `mediaProps` hold absolute local file paths the worker serves to the page. */
  props: Record<string, unknown>;
  /** Names of props that are local media files (image and B-roll slots). */
  mediaProps: string[];
  /** Absolute clip file path (as found in `props`) → its pre-decoded frames. */
  clipFrames: Record<string, { dir: string; count: number; fps: number }>;
  /** Final MP4 path (written under a temporary name, renamed when complete). */
  outFile: string;
  /** Seed for the page's Math.random (the row key). */
  randomSeed: string;
  jpegQuality: number;
  frameReuse: boolean;
  frameTimeoutMs: number;
};

/** What a worker reports for a finished render task. */
export type RenderTaskResult = {
  jobId: string;
  outFile: string;
  frames: number;
  capturedFrames: number;
  reusedFrames: number;
  /** Wall-clock milliseconds of the render (job start to file renamed). */
  wallMs: number;
  /** CPU milliseconds of the worker thread and its Chromium and ffmpeg children, when measurable; else null. */
  cpuMs: number | null;
  /** Attempts it took (1 = no retry). */
  attempts: number;
};

/**
 * Progress of one render task, sent from the worker while it runs.
 * - `frame`: `done` frames of `total` rendered.
 * - `retry`: the browser crashed or a frame hung; the task restarts on a fresh browser.
 */
export type RenderTaskProgress =
  | { type: 'frame'; jobId: string; done: number; total: number }
  | { type: 'retry'; jobId: string; attempt: number; reason: string };
