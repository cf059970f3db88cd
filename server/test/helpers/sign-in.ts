// Accounts and signed-in clients for the server tests. Accounts are made
// through the repositories (tests run with demo mode off), then signed in
// through the real login route; the returned client carries the session
// cookie and the CSRF token the way a browser and the SPA would.
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import type { Role, Scope } from '../../../shared/schemas/auth.ts';
import type { App } from '../../src/app.ts';
import { hashPassword } from '../../src/domain/password-hash.ts';
import { totpCode } from '../../src/domain/totp.ts';
import { newTotpSecret } from '../../src/domain/totp.ts';

export const TEST_PASSWORD = 'Test-Passw0rd!';
/** Cheap hashes for test accounts; the sign-in upgrades them like demo accounts. */
const TEST_COST = { N: 2 ** 10, r: 8, p: 1 };

export interface AccountSpec {
  username: string;
  role: Role;
  scope?: Scope;
  unitCode?: string;
  gridCode?: string;
  password?: string;
  mustChangePassword?: boolean;
  /** Administrators need TOTP; the helper enrols it unless told not to. */
  totp?: boolean;
}

export interface TestAccount {
  id: number;
  username: string;
  password: string;
  totpSecret: string | null;
}

export async function createAccount(app: App, spec: AccountSpec): Promise<TestAccount> {
  const password = spec.password ?? TEST_PASSWORD;
  const created = await app.repos.users.create({
    username: spec.username, displayName: spec.username, role: spec.role, scope: spec.scope ?? { level: 'district' },
    unitCode: spec.unitCode ?? null, gridCode: spec.gridCode ?? null,
    passwordHash: await hashPassword(password, TEST_COST), mustChangePassword: spec.mustChangePassword ?? false,
  }, app.securityOptions.clock());
  if (!created) throw new Error(`test account ${spec.username} exists`);
  let totpSecret: string | null = null;
  const wantsTotp = spec.totp ?? ['sysadmin', 'secadmin', 'auditor'].includes(spec.role);
  if (wantsTotp) {
    totpSecret = newTotpSecret();
    await app.repos.users.setTotp(created.id, app.fieldCipher.encrypt(totpSecret), true, null, app.securityOptions.clock());
  }
  return { id: created.id, username: spec.username, password, totpSecret };
}

export interface Client {
  cookies: Record<string, string>;
  csrfToken: string;
  /** Headers of a same-origin request from this browser: cookies and, for writes, the CSRF token. */
  headers(write?: boolean): Record<string, string>;
  request(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: unknown): Promise<LightMyRequestResponse>;
  /** app.inject as this browser: same arguments (a URL or options), the session's cookies added. */
  inject(options: string | InjectOptions): Promise<LightMyRequestResponse>;
}

export function cookieHeader(cookies: Record<string, string>): string {
  return Object.entries(cookies).map(([k, v]) => `${k}=${v}`).join('; ');
}

/** Collects Set-Cookie values into a jar (a cleared cookie leaves it). */
export function collectCookies(res: LightMyRequestResponse, jar: Record<string, string> = {}): Record<string, string> {
  for (const c of res.cookies as { name: string; value: string; maxAge?: number; expires?: Date }[]) {
    if (c.value === '' || (c.expires && c.expires.getTime() <= Date.now())) delete jar[c.name];
    else jar[c.name] = c.value;
  }
  return jar;
}

export function clientFrom(app: App, cookies: Record<string, string>, csrfToken: string): Client {
  const client: Client = {
    cookies,
    csrfToken,
    headers: (write = false) => ({ cookie: cookieHeader(client.cookies), ...(write ? { 'x-csrf-token': client.csrfToken } : {}) }),
    async request(method, url, payload) {
      const write = method !== 'GET';
      const res = await app.inject({ method, url, headers: client.headers(write), ...(payload === undefined ? {} : { payload: payload as object }) });
      collectCookies(res, client.cookies);
      return res;
    },
    inject(options) {
      const opts: InjectOptions = typeof options === 'string' ? { url: options } : options;
      const write = (opts.method ?? 'GET') !== 'GET';
      return app.inject({ ...opts, headers: { ...client.headers(write), ...(opts.headers as Record<string, string> | undefined) } });
    },
  };
  return client;
}

export async function login(app: App, username: string, password: string, totp?: string): Promise<LightMyRequestResponse> {
  return app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password, ...(totp ? { totp } : {}) } });
}

/** Signs an account in (with its TOTP code when it has one) and returns a client carrying the session. */
export async function signIn(app: App, account: TestAccount | { username: string; password: string; totpSecret?: string | null }): Promise<Client> {
  const code = account.totpSecret ? totpCode(account.totpSecret, app.securityOptions.clock()) : undefined;
  const res = await login(app, account.username, account.password, code);
  if (res.statusCode !== 200) throw new Error(`sign-in of ${account.username} failed: ${res.statusCode} ${res.body}`);
  return clientFrom(app, collectCookies(res), res.json().csrfToken);
}

/** Creates an account and signs it in: the usual first line of a test. */
export async function signedIn(app: App, spec: AccountSpec): Promise<Client & { account: TestAccount }> {
  const account = await createAccount(app, spec);
  return Object.assign(await signIn(app, account), { account });
}

/** A clock the test moves by hand (idle timeouts, lockouts, password age) instead of waiting. */
export function manualClock(start = new Date()) {
  let now = start.getTime();
  const clock = () => new Date(now);
  return Object.assign(clock, {
    advance(ms: number) {
      now += ms;
    },
  });
}

/** A district-wide read-only account signed in: what the read-API tests call the API as. */
export async function signedInReader(app: App, username = 'test.reader'): Promise<Client> {
  // Restarted apps on one database (and two apps racing at start) share the account.
  await createAccount(app, { username, role: 'leader' }).catch(() => undefined);
  return signIn(app, { username, password: TEST_PASSWORD });
}

/** Over a real port: creates a reader on the running app and signs in with fetch; returns the Cookie header to send. */
export async function signInOverHttp(app: App, baseUrl: string, username = 'test.reader'): Promise<string> {
  await createAccount(app, { username, role: 'leader' }).catch(() => undefined);
  const res = await fetch(`${baseUrl}api/v1/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: TEST_PASSWORD }),
  });
  if (res.status !== 200) throw new Error(`sign-in over HTTP failed: ${res.status}`);
  return res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
}
