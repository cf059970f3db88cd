// Demo mode seeds exactly one account per role and scope; outside demo mode
// there are none, and the first administrator comes from create-admin.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { buildTestApp, createTestDatabase, sql, type TestDatabase } from './helpers.ts';
import { login } from './helpers/sign-in.ts';
import { createAdministrator } from '../src/services/create-admin.ts';
import { HANDLING_UNITS } from '../src/services/handling-units.ts';
import { demoBanner } from '../src/services/demo-banner.ts';
import { DEFAULT_DATA_FILE } from '../src/config.ts';
import type { NewAreaData } from '../../data/types.ts';
import type { App } from '../src/app.ts';

const data = JSON.parse(readFileSync(DEFAULT_DATA_FILE, 'utf8')) as NewAreaData;
const DEMO_PASSWORD = 'Demo@2026!';
const databases: TestDatabase[] = [];
const apps: App[] = [];

async function start(demo: boolean) {
  const db = await createTestDatabase();
  databases.push(db);
  const app = await buildTestApp(db.url, { security: { demo, demoPassword: DEMO_PASSWORD, sweepIntervalMs: 0, loginRateLimitPerMinute: 1000 } });
  apps.push(app);
  await app.ready();
  return { db, app };
}

let demo: { db: TestDatabase; app: App };

beforeAll(async () => {
  demo = await start(true);
});

afterAll(async () => {
  for (const app of apps) await app.close();
  for (const db of databases) await db.drop();
});

describe('demo mode', () => {
  it('seeds exactly the listed accounts, each with its role and scope', async () => {
    const expected = [
      'sysadmin', 'secadmin', 'auditor', 'duty.district', 'leader', 'kiosk.district',
      ...data.towns.map((t) => `duty.${t.code}`),
      ...data.communities.map((c) => `liaison.${c.code}`),
      ...HANDLING_UNITS.map((u) => `unit.${u.code}`),
      ...data.grids.map((g) => `worker.${g.code}`),
    ].sort();
    const rows = await sql<{ username: string; role: string; scope_level: string; town_code: string | null; community_code: string | null; grid_code: string | null; demo: boolean }>(
      demo.db.url, 'SELECT username, role, scope_level, town_code, community_code, grid_code, demo FROM users ORDER BY username');
    expect(rows.map((r) => r.username)).toEqual(expected);
    expect(rows.length).toBe(6 + 5 + 61 + HANDLING_UNITS.length + 371);
    expect(rows.every((r) => r.demo)).toBe(true);
    const by = new Map(rows.map((r) => [r.username, r]));
    expect(by.get('duty.321171001')).toMatchObject({ role: 'town_duty', scope_level: 'town', town_code: '321171001' });
    const community = data.communities[0];
    expect(by.get(`liaison.${community.code}`)).toMatchObject({ role: 'liaison', scope_level: 'community', community_code: community.code, town_code: community.townCode });
    const grid = data.grids[0];
    expect(by.get(`worker.${grid.code}`)).toMatchObject({ role: 'field_worker', grid_code: grid.code, community_code: grid.communityCode });
    expect(by.get('unit.police')).toMatchObject({ role: 'unit_member', scope_level: 'district' });
    expect(by.get('kiosk.district')).toMatchObject({ role: 'kiosk', scope_level: 'district' });
  });

  it('signs in with the demo password (each account salted apart), upgrading the cheap demo hash', async () => {
    const res = await login(demo.app, 'duty.321171001', DEMO_PASSWORD);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ role: 'town_duty', pending: [] });
    const hashes = await sql<{ username: string; password_hash: string }>(demo.db.url,
      "SELECT username, password_hash FROM users WHERE username IN ('duty.321171001', 'leader')");
    const h = Object.fromEntries(hashes.map((r) => [r.username, r.password_hash]));
    expect(h['duty.321171001']).toMatch(/^scrypt\$65536\$/);
    expect(h.leader).toMatch(/^scrypt\$4096\$/);
    expect(new Set(hashes.map((r) => r.password_hash.split('$')[4])).size).toBe(2);
  });

  it('asks the demo administrators to enrol TOTP all the same', async () => {
    expect((await login(demo.app, 'auditor', DEMO_PASSWORD)).json().pending).toEqual(['enrol-totp']);
  });

  it('issues a big-screen kiosk token at start, revoking the previous demo one, and prints its URL', async () => {
    const first = await demo.app.accounts.issueDemoKioskToken();
    const second = await demo.app.accounts.issueDemoKioskToken();
    expect(first).toBeTruthy();
    expect(second).not.toBe(first);
    const exchange = (token: string) => demo.app.inject({ method: 'POST', url: '/api/v1/auth/kiosk', payload: { token } });
    expect((await exchange(first!)).statusCode).toBe(401);
    const ok = await exchange(second!);
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ role: 'kiosk', scope: { level: 'district' }, pending: [] });
    const tokens = await sql<{ revoked: boolean }>(demo.db.url, "SELECT revoked_at IS NOT NULL AS revoked FROM kiosk_tokens WHERE name = 'kiosk.district' ORDER BY id");
    expect(tokens.map((t) => t.revoked)).toEqual([true, false]);
    const banner = demoBanner(DEMO_PASSWORD, `http://localhost:8080/?kiosk=${second}#/screen`);
    expect(banner).toContain(`http://localhost:8080/?kiosk=${second}#/screen`);
    expect(banner).toContain(DEMO_PASSWORD);
  });

  it('is idempotent across restarts', async () => {
    const again = await buildTestApp(demo.db.url, { security: { demo: true, demoPassword: DEMO_PASSWORD, sweepIntervalMs: 0 } });
    apps.push(again);
    await again.ready();
    const [{ n }] = await sql<{ n: number }>(demo.db.url, 'SELECT count(*)::int AS n FROM users');
    expect(n).toBe(6 + 5 + 61 + HANDLING_UNITS.length + 371);
  });
});

describe('outside demo mode', () => {
  it('has no account at all, and the first administrator comes from create-admin', async () => {
    const { db, app } = await start(false);
    expect(await sql(db.url, 'SELECT username FROM users')).toEqual([]);
    expect(await app.accounts.issueDemoKioskToken()).toBeNull();
    expect((await login(app, 'sysadmin', DEMO_PASSWORD)).statusCode).toBe(401);

    await expect(createAdministrator(app.repos, { username: 'root.admin', role: 'leader', password: 'Strong-Passw0rd!' })).rejects.toThrow(/role must be one of/);
    await expect(createAdministrator(app.repos, { username: 'root.admin', role: 'sysadmin', password: 'weak' })).rejects.toThrow(/at least 10/);
    const user = await createAdministrator(app.repos, { username: 'root.admin', role: 'sysadmin', password: 'Strong-Passw0rd!' });
    expect(user).toMatchObject({ role: 'sysadmin', scope: { level: 'district' } });
    await expect(createAdministrator(app.repos, { username: 'root.admin', role: 'auditor', password: 'Strong-Passw0rd!' })).rejects.toThrow(/taken/);
    const res = await login(app, 'root.admin', 'Strong-Passw0rd!');
    expect(res.json().pending).toEqual(['enrol-totp']);
    const [row] = await sql<{ actor: string; action: string }>(db.url, "SELECT actor, action FROM audit_log WHERE action = 'account.create'");
    expect(row).toEqual({ actor: 'create-admin (command line)', action: 'account.create' });
  });
});
