import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv, type ErrorObject } from 'ajv';
import { DEFAULT_RATE_LIMITS, parsePriceTable, type ClipQaLimits, type PaidProviderConfig, type PriceTable, type RateLimits } from '../clips/index.js';
import { ConfigError } from '../errors/index.js';

/** Name of the project config file, looked up in the project folder. */
export const CONFIG_FILE_NAME = 'reelwright.config.json';

const SCHEMA_FILE = new URL('../../schemas/config.schema.json', import.meta.url);

/** The project config as the run stage uses it: every part resolved, absent is `null` or `{}`. */
export type ReelwrightConfig = {
  /** The file it was read from, or null when the project has none (all defaults). */
  file: string | null;
  /** Provider for every B-roll slot (like `--provider`), or null. */
  provider: string | null;
  /** Model for `provider` (like `--model`), or null. */
  model: string | null;
  /** The user's price table (replaces the shipped one), or null. */
  priceTable: PriceTable | null;
  /** Where `priceTable` came from (absolute), or null. */
  priceTableFile: string | null;
  /** Base URL and timeout of each paid provider. */
  providers: { runway: PaidProviderConfig; luma: PaidProviderConfig };
  /** Concurrency and create-rate limits per provider id (`DEFAULT_RATE_LIMITS` merged with the file's). */
  limits: Readonly<Record<string, RateLimits>>;
  clips: {
    /** Clips worked on at once across providers, or null for the default. */
    concurrency: number | null;
    /** Paid attempts per clip and provider, or null for the default (`--max-attempts` wins). */
    maxAttempts: number | null;
    /** Total time for one clip in ms, or null for the default. */
    deadlineMs: number | null;
    /** QA gate limits that differ from `DEFAULT_CLIP_QA_LIMITS`. */
    qa: Partial<ClipQaLimits>;
  };
};

/** Options of `loadConfig`. */
export type LoadConfigOptions = {
  /** Project folder; the config is `<projectDir>/reelwright.config.json`. */
  projectDir: string;
  /** A config file to read instead (absolute, or relative to `projectDir`). */
  file?: string | null;
};

type PaidProviderFile = { baseURL?: string; timeoutMs?: number; concurrency?: number; requestsPerMinute?: number | null };
type ConfigFile = {
  provider?: string;
  model?: string;
  priceTable?: string;
  providers?: { runway?: PaidProviderFile; luma?: PaidProviderFile; local?: { concurrency?: number } };
  clips?: { concurrency?: number; maxAttempts?: number; deadlineSeconds?: number; qa?: Partial<ClipQaLimits> };
};

/** The config of a project without a config file. */
export const DEFAULT_CONFIG: ReelwrightConfig = Object.freeze({
  file: null,
  provider: null,
  model: null,
  priceTable: null,
  priceTableFile: null,
  providers: { runway: {}, luma: {} },
  limits: DEFAULT_RATE_LIMITS,
  clips: { concurrency: null, maxAttempts: null, deadlineMs: null, qa: {} },
});

let validateFile: ReturnType<Ajv['compile']> | null = null;

function validator(): ReturnType<Ajv['compile']> {
  if (!validateFile) {
    const schema = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as object;
    validateFile = new Ajv({ allErrors: true, strict: true, verbose: true, allowUnionTypes: true }).compile(schema);
  }
  return validateFile;
}

/** `/providers/runway/timeoutMs` → `providers.runway.timeoutMs`. */
function keyPath(pointer: string, extra?: string): string {
  const parts = pointer.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (extra !== undefined) parts.push(extra);
  return parts.length > 0 ? parts.join('.') : '(the top level)';
}

/** What a value looks like in a message, never its content when the key smells of a secret. */
function shown(pointer: string, value: unknown): string {
  if (/key|secret|token|password/i.test(pointer)) return 'a value (not shown)';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

function valueAt(data: unknown, pointer: string): unknown {
  let value = data;
  for (const part of pointer.split('/').slice(1)) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return value;
}

/** One ajv error as a sentence that names the key, what was received and what is allowed. */
function describe(error: ErrorObject, data: unknown): string {
  const where = keyPath(error.instancePath);
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String((error.params as { additionalProperty: string }).additionalProperty);
      if (/key|secret|token/i.test(key)) {
        return `${keyPath(error.instancePath, key)}: API keys are never read from the config file. Remove it and set RUNWAYML_API_SECRET / LUMAAI_API_KEY in the environment.`;
      }
      const schemaProps = Object.keys(((error.parentSchema as { properties?: object } | undefined)?.properties ?? {}) as object).filter((k) => k !== '$schema');
      return `unknown key "${keyPath(error.instancePath, key)}". Allowed${error.instancePath ? ` in ${where}` : ''}: ${schemaProps.join(', ')}.`;
    }
    case 'enum':
      return `${where} must be one of ${((error.params as { allowedValues: unknown[] }).allowedValues ?? []).map((v) => JSON.stringify(v)).join(', ')}, got ${shown(error.instancePath, valueAt(data, error.instancePath))}.`;
    default:
      return `${where} ${error.message ?? 'is invalid'}, got ${shown(error.instancePath, valueAt(data, error.instancePath))}.`;
  }
}

