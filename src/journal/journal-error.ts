import { ReelwrightError } from '../errors/index.js';

/**
 * The journal, the clip-cache index or the run lock refused an operation.
 * Codes: `RW_RUN_LOCKED`, `RW_JOURNAL_BAD_TRANSITION`, `RW_JOURNAL_TOO_NEW`, `RW_JOURNAL_SQL_HEADER`,
 * `RW_JOURNAL_UNKNOWN_RUN`, `RW_JOURNAL_CLOSED`.
 */
export class JournalError extends ReelwrightError {}
