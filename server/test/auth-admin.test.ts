// The three administrators and what each alone may do; account changes and
// their audit rows; kiosk tokens (read-only, revocable). Written as attacks:
// each refused request must also leave nothing changed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, createTestDatabase, sql, type TestDatabase } from './helpers.ts';
import { createAccount, login, signIn, signedIn, TEST_PASSWORD, type Client } from './helpers/sign-in.ts';
import type { App } from '../src/app.ts';
import type { SessionEnded } from '../src/services/principal.ts';

let db: TestDatabase;
let app: App;
let sys: Client;
let sec: Client;
let auditor: Client;
const TOWN = '321171001';
const OTHER_TOWN = '321171002';

beforeAll(async () => {
  db = await createTestDatabase();
  app = await buildTestApp(db.url, { security: { sweepIntervalMs: 0, loginRateLimitPerMinute: 1000 } });
  await app.ready();
  sys = await signedIn(app, { username: 'sys', role: 'sysadmin' });
  sec = await signedIn(app, { username: 'sec', role: 'secadmin' });
  auditor = await signedIn(app, { username: 'aud', role: 'auditor' });
});

afterAll(async () => {
  await app?.close();
  await db?.drop();
});

const userRow = (username: string) => sql<{ role: string; scope_level: string; town_code: string | null; disabled: boolean }>(db.url,
  'SELECT role, scope_level, town_code, disabled FROM users WHERE username = $1', [username]).then((r) => r[0]);
const newAccount = (username: string, extra: Record<string, unknown> = {}) => ({
  username, displayName: username, role: 'town_duty', scope: { level: 'town', townCode: TOWN }, password: 'Temp-Passw0rd!', ...extra,
});

