import type { CSSProperties } from 'react';

/** Props of `Img`. */
export type ImgProps = { src: string; alt?: string; style?: CSSProperties; className?: string };

/**
 * An image that is loaded and decoded before the frame is captured (the page host waits for
 * every `<img>` in the tree). A failed load fails the row with the image's URL.
 */
export function Img({ src, alt = '', style, className }: ImgProps) {
  return <img src={src} alt={alt} style={style} className={className} draggable={false} />;
}
