// The change log refuses a payload that does not match its event's schema
// (a screen must never receive another shape), and the writer's transaction
// rolls back with it: no seq is used up.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, createTestDatabase, sql, type TestDatabase } from './helpers.ts';
import { inTransaction } from '../src/db/repositories/db.ts';
import type { App } from '../src/app.ts';

let db: TestDatabase;
let app: App;

beforeAll(async () => {
  db = await createTestDatabase();
  app = await buildTestApp(db.url, { live: { pruneIntervalMs: 0 } });
  await app.ready();
});

afterAll(async () => {
  await app?.close();
  await db?.drop();
});

const camera = { code: 'CAM1', status: 'offline', at: '2026-05-01T08:00:00.000Z', townCode: '321171001', communityCode: '321171001001', gridCode: '321171001001G001' };
const area = { townCode: '321171001', communityCode: '321171001001' };

describe('appending a change', () => {
  it('takes a payload of the contract\'s shape and numbers it', async () => {
    const seq = await inTransaction(app.db, (tx) => app.repos.changes.append(tx, { kind: 'camera:status-changed', area, entityId: 'CAM1', payload: camera }));
    expect(seq).toBe(1);
  });

  it('refuses another shape, rolling the transaction back without using a seq', async () => {
    await expect(inTransaction(app.db, (tx) => app.repos.changes.append(tx, {
      kind: 'camera:status-changed', area, entityId: 'CAM1', payload: { ...camera, status: 'asleep' },
    }))).rejects.toThrow(/camera:status-changed payload does not match its schema at \/status/);
    await expect(inTransaction(app.db, (tx) => app.repos.changes.append(tx, {
      kind: 'incident:created', area, entityId: 'x', payload: camera,
    }))).rejects.toThrow(/incident:created payload does not match/);
    await expect(inTransaction(app.db, (tx) => app.repos.changes.append(tx, {
      kind: 'camera:exploded' as never, area, entityId: 'x', payload: camera,
    }))).rejects.toThrow(/not in the contract/);
    const seq = await inTransaction(app.db, (tx) => app.repos.changes.append(tx, { kind: 'camera:status-changed', area, entityId: 'CAM1', payload: { ...camera, status: 'online' } }));
    expect(seq).toBe(2);
    const rows = await sql<{ seq: string }>(db.url, 'SELECT seq FROM change_log ORDER BY seq');
    expect(rows.map((r) => Number(r.seq))).toEqual([1, 2]);
  });
});
