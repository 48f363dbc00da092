import RunwayML from '@runwayml/sdk';
import { throwIfAborted } from '../errors/index.js';
import { createLumaClient } from './luma/create-luma-client.js';
import { mapLumaError } from './luma/map-luma-failure.js';
import { mapRunwayError } from './runway/map-runway-failure.js';
import { RUNWAY_CREDIT_USD } from './runway/runway-provider.js';
import { withCallSignal } from './with-call-signal.js';

/** Options for `readBalance`. */
export type ReadBalanceOptions = {
  provider: 'runway' | 'luma';
  /** The provider's key; used for this one call and never echoed. */
  apiKey: string;
  /** Base URL, or null for the provider's default. */
  baseURL?: string | null;
  /** Request timeout in ms (default 15 s). */
  timeoutMs?: number;
  signal?: AbortSignal | null;
};

/** An account balance, in USD and in the provider's own unit. */
export type ProviderBalance = {
  provider: 'runway' | 'luma';
  balanceUsd: number;
  /** Runway counts credits (1 credit = $0.01); Luma reports USD cents. */
  raw: { unit: 'credits' | 'usd_cents'; amount: number };
};

/** Default timeout: a balance check should answer quickly or not at all. */
export const DEFAULT_BALANCE_TIMEOUT_MS = 15_000;

/**
 * Reads the account balance for `reelwright providers`: Runway `GET /v1/organization`
 * (`creditBalance`), Luma `GET /credits` (`credit_balance`, USD cents). Errors go through the
 * provider's failure-mapping table (a bad key → `RW_PROVIDER_AUTH`, naming the variable, not the key).
 *
 * @example
 * const { balanceUsd } = await readBalance({ provider: 'luma', apiKey: process.env.LUMAAI_API_KEY! });
 */
export async function readBalance(options: ReadBalanceOptions): Promise<ProviderBalance> {
  const signal = options.signal ?? null;
  const timeout = options.timeoutMs ?? DEFAULT_BALANCE_TIMEOUT_MS;
  throwIfAborted(signal);
  // A GET is safe to retry, so the SDKs' own two retries stay on here.
  if (options.provider === 'runway') {
    const client = new RunwayML({ apiKey: options.apiKey, baseURL: options.baseURL ?? undefined, timeout, logLevel: 'off' });
    try {
      const org = await withCallSignal(signal, (s) => client.organization.retrieve({ signal: s }));
      return { provider: 'runway', balanceUsd: org.creditBalance * RUNWAY_CREDIT_USD, raw: { unit: 'credits', amount: org.creditBalance } };
    } catch (error) {
      throw mapRunwayError(error, 'GET /v1/organization');
    }
  }
  const client = createLumaClient({ apiKey: options.apiKey, baseURL: options.baseURL ?? null, maxRetries: 2, timeoutMs: timeout });
  try {
    const credits = await withCallSignal(signal, (s) => client.credits.get({ signal: s }));
    return { provider: 'luma', balanceUsd: credits.credit_balance / 100, raw: { unit: 'usd_cents', amount: credits.credit_balance } };
  } catch (error) {
    throw mapLumaError(error, 'GET /credits');
  }
}
