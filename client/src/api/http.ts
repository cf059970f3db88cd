// The one place the client talks HTTP. Failures become ApiRequestError with
// what the user may be told: the server's `message` (safe by contract, see
// shared/schemas/common.ts) or nothing, and the UI words it through i18n.
import type { ApiError } from '@shared/schemas/common.ts';

export class ApiRequestError extends Error {
  constructor(
    /** HTTP status, or 0 when the server could not be reached. */
    readonly status: number,
    /** The server's user-safe message, if it sent one. */
    readonly serverMessage: string | null,
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

export async function getJson<T>(path: string, query?: Query, signal?: AbortSignal): Promise<T> {
  let response: Response;
  try {
    response = await fetch(buildUrl(path, query), { headers: { accept: 'application/json' }, signal });
  } catch (err) {
    if (signal?.aborted) throw err;
    throw new ApiRequestError(0, null);
  }
  if (!response.ok) {
    const body: unknown = await response.json().catch(() => null);
    throw new ApiRequestError(response.status, isApiError(body) ? body.message : null);
  }
  return (await response.json()) as T;
}
