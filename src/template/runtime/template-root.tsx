import { Component, type ComponentType, type ReactNode } from 'react';
import type { ClipFrameSet } from '../../render/page/page-api.js';
import type { VideoConfig } from '../types.js';
import { guardSlotProps } from './guard-slot-props.js';
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

type GuardedProps = { rowProps: Record<string, unknown>; templateId: string; slotNames: readonly string[] };
type RenderFunction = (props: Record<string, unknown>) => ReactNode;

const MEMO_TYPE = Symbol.for('react.memo');
const guarded = new WeakMap<object, ComponentType<GuardedProps>>();

/** The plain render function behind a function component (or `memo(function)`); null for classes and other exotic types. */
function renderFunctionOf(component: unknown): RenderFunction | null {
  const isFunctionComponent = (c: unknown): c is RenderFunction =>
    typeof c === 'function' && !(c.prototype as { isReactComponent?: unknown } | undefined)?.isReactComponent;
  if (isFunctionComponent(component)) return component;
  const memo = component as { $$typeof?: unknown; type?: unknown } | null;
  if (typeof memo === 'object' && memo !== null && memo.$$typeof === MEMO_TYPE && isFunctionComponent(memo.type)) return memo.type;
  return null;
}

/**
 * One stable wrapper per template component that calls it with a guarded props object (`guardSlotProps`).
 * `createElement` copies props into a fresh object, so the guard must be handed to the function itself; the
 * template's hooks then run in the wrapper's fiber, always in the same order. Named after the template's
 * function so error messages still say `at MyTemplate`.
 */
function guardedComponentOf(component: unknown): ComponentType<GuardedProps> | null {
  const render = renderFunctionOf(component);
  if (!render) return null;
  let wrapper = guarded.get(render);
  if (!wrapper) {
    const guardedRender = ({ rowProps, templateId, slotNames }: GuardedProps) => render(guardSlotProps({ props: rowProps, templateId, slotNames }));
    Object.defineProperty(guardedRender, 'name', { value: render.name || 'Template' });
    wrapper = guardedRender;
    guarded.set(render, wrapper);
  }
  return wrapper;
}

/** Props of `TemplateRoot`. */
export type TemplateRootProps = {
  component: ComponentType<Record<string, unknown>>;
  props: Record<string, unknown>;
  /** Template id, named when the component reads a prop that is not a slot. */
  templateId: string;
  /**
   * The template's slot names. A function component (or `memo` of one) that reads any other prop throws
   * `TemplatePropError` (caught by the error boundary like any template bug); other component types are not checked.
   */
  slotNames: readonly string[];
  frame: number;
  config: VideoConfig;
  clipFrames: Readonly<Record<string, ClipFrameSet>>;
  onError: (message: string) => void;
};

/**
 * Provides frame, video config and clip frames to a template component. Used by the render page
 * host and the studio preview alike, so both show the same frame.
 */
export function TemplateRoot({ component: Template, props, templateId, slotNames, frame, config, clipFrames, onError }: TemplateRootProps) {
  const Guarded = guardedComponentOf(Template);
  return (
    <ErrorBoundary onError={onError}>
      <VideoConfigContext.Provider value={config}>
        <ClipFramesContext.Provider value={clipFrames}>
          <AbsoluteFrameContext.Provider value={frame}>
            <div style={{ position: 'absolute', inset: 0, overflow: 'hidden' }}>
              {Guarded ? <Guarded rowProps={props} templateId={templateId} slotNames={slotNames} /> : <Template {...props} />}
            </div>
          </AbsoluteFrameContext.Provider>
        </ClipFramesContext.Provider>
      </VideoConfigContext.Provider>
    </ErrorBoundary>
  );
}
