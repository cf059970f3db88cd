// Integration keys for machine clients: only the system administrator issues
// and revokes them (audited), only their sha256 is stored, and the auth hook
// accepts one only on a route that names its channel, while it is neither
// revoked nor expired. A probe route registered by the test stands for any
// intake route (the chat intake's own tests use the real one).
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, createTestDatabase, sql, type TestDatabase } from './helpers.ts';
import { manualClock, signedIn, type Client } from './helpers/sign-in.ts';
import type { App } from '../src/app.ts';
import { integrationOf } from '../src/services/integration-keys-service.ts';

let db: TestDatabase;
let app: App;
let sys: Client;
let sec: Client;
let duty: Client;
const clock = manualClock(new Date('2026-11-30T08:00:00Z'));
const TOWN = '321171001';
const COMMUNITY = '321171001001';

beforeAll(async () => {
  db = await createTestDatabase();
  app = await buildTestApp(db.url, { security: { sweepIntervalMs: 0, loginRateLimitPerMinute: 1000, clock } });
  // A route of the kind an intake route is: chat robot keys, or a duty officer's session.
  app.post('/api/v1/test-probe', { config: { integration: ['chat_robot'] } }, async (request) => ({
    integration: integrationOf(request), principal: request.principal?.username ?? null,
  }));
  await app.ready();
  sys = await signedIn(app, { username: 'sys', role: 'sysadmin' });
  sec = await signedIn(app, { username: 'sec', role: 'secadmin' });
  duty = await signedIn(app, { username: 'duty', role: 'district_duty' });
});

afterAll(async () => {
  await app?.close();
  await db?.drop();
});

async function issue(body: Record<string, unknown>) {
  const res = await sys.request('POST', '/api/v1/admin/integration-keys', body);
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { key: { id: number; hint: string; channel: string; scope: unknown }; secret: string };
}

const probe = (secret: string) => app.inject({ method: 'POST', url: '/api/v1/test-probe', headers: { authorization: `Bearer ${secret}` }, payload: {} });
const keyRows = () => sql<Record<string, unknown>>(db.url, 'SELECT * FROM integration_keys ORDER BY id');

describe('issuing and revoking', () => {
  it('the system administrator issues a key for one channel and scope; the secret is shown once and only its sha256 is stored', async () => {
    const { key, secret } = await issue({ name: '丁卯社区群机器人', channel: 'chat_robot', scope: { level: 'community', communityCode: COMMUNITY } });
    expect(secret).toMatch(/^gik_[A-Za-z0-9_-]{43}$/);
    expect(key).toMatchObject({ name: '丁卯社区群机器人', channel: 'chat_robot', scope: { level: 'community', townCode: TOWN, communityCode: COMMUNITY },
      createdBy: 'sys', expiresAt: null, revokedAt: null, lastUsedAt: null });
    expect(secret.startsWith(key.hint)).toBe(true);
    expect(key.hint.length).toBeLessThan(12);

    const rows = await keyRows();
    const row = rows.find((r) => Number(r.id) === key.id)!;
    expect(row.key_hash).toBe(createHash('sha256').update(secret).digest('hex'));
    expect(JSON.stringify(rows)).not.toContain(secret.slice(8));

    const list = await sys.request('GET', '/api/v1/admin/integration-keys');
    expect(list.statusCode).toBe(200);
    expect(list.json().keys.map((k: { id: number }) => k.id)).toContain(key.id);
    expect(list.body).not.toContain(secret.slice(8));

    const [audit] = await sql<{ actor: string; after: Record<string, unknown>; result: string }>(db.url,
      "SELECT actor, after, result FROM audit_log WHERE action = 'integration-key.issue' AND target_id = $1", [String(key.id)]);
    expect(audit).toMatchObject({ actor: 'sys', result: 'success', after: { channel: 'chat_robot', name: '丁卯社区群机器人' } });
    expect(JSON.stringify(audit)).not.toContain(secret.slice(8));
  });

  it('no one but the system administrator issues, lists or revokes keys, and a refused issue stores nothing', async () => {
    const before = (await keyRows()).length;
    const body = { name: 'rogue', channel: 'open311', scope: { level: 'district' } };
    for (const client of [sec, duty]) {
      expect((await client.request('POST', '/api/v1/admin/integration-keys', body)).statusCode).toBe(403);
      expect((await client.request('GET', '/api/v1/admin/integration-keys')).statusCode).toBe(403);
      expect((await client.request('DELETE', '/api/v1/admin/integration-keys/1')).statusCode).toBe(403);
    }
    expect((await app.inject({ method: 'POST', url: '/api/v1/admin/integration-keys', payload: body })).statusCode).toBe(401);
    expect((await keyRows()).length).toBe(before);
  });

  it('refuses a bad body, an unknown channel or community and an expiry in the past, storing nothing', async () => {
    const before = (await keyRows()).length;
    const bad = [
      { name: '', channel: 'open311', scope: { level: 'district' } },
      { name: 'x', channel: 'fax', scope: { level: 'district' } },
      { name: 'x', channel: 'open311', scope: { level: 'community', communityCode: '999999999999' } },
      { name: 'x', channel: 'open311', scope: { level: 'district' }, expiresAt: '2026-11-30T07:00:00Z' },
      { name: 'x', channel: 'open311', scope: { level: 'district' }, expiresAt: 'tomorrow' },
      { name: 'x', channel: 'open311', scope: { level: 'district' }, secret: 'gik_mine' },
    ];
    for (const body of bad) {
      const res = await sys.request('POST', '/api/v1/admin/integration-keys', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().message).toBeTruthy();
    }
    expect((await keyRows()).length).toBe(before);
  });
});

