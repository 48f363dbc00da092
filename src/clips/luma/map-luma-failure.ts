import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'lumaai';
import type { ProviderCallErrorCode } from '../clip-errors.js';
import { mapApiError } from '../map-api-error.js';
import type { FailureKind, ProviderFailure } from '../types.js';

/**
 * Luma's one failure-mapping table: `failure_reason` texts and HTTP statuses to provider-neutral
 * kinds (examples from PROVIDERS.md). Luma sends no machine-readable failure code, so this table is
 * the one place that reads its reason text; everything downstream branches on `kind`.
 */
export const LUMA_FAILURE_TABLE = {
  /** `failure_reason` pattern → kind and the plain words a report shows; first match wins. */
  task: [
    { pattern: /blacklisted words/i, kind: 'moderation_input', words: "Luma's moderation refused words in the prompt; change the prompt (this is never retried)" },
    { pattern: /prompt moderation/i, kind: 'moderation_input', words: "Luma's moderation refused the prompt; change the prompt (this is never retried)" },
    { pattern: /image moderation|keyframe moderation/i, kind: 'moderation_input', words: "Luma's moderation refused the input image; change it (this is never retried)" },
    { pattern: /frame moderation failed/i, kind: 'moderation_output', words: "Luma's moderation refused the generated frames; retrying may help" },
    { pattern: /prompt processing failed/i, kind: 'internal', words: 'Luma could not process the prompt; retrying may help' },
    { pattern: /job failed/i, kind: 'internal', words: 'Luma had an internal error; retrying may help' },
    { pattern: /.*/, kind: 'internal', words: 'Luma reported a failure' },
  ] satisfies readonly { pattern: RegExp; kind: FailureKind; words: string }[],
  /** HTTP status → error code and whether the same call may succeed later. `500` stands for every 5xx. */
  http: {
    400: { code: 'RW_PROVIDER_BAD_REQUEST', retryable: false },
    401: { code: 'RW_PROVIDER_AUTH', retryable: false },
    403: { code: 'RW_PROVIDER_AUTH', retryable: false },
    404: { code: 'RW_PROVIDER_NOT_FOUND', retryable: false },
    408: { code: 'RW_PROVIDER_TIMEOUT', retryable: true },
    409: { code: 'RW_PROVIDER_UNAVAILABLE', retryable: true },
    422: { code: 'RW_PROVIDER_BAD_REQUEST', retryable: false },
    429: { code: 'RW_PROVIDER_RATE_LIMITED', retryable: true },
    500: { code: 'RW_PROVIDER_UNAVAILABLE', retryable: true },
  } satisfies Readonly<Record<number, { code: ProviderCallErrorCode; retryable: boolean }>>,
} as const;

/** Maps a failed generation's `failure_reason` to a `ProviderFailure` through `LUMA_FAILURE_TABLE`. */
export function mapLumaFailure(failureReason: string | null | undefined): ProviderFailure {
  const reason = failureReason ?? '';
  const row = LUMA_FAILURE_TABLE.task.find((r) => r.pattern.test(reason)) ?? LUMA_FAILURE_TABLE.task[LUMA_FAILURE_TABLE.task.length - 1]!;
  return {
    kind: row.kind,
    providerCode: failureReason ?? null,
    message: `${row.words}.${failureReason ? ` Luma said: "${failureReason}".` : ''}`,
  };
}

function detailOf(body: unknown): string | null {
  if (body && typeof body === 'object' && 'detail' in body) {
    const detail = (body as { detail: unknown }).detail;
    if (typeof detail === 'string') return detail;
    return JSON.stringify(detail);
  }
  return null;
}

/**
 * Maps anything the `lumaai` SDK threw to a `ProviderCallError` (through `LUMA_FAILURE_TABLE.http`)
 * or a `CancelledError` when our signal aborted the call; anything else is returned unchanged.
 * A 400 whose `detail` is a moderation refusal becomes `RW_PROVIDER_MODERATION` (never retried, no fallback).
 */
export function mapLumaError(error: unknown, what: string): Error {
  return mapApiError(error, what, {
    provider: 'luma',
    label: 'Luma',
    sdk: { APIUserAbortError, APIConnectionTimeoutError, APIConnectionError, APIError },
    http: LUMA_FAILURE_TABLE.http,
    readHeader: (headers: Record<string, string | null | undefined>, name) => headers[name],
    describeBody: (body) => detailOf(body) ?? 'no details',
    refineRow: (row, status, detail) =>
      status === 400 && mapLumaFailure(detail).kind === 'moderation_input' ? { code: 'RW_PROVIDER_MODERATION', retryable: false } : row,
    authHint: 'Check LUMAAI_API_KEY (the key is not shown here).',
    rateLimitWords: "Luma's rate limit was hit",
  });
}
