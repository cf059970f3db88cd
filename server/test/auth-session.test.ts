// Signing in and out, the session cookie, idle timeout, lockout, password
// policy and forced change, TOTP, written as the attacks they defend against.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildTestApp, createTestDatabase, sql, type TestDatabase } from './helpers.ts';
import { createAccount, login, manualClock, signIn, signedIn, TEST_PASSWORD } from './helpers/sign-in.ts';
import { totpCode } from '../src/domain/totp.ts';
import type { App } from '../src/app.ts';

let db: TestDatabase;
let app: App;
const clock = manualClock(new Date('2026-05-01T08:00:00Z'));

beforeAll(async () => {
  db = await createTestDatabase();
  app = await buildTestApp(db.url, { security: { clock, sweepIntervalMs: 0, loginRateLimitPerMinute: 1000 } });
  await app.ready();
});

afterAll(async () => {
  await app?.close();
  await db?.drop();
});

const auditRows = (username: string, action: string) =>
  sql<{ result: string; detail: string | null; source_ip: string | null; role: string | null }>(db.url,
    'SELECT result, detail, source_ip, role FROM audit_log WHERE actor = $1 AND action = $2 ORDER BY id', [username, action]);

describe('sign-in', () => {
  it('signs in, sets an httpOnly SameSite=Strict cookie, and answers /me with scope and permissions', async () => {
    await createAccount(app, { username: 'duty.a', role: 'town_duty', scope: { level: 'town', townCode: '321171001' } });
    const res = await login(app, 'duty.a', TEST_PASSWORD);
    expect(res.statusCode).toBe(200);
    const cookie = res.cookies.find((c) => c.name === 'gcc_session')!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Strict');
    expect(res.json()).toMatchObject({ username: 'duty.a', role: 'town_duty', scope: { level: 'town', townCode: '321171001' }, pending: [] });
    const me = await app.inject({ url: '/api/v1/auth/me', headers: { cookie: `gcc_session=${cookie.value}` } });
    expect(me.statusCode).toBe(200);
    expect(me.json().permissions).toContain('incident:dispatch');
    expect(await auditRows('duty.a', 'auth.login')).toEqual([{ result: 'success', detail: null, source_ip: '127.0.0.1', role: 'town_duty' }]);
  });

  it('refuses the API without a session, and with a made-up one', async () => {
    expect((await app.inject({ url: '/api/v1/towns' })).statusCode).toBe(401);
    const forged = await app.inject({ url: '/api/v1/towns', headers: { cookie: 'gcc_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' } });
    expect(forged.statusCode).toBe(401);
    expect(forged.json()).toEqual({ statusCode: 401, error: 'Unauthorized', message: 'sign in first (your session may have ended)' });
  });

  it('keeps health public', async () => {
    expect((await app.inject({ url: '/api/v1/health' })).statusCode).toBe(200);
  });

  it('answers an unknown user exactly like a wrong password', async () => {
    await createAccount(app, { username: 'duty.b', role: 'district_duty' });
    const unknown = await login(app, 'nobody.here', TEST_PASSWORD);
    const wrong = await login(app, 'duty.b', 'Wrong-Passw0rd!');
    expect(unknown.statusCode).toBe(401);
    expect(unknown.body).toBe(wrong.body);
  });
});

describe('lockout: the 6th attempt', () => {
  it('locks after 5 failures for 15 minutes, without saying so, even for the right password', async () => {
    const account = await createAccount(app, { username: 'locked.one', role: 'leader' });
    const wrongBodies = [];
    for (let i = 0; i < 5; i++) wrongBodies.push((await login(app, 'locked.one', `Wrong-Passw0rd${i}`)).body);
    const sixth = await login(app, 'locked.one', account.password);
    expect(sixth.statusCode).toBe(401);
    expect(sixth.body).toBe(wrongBodies[0]);
    expect(sixth.cookies.find((c) => c.name === 'gcc_session')).toBeUndefined();
    const rows = await auditRows('locked.one', 'auth.login');
    expect(rows.map((r) => r.result)).toEqual(['failure', 'failure', 'failure', 'failure', 'failure', 'failure']);
    expect(rows[4].detail).toBe('wrong password; account locked');
    expect(rows[5].detail).toBe('account locked');

    clock.advance(14 * 60_000);
    expect((await login(app, 'locked.one', account.password)).statusCode).toBe(401);
    clock.advance(60_000);
    expect((await login(app, 'locked.one', account.password)).statusCode).toBe(200);
  });

  it('lets the security administrator lift a lock', async () => {
    const account = await createAccount(app, { username: 'locked.two', role: 'leader' });
    for (let i = 0; i < 5; i++) await login(app, 'locked.two', 'Wrong-Passw0rd!');
    const sec = await signedIn(app, { username: 'sec.unlock', role: 'secadmin' });
    const res = await sec.request('POST', `/api/v1/admin/accounts/${account.id}/unlock`);
    expect(res.statusCode).toBe(200);
    expect(res.json().locked).toBe(false);
    expect((await login(app, 'locked.two', account.password)).statusCode).toBe(200);
  });
});

