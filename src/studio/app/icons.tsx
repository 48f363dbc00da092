/** Small monochrome icons for the transport bar (inline SVG, `currentColor`). */
const PATHS = {
  play: 'M4 2.5v11l9-5.5z',
  pause: 'M3.5 2.5h3v11h-3zM9.5 2.5h3v11h-3z',
  stepBack: 'M3 2.5h2v11H3zM13 2.5v11L6 8z',
  stepForward: 'M11 2.5h2v11h-2zM3 2.5v11L10 8z',
  toStart: 'M2.5 2.5h2v11h-2zM9 2.5v11L4.5 8zM14.5 2.5v11L10 8z',
  toEnd: 'M11.5 2.5h2v11h-2zM7 2.5v11L11.5 8zM1.5 2.5v11L6 8z',
  loop: 'M4 5h6.5V3l3 3-3 3V7H4.5A1.5 1.5 0 0 0 3 8.5V9H1v-.5A3.5 3.5 0 0 1 4 5zm8 6H5.5v2l-3-3 3-3v2H11.5A1.5 1.5 0 0 0 13 7.5V7h2v.5A3.5 3.5 0 0 1 12 11z',
  render: 'M2 3h12v10H2zM6 5.5v5l4.5-2.5z',
} as const;

/** Names of the available icons. */
export type IconName = keyof typeof PATHS;

/** One 16×16 icon. */
export function Icon({ name }: { name: IconName }) {
  return (
    <svg viewBox="0 0 16 16" aria-hidden="true">
      <path d={PATHS[name]} />
    </svg>
  );
}
