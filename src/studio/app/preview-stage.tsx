import { useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import { PreviewController } from './preview-controller.js';
import type { PreviewCallbacks, PreviewSource } from './preview-controller.js';

/** Zoom of the preview: fit the panel, or a fixed scale (1 = one template pixel per screen pixel). */
export type PreviewZoom = 'fit' | number;

/** Props of `PreviewStage`. */
export type PreviewStageProps = {
  /** What to show; null before a template and row are ready. */
  source: PreviewSource | null;
  zoom: PreviewZoom;
  /** Frame to show first (restored from the address). */
  initialFrame: number;
  /** Shown over the preview (build or runtime error). */
  overlay: ReactNode;
  /** Shown in the corner (row problems, placeholder clips). */
  badge: ReactNode;
  /** Shown when there is nothing to preview yet. */
  empty: ReactNode;
  /** `busy` while the row is being prepared or mounted, else `idle` (exposed as `data-state` for tests). */
  state: 'busy' | 'idle';
  /** Receives the controller once it exists (for play, pause and seek). */
  onController: (controller: PreviewController | null) => void;
} & PreviewCallbacks;

const PADDING = 40;

/** The preview panel: the double-buffered iframes of `PreviewController`, scaled to fit, with overlays. */
export function PreviewStage(props: PreviewStageProps) {
  const stageRef = useRef<HTMLDivElement>(null);
  const framesRef = useRef<HTMLDivElement>(null);
  const controllerRef = useRef<PreviewController | null>(null);
  const callbacks = useRef<PreviewCallbacks>(props);
  callbacks.current = props;
  const [box, setBox] = useState({ width: 0, height: 0 });

  // Layout effects, so a new source reaches the controller (which reports itself busy at once) before the browser
  // paints: otherwise one painted frame shows the stage idle with the previous row still in it.
  useLayoutEffect(() => {
    const container = framesRef.current;
    if (!container) return;
    const controller = new PreviewController(container, {
      onFrame: (frame) => callbacks.current.onFrame(frame),
      onIssues: (issues, hash) => callbacks.current.onIssues(issues, hash),
      onPlaying: (playing) => callbacks.current.onPlaying(playing),
      onBusy: (busy) => callbacks.current.onBusy(busy),
    });
    controller.seek(props.initialFrame);
    controllerRef.current = controller;
    props.onController(controller);
    return () => {
      controller.destroy();
      controllerRef.current = null;
      props.onController(null);
    };
    // The controller lives as long as the stage: created once, with callbacks read through a ref.
  }, []);

  useLayoutEffect(() => {
    if (props.source) controllerRef.current?.setSource(props.source);
  }, [props.source]);

  useLayoutEffect(() => {
    const stage = stageRef.current;
    if (!stage) return;
    const observer = new ResizeObserver(() => setBox({ width: stage.clientWidth, height: stage.clientHeight }));
    observer.observe(stage);
    setBox({ width: stage.clientWidth, height: stage.clientHeight });
    return () => observer.disconnect();
  }, []);

  const config = props.source?.init.config ?? null;
  const width = config?.width ?? 0;
  const height = config?.height ?? 0;
  const fit = width > 0 && height > 0 ? Math.max(0.05, Math.min((box.width - PADDING) / width, (box.height - PADDING) / height)) : 1;
  const scale = props.zoom === 'fit' ? fit : props.zoom;
  return (
    <div className="stage" ref={stageRef} data-testid="stage" data-state={props.state}>
      <div
        className="stage-canvas"
        style={{ width: Math.round(width * scale), height: Math.round(height * scale), display: config ? 'block' : 'none' }}
      >
        <div
          className="stage-frames"
          ref={framesRef}
          data-scale={scale}
          style={{ width, height, transform: scale === 1 ? 'none' : `scale(${scale})` }}
        />
      </div>
      {config ? null : <div className="stage-empty">{props.empty}</div>}
      {config ? (
        <div className="stage-size">
          {width}×{height} · {Math.round(scale * 100)}%
        </div>
      ) : null}
      {props.badge ? <div className="stage-badge">{props.badge}</div> : null}
      {props.overlay}
    </div>
  );
}
