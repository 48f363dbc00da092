import { CancelledError, ReelwrightError } from '../errors/index.js';
import { ProviderCallError } from './clip-errors.js';
import type { ProviderCallErrorCode } from './clip-errors.js';
import { parseRetryAfter } from './retry-policy.js';

/** One row of a provider's HTTP failure table: the error code and whether the same call may succeed later. */
export type HttpFailureRow = { code: ProviderCallErrorCode; retryable: boolean };

/** What every Stainless-generated SDK error (`@runwayml/sdk`, `lumaai`) carries once a response came back. */
type SdkApiError<H> = Error & { status: number | undefined; headers: H | undefined; error: unknown };

/** A class the SDK throws, so `instanceof` works on the caller's own SDK copy. */
type ErrorClass<T> = abstract new (...args: never[]) => T;

/**
 * How one provider's SDK errors map to `ProviderCallError`. Each provider keeps its own failure
 * table (`RUNWAY_FAILURE_TABLE`, `LUMA_FAILURE_TABLE`) and plugs it in here, so the mapping itself is written once.
 */
export type MapApiErrorOptions<H> = {
  /** `ProviderCallError.provider`, e.g. `'runway'`. */
  provider: string;
  /** The provider's name in messages, e.g. `'Runway'`. */
  label: string;
  /** The SDK's error classes. */
  sdk: {
    APIUserAbortError: ErrorClass<Error>;
    APIConnectionTimeoutError: ErrorClass<Error>;
    APIConnectionError: ErrorClass<Error>;
    APIError: ErrorClass<SdkApiError<H>>;
  };
  /** The provider's HTTP failure table: status → row; `500` stands for every 5xx, other statuses become `RW_PROVIDER_HTTP`. */
  http: Readonly<Record<number, HttpFailureRow>>;
  /** Reads one response header from the SDK's header object. */
  readHeader: (headers: H, name: string) => string | null | undefined;
  /** Plain words for the response body (what the provider said), e.g. `'no details'` when it said nothing usable. */
  describeBody: (body: unknown) => string;
  /** Lets a provider refine the table's row from the status and described body (e.g. Luma's moderation 400s); default: the row as is. */
  refineRow?: (row: HttpFailureRow, status: number, description: string) => HttpFailureRow;
  /** Sentence added to `RW_PROVIDER_AUTH` messages, naming the key's variable (never its value). */
  authHint: string;
  /** Words for a 429, before the optional "; it asked to wait N s", e.g. `"Runway's rate limit was hit"`. */
  rateLimitWords: string;
};

/**
 * Maps anything a provider SDK threw to a `ProviderCallError` (through the provider's HTTP failure table)
 * or a `CancelledError` when our signal aborted the call; a `ReelwrightError` or anything that is not an
 * SDK error is returned unchanged. `what` names the call, e.g. `POST /v1/text_to_video`.
 * The SDK error is kept as `cause`; it holds the response body and headers, never the request's key.
 */
export function mapApiError<H>(error: unknown, what: string, options: MapApiErrorOptions<H>): Error {
  const { provider, label, sdk } = options;
  if (error instanceof ReelwrightError) return error;
  if (error instanceof sdk.APIUserAbortError) return new CancelledError(`${label} ${what} was cancelled.`, error);
  if (error instanceof sdk.APIConnectionTimeoutError) {
    return new ProviderCallError(`${label} ${what} timed out before an answer came back; it is retried with backoff.`, {
      code: 'RW_PROVIDER_TIMEOUT',
      provider,
      status: null,
      retryable: true,
      cause: error,
    });
  }
  if (error instanceof sdk.APIConnectionError) {
    return new ProviderCallError(`${label} ${what} could not connect (${error.message}); it is retried with backoff.`, {
      code: 'RW_PROVIDER_CONNECTION',
      provider,
      status: null,
      retryable: true,
      cause: error,
    });
  }
  if (error instanceof sdk.APIError && typeof error.status === 'number') {
    const status = error.status;
    const table = options.http;
    const tableRow = table[status] ?? (status >= 500 ? table[500]! : { code: 'RW_PROVIDER_HTTP' as const, retryable: false });
    const description = options.describeBody(error.error);
    const row = options.refineRow ? options.refineRow(tableRow, status, description) : tableRow;
    const headers = error.headers;
    const retryAfterMs =
      status === 429 && headers
        ? parseRetryAfter({ retryAfterMs: options.readHeader(headers, 'retry-after-ms'), retryAfter: options.readHeader(headers, 'retry-after'), nowMs: Date.now() })
        : null;
    const hint =
      row.code === 'RW_PROVIDER_AUTH'
        ? ` ${options.authHint}`
        : row.code === 'RW_PROVIDER_RATE_LIMITED'
          ? ` ${options.rateLimitWords}${retryAfterMs !== null ? `; it asked to wait ${Math.ceil(retryAfterMs / 1000)} s` : ''}.`
          : '';
    return new ProviderCallError(`${label} ${what} answered ${status}: ${description}.${hint}`, {
      code: row.code,
      provider,
      status,
      retryable: row.retryable,
      retryAfterMs,
      cause: error,
    });
  }
  // Not an SDK error (a bug, or a problem building the request): keep it as it is so it is not retried blindly.
  return error instanceof Error ? error : new Error(String(error));
}
