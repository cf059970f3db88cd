// Group commit (reports-service): reports that arrive while a transaction is
// in flight are filed together in the next one. One bad report fails only
// itself, the others are stored and numbered gap-free in one statement, and
// the same id twice inside one batch stores one incident.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
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

  it('skips ids filed in an earlier batch: the same report is answered from the store, a different one refused, the new ones numbered gap-free with one audit row each', async () => {
    const before = report(here);
    const earlier = await app.reports.file(before, duty);
    const opener = app.reports.file(report(here), duty);
    const fresh = Array.from({ length: 5 }, () => report(here));
    const asked = [
      settle(app.reports.file(fresh[0], duty)), settle(app.reports.file(before, duty)), settle(app.reports.file(fresh[1], duty)),
      settle(app.reports.file({ ...before, description: '换了内容' }, duty)), ...fresh.slice(2).map((b) => settle(app.reports.file(b, duty))),
    ];
    await opener;
    const [f0, again, f1, changed, ...rest] = await Promise.all(asked);
    expect(again.ok && !again.filed.created && again.filed.incident.seq === earlier.incident.seq).toBe(true);
    expect(!changed.ok && (changed.error as LiveError).statusCode === 409).toBe(true);
    const created = [f0, f1, ...rest].map((s) => (s as { filed: FiledReport }).filed);
    expect(created.every((f) => f.created)).toBe(true);
    const seqs = created.map((f) => f.incident.seq);
    // Filed together, numbered in the order asked, without a gap where the skipped ones stood.
    expect(seqs).toEqual(Array.from({ length: 5 }, (_, k) => seqs[0] + k));
    const audits = await sql<{ target_id: string }>(db.url,
      "SELECT target_id FROM audit_log WHERE action = 'incident.report' AND target_id = ANY($1::text[]) ORDER BY id", [[before.id, ...fresh.map((b) => b.id)]]);
    expect(audits.map((a) => a.target_id)).toEqual([before.id, ...fresh.map((b) => b.id)]);
  });

  it('wakes the change-log listener once per transaction, not once per row', async () => {
    const listener = await app.db.connect();
    let heard = 0;
    const onNotice = (n: { channel: string }) => { if (n.channel === 'change_log') heard += 1; };
    listener.on('notification', onNotice);
    try {
      await listener.query('LISTEN change_log');
      const [{ head }] = await sql<{ head: string }>(db.url, 'SELECT last_seq AS head FROM change_counter');
      const opener = app.reports.file(report(here), duty);
      const together = Array.from({ length: 8 }, () => app.reports.file(report(here), duty));
      await opener;
      await Promise.all(together);
      // Every transaction that wrote log rows since (the two batches, and whatever the alert rules did
      // meanwhile) is heard exactly once, however many rows it wrote.
      const written = async () => (await sql<{ rows: string; txs: string }>(db.url,
        'SELECT count(*) AS rows, count(DISTINCT xmin::text) AS txs FROM change_log WHERE seq > $1', [head]))[0];
      await vi.waitFor(async () => expect(heard).toBe(Number((await written()).txs)), { timeout: 10_000, interval: 200 });
      const { rows, txs } = await written();
      expect(Number(rows)).toBeGreaterThanOrEqual(9);
      expect(Number(txs)).toBeLessThan(Number(rows));
    } finally {
      await listener.query('UNLISTEN change_log');
      listener.off('notification', onNotice);
      listener.release();
    }
  });
});
