// A batch of reports writes its audit rows in one statement: still one row
// per stored report, in the order the reports came, with who, where and what,
// none for a report the database refused or for a repeat; and the answer
// carries the reporter's phone as sent (it is not decrypted back).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, createTestDatabase, sql, type TestDatabase } from './helpers.ts';
import { places, report, type Place } from './live-helpers.ts';
import type { Actor } from '../src/realtime/actor.ts';
import { toIncident } from '../src/services/incidents-service.ts';
import type { App } from '../src/app.ts';

let db: TestDatabase;
let app: App;
let here: Place;
const duty: Actor = { accountId: null, username: 'system:audit-batch', role: 'district_duty', scope: null, sourceIp: '10.1.2.3' };
// Passes every check in the service but not the database: its account does not exist (foreign key).
const ghost: Actor = { accountId: 987_654_321, username: 'ghost', role: 'district_duty', scope: null, sourceIp: null };

beforeAll(async () => {
  db = await createTestDatabase();
  // The alert engine stays still: a cluster alert linked to one of these incidents would change it after the answer.
  app = await buildTestApp(db.url, { security: { sweepIntervalMs: 0 }, live: { pruneIntervalMs: 0 }, alerts: { pollMs: 0, tickMs: 0 } });
  await app.ready();
  here = (await places(app))[0];
});

afterAll(async () => {
  await app?.close();
  await db?.drop();
});

interface AuditRow { id: string; actor: string; role: string; source_ip: string; action: string; target_type: string; target_id: string;
  before: unknown; after: { status: string; tier: string; itemCode: string }; result: string; town_code: string; community_code: string; whole: string }

const auditOf = (ids: string[]) => sql<AuditRow>(db.url, `
  SELECT id::text, actor, role, source_ip, action, target_type, target_id, before, after, result, town_code, community_code, a::text AS whole
  FROM audit_log a WHERE action = 'incident.report' AND target_id = ANY($1::text[]) ORDER BY a.id`, [ids]);

describe('audit rows of reports filed together', () => {
  // With a refused report among them the batch is filed again, each in a savepoint; without, in one multi-row insert.
  it.each([['with a refused report among them', true], ['all good (one multi-row insert)', false]])('are one per stored report, in arrival order, with the actor and place (%s)', async (_label, withRefused) => {
    const opener = app.reports.file(report(here), duty);
    const bodies = Array.from({ length: 10 }, (_, i) => report(here, { reporter: { name: '王五', phone: `1390000${String(1000 + i)}` } }));
    const asked = bodies.map((b) => app.reports.file(b, duty));
    const bad = report(here);
    const refused = withRefused ? app.reports.file(bad, ghost).then(() => 'stored', () => 'refused') : 'refused';
    await opener;
    const filed = await Promise.all(asked);
    expect(await refused).toBe('refused');

    const ids = bodies.map((b) => b.id);
    const rows = await auditOf(ids);
    // In arrival order: ids (the identity column) ascend with the batch.
    expect(rows.map((r) => r.target_id)).toEqual(ids);
    for (const [i, r] of rows.entries()) {
      const incident = filed[i].incident;
      expect(r).toMatchObject({
        actor: 'system:audit-batch', role: 'district_duty', source_ip: '10.1.2.3', target_type: 'incident', result: 'success',
        before: null, town_code: incident.townCode, community_code: incident.communityCode,
      });
      expect(r.after).toEqual({ status: 'reported', tier: incident.tier, itemCode: 'ZF-09' });
      // No personal data in the audit log.
      expect(r.whole).not.toContain(bodies[i].reporter!.phone!);
      expect(r.whole).not.toContain('王五');
    }
    expect(await auditOf([bad.id])).toEqual([]);

    // The answer's phone is the one sent, and the same as the stored one read back.
    for (const [i, f] of filed.entries()) {
      expect(f.created).toBe(true);
      expect(f.incident.reporter.phone).toBe(bodies[i].reporter!.phone);
      const stored = toIncident((await app.repos.incidents.find(app.db, f.incident.id))!, app.fieldCipher);
      expect(f.incident).toEqual(stored);
    }
  });

  it('answers an id sent in upper case as stored (lower case), and the same report again in either case as a repeat', async () => {
    const body = report(here);
    const upper = { ...body, id: body.id.toUpperCase() };
    const first = await app.reports.file(upper, duty);
    expect(first.created).toBe(true);
    expect(first.incident.id).toBe(body.id);
    expect(first.incident).toEqual(toIncident((await app.repos.incidents.find(app.db, body.id))!, app.fieldCipher));
    const [again, lower] = await Promise.all([app.reports.file(upper, duty), app.reports.file(body, duty)]);
    expect([again.created, lower.created]).toEqual([false, false]);
    expect(lower.incident.seq).toBe(first.incident.seq);
  });

  it('writes no second row for the same report sent again', async () => {
    const body = report(here);
    const first = await app.reports.file(body, duty);
    const again = await app.reports.file(body, duty);
    expect([first.created, again.created]).toEqual([true, false]);
    expect((await auditOf([body.id])).length).toBe(1);
  });
});
