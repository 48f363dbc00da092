import { assertNever } from '../errors/index.js';
import { describeUnknownCost, type ClipEvent } from '../clips/index.js';

function usd(value: number): string {
  return `$${value.toFixed(2)}`;
}

/** One line for the studio's status bar about a clip generation event. */
export function describeClipEvent(event: ClipEvent): string {
  switch (event.type) {
    case 'cache-hit':
      return 'Already in the clip cache.';
    case 'resume':
      return `Resuming ${event.provider} task ${event.taskId} from an earlier run (no new charge).`;
    case 'attempt':
      return `Generating with ${event.provider} ${event.model}, attempt ${event.attemptNo} (about ${usd(event.estimatedCostUsd)}).`;
    case 'submitted':
      return `${event.provider} accepted task ${event.taskId}.`;
    case 'waiting':
      return `${event.provider}: ${event.status}${event.progress === null ? '' : ` ${Math.round(event.progress * 100)}%`}.`;
    case 'retry':
      return `${event.provider} failed with ${event.code}; retrying in ${Math.round(event.delayMs / 1000)} s.`;
    case 'attempt-failed':
      return `Attempt ${event.attemptNo} on ${event.provider} failed (${event.code}): ${event.message}${event.costUsd === null ? ` Its cost is unknown: ${describeUnknownCost(event.provider)}.` : ''}`;
    case 'rejected':
      return `The clip from ${event.provider} failed quality checks (${event.code}); trying again.`;
    case 'fallback':
      return `Falling back from ${event.from} to ${event.to}: ${event.reason}`;
    case 'succeeded':
      return `Clip ready from ${event.provider} ${event.model} after ${event.attempts} attempt(s), ${usd(event.costUsd)}.`;
    default:
      return assertNever(event, 'clip event');
  }
}