describe('three separate administrators', () => {
  it('the system administrator creates accounts; the new holder must change the temporary password', async () => {
    const res = await sys.request('POST', '/api/v1/admin/accounts', newAccount('new.duty'));
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ username: 'new.duty', role: 'town_duty', scope: { level: 'town', townCode: TOWN }, mustChangePassword: true });
    const client = await signIn(app, { username: 'new.duty', password: 'Temp-Passw0rd!' });
    expect((await client.request('GET', '/api/v1/auth/me')).json().pending).toEqual(['change-password']);
    const [row] = await sql<{ actor: string; after: { username: string; role: string }; result: string }>(db.url,
      "SELECT actor, after, result FROM audit_log WHERE action = 'account.create' AND target_id = $1", [String(res.json().id)]);
    expect(row).toMatchObject({ actor: 'sys', result: 'success', after: { username: 'new.duty', role: 'town_duty' } });
    expect(JSON.stringify(row)).not.toContain('Temp-Passw0rd!');
  });

  it('the security administrator cannot create accounts, the auditor cannot either, and nothing is created', async () => {
    for (const [client, name] of [[sec, 'by.sec'], [auditor, 'by.aud']] as const) {
      const res = await client.request('POST', '/api/v1/admin/accounts', newAccount(name));
      expect(res.statusCode).toBe(403);
      expect(await userRow(name)).toBeUndefined();
    }
  });

  it('only the security administrator changes roles and scopes; the change is audited before/after and ends the holder\'s sessions', async () => {
    const target = await signedIn(app, { username: 'moved.duty', role: 'town_duty', scope: { level: 'town', townCode: TOWN } });
    const grant = { role: 'town_duty', scope: { level: 'town', townCode: OTHER_TOWN } };
    expect((await sys.request('PUT', `/api/v1/admin/accounts/${target.account.id}/grant`, grant)).statusCode).toBe(403);
    expect((await auditor.request('PUT', `/api/v1/admin/accounts/${target.account.id}/grant`, grant)).statusCode).toBe(403);
    expect((await userRow('moved.duty')).town_code).toBe(TOWN);

    const ended: SessionEnded[] = [];
    const off = app.auth.onSessionEnded((e) => ended.push(e));
    const res = await sec.request('PUT', `/api/v1/admin/accounts/${target.account.id}/grant`, grant);
    off();
    expect(res.statusCode).toBe(200);
    expect(res.json().scope).toEqual({ level: 'town', townCode: OTHER_TOWN });
    expect(ended.map((e) => [e.userId, e.reason])).toEqual([[target.account.id, 'permissions changed']]);
    expect((await target.request('GET', '/api/v1/auth/me')).statusCode).toBe(401);
    const [row] = await sql<{ actor: string; role: string; before: { scope: unknown }; after: { scope: unknown } }>(db.url,
      "SELECT actor, role, before, after FROM audit_log WHERE action = 'account.grant' AND target_id = $1", [String(target.account.id)]);
    expect(row).toEqual({ actor: 'sec', role: 'secadmin', before: expect.objectContaining({ scope: { level: 'town', townCode: TOWN } }),
      after: expect.objectContaining({ scope: { level: 'town', townCode: OTHER_TOWN } }) });
  });

  it('no administrator can mint an administrator, nor change their own grant', async () => {
    const made = await sys.request('POST', '/api/v1/admin/accounts', newAccount('sneaky', { role: 'auditor', scope: { level: 'district' } }));
    expect(made.statusCode).toBe(403);
    const duty = await createAccount(app, { username: 'to.promote', role: 'district_duty' });
    const promoted = await sec.request('PUT', `/api/v1/admin/accounts/${duty.id}/grant`, { role: 'sysadmin', scope: { level: 'district' } });
    expect(promoted.statusCode).toBe(403);
    expect((await userRow('to.promote')).role).toBe('district_duty');
    const secId = (await app.repos.users.byUsername('sec'))!.id;
    const self = await sec.request('PUT', `/api/v1/admin/accounts/${secId}/grant`, { role: 'leader', scope: { level: 'district' } });
    expect(self.statusCode).toBe(403);
  });

  it('only the auditor reads the audit log', async () => {
    for (const client of [sys, sec]) expect((await client.request('GET', '/api/v1/audit')).statusCode).toBe(403);
    const duty = await signedIn(app, { username: 'curious.duty', role: 'district_duty' });
    expect((await duty.request('GET', '/api/v1/audit')).statusCode).toBe(403);
    expect((await duty.request('GET', '/api/v1/audit/export')).statusCode).toBe(403);
    expect((await auditor.request('GET', '/api/v1/audit')).statusCode).toBe(200);
    const denied = await sql<{ actor: string; detail: string }>(db.url, "SELECT actor, detail FROM audit_log WHERE action = 'access.denied' AND actor = 'curious.duty'");
    expect(denied.map((d) => d.detail)).toEqual(['GET /api/v1/audit: your role (district_duty) may not do this', 'GET /api/v1/audit/export: your role (district_duty) may not do this']);
  });

  it('validates accounts: scope level for the role, places that exist, unit and grid', async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [newAccount('bad.1', { scope: { level: 'district' } }), /scope of level town/],
      [newAccount('bad.2', { scope: { level: 'town', townCode: '999999999' } }), /does not exist/],
      [newAccount('bad.3', { role: 'unit_member', scope: { level: 'district' } }), /needs a unitCode/],
      [newAccount('bad.4', { role: 'unit_member', scope: { level: 'district' }, unitCode: 'nope' }), /unit nope does not exist/],
      [newAccount('bad.5', { role: 'field_worker', scope: { level: 'community', communityCode: '321171001001' }, gridCode: '321171002001G001' }), /not inside|does not exist/],
      [newAccount('bad.6', { password: 'password' }), /at least 10/],
    ];
    for (const [body, message] of cases) {
      const res = await sys.request('POST', '/api/v1/admin/accounts', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().message).toMatch(message);
    }
    expect((await sys.request('POST', '/api/v1/admin/accounts', newAccount('sys'))).statusCode).toBe(409);
  });

  it('disabling an account ends its sessions at once and it cannot sign in', async () => {
    const target = await signedIn(app, { username: 'to.disable', role: 'leader' });
    const res = await sys.request('POST', `/api/v1/admin/accounts/${target.account.id}/disable`);
    expect(res.statusCode).toBe(200);
    expect((await target.request('GET', '/api/v1/auth/me')).statusCode).toBe(401);
    expect((await login(app, 'to.disable', TEST_PASSWORD)).statusCode).toBe(401);
    expect((await sys.request('POST', `/api/v1/admin/accounts/${target.account.id}/enable`)).statusCode).toBe(200);
    expect((await login(app, 'to.disable', TEST_PASSWORD)).statusCode).toBe(200);
  });

  it('lists accounts without any secret', async () => {
    const res = await sec.request('GET', '/api/v1/admin/accounts');
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toMatch(/scrypt|password_hash|passwordHash|totp_secret|totpSecret/);
  });
});

