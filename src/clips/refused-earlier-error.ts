import { ClipGenerationError } from './clip-errors.js';
import type { InputRefusal } from './clip-ledger.js';

/** Options of `refusedEarlierError`. */
export type RefusedEarlierErrorOptions = {
  /** What the journal remembers (`ClipLedger.findInputRefusal`, `Journal.listInputRefusals`). */
  refusal: InputRefusal;
};

/** `2026-11-25 18:04 UTC`. */
function formatWhen(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/**
 * The error of a clip whose prompt (or first-frame image) a provider's input moderation refused in an
 * earlier run: `RW_CLIP_REFUSED_EARLIER`, no attempt, nothing spent. Its message says which provider
 * refused it, in which run and when, the provider's reason, and what to do.
 *
 * @example
 * const refusal = ledger.findInputRefusal(clipId);
 * if (refusal && !retryRefused) throw refusedEarlierError({ refusal });
 */
export function refusedEarlierError(options: RefusedEarlierErrorOptions): ClipGenerationError {
  const { refusal } = options;
  const run = refusal.runId === null ? '' : ` in run ${refusal.runId}`;
  return new ClipGenerationError(
    `Refused earlier: ${refusal.provider}'s input moderation refused clip ${refusal.clipId} (${refusal.model})${run} on ${formatWhen(refusal.refusedAt)}, ` +
      `so it is not submitted again. Reason: ${refusal.message} ` +
      "Change the prompt or the row's values; or pass --retry-refused to submit it again.",
    {
      code: 'RW_CLIP_REFUSED_EARLIER',
      failure: { kind: 'moderation_input', providerCode: refusal.failureCode, message: refusal.message },
      attempts: 0,
      costUsd: 0,
    },
  );
}