describe('sessions end', () => {
  it('idles out after 30 minutes without a request, and a request within keeps it alive', async () => {
    const client = await signedIn(app, { username: 'idle.one', role: 'leader' });
    clock.advance(29 * 60_000);
    expect((await client.request('GET', '/api/v1/auth/me')).statusCode).toBe(200);
    clock.advance(29 * 60_000);
    expect((await client.request('GET', '/api/v1/auth/me')).statusCode).toBe(200);
    clock.advance(30 * 60_000);
    expect((await client.request('GET', '/api/v1/auth/me')).statusCode).toBe(401);
    const [row] = await sql<{ end_reason: string }>(db.url, "SELECT end_reason FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.username = 'idle.one'");
    expect(row.end_reason).toBe('idle');
  });

  it('writes last-seen once for a burst of parallel requests of one session, and still keeps it alive', async () => {
    const client = await signedIn(app, { username: 'burst.one', role: 'leader' });
    const lastSeen = async () => (await sql<{ at: Date }>(db.url,
      "SELECT s.last_seen_at AS at FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.username = 'burst.one' AND s.ended_at IS NULL"))[0].at;
    const signedInAt = await lastSeen();
    clock.advance(5 * 60_000);
    const touch = vi.spyOn(app.repos.sessions, 'touch');
    try {
      const codes = await Promise.all(Array.from({ length: 20 }, () => client.request('GET', '/api/v1/auth/me').then((r) => r.statusCode)));
      expect(codes.every((c) => c === 200)).toBe(true);
      expect(touch).toHaveBeenCalledTimes(1);
    } finally {
      touch.mockRestore();
    }
    expect((await lastSeen()).getTime()).toBe(signedInAt.getTime() + 5 * 60_000);
    clock.advance(29 * 60_000);
    expect((await client.request('GET', '/api/v1/auth/me')).statusCode).toBe(200);
  });

  it('reads a busy session once, yet a change made here counts at the very next request, and one made elsewhere within a second', async () => {
    const here = await signedIn(app, { username: 'reuse.here', role: 'leader' });
    const elsewhere = await signedIn(app, { username: 'reuse.elsewhere', role: 'leader' });
    const reads = vi.spyOn(app.repos.sessions, 'byTokenHash');
    try {
      for (let i = 0; i < 10; i++) expect((await here.request('GET', '/api/v1/auth/me')).statusCode).toBe(200);
      expect(reads.mock.calls.length).toBeLessThanOrEqual(1);
    } finally {
      reads.mockRestore();
    }
    // Disabled through this process's repositories (as the administrators' pages do): refused at once.
    await app.repos.users.setDisabled(here.account.id, true, clock());
    expect((await here.request('GET', '/api/v1/auth/me')).statusCode).toBe(401);
    // Disabled by another process (straight in the database): refused once the last read is a second old.
    expect((await elsewhere.request('GET', '/api/v1/auth/me')).statusCode).toBe(200);
    await sql(db.url, "UPDATE users SET disabled = true WHERE username = 'reuse.elsewhere'");
    await new Promise((r) => setTimeout(r, 1_100));
    expect((await elsewhere.request('GET', '/api/v1/auth/me')).statusCode).toBe(401);
    const ended = await sql<{ end_reason: string }>(db.url,
      "SELECT s.end_reason FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.username IN ('reuse.here', 'reuse.elsewhere') ORDER BY u.username");
    expect(ended.map((r) => r.end_reason)).toEqual(['account disabled', 'account disabled']);
  });

  it('sign-out ends the session on the server: the old cookie is useless afterwards', async () => {
    const client = await signedIn(app, { username: 'logout.one', role: 'leader' });
    const stolen = { ...client.cookies };
    const out = await client.request('POST', '/api/v1/auth/logout');
    expect(out.statusCode).toBe(200);
    const replay = await app.inject({ url: '/api/v1/auth/me', headers: { cookie: `gcc_session=${stolen.gcc_session}` } });
    expect(replay.statusCode).toBe(401);
    expect((await auditRows('logout.one', 'auth.logout')).map((r) => r.result)).toEqual(['success']);
  });

  it('the sweeper ends idle sessions and announces each, so sockets can be dropped', async () => {
    const client = await signedIn(app, { username: 'sweep.one', role: 'leader' });
    const ended: string[] = [];
    const off = app.auth.onSessionEnded((e) => ended.push(e.reason));
    const principal = await app.auth.authenticateHandshake({ headers: { cookie: `gcc_session=${client.cookies.gcc_session}` } });
    expect(principal?.username).toBe('sweep.one');
    clock.advance(31 * 60_000);
    expect((await app.auth.sweep()).ended).toBeGreaterThanOrEqual(1);
    off();
    expect(ended).toContain('idle');
    expect(await app.auth.authenticateHandshake({ headers: { cookie: `gcc_session=${client.cookies.gcc_session}` } })).toBeNull();
  });
});

