import { useState } from 'react';
import type { ClipEstimateResponse, StudioClip } from '../types.js';

/** Props of `ClipPanel`. */
export type ClipPanelProps = {
  clips: readonly StudioClip[];
  /** Asks the server what generating a slot's clip would cost. */
  estimate: (slot: string) => Promise<ClipEstimateResponse>;
  /** Generates it (after the user confirmed the estimate). */
  generate: (slot: string, clipId: string) => Promise<void>;
  /** Last clip progress line from the server. */
  status: string | null;
};

const STATUS_TEXT: Record<StudioClip['status'], { label: string; tone: string; help: string }> = {
  cached: { label: 'Cached', tone: 'ok', help: 'The clip the batch will use is in the clip cache.' },
  local: { label: 'Local clip', tone: 'ok', help: 'Made by the free local provider, exactly as the batch makes it.' },
  placeholder: { label: 'Placeholder', tone: 'warn', help: 'Not generated yet: a free local clip of the same prompt stands in.' },
};

/** Dollars with cents; sub-cent prices keep four decimals so they do not read as free. */
function usd(value: number): string {
  return `$${value.toFixed(value === 0 || value >= 0.01 ? 2 : 4)}`;
}

type Dialog = { slot: string; phase: 'loading' } | { slot: string; phase: 'confirm'; estimate: ClipEstimateResponse } | { slot: string; phase: 'running' } | { slot: string; phase: 'error'; message: string };

/** The row's B-roll clips, and the "generate" action that shows the estimated cost and asks before paying. */
export function ClipPanel({ clips, estimate, generate, status }: ClipPanelProps) {
  const [dialog, setDialog] = useState<Dialog | null>(null);

  const ask = async (slot: string) => {
    setDialog({ slot, phase: 'loading' });
    try {
      const answer = await estimate(slot);
      if (answer.cached) {
        setDialog(null);
        return;
      }
      // A free provider needs no confirmation.
      if (!answer.paid && answer.available) {
        setDialog({ slot, phase: 'running' });
        await generate(slot, answer.clipId);
        setDialog(null);
        return;
      }
      setDialog({ slot, phase: 'confirm', estimate: answer });
    } catch (error) {
      setDialog({ slot, phase: 'error', message: (error as Error).message });
    }
  };

  const confirm = async (answer: ClipEstimateResponse) => {
    setDialog({ slot: answer.slot, phase: 'running' });
    try {
      await generate(answer.slot, answer.clipId);
      setDialog(null);
    } catch (error) {
      setDialog({ slot: answer.slot, phase: 'error', message: (error as Error).message });
    }
  };

  return (
    <>
      {clips.map((clip) => {
        const look = STATUS_TEXT[clip.status];
        const busy = dialog?.slot === clip.slot && (dialog.phase === 'loading' || dialog.phase === 'running');
        return (
          <div className="clip-card" key={clip.slot} data-testid={`clip-${clip.slot}`} data-status={clip.status}>
            <header>
              <span>{clip.slot}</span>
              <span className={`pill ${look.tone}`} title={look.help}>
                {look.label}
              </span>
            </header>
            <div className="prompt">{clip.prompt}</div>
            <div className="facts">
              <span>
                {clip.provider} · {clip.model}
              </span>
              <span>{clip.seconds} s</span>
              <span title={clip.clipId}>id {clip.clipId.slice(0, 10)}…</span>
              {clip.estimate ? <span>est. {usd(clip.estimate.usd)}</span> : null}
            </div>
            {clip.status === 'placeholder' ? (
              <button className="btn" disabled={busy} onClick={() => void ask(clip.slot)} data-testid={`generate-${clip.slot}`}>
                {busy ? 'Working…' : `Generate with ${clip.provider}…`}
              </button>
            ) : null}
          </div>
        );
      })}
      {status ? <div className="statusline" title={status}>{status}</div> : null}
      {dialog && dialog.phase !== 'loading' && dialog.phase !== 'running' ? (
        <div className="backdrop" onClick={() => setDialog(null)}>
          <div className="dialog" role="dialog" aria-modal="true" data-testid="clip-dialog" onClick={(event) => event.stopPropagation()}>
            {dialog.phase === 'error' ? (
              <>
                <h3>Could not generate the clip</h3>
                <div className="notice bad">{dialog.message}</div>
                <div className="buttons">
                  <button className="btn" onClick={() => setDialog(null)}>
                    Close
                  </button>
                </div>
              </>
            ) : (
              <>
                <h3>Generate “{dialog.estimate.slot}” with {dialog.estimate.provider}?</h3>
                <div className="cost">{usd(dialog.estimate.estimate.usd)}</div>
                <p className="template-meta">
                  Estimated list price of one attempt ({dialog.estimate.estimate.source}, {dialog.estimate.estimate.date}). Retries after failures or
                  quality rejections cost extra; every attempt is recorded in the journal.
                </p>
                <dl>
                  <dt>Model</dt>
                  <dd>{dialog.estimate.model}</dd>
                  <dt>Length</dt>
                  <dd>{dialog.estimate.seconds} s</dd>
                  <dt>Prompt</dt>
                  <dd>{dialog.estimate.prompt}</dd>
                </dl>
                {dialog.estimate.available ? null : <div className="notice warn">Not available here: {dialog.estimate.reason}</div>}
                <div className="buttons">
                  <button className="btn" onClick={() => setDialog(null)}>
                    Cancel
                  </button>
                  {dialog.estimate.available ? (
                    <button className="btn primary" data-testid="confirm-generate" onClick={() => void confirm(dialog.estimate)}>
                      Generate for {usd(dialog.estimate.estimate.usd)}
                    </button>
                  ) : null}
                </div>
              </>
            )}
          </div>
        </div>
      ) : null}
    </>
  );
}