describe('using a key', () => {
  it('a chat robot key calls a route that names its channel, as a machine principal with its scope; last use is recorded', async () => {
    const { key, secret } = await issue({ name: 'robot', channel: 'chat_robot', scope: { level: 'town', townCode: TOWN } });
    const res = await probe(secret);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ integration: { keyId: key.id, name: 'robot', channel: 'chat_robot', scope: { level: 'town', townCode: TOWN } }, principal: null });
    const [row] = await sql<{ last_used_at: Date }>(db.url, 'SELECT last_used_at FROM integration_keys WHERE id = $1', [key.id]);
    expect(row.last_used_at.toISOString()).toBe(clock().toISOString());
  });

  it('a key of another channel is refused (403, audited) and so is any key on a route that takes none', async () => {
    const { secret } = await issue({ name: 'gateway', channel: 'camera', scope: { level: 'district' } });
    const res = await probe(secret);
    expect(res.statusCode).toBe(403);
    expect(res.json().message).toContain('chat_robot');
    const denied = await sql(db.url, "SELECT 1 FROM audit_log WHERE action = 'access.denied' AND actor LIKE 'integration:%:gateway'");
    expect(denied.length).toBe(1);

    const { secret: robot } = await issue({ name: 'robot2', channel: 'chat_robot', scope: { level: 'district' } });
    for (const url of ['/api/v1/towns', '/api/v1/admin/integration-keys', '/api/v1/auth/me']) {
      const r = await app.inject({ url, headers: { authorization: `Bearer ${robot}` } });
      expect(r.statusCode, url).toBe(403);
    }
  });

  it('an unknown or malformed key gets 401, audited without the key', async () => {
    for (const secret of ['gik_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', `gik_${'x'.repeat(300)}`]) {
      const res = await probe(secret);
      expect(res.statusCode).toBe(401);
      expect(res.json().message).toBe('the integration key is not valid');
    }
    const rows = await sql<{ detail: string }>(db.url, "SELECT detail FROM audit_log WHERE action = 'auth.integration-key' AND result = 'failure'");
    expect(rows.length).toBeGreaterThanOrEqual(2);
    expect(JSON.stringify(rows)).not.toContain('AAAAAAAA');
    // No key and no session: sign in first.
    expect((await app.inject({ method: 'POST', url: '/api/v1/test-probe', payload: {} })).statusCode).toBe(401);
  });

  it('a revoked key is refused from the next request on; revoking twice says so', async () => {
    const { key, secret } = await issue({ name: 'hotline', channel: 'chat_robot', scope: { level: 'district' } });
    expect((await probe(secret)).statusCode).toBe(200);
    const revoked = await sys.request('DELETE', `/api/v1/admin/integration-keys/${key.id}`);
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json().revokedAt).toBe(clock().toISOString());
    const res = await probe(secret);
    expect(res.statusCode).toBe(401);
    expect(res.json().message).toBe('the integration key has been revoked');

    expect((await sys.request('DELETE', `/api/v1/admin/integration-keys/${key.id}`)).statusCode).toBe(200);
    const audits = await sql<{ result: string; detail: string | null }>(db.url,
      "SELECT result, detail FROM audit_log WHERE action = 'integration-key.revoke' AND target_id = $1 ORDER BY id", [String(key.id)]);
    expect(audits).toEqual([{ result: 'success', detail: null }, { result: 'failure', detail: 'already revoked' }]);
    expect((await sys.request('DELETE', '/api/v1/admin/integration-keys/999999')).statusCode).toBe(404);
  });

  it('a key with an expiry works until then and is refused after', async () => {
    const expiresAt = new Date(clock().getTime() + 3600_000).toISOString();
    const { key, secret } = await issue({ name: 'temporary', channel: 'chat_robot', scope: { level: 'district' }, expiresAt });
    expect(key.scope).toEqual({ level: 'district' });
    expect((await probe(secret)).statusCode).toBe(200);
    clock.advance(3600_000);
    const res = await probe(secret);
    expect(res.statusCode).toBe(401);
    expect(res.json().message).toBe('the integration key has expired');
  });

  it('a signed-in duty officer still calls a route that also takes keys (the session, not a key)', async () => {
    // (The clock moved past the idle timeout above: a fresh session.)
    const officer = await signedIn(app, { username: 'duty2', role: 'district_duty' });
    const res = await officer.request('POST', '/api/v1/test-probe', {});
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ integration: null, principal: 'duty2' });
  });
});
