// Optional TOTP for business roles, an account change and its audit row in
// one transaction, and the purge of ended sessions (periodic and at start).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, createTestDatabase, sql, type TestDatabase } from './helpers.ts';
import { createAccount, login, manualClock, signIn, signedIn, TEST_PASSWORD } from './helpers/sign-in.ts';
import { totpCode } from '../src/domain/totp.ts';
import type { App } from '../src/app.ts';

let db: TestDatabase;
let app: App;
const clock = manualClock(new Date('2026-06-01T08:00:00Z'));
const TOWN = '321171001';
const OTHER_TOWN = '321171002';

beforeAll(async () => {
  db = await createTestDatabase();
  app = await buildTestApp(db.url, { security: { clock, sweepIntervalMs: 0, loginRateLimitPerMinute: 1000 } });
  await app.ready();
});

afterAll(async () => {
  await app?.close();
  await db?.drop();
});

const auditActions = (targetId: number) =>
  sql<{ action: string; result: string }>(db.url, "SELECT action, result FROM audit_log WHERE target_type = 'account' AND target_id = $1 ORDER BY id", [String(targetId)]);

describe('TOTP is optional for business roles', () => {
  it('a duty officer enrols from the account menu; from then on the code is required at sign-in', async () => {
    const client = await signedIn(app, { username: 'duty.totp', role: 'town_duty', scope: { level: 'town', townCode: TOWN } });
    expect((await client.request('GET', '/api/v1/auth/me')).json()).toMatchObject({ pending: [], totpEnabled: false });

    const { secret } = (await client.request('POST', '/api/v1/auth/totp/setup')).json();
    expect((await client.request('POST', '/api/v1/auth/totp/confirm', { code: totpCode(secret, clock()) })).statusCode).toBe(200);
    expect((await client.request('GET', '/api/v1/auth/me')).json()).toMatchObject({ pending: [], totpEnabled: true });
    // A second enrolment is refused: the factor in place stays.
    expect((await client.request('POST', '/api/v1/auth/totp/setup')).statusCode).toBe(409);

    const noCode = await login(app, 'duty.totp', TEST_PASSWORD);
    expect(noCode.statusCode).toBe(401);
    expect(noCode.json().totpRequired).toBe(true);
    clock.advance(30_000);
    expect((await login(app, 'duty.totp', TEST_PASSWORD, totpCode(secret, clock()))).statusCode).toBe(200);
    expect((await auditActions(client.account.id)).map((r) => `${r.action}:${r.result}`))
      .toEqual(expect.arrayContaining(['account.totp-setup:success', 'account.totp-enable:success']));
  });

  it('the holder removes it with password and a fresh code; a wrong code changes nothing', async () => {
    const account = await createAccount(app, { username: 'leader.totp', role: 'leader', totp: true });
    const client = await signIn(app, account);
    clock.advance(30_000);
    const wrong = await client.request('POST', '/api/v1/auth/totp/disable', { password: TEST_PASSWORD, code: '000000' });
    expect(wrong.statusCode).toBe(401);
    const wrongPassword = await client.request('POST', '/api/v1/auth/totp/disable', { password: 'Not-the-passw0rd', code: totpCode(account.totpSecret!, clock()) });
    expect(wrongPassword.statusCode).toBe(401);
    expect((await client.request('GET', '/api/v1/auth/me')).json().totpEnabled).toBe(true);

    const ok = await client.request('POST', '/api/v1/auth/totp/disable', { password: TEST_PASSWORD, code: totpCode(account.totpSecret!, clock()) });
    expect(ok.statusCode).toBe(200);
    expect((await client.request('GET', '/api/v1/auth/me')).json().totpEnabled).toBe(false);
    expect((await login(app, 'leader.totp', TEST_PASSWORD)).statusCode).toBe(200);
    const [row] = await sql<{ totp_secret_enc: string | null }>(db.url, "SELECT totp_secret_enc FROM users WHERE username = 'leader.totp'");
    expect(row.totp_secret_enc).toBeNull();
    expect((await auditActions(account.id)).filter((r) => r.action === 'account.totp-disable').map((r) => r.result))
      .toEqual(['failure', 'failure', 'success']);
  });

  it('an administrator cannot remove the factor the role requires', async () => {
    const admin = await signedIn(app, { username: 'sec.keep', role: 'secadmin' });
    clock.advance(30_000);
    const res = await admin.request('POST', '/api/v1/auth/totp/disable', { password: TEST_PASSWORD, code: totpCode(admin.account.totpSecret!, clock()) });
    expect(res.statusCode).toBe(403);
    expect((await admin.request('GET', '/api/v1/auth/me')).json().totpEnabled).toBe(true);
  });

  it('a kiosk cannot enrol or remove anything', async () => {
    const sys = await signedIn(app, { username: 'sys.kiosk', role: 'sysadmin' });
    const { secret } = (await sys.request('POST', '/api/v1/admin/kiosk-tokens', { name: 'wall', scope: { level: 'district' } })).json();
    const kiosk = await app.inject({ method: 'POST', url: '/api/v1/auth/kiosk', payload: { token: secret } });
    const cookies = Object.fromEntries(kiosk.cookies.map((c) => [c.name, c.value]));
    const headers = { cookie: `gcc_session=${cookies.gcc_session}; gcc_csrf=${cookies.gcc_csrf}`, 'x-csrf-token': kiosk.json().csrfToken };
    expect((await app.inject({ method: 'POST', url: '/api/v1/auth/totp/setup', headers })).statusCode).toBe(403);
    expect((await app.inject({ method: 'POST', url: '/api/v1/auth/totp/disable', headers, payload: { password: 'x', code: '123456' } })).statusCode).toBe(403);
  });
});

