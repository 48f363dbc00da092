/**
 * Exit codes, documented in the README for cron users.
 * - 0: every row rendered or already up to date (or the command succeeded).
 * - 1: the run finished but some rows failed or were invalid.
 * - 2: the run could not start (bad option, missing dataset or template, another run holds the lock, `--strict` with an invalid row).
 * - 130: `render` stopped by Ctrl-C (SIGINT/SIGTERM); the journal is finished first, `render` again resumes.
 */
export const EXIT_OK = 0;
export const EXIT_SOME_FAILED = 1;
export const EXIT_CANNOT_START = 2;
export const EXIT_INTERRUPTED = 130;