describe('CSRF', () => {
  it('refuses a forged state-changing request (cookie but no token) and changes nothing', async () => {
    const client = await signedIn(app, { username: 'csrf.victim', role: 'leader' });
    const forged = await app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie: `gcc_session=${client.cookies.gcc_session}; gcc_csrf=${client.cookies.gcc_csrf}` } });
    expect(forged.statusCode).toBe(403);
    expect(forged.json().message).toMatch(/csrf/i);
    expect((await client.request('GET', '/api/v1/auth/me')).statusCode).toBe(200);
  });

  it('refuses a token from another session', async () => {
    const victim = await signedIn(app, { username: 'csrf.victim2', role: 'leader' });
    const attacker = await signedIn(app, { username: 'csrf.attacker', role: 'leader' });
    const res = await app.inject({ method: 'POST', url: '/api/v1/auth/logout',
      headers: { cookie: `gcc_session=${victim.cookies.gcc_session}; gcc_csrf=${victim.cookies.gcc_csrf}`, 'x-csrf-token': attacker.csrfToken } });
    expect(res.statusCode).toBe(403);
    expect((await victim.request('GET', '/api/v1/auth/me')).statusCode).toBe(200);
  });
});

describe('password policy and forced change', () => {
  it('forces a change at first sign-in: nothing else is open until it is done', async () => {
    const account = await createAccount(app, { username: 'fresh.one', role: 'leader', mustChangePassword: true });
    const client = await signIn(app, account);
    const me = await client.request('GET', '/api/v1/auth/me');
    expect(me.json().pending).toEqual(['change-password']);
    expect((await client.request('GET', '/api/v1/towns')).statusCode).toBe(403);

    const weak = await client.request('POST', '/api/v1/auth/password', { currentPassword: account.password, newPassword: 'short' });
    expect(weak.statusCode).toBe(400);
    const same = await client.request('POST', '/api/v1/auth/password', { currentPassword: account.password, newPassword: account.password });
    expect(same.statusCode).toBe(400);
    expect(same.json().message).toMatch(/last 5/);
    const named = await client.request('POST', '/api/v1/auth/password', { currentPassword: account.password, newPassword: 'Fresh.One-2026' });
    expect(named.json().message).toMatch(/username/);
    const ok = await client.request('POST', '/api/v1/auth/password', { currentPassword: account.password, newPassword: 'New-Passw0rd-1' });
    expect(ok.statusCode).toBe(200);
    expect((await client.request('GET', '/api/v1/towns')).statusCode).toBe(200);
  });

  it('refuses any of the last 5 passwords and accepts the 6th back', async () => {
    const account = await createAccount(app, { username: 'rotate.one', role: 'leader' });
    const client = await signIn(app, account);
    const passwords = [account.password, 'Rotate-Pass-1', 'Rotate-Pass-2', 'Rotate-Pass-3', 'Rotate-Pass-4', 'Rotate-Pass-5'];
    for (let i = 1; i < passwords.length; i++) {
      const res = await client.request('POST', '/api/v1/auth/password', { currentPassword: passwords[i - 1], newPassword: passwords[i] });
      expect(res.statusCode).toBe(200);
    }
    const reuse = await client.request('POST', '/api/v1/auth/password', { currentPassword: passwords[5], newPassword: passwords[2] });
    expect(reuse.statusCode).toBe(400);
    // The first one has dropped out of the last five.
    const back = await client.request('POST', '/api/v1/auth/password', { currentPassword: passwords[5], newPassword: passwords[0] });
    expect(back.statusCode).toBe(200);
  }, 240_000); // about 40 scrypt hashes (each change checks the last five): a minute and more on a loaded 2-core machine

  it('forces a change after 90 days', async () => {
    const client = await signedIn(app, { username: 'old.password', role: 'leader' });
    clock.advance(91 * 86_400_000);
    const relogin = await signIn(app, client.account);
    expect((await relogin.request('GET', '/api/v1/auth/me')).json().pending).toEqual(['change-password']);
  });
});