describe('an account change and its audit row are one transaction', () => {
  it('when the audit row cannot be written, the grant does not happen and the holder stays signed in', async () => {
    const sec = await signedIn(app, { username: 'sec.tx', role: 'secadmin' });
    const holder = await signedIn(app, { username: 'duty.tx', role: 'town_duty', scope: { level: 'town', townCode: TOWN } });
    // The database refuses this one audit action, as a full disk or a broken grant would.
    await sql(db.url, `
      CREATE FUNCTION refuse_grant_audit() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.action = 'account.grant' THEN RAISE EXCEPTION 'audit write refused (test)'; END IF; RETURN NEW; END $$;
      CREATE TRIGGER refuse_grant_audit BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION refuse_grant_audit();`);
    try {
      const res = await sec.request('PUT', `/api/v1/admin/accounts/${holder.account.id}/grant`, { role: 'town_duty', scope: { level: 'town', townCode: OTHER_TOWN } });
      expect(res.statusCode).toBe(500);
      expect(res.body).not.toContain('audit write refused');
    } finally {
      await sql(db.url, 'DROP TRIGGER refuse_grant_audit ON audit_log; DROP FUNCTION refuse_grant_audit();');
    }
    const [row] = await sql<{ town_code: string }>(db.url, 'SELECT town_code FROM users WHERE id = $1', [holder.account.id]);
    expect(row.town_code).toBe(TOWN);
    // The sessions the grant would have ended are still open.
    expect((await holder.request('GET', '/api/v1/auth/me')).json().scope).toEqual({ level: 'town', townCode: TOWN });

    // With the audit log writable again, the same change goes through with its row.
    const ok = await sec.request('PUT', `/api/v1/admin/accounts/${holder.account.id}/grant`, { role: 'town_duty', scope: { level: 'town', townCode: OTHER_TOWN } });
    expect(ok.statusCode).toBe(200);
    expect((await auditActions(holder.account.id)).filter((r) => r.action === 'account.grant')).toEqual([{ action: 'account.grant', result: 'success' }]);
    expect((await holder.request('GET', '/api/v1/auth/me')).statusCode).toBe(401);
  });

  it('an account created without its audit row does not exist', async () => {
    const sys = await signedIn(app, { username: 'sys.tx', role: 'sysadmin' });
    await sql(db.url, `
      CREATE FUNCTION refuse_create_audit() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.action = 'account.create' THEN RAISE EXCEPTION 'audit write refused (test)'; END IF; RETURN NEW; END $$;
      CREATE TRIGGER refuse_create_audit BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION refuse_create_audit();`);
    try {
      const res = await sys.request('POST', '/api/v1/admin/accounts', {
        username: 'ghost.tx', displayName: 'ghost', role: 'leader', scope: { level: 'district' }, password: 'Temp-Passw0rd-1',
      });
      expect(res.statusCode).toBe(500);
    } finally {
      await sql(db.url, 'DROP TRIGGER refuse_create_audit ON audit_log; DROP FUNCTION refuse_create_audit();');
    }
    expect(await sql(db.url, "SELECT id FROM users WHERE username = 'ghost.tx'")).toEqual([]);
    expect(await sql(db.url, "SELECT id FROM password_history h WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.id = h.user_id)")).toEqual([]);
  });
});

describe('ended sessions are purged', () => {
  const sessionRows = (username: string) =>
    sql<{ ended_at: Date | null; end_reason: string | null }>(db.url,
      'SELECT s.ended_at, s.end_reason FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.username = $1', [username]);

  it('the sweep ends idle sessions and deletes every ended one; live sessions stay', async () => {
    const gone = await signedIn(app, { username: 'purge.out', role: 'leader' });
    await gone.request('POST', '/api/v1/auth/logout');
    const idle = await signedIn(app, { username: 'purge.idle', role: 'leader' });
    expect(await sessionRows('purge.out')).toHaveLength(1);
    clock.advance(20 * 60_000);
    const live = await signedIn(app, { username: 'purge.live', role: 'leader' });
    clock.advance(15 * 60_000); // idle.one: 35 minutes without a request; live: 15

    const result = await app.auth.sweep();
    expect(result.ended).toBeGreaterThanOrEqual(1);
    expect(result.purged).toBeGreaterThanOrEqual(2);
    expect(await sessionRows('purge.out')).toEqual([]);
    expect(await sessionRows('purge.idle')).toEqual([]);
    expect(await sessionRows('purge.live')).toHaveLength(1);
    expect((await idle.request('GET', '/api/v1/auth/me')).statusCode).toBe(401);
    expect((await live.request('GET', '/api/v1/auth/me')).statusCode).toBe(200);
    // Who signed in and out is still in the audit log.
    const audit = await sql(db.url, "SELECT 1 FROM audit_log WHERE actor = 'purge.out' AND action IN ('auth.login', 'auth.logout')");
    expect(audit).toHaveLength(2);
  });

  it('a restart purges what went stale while the server was down', async () => {
    const client = await signedIn(app, { username: 'purge.restart', role: 'leader' });
    expect(await sessionRows('purge.restart')).toHaveLength(1);
    const later = manualClock(new Date(clock().getTime() + 13 * 3600_000));
    const restarted = await buildTestApp(db.url, { security: { clock: later, sweepIntervalMs: 0 } });
    try {
      await restarted.ready();
      expect(await sessionRows('purge.restart')).toEqual([]);
      const res = await restarted.inject({ url: '/api/v1/auth/me', headers: { cookie: `gcc_session=${client.cookies.gcc_session}` } });
      expect(res.statusCode).toBe(401);
    } finally {
      await restarted.close();
    }
  });
});
