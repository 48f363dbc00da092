import { describe, expect, it } from 'vitest';
import type { ClipId } from '../clips/index.js';
import { describeClipEvent } from './describe-clip-event.js';

const clipId = 'c'.repeat(64) as ClipId;

describe('describeClipEvent', () => {
  it('says when a failed attempt may still be billed (cost unknown), and not when its cost is known', () => {
    const failed = { type: 'attempt-failed', clipId, provider: 'runway', attemptNo: 1, code: 'RW_PROVIDER_TIMEOUT', message: 'Runway did not answer within 60 s.' } as const;
    expect(describeClipEvent({ ...failed, costUsd: null })).toBe(
      'Attempt 1 on runway failed (RW_PROVIDER_TIMEOUT): Runway did not answer within 60 s. Its cost is unknown: the create call got no answer, so runway may have made (and may bill) a task that reelwright cannot see; check the runway dashboard.',
    );
    expect(describeClipEvent({ ...failed, costUsd: 0 })).toBe('Attempt 1 on runway failed (RW_PROVIDER_TIMEOUT): Runway did not answer within 60 s.');
  });
});
