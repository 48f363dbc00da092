import { SECRET_KEY_PATTERN } from './scrub-secrets.js';

/** Secret values shorter than this are not treated as secrets (too likely to match ordinary text). */
export const MIN_SECRET_LENGTH = 8;

/** Options of `collectSecretValues`. */
export type CollectSecretValuesOptions = {
  /** Environment to read; `process.env` in production. */
  env: Readonly<Record<string, string | undefined>>;
};

/**
 * The values of environment variables whose names look secret (`RUNWAYML_API_SECRET`,
 * `LUMAAI_API_KEY`, …), longest first, so the journal can cut them out of anything it writes.
 */
export function collectSecretValues(options: CollectSecretValuesOptions): string[] {
  const values = new Set<string>();
  for (const [name, value] of Object.entries(options.env)) {
    if (value !== undefined && value.length >= MIN_SECRET_LENGTH && SECRET_KEY_PATTERN.test(name)) values.add(value);
  }
  return [...values].sort((a, b) => b.length - a.length);
}
