// The change log refuses a payload that does not match its event's schema
// (a screen must never receive another shape), and the writer's transaction
// rolls back with it: no seq is used up. The last statement and COMMIT in one
// round trip (queryThenCommit and appendChange's `commit`): what it writes is
// committed, values reach the database exactly as given (they are written
// into the text as literals), a failure stores nothing, and the pooled client
// is clean for the next transaction.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, createTestDatabase, sql, type TestDatabase } from './helpers.ts';
import { inlineParams, inTransaction, queryThenCommit, sqlLiteral } from '../src/db/repositories/db.ts';
import type { App } from '../src/app.ts';

let db: TestDatabase;
let app: App;

beforeAll(async () => {
  db = await createTestDatabase();
  app = await buildTestApp(db.url, { live: { pruneIntervalMs: 0 } });
  await app.ready();
  await sql(db.url, 'CREATE TABLE commit_probe (id serial PRIMARY KEY, t text NOT NULL, n bigint, at timestamptz, j jsonb)');
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

const INSERT = 'INSERT INTO commit_probe (t, n, at, j) VALUES ($1::text, $2::bigint, $3::timestamptz, $4::jsonb) RETURNING id';

describe('literals', () => {
  it('quotes text, doubling quotes and backslashes, and refuses what has no literal', () => {
    expect(sqlLiteral(null)).toBe('NULL');
    expect(sqlLiteral(42)).toBe('42');
    expect(sqlLiteral("it's")).toBe("'it''s'");
    expect(sqlLiteral('a\\b')).toBe(" E'a\\\\b'");
    expect(sqlLiteral(new Date('2026-05-01T08:00:00.000Z'))).toBe("'2026-05-01T08:00:00.000Z'");
    expect(() => sqlLiteral(Number.NaN)).toThrow(/finite/);
    expect(() => sqlLiteral({})).toThrow(/no SQL literal/);
    expect(() => sqlLiteral('a\0b')).toThrow(/NUL/);
    expect(inlineParams('SELECT $1, $10, $2', [1, 2, 3, 4, 5, 6, 7, 8, 9, 'ten'])).toBe("SELECT 1, 'ten', 2");
    expect(() => inlineParams('SELECT $2', [1])).toThrow(/no value for \$2/);
  });
});

describe('queryThenCommit', () => {
  it('commits with the statement: another connection sees the row, values exactly as given', async () => {
    const hostile = "'); DROP TABLE commit_probe; -- \\' \u6C34\u7BA1\u7206\u88C2 $1 \\x00";
    const json = JSON.stringify({ note: hostile, list: [1, 'two'] });
    const at = new Date('2026-11-30T12:34:56.789Z');
    const rows = await inTransaction(app.db, (tx) => queryThenCommit<{ id: number }>(tx, INSERT, [hostile, 9_007_199_254_740_991, at, json]));
    expect(rows).toHaveLength(1);
    const [stored] = await sql<{ t: string; n: string; at: Date; j: unknown }>(db.url, 'SELECT t, n, at, j FROM commit_probe WHERE id = $1', [rows[0].id]);
    expect(stored.t).toBe(hostile);
    expect(stored.n).toBe('9007199254740991');
    expect(stored.at.toISOString()).toBe(at.toISOString());
    expect(stored.j).toEqual({ note: hostile, list: [1, 'two'] });
  });

  it('stores nothing when the statement fails, and the client is clean for the next transaction', async () => {
    const before = await sql<{ c: string }>(db.url, 'SELECT count(*) AS c FROM commit_probe');
    await expect(inTransaction(app.db, async (tx) => {
      await tx.query(INSERT, ['first in the transaction', 1, null, null]);
      return queryThenCommit(tx, INSERT, ['not json', 2, null, '{broken']);
    })).rejects.toThrow(/json/i);
    const after = await sql<{ c: string }>(db.url, 'SELECT count(*) AS c FROM commit_probe');
    expect(after[0].c).toBe(before[0].c);
    // Every pooled client gets an ordinary transaction afterwards: its COMMIT is not skipped.
    for (let i = 0; i < 12; i++) {
      await inTransaction(app.db, async (tx) => {
        await tx.query(INSERT, [`plain ${i}`, i, null, null]);
      });
    }
    const plain = await sql<{ c: string }>(db.url, "SELECT count(*) AS c FROM commit_probe WHERE t LIKE 'plain %'");
    expect(plain[0].c).toBe('12');
  });

  it('refuses a pool (it must end a transaction of its own client)', async () => {
    await expect(queryThenCommit(app.db, 'SELECT 1', [])).rejects.toThrow(/own client/);
  });
});

describe('appendChange with commit', () => {
  it('numbers and commits the change in the one round trip, gap-free with the others', async () => {
    const { headSeq } = await app.repos.changes.bounds();
    const a = await inTransaction(app.db, (tx) => app.repos.changes.append(tx, { kind: 'camera:status-changed', area, entityId: 'CAM1', payload: camera }, { commit: true }));
    const b = await inTransaction(app.db, (tx) => app.repos.changes.append(tx, { kind: 'camera:status-changed', area, entityId: 'CAM1', payload: { ...camera, status: 'online' } }));
    expect([a, b]).toEqual([headSeq + 1, headSeq + 2]);
    const rows = await sql<{ seq: string; payload: { status: string } }>(db.url, 'SELECT seq, payload FROM change_log WHERE seq > $1 ORDER BY seq', [headSeq]);
    expect(rows.map((r) => [Number(r.seq), r.payload.status])).toEqual([[a, 'offline'], [b, 'online']]);
  });

  it('a refused payload uses no seq and leaves nothing', async () => {
    const { headSeq } = await app.repos.changes.bounds();
    await expect(inTransaction(app.db, (tx) => app.repos.changes.append(tx, {
      kind: 'camera:status-changed', area, entityId: 'CAM1', payload: { ...camera, status: 'asleep' },
    }, { commit: true }))).rejects.toThrow(/does not match/);
    expect((await app.repos.changes.bounds()).headSeq).toBe(headSeq);
  });
});
