// What the admin pages need beyond the account routes themselves: each
// account's last sign-in in the list, the handling units for a unit member's
// account (administrators hold no incident:read), and the audit search by
// target. Refusals are checked as well.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, createTestDatabase, type TestDatabase } from './helpers.ts';
import { createAccount, signIn, signedIn, TEST_PASSWORD, type Client } from './helpers/sign-in.ts';
import type { App } from '../src/app.ts';
import type { Account, AuditEntry } from '../../shared/schemas/auth.ts';

let db: TestDatabase;
let app: App;
let sys: Client;
let sec: Client;
let auditor: Client;
let duty: Client;

beforeAll(async () => {
  db = await createTestDatabase();
  app = await buildTestApp(db.url, { security: { sweepIntervalMs: 0, loginRateLimitPerMinute: 1000 } });
  await app.ready();
  sys = await signedIn(app, { username: 'sys', role: 'sysadmin' });
  sec = await signedIn(app, { username: 'sec', role: 'secadmin' });
  auditor = await signedIn(app, { username: 'aud', role: 'auditor' });
  duty = await signedIn(app, { username: 'duty', role: 'district_duty' });
});

afterAll(async () => {
  await app?.close();
  await db?.drop();
});

const accountsOf = async (client: Client): Promise<Account[]> => {
  const res = await client.request('GET', '/api/v1/admin/accounts');
  expect(res.statusCode).toBe(200);
  return res.json().accounts;
};

describe('the account list', () => {
  it('says when each account last signed in, and null for one that never did', async () => {
    await createAccount(app, { username: 'never.in', role: 'leader' });
    const before = Date.now();
    await signIn(app, { username: 'duty', password: TEST_PASSWORD });
    const list = await accountsOf(sys);
    const byName = new Map(list.map((a) => [a.username, a]));
    expect(byName.get('never.in')!.lastSignInAt).toBeNull();
    const last = Date.parse(byName.get('duty')!.lastSignInAt!);
    expect(last).toBeGreaterThanOrEqual(before - 1000);
    expect(last).toBeLessThanOrEqual(Date.now() + 1000);
    // The security administrator reads the same list.
    expect((await accountsOf(sec)).find((a) => a.username === 'duty')!.lastSignInAt).toBe(byName.get('duty')!.lastSignInAt);
  });

  it('is refused to the auditor and to business roles', async () => {
    expect((await auditor.request('GET', '/api/v1/admin/accounts')).statusCode).toBe(403);
    expect((await duty.request('GET', '/api/v1/admin/accounts')).statusCode).toBe(403);
  });
});

describe('GET /admin/units', () => {
  it('lists the handling units to both account administrators', async () => {
    for (const client of [sys, sec]) {
      const res = await client.request('GET', '/api/v1/admin/units');
      expect(res.statusCode).toBe(200);
      const units = res.json().units as { code: string; name: string }[];
      expect(units.length).toBeGreaterThan(0);
      expect(units.map((u) => u.code)).toContain('police');
    }
  });

  it('is refused to the auditor and to a duty officer', async () => {
    expect((await auditor.request('GET', '/api/v1/admin/units')).statusCode).toBe(403);
    expect((await duty.request('GET', '/api/v1/admin/units')).statusCode).toBe(403);
  });
});

describe('the audit search by target', () => {
  it('finds the rows of one account, and only those', async () => {
    const created = await sys.request('POST', '/api/v1/admin/accounts', {
      username: 'target.one', displayName: 'Target One', role: 'town_duty', scope: { level: 'town', townCode: '321171001' }, password: 'Temp-Passw0rd!',
    });
    expect(created.statusCode).toBe(201);
    const id = String(created.json().id);
    expect((await sec.request('PUT', `/api/v1/admin/accounts/${id}/grant`, { role: 'town_duty', scope: { level: 'town', townCode: '321171002' } })).statusCode).toBe(200);

    const res = await auditor.request('GET', `/api/v1/audit?targetType=account&targetId=${id}`);
    expect(res.statusCode).toBe(200);
    const entries = res.json().entries as AuditEntry[];
    expect(entries.map((e) => e.action)).toEqual(['account.grant', 'account.create']);
    expect(entries.every((e) => e.targetType === 'account' && e.targetId === id)).toBe(true);
    expect(entries[0]!.before).toMatchObject({ scope: { level: 'town', townCode: '321171001' } });

    // The export takes the same filter.
    const csv = await auditor.request('GET', `/api/v1/audit/export?targetType=account&targetId=${id}`);
    expect(csv.statusCode).toBe(200);
    expect(csv.body.trim().split('\r\n')).toHaveLength(3);
  });

  it('refuses a malformed target type with a 400 naming the field', async () => {
    const res = await auditor.request('GET', '/api/v1/audit?targetType=DROP%20TABLE');
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toContain('targetType');
  });
});
