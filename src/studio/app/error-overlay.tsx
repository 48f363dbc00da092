import type { SourceLocation } from '../types.js';

/** Props of `ErrorOverlay`. */
export type ErrorOverlayProps = {
  /** `Build failed`, `Runtime error` … */
  title: string;
  /** The full message (esbuild's, with its code excerpt, or the page's). */
  message: string;
  /** Where in the template's sources, when known. */
  location: SourceLocation | null;
  /** What happens next, e.g. "Save the file to retry". */
  hint: string;
};

/** The red overlay over the preview for a template build or runtime error. All text goes through React (escaped). */
export function ErrorOverlay({ title, message, location, hint }: ErrorOverlayProps) {
  return (
    <div className="overlay" role="alert" data-testid="error-overlay">
      <h2>{title}</h2>
      {location ? (
        <div className="where" data-testid="error-location">
          {location.file}:{location.line}:{location.column}
        </div>
      ) : null}
      <pre>{message}</pre>
      <div className="hint">{hint}</div>
    </div>
  );
}
