import { ConfigError } from '../errors/index.js';
import type { ResolveInputImage } from './adapter-types.js';
import { createLocalProvider } from './local/local-provider.js';
import { createLumaProvider } from './luma/luma-provider.js';
import type { PriceTable } from './price-table.js';
import { createRunwayProvider } from './runway/runway-provider.js';
import type { ClipProvider } from './types.js';

/** Environment variables holding each paid provider's key and base URL. */
export const PROVIDER_ENV: Readonly<Record<'runway' | 'luma', { key: string; baseURL: string }>> = {
  runway: { key: 'RUNWAYML_API_SECRET', baseURL: 'RUNWAYML_BASE_URL' },
  luma: { key: 'LUMAAI_API_KEY', baseURL: 'LUMAAI_BASE_URL' },
};

/** Config of one paid provider (from the config file or the CLI). */
export type PaidProviderConfig = {
  /** Base URL (a reseller, a mock); wins over the environment variable. */
  baseURL?: string | null;
  /** Per-request timeout in ms. */
  timeoutMs?: number;
};

/** Options for `createProvider`. */
export type CreateProviderOptions = {
  /** Provider id: `runway`, `luma` or `local`. */
  id: string;
  /** Where keys and base URLs are read from (default `process.env`). */
  env?: Readonly<Record<string, string | undefined>>;
  /** Per-provider config. */
  config?: { runway?: PaidProviderConfig; luma?: PaidProviderConfig; local?: { workDir?: string } };
  /** Price table for estimates and Luma's recorded costs (default the shipped one). */
  priceTable?: PriceTable;
  /** Resolves input images for image→video. */
  resolveInputImage?: ResolveInputImage | null;
};

function baseUrlFrom(value: string | null | undefined, where: string): string | null {
  if (value === undefined || value === null || value === '') return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`${where} must be an http(s) URL, got ${JSON.stringify(value)}.`, { code: 'RW_CONFIG_INVALID' });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ConfigError(`${where} must be an http(s) URL, got a ${url.protocol} URL.`, { code: 'RW_CONFIG_INVALID' });
  }
  return value;
}

/**
 * Builds a provider by id from the environment and config. Called by the composition root
 * before any work starts, so a missing key fails the plan up front with the variable's name
 * (`ConfigError` `RW_PROVIDER_KEY_MISSING`), never halfway through a batch. The key goes into the
 * SDK client and nowhere else. `local` needs no key, only `config.local.workDir`.
 *
 * @example
 * const runway = createProvider({ id: 'runway', config: { runway: { baseURL: 'https://reseller.example/runway' } } });
 */
export function createProvider(options: CreateProviderOptions): ClipProvider {
  const env = options.env ?? process.env;
  const id = options.id;
  if (id === 'local') {
    const workDir = options.config?.local?.workDir;
    if (!workDir) throw new ConfigError('The local provider needs config.local.workDir (where it writes its clips).', { code: 'RW_CONFIG_INVALID' });
    return createLocalProvider({ workDir });
  }
  if (id !== 'runway' && id !== 'luma') {
    throw new ConfigError(`Unknown clip provider "${id}". Known providers: local, runway, luma.`, { code: 'RW_PROVIDER_UNKNOWN' });
  }
  const names = PROVIDER_ENV[id];
  const apiKey = env[names.key];
  if (!apiKey) {
    throw new ConfigError(`The ${id} provider needs an API key: set the ${names.key} environment variable (it is read from the environment only, never from config files).`, {
      code: 'RW_PROVIDER_KEY_MISSING',
    });
  }
  const config = options.config?.[id] ?? {};
  const baseURL = config.baseURL !== undefined && config.baseURL !== null ? baseUrlFrom(config.baseURL, `config ${id}.baseURL`) : baseUrlFrom(env[names.baseURL], names.baseURL);
  const common = {
    apiKey,
    baseURL,
    ...(config.timeoutMs !== undefined ? { timeoutMs: config.timeoutMs } : {}),
    ...(options.priceTable ? { priceTable: options.priceTable } : {}),
    resolveInputImage: options.resolveInputImage ?? null,
  };
  return id === 'runway' ? createRunwayProvider(common) : createLumaProvider(common);
}