describe('kiosk tokens', () => {
  let secret: string;
  let tokenId: number;

  it('the system administrator issues a token for one scope; the secret is shown once', async () => {
    const res = await sys.request('POST', '/api/v1/admin/kiosk-tokens', { name: 'Dingmao hall', scope: { level: 'town', townCode: TOWN } });
    expect(res.statusCode).toBe(201);
    ({ secret } = res.json());
    tokenId = res.json().token.id;
    expect(res.json().url).toBe(`/?kiosk=${secret}`);
    expect((await sys.request('GET', '/api/v1/admin/kiosk-tokens')).body).not.toContain(secret);
    const [row] = await sql<{ token_hash: string }>(db.url, 'SELECT token_hash FROM kiosk_tokens WHERE id = $1', [tokenId]);
    expect(row.token_hash).not.toBe(secret);
    expect((await sec.request('POST', '/api/v1/admin/kiosk-tokens', { name: 'x', scope: { level: 'district' } })).statusCode).toBe(403);
  });

  it('the kiosk URL trades the token for a read-only session bound to the scope', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/auth/kiosk', payload: { token: secret } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ role: 'kiosk', kiosk: true, scope: { level: 'town', townCode: TOWN }, pending: [] });
    const cookie = `gcc_session=${res.cookies.find((c) => c.name === 'gcc_session')!.value}`;
    expect((await app.inject({ url: '/api/v1/towns', headers: { cookie } })).statusCode).toBe(200);
  });

  it('a kiosk cannot write: not with its session (even with a CSRF token), not with the bare token; nothing changes', async () => {
    const kiosk = await app.inject({ method: 'POST', url: '/api/v1/auth/kiosk', payload: { token: secret } });
    const cookies = Object.fromEntries(kiosk.cookies.map((c) => [c.name, c.value]));
    const headers = { cookie: `gcc_session=${cookies.gcc_session}; gcc_csrf=${cookies.gcc_csrf}`, 'x-csrf-token': kiosk.json().csrfToken };
    const before = await sql(db.url, 'SELECT count(*)::int AS n FROM users');
    const attempts = [
      await app.inject({ method: 'POST', url: '/api/v1/admin/accounts', headers, payload: newAccount('kiosk.made') }),
      await app.inject({ method: 'POST', url: '/api/v1/auth/password', headers, payload: { currentPassword: 'x', newPassword: 'Whatever-12345' } }),
      await app.inject({ method: 'POST', url: '/api/v1/admin/accounts', headers: { authorization: `Bearer ${secret}` }, payload: newAccount('kiosk.made2') }),
    ];
    expect(attempts.map((r) => r.statusCode)).toEqual([403, 403, 403]);
    expect(attempts[0].json().message).toBe('a kiosk is read-only');
    expect(await sql(db.url, 'SELECT count(*)::int AS n FROM users')).toEqual(before);
    // Reading with the bare token works (non-browser displays).
    expect((await app.inject({ url: '/api/v1/towns', headers: { authorization: `Bearer ${secret}` } })).statusCode).toBe(200);
  });

  it('revoking the token signs its screens out at once and announces it for their sockets', async () => {
    const kiosk = await app.inject({ method: 'POST', url: '/api/v1/auth/kiosk', payload: { token: secret } });
    const cookie = `gcc_session=${kiosk.cookies.find((c) => c.name === 'gcc_session')!.value}`;
    const socketPrincipal = await app.auth.authenticateHandshake({ auth: { kioskToken: secret } });
    expect(socketPrincipal).toMatchObject({ role: 'kiosk', sessionId: `kiosk-token:${tokenId}` });
    const ended: string[] = [];
    const off = app.auth.onSessionEnded((e) => ended.push(e.sessionId));
    expect((await sys.request('DELETE', `/api/v1/admin/kiosk-tokens/${tokenId}`)).statusCode).toBe(200);
    off();
    expect(ended).toContain(`kiosk-token:${tokenId}`);
    expect(ended.length).toBeGreaterThanOrEqual(3); // the sessions opened above, and the bare token
    expect((await app.inject({ url: '/api/v1/towns', headers: { cookie } })).statusCode).toBe(401);
    expect((await app.inject({ url: '/api/v1/towns', headers: { authorization: `Bearer ${secret}` } })).statusCode).toBe(401);
    expect((await app.inject({ method: 'POST', url: '/api/v1/auth/kiosk', payload: { token: secret } })).statusCode).toBe(401);
    expect(await app.auth.authenticateHandshake({ auth: { kioskToken: secret } })).toBeNull();
  });
});
