import { Component, type ComponentType, type ReactNode } from 'react';
import type { ClipFrameSet } from '../../render/page/page-api.js';
import type { VideoConfig } from '../types.js';
import { AbsoluteFrameContext, ClipFramesContext, VideoConfigContext } from './runtime-context.js';

type BoundaryProps = { onError: (message: string) => void; children: ReactNode };

class ErrorBoundary extends Component<BoundaryProps, { failed: boolean }> {
  override state = { failed: false };
  static getDerivedStateFromError() {
    return { failed: true };
  }
  override componentDidCatch(error: Error, info: { componentStack?: string | null }) {
    const where = info.componentStack?.trim().split('\n')[0]?.trim();
    this.props.onError(`${error.name}: ${error.message}${where ? ` (${where})` : ''}`);
  }
  override render() {
    return this.state.failed ? null : this.props.children;
  }
}

/** Props of `TemplateRoot`. */
export type TemplateRootProps = {
  component: ComponentType<Record<string, unknown>>;
  props: Record<string, unknown>;
  frame: number;
  config: VideoConfig;
  clipFrames: Readonly<Record<string, ClipFrameSet>>;
  onError: (message: string) => void;
};

/**
 * Provides frame, video config and clip frames to a template component. Used by the render page
 * host and the studio preview alike, so both show the same frame.
 */
export function TemplateRoot({ component: Template, props, frame, config, clipFrames, onError }: TemplateRootProps) {
  return (
    <ErrorBoundary onError={onError}>
      <VideoConfigContext.Provider value={config}>
        <ClipFramesContext.Provider value={clipFrames}>
          <AbsoluteFrameContext.Provider value={frame}>
            <div style={{ position: 'absolute', inset: 0, overflow: 'hidden' }}>
              <Template {...props} />
            </div>
          </AbsoluteFrameContext.Provider>
        </ClipFramesContext.Provider>
      </VideoConfigContext.Provider>
    </ErrorBoundary>
  );
}
