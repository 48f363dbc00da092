/** Options of `formatTimecode`. */
export type FormatTimecodeOptions = {
  /** 0-based frame number. */
  frame: number;
  /** Frames per second (a positive whole number, as templates declare it). */
  fps: number;
};

/**
 * A frame number as `HH:MM:SS:FF` (hours, minutes, seconds, then the frame within the second), the way video
 * editors show it.
 *
 * @example
 * formatTimecode({ frame: 95, fps: 30 }); // '00:00:03:05'
 */
export function formatTimecode(options: FormatTimecodeOptions): string {
  const fps = Math.max(1, Math.round(options.fps));
  const frame = Math.max(0, Math.floor(options.frame));
  const totalSeconds = Math.floor(frame / fps);
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${pad(Math.floor(totalSeconds / 3600))}:${pad(Math.floor(totalSeconds / 60) % 60)}:${pad(totalSeconds % 60)}:${pad(frame % fps)}`;
}
