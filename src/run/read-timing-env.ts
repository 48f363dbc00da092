import { ConfigError } from '../errors/index.js';

/** Variable names of the hidden test knobs (not CLI flags: real providers should be polled at their own pace). */
export const POLL_INTERVAL_ENV = 'REELWRIGHT_POLL_INTERVAL_MS';
export const RETRY_BASE_ENV = 'REELWRIGHT_RETRY_BASE_MS';

/** Provider timing set by the hidden test knobs; null where the variable is unset (the defaults apply). */
export type TimingEnv = { pollIntervalMs: number | null; retryBaseDelayMs: number | null };

function fromEnv(env: Readonly<Record<string, string | undefined>>, name: string): number | null {
  const raw = env[name];
  if (raw === undefined || raw === '') return null;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) {
    throw new ConfigError(`${name} must be a whole number of milliseconds ≥ 0, got ${JSON.stringify(raw)}. It is a test setting; unset it for real runs.`, { code: 'RW_CONFIG_INVALID' });
  }
  return value;
}

/**
 * Reads `REELWRIGHT_POLL_INTERVAL_MS` and `REELWRIGHT_RETRY_BASE_MS`, so that tests against the mock providers poll
 * and back off in milliseconds, in the batch and in the studio alike. Throws `ConfigError` for a value that is not a
 * whole number ≥ 0.
 *
 * @example
 * readTimingEnv({ REELWRIGHT_POLL_INTERVAL_MS: '20' }); // { pollIntervalMs: 20, retryBaseDelayMs: null }
 */
export function readTimingEnv(env: Readonly<Record<string, string | undefined>>): TimingEnv {
  return { pollIntervalMs: fromEnv(env, POLL_INTERVAL_ENV), retryBaseDelayMs: fromEnv(env, RETRY_BASE_ENV) };
}
