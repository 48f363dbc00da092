import type { CSSProperties, ReactNode } from 'react';

/** Props of `AbsoluteFill`. */
export type AbsoluteFillProps = { children?: ReactNode; style?: CSSProperties; className?: string };

const FILL: CSSProperties = { position: 'absolute', inset: 0, display: 'flex', flexDirection: 'column', overflow: 'hidden' };

/** A full-frame, absolutely positioned flex column: the usual layer of a template. */
export function AbsoluteFill({ children, style, className }: AbsoluteFillProps) {
  return (
    <div className={className} style={style ? { ...FILL, ...style } : FILL}>
      {children}
    </div>
  );
}
