import { formatTimecode } from './format-timecode.js';
import { Icon } from './icons.js';
import type { PreviewZoom } from './preview-stage.js';

/** Props of `TransportBar`. */
export type TransportBarProps = {
  frame: number;
  /** Frames in the video (0 before one is loaded). */
  durationInFrames: number;
  fps: number;
  playing: boolean;
  loop: boolean;
  /** The preview's sound is muted (it plays only while playing). */
  muted: boolean;
  zoom: PreviewZoom;
  onPlayPause: () => void;
  onSeek: (frame: number) => void;
  onLoop: (loop: boolean) => void;
  onMuted: (muted: boolean) => void;
  onZoom: (zoom: PreviewZoom) => void;
};

/** A speaker, crossed out when muted (16×16, `currentColor`). */
function SpeakerIcon({ muted }: { muted: boolean }) {
  return (
    <svg viewBox="0 0 16 16" aria-hidden="true">
      <path d="M2 6h3l4-3.5v11L5 10H2z" />
      {muted ? (
        <path d="M10.6 5.6l1.4 1.4 1.4-1.4 1 1L13 8l1.4 1.4-1 1L12 9l-1.4 1.4-1-1L11 8 9.6 6.6z" />
      ) : (
        <path d="M10.5 5.2a4 4 0 0 1 0 5.6l-.9-.9a2.7 2.7 0 0 0 0-3.8zM12.3 3.4a6.5 6.5 0 0 1 0 9.2l-.9-.9a5.2 5.2 0 0 0 0-7.4z" />
      )}
    </svg>
  );
}

/** Play/pause, frame step, scrub, loop, mute, timecode and zoom, like a video editor's transport. */
export function TransportBar(props: TransportBarProps) {
  const { frame, durationInFrames, fps } = props;
  const disabled = durationInFrames <= 0;
  const last = Math.max(0, durationInFrames - 1);
  return (
    <div className="transport" role="toolbar" aria-label="Playback">
      <button className="btn icon" title="First frame (Home)" aria-label="First frame" disabled={disabled} onClick={() => props.onSeek(0)}>
        <Icon name="toStart" />
      </button>
      <button className="btn icon" title="Previous frame (←)" aria-label="Previous frame" disabled={disabled} onClick={() => props.onSeek(frame - 1)}>
        <Icon name="stepBack" />
      </button>
      <button
        className="btn icon primary"
        title="Play / pause (Space)"
        aria-label={props.playing ? 'Pause' : 'Play'}
        data-testid="play"
        disabled={disabled}
        onClick={props.onPlayPause}
      >
        <Icon name={props.playing ? 'pause' : 'play'} />
      </button>
      <button className="btn icon" title="Next frame (→)" aria-label="Next frame" disabled={disabled} onClick={() => props.onSeek(frame + 1)}>
        <Icon name="stepForward" />
      </button>
      <button className="btn icon" title="Last frame (End)" aria-label="Last frame" disabled={disabled} onClick={() => props.onSeek(last)}>
        <Icon name="toEnd" />
      </button>
      <button
        className="btn icon toggle"
        title="Loop (L)"
        aria-label="Loop"
        aria-pressed={props.loop}
        onClick={() => props.onLoop(!props.loop)}
      >
        <Icon name="loop" />
      </button>
      <button
        className="btn icon toggle"
        title={props.muted ? 'Unmute the preview (M)' : 'Mute the preview (M)'}
        aria-label={props.muted ? 'Unmute' : 'Mute'}
        aria-pressed={props.muted}
        data-testid="mute"
        onClick={() => props.onMuted(!props.muted)}
      >
        <SpeakerIcon muted={props.muted} />
      </button>
      <span className="timecode" data-testid="timecode" title={`${fps} fps`}>
        {formatTimecode({ frame, fps })}
      </span>
      <input
        className="scrub"
        type="range"
        aria-label="Scrub"
        data-testid="scrub"
        min={0}
        max={last}
        step={1}
        value={Math.min(frame, last)}
        disabled={disabled}
        onChange={(event) => props.onSeek(Number(event.target.value))}
      />
      <span className="frame-counter" data-testid="frame">
        {disabled ? '–' : `${frame} / ${last}`}
      </span>
      <span className="divider" />
      <div className="segmented" role="group" aria-label="Zoom">
        <button aria-pressed={props.zoom === 'fit'} onClick={() => props.onZoom('fit')}>
          Fit
        </button>
        <button aria-pressed={props.zoom === 0.5} onClick={() => props.onZoom(0.5)}>
          50%
        </button>
        <button aria-pressed={props.zoom === 1} data-testid="zoom-100" onClick={() => props.onZoom(1)}>
          100%
        </button>
      </div>
    </div>
  );
}
