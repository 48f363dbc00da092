import { ReelwrightError } from '../errors/index.js';

const DOCS = 'README.md#troubleshooting';

/**
 * Known failures and what to do about them, keyed by error code. Only for errors whose message does not already say
 * what to do (`RW_RUN_LOCKED`'s names --wait itself).
 */
const HINTS: Record<string, string> = {
  RW_CHROMIUM_MISSING: 'Run `make demo` (installs it) or `sudo apt-get install -y chromium-headless-shell`; `reelwright doctor` checks.',
  RW_FFMPEG_MISSING: 'Run `make demo` (installs it) or `sudo apt-get install -y ffmpeg`; `reelwright doctor` checks.',
  RW_PROVIDER_AUTH: 'Check the API key variable named above; `reelwright providers` shows which keys are set.',
  RW_PROVIDER_KEY_MISSING: 'Export the variable named above, or use --provider local to render with placeholder clips.',
};

/** A one-line hint with a docs link for a known error, or null. */
export function hintFor(error: unknown): string | null {
  if (!(error instanceof ReelwrightError)) return null;
  const hint = HINTS[error.code];
  return hint ? `${hint} (see ${DOCS})` : null;
}
