// The feed's HTTP client: the product's public API over the network, as a
// phone, a hotline system or a device gateway would call it. A session is a
// cookie jar plus the CSRF token the sign-in answered with; an integration
// key is a bearer token. Nothing here reaches into the server's internals.

export class ApiError extends Error {
  override name = 'ApiError';
  constructor(readonly status: number, message: string, readonly retryAfterMs?: number) {
    super(message);
  }

  /** Worth sending again unchanged: the network, the server's own trouble, a rate limit. */
  get retryable(): boolean {
    return this.status === 0 || this.status === 408 || this.status === 429 || this.status >= 500;
  }
}

export type Credential =
  | { kind: 'session'; username: string; cookie: string; csrfToken: string }
  | { kind: 'key'; key: string };

export interface ApiClientOptions {
  /** The product's URL, e.g. http://127.0.0.1:8080/ */
  baseUrl: string;
  /** Per-request timeout. */
  timeoutMs?: number;
  userAgent?: string;
}

const DEFAULT_TIMEOUT_MS = 15_000;

function retryAfterMs(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  return Number.isFinite(seconds) ? seconds * 1000 : undefined;
}

async function messageOf(res: Response): Promise<string> {
  const text = await res.text().catch(() => '');
  try {
    const body = JSON.parse(text) as { message?: unknown };
    if (typeof body.message === 'string') return body.message;
  } catch {
    // not JSON: fall through to the raw text
  }
  return text.slice(0, 200) || res.statusText;
}

export class ApiClient {
  private readonly base: string;
  private readonly timeoutMs: number;
  private readonly userAgent: string;

  constructor(options: ApiClientOptions) {
    this.base = options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.userAgent = options.userAgent ?? 'gcc-demo-feed/1';
  }

  private async fetch(path: string, init: RequestInit): Promise<Response> {
    try {
      return await fetch(new URL(path.replace(/^\//, ''), this.base), {
        ...init,
        headers: { 'user-agent': this.userAgent, ...(init.headers as Record<string, string>) },
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      // Refused, reset, timed out: status 0, retried like a 5xx.
      throw new ApiError(0, `network: ${err instanceof Error ? (err.cause as Error | undefined)?.message ?? err.message : String(err)}`);
    }
  }

  /** Signs in with a password; the session lives in the returned credential. */
  async signIn(username: string, password: string): Promise<Credential & { kind: 'session' }> {
    const res = await this.fetch('api/v1/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
    if (res.status !== 200) throw new ApiError(res.status, `sign-in of ${username}: ${await messageOf(res)}`, retryAfterMs(res.headers.get('retry-after')));
    const body = (await res.json()) as { csrfToken: string; pending?: string[] };
    if (body.pending?.length) throw new ApiError(403, `sign-in of ${username}: pending ${body.pending.join(', ')}`);
    const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).filter((c) => !c.endsWith('=')).join('; ');
    return { kind: 'session', username, cookie, csrfToken: body.csrfToken };
  }

  private headers(credential: Credential, write: boolean): Record<string, string> {
    if (credential.kind === 'key') return { authorization: `Bearer ${credential.key}` };
    return { cookie: credential.cookie, ...(write ? { 'x-csrf-token': credential.csrfToken } : {}) };
  }

  /** A JSON request; 2xx answers their body, anything else throws ApiError. */
  async request<T>(credential: Credential, method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; body: T }> {
    const write = method !== 'GET';
    const res = await this.fetch(path, {
      method,
      headers: { ...this.headers(credential, write), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (res.status < 200 || res.status >= 300) throw new ApiError(res.status, `${method} ${path}: ${res.status} ${await messageOf(res)}`, retryAfterMs(res.headers.get('retry-after')));
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
  }
}
