import LumaAI from 'lumaai';

/**
 * `lumaai` prints every request's headers with `console.log` when `DEBUG=true` (its `debug()` in
 * core.ts runs before the fetch), which would put `Authorization: Bearer <key>` in logs. This
 * client adds the header at the last moment, in `fetchWithTimeout`, after that log line; the
 * SDK's own auth header and `authToken` field never hold the key.
 */
class KeyAtFetchLumaAI extends LumaAI {
  readonly #apiKey: string;
  constructor(apiKey: string, options: Omit<ConstructorParameters<typeof LumaAI>[0] & object, 'authToken'>) {
    super({ ...options, authToken: 'set-at-fetch' });
    this.#apiKey = apiKey;
  }
  protected override authHeaders(): Record<string, string> {
    return {};
  }
  override fetchWithTimeout(...[url, init, ms, controller]: Parameters<LumaAI['fetchWithTimeout']>): ReturnType<LumaAI['fetchWithTimeout']> {
    const headers = { ...(init?.headers as Record<string, string> | undefined), authorization: `Bearer ${this.#apiKey}` };
    return super.fetchWithTimeout(url, { ...init, headers }, ms, controller);
  }
}

/** Options for `createLumaClient`. */
export type CreateLumaClientOptions = {
  apiKey: string;
  /** Base URL, or null for Luma's default. */
  baseURL: string | null;
  /** SDK retries: 0 for anything that creates (a retried POST can bill twice). */
  maxRetries: number;
  /** Per-request timeout in ms. */
  timeoutMs: number;
};

/**
 * A `lumaai` client that keeps the key out of the SDK's `DEBUG=true` request logging.
 *
 * @example
 * const client = createLumaClient({ apiKey, baseURL: null, maxRetries: 0, timeoutMs: 60_000 });
 */
export function createLumaClient(options: CreateLumaClientOptions): LumaAI {
  return new KeyAtFetchLumaAI(options.apiKey, { baseURL: options.baseURL ?? undefined, maxRetries: options.maxRetries, timeout: options.timeoutMs });
}
