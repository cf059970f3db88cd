// Group commit (reports-service): reports that arrive while a transaction is
// in flight are filed together in the next one. One bad report fails only
// itself, the others are stored and numbered gap-free in one statement, and
// the same id twice inside one batch stores one incident.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, createTestDatabase, sql, type TestDatabase } from './helpers.ts';
import { places, report, type Place } from './live-helpers.ts';
import { LiveError, systemActor, type Actor } from '../src/realtime/actor.ts';
import type { FiledReport } from '../src/services/reports-service.ts';
import type { App } from '../src/app.ts';

let db: TestDatabase;
let app: App;
let here: Place;
const duty = systemActor('batch-test');
// Passes every check in the service but not the database: its account does not exist (foreign key).
const ghost: Actor = { accountId: 987_654_321, username: 'ghost', role: 'district_duty', scope: null, sourceIp: null };

beforeAll(async () => {
  db = await createTestDatabase();
  app = await buildTestApp(db.url, {
    security: { sweepIntervalMs: 0 },
    live: { pruneIntervalMs: 0 },
  });
  await app.ready();
  here = (await places(app))[0];
});

afterAll(async () => {
  await app?.close();
  await db?.drop();
});

type Settled = { ok: true; filed: FiledReport } | { ok: false; error: unknown };
const settle = (p: Promise<FiledReport>): Promise<Settled> => p.then((filed) => ({ ok: true as const, filed }), (error: unknown) => ({ ok: false as const, error }));

describe('reports filed together', () => {
  it('stores the good reports of a batch with a bad one among them, numbered gap-free in one transaction', async () => {
    // The first call starts a transaction at once; everything asked meanwhile waits for the next one, together.
    const opener = app.reports.file(report(here), duty);
    const bodies = Array.from({ length: 12 }, () => report(here));
    const bad = report(here);
    const asked = bodies.map((b, i) => settle(app.reports.file(b, duty)).then((s) => ({ s, i })));
    const badAsked = settle(app.reports.file(bad, ghost));
    await opener;
    const good = await Promise.all(asked);
    const failed = await badAsked;

    expect(failed.ok).toBe(false);
    expect((failed as { error: unknown }).error).not.toBeInstanceOf(LiveError);
    expect(await sql(db.url, 'SELECT 1 FROM incidents WHERE id = $1', [bad.id])).toEqual([]);
    expect(await sql(db.url, 'SELECT 1 FROM change_log WHERE entity_id = $1', [bad.id])).toEqual([]);

    expect(good.every(({ s }) => s.ok && s.filed.created)).toBe(true);
    const ids = bodies.map((b) => b.id);
    const rows = await sql<{ id: string; last_seq: string; tx: string }>(db.url,
      'SELECT id, last_seq, xmin::text AS tx FROM incidents WHERE id = ANY($1::uuid[])', [ids]);
    expect(rows.length).toBe(12);
    // One transaction numbered them all (the row versions share their writer).
    expect(new Set(rows.map((r) => r.tx)).size).toBe(1);
    const seqs = rows.map((r) => Number(r.last_seq)).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: 12 }, (_, k) => seqs[0] + k));
    // Each answer carries its seq, and the change and the timeline step carry the same.
    for (const { s, i } of good) {
      const filed = (s as { filed: FiledReport }).filed;
      expect(filed.incident.id).toBe(ids[i]);
      const [change] = await sql<{ seq: string }>(db.url, `SELECT seq FROM change_log WHERE kind = 'incident:created' AND entity_id = $1`, [ids[i]]);
      const [step] = await sql<{ seq: string }>(db.url, `SELECT seq FROM incident_timeline WHERE action = 'reported' AND incident_id = $1`, [ids[i]]);
      expect(Number(change.seq)).toBe(filed.incident.seq);
      expect(Number(step.seq)).toBe(filed.incident.seq);
    }
    const log = await sql<{ seq: string }>(db.url, 'SELECT seq FROM change_log ORDER BY seq');
    expect(log.map((r) => Number(r.seq))).toEqual(Array.from({ length: log.length }, (_, k) => k + 1));
    const [{ head }] = await sql<{ head: string }>(db.url, 'SELECT last_seq AS head FROM change_counter');
    expect(Number(head)).toBe(log.length);
  });

  it('stores one incident for the same id twice in one batch, and refuses a different report under it', async () => {
    const opener = app.reports.file(report(here), duty);
    const body = report(here);
    const twice = [settle(app.reports.file(body, duty)), settle(app.reports.file(body, duty))];
    const other = settle(app.reports.file({ ...body, description: '另一件事' }, duty));
    await opener;
    const [a, b] = await Promise.all(twice);
    const o = await other;
    expect(a.ok && b.ok).toBe(true);
    const [fa, fb] = [a, b].map((s) => (s as { filed: FiledReport }).filed);
    expect([fa.created, fb.created].sort()).toEqual([false, true]);
    expect(fb.incident).toEqual(fa.incident);
    expect(fa.incident.seq).toBeGreaterThan(0);
    expect(o.ok).toBe(false);
    expect((o as { error: LiveError }).error.statusCode).toBe(409);
    const [{ n }] = await sql<{ n: string }>(db.url, 'SELECT count(*) AS n FROM incidents WHERE id = $1', [body.id]);
    expect(Number(n)).toBe(1);
    const [{ c }] = await sql<{ c: string }>(db.url, `SELECT count(*) AS c FROM change_log WHERE kind = 'incident:created' AND entity_id = $1`, [body.id]);
    expect(Number(c)).toBe(1);
  });
});
