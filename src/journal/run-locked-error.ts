import { JournalError } from './journal-error.js';
import type { RunLockInfo } from './run-lock.js';

/** Another live run holds the state folder's lock (`RW_RUN_LOCKED`); `holder` says which. */
export class RunLockedError extends JournalError {
  /** The running holder: pid, host, command, start time. */
  readonly holder: RunLockInfo;
  constructor(message: string, holder: RunLockInfo) {
    super(message, { code: 'RW_RUN_LOCKED' });
    this.holder = holder;
  }
}
