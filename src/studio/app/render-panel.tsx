import type { StudioRenderJob } from '../types.js';
import { Icon } from './icons.js';

/** Props of `RenderPanel`. */
export type RenderPanelProps = {
  /** Whether the studio has the batch pipeline wired. */
  available: boolean;
  /** Why not, or why this row cannot be rendered (invalid, no dataset). */
  blockedReason: string | null;
  /** The latest render of this page, if any. */
  job: StudioRenderJob | null;
  /** True when the form differs from the dataset row (renders use the file's values). */
  dirty: boolean;
  onRender: () => void;
};

const STAGE_TEXT: Record<string, string> = { validate: 'Validating', plan: 'Planning', clips: 'Preparing clips', render: 'Rendering' };

/** "Render this row": runs the batch pipeline on the selected row, shows its progress and links the MP4. */
export function RenderPanel({ available, blockedReason, job, dirty, onRender }: RenderPanelProps) {
  const running = job?.status === 'running';
  const progress = job?.status === 'done' ? 1 : (job?.progress?.progress ?? 0);
  return (
    <div data-testid="render-panel">
      {!available ? <div className="notice warn">{blockedReason}</div> : null}
      <button className="btn primary" style={{ width: '100%' }} disabled={!available || blockedReason !== null || running} onClick={onRender} data-testid="render-row">
        <Icon name="render" />
        {running ? 'Rendering…' : 'Render this row'}
      </button>
      {available && blockedReason ? <div className="form-actions">{blockedReason}</div> : null}
      {dirty && available ? <div className="form-actions">Renders the row as saved in the dataset; form edits are not saved.</div> : null}
      {job ? (
        <div className="render-result" data-testid="render-status" data-status={job.status}>
          <div className="progress" aria-label="Render progress">
            <div style={{ width: `${Math.round(progress * 100)}%` }} />
          </div>
          <div className="form-actions">
            <span>
              {job.status === 'running'
                ? `${STAGE_TEXT[job.progress?.stage ?? 'validate'] ?? 'Working'} ${job.progress ? `${job.progress.done}/${job.progress.total}` : ''}`
                : job.status === 'done'
                  ? 'Done'
                  : job.status === 'cancelled'
                    ? 'Cancelled'
                    : 'Failed'}
            </span>
            <span>{Math.round(progress * 100)}%</span>
          </div>
          {job.status === 'done' && job.outputUrl ? (
            <>
              <a href={job.outputUrl} target="_blank" rel="noreferrer" data-testid="render-link">
                {job.outputPath}
              </a>
              <video src={job.outputUrl} controls muted playsInline preload="metadata" />
            </>
          ) : null}
          {job.status === 'failed' && job.error ? <div className="notice bad">{job.error.message}</div> : null}
        </div>
      ) : null}
    </div>
  );
}
