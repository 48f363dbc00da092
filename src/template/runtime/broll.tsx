import { useContext, useLayoutEffect, useRef, type CSSProperties } from 'react';
import { continueRender, delayRender } from './delay-render.js';
import { ClipFramesContext } from './runtime-context.js';
import { useCurrentFrame } from './use-current-frame.js';
import { useVideoConfig } from './use-video-config.js';

/** Props of `BRoll`. */
export type BRollProps = {
  /** The B-roll slot's value (a clip URL). */
  src: string;
  /** Seconds into the clip shown at this element's frame 0 (trim the head). */
  startFrom?: number;
  /** Seconds into the clip after which it stops (trim the tail); default the clip's end. */
  endAt?: number;
  /** Restart from `startFrom` when the clip runs out. */
  loop?: boolean;
  /** Keep showing the last frame when the clip runs out and `loop` is off (default true); otherwise render nothing. */
  holdLastFrame?: boolean;
  /** 2 plays twice as fast, 0.5 in slow motion. */
  playbackRate?: number;
  /** How the clip fills the element. */
  fit?: 'cover' | 'contain';
  style?: CSSProperties;
  className?: string;
};

/**
 * Which frame of a clip (0-based, at the video's fps) is shown at element frame `frame`,
 * or null when nothing is shown. Exported for tests and the studio.
 */
export function clipFrameAt(options: {
  frame: number;
  fps: number;
  clipFrameCount: number;
  startFrom?: number;
  endAt?: number;
  loop?: boolean;
  holdLastFrame?: boolean;
  playbackRate?: number;
}): number | null {
  const first = Math.round((options.startFrom ?? 0) * options.fps);
  const end = Math.min(options.clipFrameCount, options.endAt === undefined ? Infinity : Math.round(options.endAt * options.fps));
  const span = end - first;
  if (span <= 0) return null;
  const offset = Math.floor(options.frame * (options.playbackRate ?? 1) + 1e-9);
  if (offset < 0) return first;
  if (offset < span) return first + offset;
  if (options.loop) return first + (offset % span);
  return options.holdLastFrame === false ? null : end - 1;
}

function VideoFallback({ src, time, style, className }: { src: string; time: number; style: CSSProperties; className?: string }) {
  const ref = useRef<HTMLVideoElement>(null);
  useLayoutEffect(() => {
    const video = ref.current;
    if (!video) return;
    if (Math.abs(video.currentTime - time) < 1e-4 && video.readyState >= 2) return;
    const handle = delayRender(`BRoll seek ${src} to ${time.toFixed(3)} s`);
    let settled = false;
    const finish = () => {
      if (settled) return;
      settled = true;
      video.removeEventListener('seeked', finish);
      video.removeEventListener('error', finish);
      video.removeEventListener('loadeddata', seek);
      continueRender(handle);
    };
    // A seek issued before the video has data never fires 'seeked': wait for data first.
    function seek() {
      if (!video) return;
      if (Math.abs(video.currentTime - time) < 1e-4 && video.readyState >= 2) {
        finish();
        return;
      }
      video.addEventListener('seeked', finish);
      video.currentTime = time;
    }
    video.addEventListener('error', finish);
    if (video.readyState >= 2) seek();
    else video.addEventListener('loadeddata', seek, { once: true });
    return finish;
  }, [src, time]);
  return <video ref={ref} src={src} muted playsInline preload="auto" style={style} className={className} />;
}

/**
 * An AI B-roll clip that shows, at template frame f, the clip's exact frame for that time.
 * In a render the frames arrive pre-decoded at the output size, so no video is decoded in the page.
 */
export function BRoll({ src, startFrom, endAt, loop, holdLastFrame, playbackRate, fit = 'cover', style, className }: BRollProps) {
  const frame = useCurrentFrame();
  const { fps } = useVideoConfig();
  const frames = useContext(ClipFramesContext)[src];
  const fill: CSSProperties = { width: '100%', height: '100%', objectFit: fit, display: 'block', ...style };
  if (!frames) {
    const index = clipFrameAt({ frame, fps, clipFrameCount: Number.MAX_SAFE_INTEGER, startFrom, endAt, loop: false, holdLastFrame, playbackRate });
    return <VideoFallback src={src} time={(index ?? 0) / fps} style={fill} className={className} />;
  }
  const index = clipFrameAt({ frame, fps: frames.fps, clipFrameCount: frames.count, startFrom, endAt, loop, holdLastFrame, playbackRate });
  if (index === null) return null;
  const url = `${frames.urlPrefix}${String(index + 1).padStart(6, '0')}.jpg`;
  return <img src={url} alt="" draggable={false} style={fill} className={className} />;
}