function mergeLimits(file: ConfigFile): Record<string, RateLimits> {
  const limits: Record<string, RateLimits> = {};
  for (const [id, defaults] of Object.entries(DEFAULT_RATE_LIMITS)) limits[id] = { ...defaults };
  const providers = file.providers ?? {};
  for (const id of ['runway', 'luma'] as const) {
    const own = providers[id];
    if (!own) continue;
    const base = limits[id] ?? { concurrency: 1, createsPerMinute: null };
    limits[id] = {
      concurrency: own.concurrency ?? base.concurrency,
      createsPerMinute: own.requestsPerMinute !== undefined ? own.requestsPerMinute : base.createsPerMinute,
    };
  }
  if (providers.local?.concurrency !== undefined) limits['local'] = { ...(limits['local'] ?? { createsPerMinute: null }), concurrency: providers.local.concurrency } as RateLimits;
  return limits;
}

/**
 * Reads and validates the project's `reelwright.config.json` (schema: `schemas/config.schema.json`):
 * per-provider base URL, timeout, concurrency and creates per minute, a price-table override, clip
 * attempts, deadline, concurrency and QA limits, and a provider/model for every slot. A project
 * without the file gets `DEFAULT_CONFIG` (Runway 2 concurrent; Luma 10 concurrent and 20 creates a
 * minute). A bad file throws `ConfigError` `RW_CONFIG_INVALID` naming the file and each bad key —
 * before anything is locked, planned or spent. API keys are refused here: they come from the
 * environment only.
 *
 * @example
 * // reelwright.config.json
 * // { "providers": { "luma": { "concurrency": 4, "requestsPerMinute": 10 } }, "priceTable": "prices.json" }
 * const config = loadConfig({ projectDir: '.' });
 * config.limits['luma']; // { concurrency: 4, createsPerMinute: 10 }
 * @see ../../schemas/config.schema.json
 */
export function loadConfig(options: LoadConfigOptions): ReelwrightConfig {
  const explicit = options.file ? path.resolve(options.projectDir, options.file) : null;
  const file = explicit ?? path.resolve(options.projectDir, CONFIG_FILE_NAME);
  if (!existsSync(file)) {
    if (explicit) throw new ConfigError(`Config file ${explicit} does not exist.`, { code: 'RW_CONFIG_INVALID' });
    return DEFAULT_CONFIG;
  }
  const label = path.basename(file) === CONFIG_FILE_NAME && !explicit ? CONFIG_FILE_NAME : file;
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8')) as unknown;
  } catch (error) {
    throw new ConfigError(`${label} is not valid JSON: ${(error as Error).message}. Fix the file or remove it to use the defaults.`, { code: 'RW_CONFIG_INVALID', cause: error });
  }
  const validate = validator();
  if (!validate(data)) {
    const problems = [...new Set((validate.errors ?? []).map((e) => describe(e, data)))];
    throw new ConfigError(`${label}: ${problems.join(' ')} See schemas/config.schema.json.`, { code: 'RW_CONFIG_INVALID' });
  }
  const config = data as ConfigFile;
  if (config.model !== undefined && config.provider === undefined) {
    throw new ConfigError(`${label}: "model" needs "provider" (a model belongs to one provider), e.g. { "provider": "luma", "model": "ray-2" }.`, { code: 'RW_CONFIG_INVALID' });
  }
  let priceTable: PriceTable | null = null;
  let priceTableFile: string | null = null;
  if (config.priceTable !== undefined) {
    priceTableFile = path.resolve(path.dirname(file), config.priceTable);
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(priceTableFile, 'utf8')) as unknown;
    } catch (error) {
      throw new ConfigError(`${label}: priceTable ${JSON.stringify(config.priceTable)} could not be read as JSON (${(error as Error).message}). The path is relative to the config file.`, {
        code: 'RW_CONFIG_INVALID',
        cause: error,
      });
    }
    priceTable = parsePriceTable(raw, priceTableFile);
  }
  const provider = (p: PaidProviderFile | undefined): PaidProviderConfig => ({
    ...(p?.baseURL !== undefined ? { baseURL: p.baseURL } : {}),
    ...(p?.timeoutMs !== undefined ? { timeoutMs: p.timeoutMs } : {}),
  });
  return {
    file,
    provider: config.provider ?? null,
    model: config.model ?? null,
    priceTable,
    priceTableFile,
    providers: { runway: provider(config.providers?.runway), luma: provider(config.providers?.luma) },
    limits: mergeLimits(config),
    clips: {
      concurrency: config.clips?.concurrency ?? null,
      maxAttempts: config.clips?.maxAttempts ?? null,
      deadlineMs: config.clips?.deadlineSeconds !== undefined ? Math.max(1, Math.round(config.clips.deadlineSeconds * 1000)) : null,
      qa: { ...(config.clips?.qa ?? {}) },
    },
  };
}
