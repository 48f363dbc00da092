import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
} from '@runwayml/sdk';
import type { ProviderCallErrorCode } from '../clip-errors.js';
import { mapApiError } from '../map-api-error.js';
import type { FailureKind, ProviderFailure } from '../types.js';

/**
 * Runway's one failure-mapping table: task `failureCode`s (matched by prefix, most specific first)
 * and HTTP statuses of the API, to provider-neutral kinds. Codes from
 * https://docs.dev.runwayml.com/errors/task-failures/ and PROVIDERS.md.
 */
export const RUNWAY_FAILURE_TABLE = {
  /** `failureCode` prefix → kind and the plain words a report shows. */
  task: [
    { prefix: 'SAFETY.INPUT.', kind: 'moderation_input', words: "Runway's content moderation refused the prompt or input image; change it (this is never retried)" },
    { prefix: 'INPUT_PREPROCESSING.SAFETY.', kind: 'moderation_input', words: "Runway's content moderation refused the prompt or input image; change it (this is never retried)" },
    { prefix: 'SAFETY.OUTPUT.', kind: 'moderation_output', words: "Runway's content moderation refused the generated video; retrying with a new seed may help" },
    { prefix: 'INTERNAL.BAD_OUTPUT', kind: 'bad_output', words: 'Runway rejected its own output as unusable; retrying with a new seed may help' },
    { prefix: 'ASSET.INVALID', kind: 'invalid_input', words: 'Runway could not use an input asset (image format, size or URL); fix the input' },
    { prefix: 'INTERNAL', kind: 'internal', words: 'Runway had an internal error; retrying may help' },
    { prefix: '', kind: 'internal', words: 'Runway reported a failure' },
  ] satisfies readonly { prefix: string; kind: FailureKind; words: string }[],
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

/** What a FAILED Runway task reports. */
export type RunwayTaskFailure = { failureCode: string | null | undefined; failure: string | null | undefined };

/** Maps a FAILED task's `failureCode`/`failure` to a `ProviderFailure` through `RUNWAY_FAILURE_TABLE`. */
export function mapRunwayFailure(task: RunwayTaskFailure): ProviderFailure {
  const code = task.failureCode ?? '';
  const row = RUNWAY_FAILURE_TABLE.task.find((r) => code.startsWith(r.prefix)) ?? RUNWAY_FAILURE_TABLE.task[RUNWAY_FAILURE_TABLE.task.length - 1]!;
  const said = task.failure ? ` Runway said: "${task.failure}".` : '';
  return {
    kind: row.kind,
    providerCode: task.failureCode ?? null,
    message: `${row.words} (${task.failureCode ?? 'no failure code'}).${said}`,
  };
}

function describeBody(body: unknown): string {
  if (body && typeof body === 'object') {
    const record = body as { error?: unknown; issues?: unknown };
    const parts: string[] = [];
    if (typeof record.error === 'string') parts.push(record.error);
    if (Array.isArray(record.issues)) {
      for (const issue of record.issues.slice(0, 5)) {
        if (issue && typeof issue === 'object' && 'message' in issue) {
          const path = Array.isArray((issue as { path?: unknown }).path) ? (issue as { path: unknown[] }).path.join('.') : '';
          parts.push(`${path ? `${path}: ` : ''}${String((issue as { message: unknown }).message)}`);
        }
      }
    }
    if (parts.length > 0) return parts.join('; ');
  }
  return 'no details';
}

/**
 * Maps anything the Runway SDK threw to a `ProviderCallError` (through `RUNWAY_FAILURE_TABLE.http`)
 * or a `CancelledError` when our signal aborted the call; anything else is returned unchanged. `what` names the call, e.g. `POST /v1/text_to_video`.
 * The SDK error is kept as `cause`; it holds the response body and headers, never the request's key.
 */
export function mapRunwayError(error: unknown, what: string): Error {
  return mapApiError(error, what, {
    provider: 'runway',
    label: 'Runway',
    sdk: { APIUserAbortError, APIConnectionTimeoutError, APIConnectionError, APIError },
    http: RUNWAY_FAILURE_TABLE.http,
    readHeader: (headers: Headers, name) => headers.get(name),
    describeBody,
    authHint: 'Check RUNWAYML_API_SECRET (the key is not shown here).',
    rateLimitWords: "Runway's rate or daily limit was hit",
  });
}