describe('TOTP', () => {
  it('requires enrolment before an administrator can do anything, then a code at every sign-in', async () => {
    const account = await createAccount(app, { username: 'sys.enrol', role: 'sysadmin', totp: false });
    const client = await signIn(app, account);
    expect((await client.request('GET', '/api/v1/auth/me')).json().pending).toEqual(['enrol-totp']);
    expect((await client.request('GET', '/api/v1/admin/accounts')).statusCode).toBe(403);

    const setup = await client.request('POST', '/api/v1/auth/totp/setup');
    expect(setup.statusCode).toBe(200);
    const { secret, uri } = setup.json();
    expect(uri).toMatch(/^otpauth:\/\/totp\//);
    expect((await client.request('POST', '/api/v1/auth/totp/confirm', { code: '000000' })).statusCode).toBe(400);
    expect((await client.request('POST', '/api/v1/auth/totp/confirm', { code: totpCode(secret, clock()) })).statusCode).toBe(200);
    expect((await client.request('GET', '/api/v1/admin/accounts')).statusCode).toBe(200);

    const noCode = await login(app, 'sys.enrol', account.password);
    expect(noCode.statusCode).toBe(401);
    expect(noCode.json().totpRequired).toBe(true);
    clock.advance(30_000);
    const code = totpCode(secret, clock());
    expect((await login(app, 'sys.enrol', account.password, code)).statusCode).toBe(200);
    // The same code again: a replay.
    expect((await login(app, 'sys.enrol', account.password, code)).statusCode).toBe(401);
    // The secret is stored encrypted.
    const [row] = await sql<{ totp_secret_enc: string }>(db.url, "SELECT totp_secret_enc FROM users WHERE username = 'sys.enrol'");
    expect(row.totp_secret_enc).not.toContain(secret);
  });
});

describe('requests are strict', () => {
  it('rejects unknown fields and oversized bodies with a clear 4xx', async () => {
    const extra = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'a', password: 'b', admin: true } });
    expect(extra.statusCode).toBe(400);
    expect(extra.json().message).toBe('unknown field "admin"');
    const huge = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'a', password: 'x'.repeat(100_000) } });
    expect(huge.statusCode).toBe(413);
  });

  it('sends security headers', async () => {
    const res = await app.inject({ url: '/api/v1/health' });
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
  });

  it('rate-limits sign-in per source address', async () => {
    const limited = await buildTestApp(db.url, { security: { clock, sweepIntervalMs: 0, loginRateLimitPerMinute: 3 } });
    try {
      const codes = [];
      for (let i = 0; i < 4; i++) codes.push((await login(limited, 'nobody.here', 'Whatever-1234')).statusCode);
      expect(codes).toEqual([401, 401, 401, 429]);
    } finally {
      await limited.close();
    }
  });
});


describe('signing in again', () => {
  it('ends the session the browser held before (no session left open behind a new one)', async () => {
    const client = await signedIn(app, { username: 'relogin.one', role: 'leader' });
    const old = client.cookies.gcc_session;
    const again = await app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { cookie: `gcc_session=${old}` },
      payload: { username: 'relogin.one', password: TEST_PASSWORD } });
    expect(again.statusCode).toBe(200);
    expect(again.cookies.find((c) => c.name === 'gcc_session')!.value).not.toBe(old);
    expect((await app.inject({ url: '/api/v1/auth/me', headers: { cookie: `gcc_session=${old}` } })).statusCode).toBe(401);
  });
});
