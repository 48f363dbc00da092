/** Object keys whose values are never written anywhere (journal, logs, reports, plans). */
export const SECRET_KEY_PATTERN = /key|secret|token|password|authorization|credential/i;

/** What replaces a secret. */
export const REDACTED = '[redacted]';

/** Options of `scrubSecrets`. */
export type ScrubSecretsOptions = {
  /** Any JSON-like value (options, totals). */
  value: unknown;
  /** Literal secret values (API keys from the environment) to cut out of every string. */
  secretValues?: readonly string[];
};

/**
 * Returns a copy of a JSON-like value that is safe to persist: the value of every key matching
 * `SECRET_KEY_PATTERN` (at any depth) becomes `"[redacted]"`, and every known secret value is
 * cut out of every string. Functions, symbols and `undefined` are dropped, as `JSON.stringify` would.
 *
 * @example
 * scrubSecrets({ value: { apiKey: 'sk-1', concurrency: 2 } }); // { apiKey: '[redacted]', concurrency: 2 }
 */
export function scrubSecrets(options: ScrubSecretsOptions): unknown {
  const secrets = options.secretValues ?? [];
  const walk = (value: unknown, depth: number): unknown => {
    if (typeof value === 'string') return scrubText(value, secrets);
    if (value === null || typeof value !== 'object') return typeof value === 'function' || typeof value === 'symbol' ? undefined : value;
    if (depth > 64) return REDACTED; // cyclic or absurdly deep: refuse rather than overflow
    if (Array.isArray(value)) return value.map((v) => walk(v, depth + 1) ?? null);
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (SECRET_KEY_PATTERN.test(k)) {
        out[k] = REDACTED;
        continue;
      }
      const scrubbed = walk(v, depth + 1);
      if (scrubbed !== undefined) out[k] = scrubbed;
    }
    return out;
  };
  return walk(options.value, 0);
}

/**
 * Cuts known secret values out of a text and redacts `--api-key VALUE`, `--token=VALUE`,
 * `API_KEY=VALUE` forms (for command lines and error messages).
 */
export function scrubText(text: string, secretValues: readonly string[] = []): string {
  let out = text;
  for (const secret of secretValues) if (secret.length > 0) out = out.split(secret).join(REDACTED);
  // --flag value / --flag=value where the flag name looks secret.
  out = out.replace(/(--?[\w-]*(?:key|secret|token|password|authorization|credential)[\w-]*)(=|\s+)(\S+)/gi, `$1$2${REDACTED}`);
  // NAME=value assignments (environment-style).
  out = out.replace(/\b([A-Za-z_]*(?:KEY|SECRET|TOKEN|PASSWORD)[A-Za-z_]*)=(\S+)/gi, `$1=${REDACTED}`);
  // HTTP bearer credentials echoed by SDK errors.
  out = out.replace(/\b(Bearer)\s+[\w.~+/=-]+/gi, `$1 ${REDACTED}`);
  return out;
}
