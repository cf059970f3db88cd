// The one place the client talks HTTP. Failures become ApiRequestError with
// what the user may be told: the server's `message` (safe by contract, see
// shared/schemas/common.ts) or nothing, and the UI words it through i18n.
// State-changing requests carry the session's CSRF token (x-csrf-token, from
// the sign-in or /auth/me reply); a 401 from any call made while signed in
// is reported to the session store, which returns the browser to /login.
import type { ApiError } from '@shared/schemas/common.ts';

export class ApiRequestError extends Error {
  constructor(
    /** HTTP status, or 0 when the server could not be reached. */
    readonly status: number,
    /** The server's user-safe message, if it sent one. */
    readonly serverMessage: string | null,
    /** The error reply's other fields (e.g. `totpRequired` of a failed sign-in). */
    readonly details: Record<string, unknown> = {},
  ) {
    super(serverMessage ?? (status === 0 ? 'network error' : `HTTP ${status}`));
    this.name = 'ApiRequestError';
  }
}

function isApiError(body: unknown): body is ApiError {
  return typeof body === 'object' && body !== null && typeof (body as ApiError).message === 'string'
    && typeof (body as ApiError).statusCode === 'number';
}

export type Query = Record<string, string | number | undefined>;

export function buildUrl(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined) params.set(k, String(v));
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

let csrfToken: string | null = null;
let onUnauthorized: ((path: string) => void) | null = null;

/** The token the server bound to this session; sent on every POST/PUT/PATCH/DELETE. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called with the path of any request answered 401 (except those that expect it, like sign-in). */
export function setUnauthorizedHandler(handler: ((path: string) => void) | null): void {
  onUnauthorized = handler;
}

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  signal?: AbortSignal;
  /** The caller handles a 401 itself (sign-in, who-am-I, kiosk exchange): no return to /login. */
  expectUnauthorized?: boolean;
}

export async function requestJson<T>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(buildUrl(path, options.query), {
      method, headers, signal: options.signal, credentials: 'same-origin',
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
  } catch (err) {
    if (options.signal?.aborted) throw err;
    throw new ApiRequestError(0, null);
  }
  if (!response.ok) {
    const body: unknown = await response.json().catch(() => null);
    if (response.status === 401 && !options.expectUnauthorized) onUnauthorized?.(path);
    if (!isApiError(body)) throw new ApiRequestError(response.status, null);
    const { message, statusCode: _s, error: _e, ...details } = body as ApiError & Record<string, unknown>;
    throw new ApiRequestError(response.status, message, details);
  }
  return (await response.json()) as T;
}

export function getJson<T>(path: string, query?: Query, signal?: AbortSignal): Promise<T> {
  return requestJson<T>('GET', path, { query, signal });
}

export function postJson<T>(path: string, body?: unknown, options: Omit<RequestOptions, 'body'> = {}): Promise<T> {
  return requestJson<T>('POST', path, { ...options, body });
}
