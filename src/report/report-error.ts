import { ReelwrightError } from '../errors/index.js';

/**
 * A report cannot be built or written: the run is not in the journal, the journal has no runs, or a
 * report file cannot be written. Codes: `RW_REPORT_UNKNOWN_RUN`, `RW_REPORT_NO_RUNS`, `RW_REPORT_WRITE_FAILED`.
 */
export class ReportError extends ReelwrightError {}
