// The audit log: append-only even for the application's own database role,
// searchable and exportable by the audit administrator only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, createTestDatabase, sql, type TestDatabase } from './helpers.ts';
import { login, signedIn, type Client } from './helpers/sign-in.ts';
import type { App } from '../src/app.ts';

let db: TestDatabase;
let app: App;
let auditor: Client;

beforeAll(async () => {
  db = await createTestDatabase();
  app = await buildTestApp(db.url, { security: { sweepIntervalMs: 0, loginRateLimitPerMinute: 1000 } });
  await app.ready();
  auditor = await signedIn(app, { username: 'aud', role: 'auditor' });
  await login(app, 'aud', 'Wrong-Passw0rd!'); // a failure to find
});

afterAll(async () => {
  await app?.close();
  await db?.drop();
});

describe('append-only', () => {
  it('refuses UPDATE, DELETE and TRUNCATE through the application\'s own pool, and the rows stay as they were', async () => {
    const before = await sql(db.url, 'SELECT * FROM audit_log ORDER BY id');
    expect(before.length).toBeGreaterThan(0);
    await expect(app.db.query("UPDATE audit_log SET result = 'success', actor = 'someone else'")).rejects.toThrow(/append-only: UPDATE refused/);
    await expect(app.db.query('DELETE FROM audit_log')).rejects.toThrow(/append-only: DELETE refused/);
    await expect(app.db.query('TRUNCATE audit_log')).rejects.toThrow(/append-only: TRUNCATE refused/);
    expect(await sql(db.url, 'SELECT * FROM audit_log ORDER BY id')).toEqual(before);
  });

  it('grants PUBLIC no UPDATE, DELETE or TRUNCATE on it', async () => {
    const rows = await sql<{ privilege_type: string }>(db.url,
      "SELECT privilege_type FROM information_schema.role_table_grants WHERE table_name = 'audit_log' AND grantee = 'PUBLIC'");
    expect(rows.map((r) => r.privilege_type).filter((p) => ['UPDATE', 'DELETE', 'TRUNCATE'].includes(p))).toEqual([]);
  });
});

describe('search and export', () => {
  it('finds sign-ins by actor and result, newest first, with who, role, scope, address and time', async () => {
    const res = await auditor.request('GET', '/api/v1/audit?actor=aud&action=auth.login');
    expect(res.statusCode).toBe(200);
    const { entries } = res.json();
    expect(entries.map((e: { result: string }) => e.result)).toEqual(['failure', 'success']);
    expect(entries[1]).toMatchObject({ actor: 'aud', role: 'auditor', scope: { level: 'district' }, sourceIp: '127.0.0.1', action: 'auth.login' });
    expect(Date.parse(entries[1].at)).not.toBeNaN();
    const failures = (await auditor.request('GET', '/api/v1/audit?result=failure')).json().entries;
    expect(failures.every((e: { result: string }) => e.result === 'failure')).toBe(true);
  });

  it('pages with nextBefore', async () => {
    const first = (await auditor.request('GET', '/api/v1/audit?limit=1')).json();
    expect(first.entries).toHaveLength(1);
    const second = (await auditor.request('GET', `/api/v1/audit?limit=1&before=${first.nextBefore}`)).json();
    expect(second.entries[0].id).toBeLessThan(first.entries[0].id);
  });

  it('rejects a malformed query with a clear 400', async () => {
    const res = await auditor.request('GET', '/api/v1/audit?from=yesterday');
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(/from/);
  });

  it('exports CSV, defusing spreadsheet formulas, and audits the export itself', async () => {
    await login(app, '=HYPERLINK("http://x")', 'Whatever-12345');
    const res = await auditor.request('GET', '/api/v1/audit/export?action=auth.login');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="audit-\d{4}-\d{2}-\d{2}\.csv"$/);
    const lines = res.body.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe('id,at,actor,role,scope,sourceIp,action,targetType,targetId,before,after,result,detail');
    expect(lines.length).toBe(4);
    expect(lines[1]).toContain(`"'=HYPERLINK(""http://x"")"`);
    const [row] = await sql<{ actor: string; detail: string }>(db.url, "SELECT actor, detail FROM audit_log WHERE action = 'audit.export'");
    expect(row.actor).toBe('aud');
    expect(row.detail).toMatch(/^3 rows/);
  });
});
