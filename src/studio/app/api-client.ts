import type { StudioErrorInfo } from '../types.js';

/** An API call that failed: the server's code, message and source locations. */
export class ApiError extends Error {
  readonly code: string;
  readonly status: number;
  readonly info: StudioErrorInfo;
  constructor(status: number, info: StudioErrorInfo) {
    super(info.message);
    this.name = 'ApiError';
    this.code = info.code;
    this.status = status;
    this.info = info;
  }
}

async function parse<T>(response: Response): Promise<T> {
  const text = await response.text();
  let body: unknown = null;
  try {
    body = text === '' ? null : JSON.parse(text);
  } catch {
    // Not JSON (a proxy page, a crash): reported below with the raw text.
  }
  if (!response.ok) {
    const error = (body as { error?: StudioErrorInfo } | null)?.error;
    throw new ApiError(response.status, error ?? { code: 'RW_STUDIO_HTTP', message: `HTTP ${response.status}: ${text.slice(0, 300)}`, locations: [] });
  }
  return body as T;
}

/** GETs a studio API path with query parameters and returns its JSON; throws `ApiError` on failure. */
export async function getJson<T>(path: string, query: Readonly<Record<string, string>> = {}, signal?: AbortSignal): Promise<T> {
  const search = new URLSearchParams(query).toString();
  return parse<T>(await fetch(search ? `${path}?${search}` : path, { signal: signal ?? null, headers: { accept: 'application/json' } }));
}

/** POSTs JSON to a studio API path and returns its JSON; throws `ApiError` on failure. */
export async function postJson<T>(path: string, body: unknown, signal?: AbortSignal): Promise<T> {
  return parse<T>(
    await fetch(path, {
      method: 'POST',
      signal: signal ?? null,
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body),
    }),
  );
}

/** The `StudioErrorInfo` of anything thrown by the calls above (or by the app itself). */
export function toErrorInfo(error: unknown): StudioErrorInfo {
  if (error instanceof ApiError) return error.info;
  return { code: 'RW_STUDIO_APP', message: error instanceof Error ? error.message : String(error), locations: [] };
}
