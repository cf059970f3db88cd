// Reports in and incidents out over HTTP (app.inject on a real PostgreSQL):
// idempotent ids, bad input refused with nothing stored, roles and scope in
// SQL (a town officer cannot reach another town's incident by id, listing
// or change log), masking, paging, the update service, and the change log's
// gap-free numbering under concurrent reports. Other features (the alert
// rules) add their own changes to the same log, so the checks look at the
// incident changes and at the log's numbering as a whole.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Value } from 'typebox/value';
import { buildTestApp, createTestDatabase, sql, type TestDatabase } from './helpers.ts';
import { signedIn, type Client, type TestAccount } from './helpers/sign-in.ts';

type Signed = Client & { account: TestAccount };
import { places, report, type Place } from './live-helpers.ts';
import { Change, ChangesPage } from '../../shared/schemas/changes.ts';
import { Incident, IncidentList, IncidentWithTimeline } from '../../shared/schemas/incident.ts';
import { systemActor, LiveError } from '../src/realtime/actor.ts';
import type { App } from '../src/app.ts';

let db: TestDatabase;
let app: App;
const TOWN = '321171001';
const OTHER_TOWN = '321171002';
let here: Place; // in TOWN, the field worker's grid
let sameCommunity: Place; // another grid of the same community, if any (else `here`)
let otherTown: Place;
let quiet: Place; // a grid of TOWN no other test reports in (so no cluster alert touches its incidents)
let worker: Signed;
let worker2: Signed;
let duty: Signed; // town duty of TOWN: reads contacts in full
let otherDuty: Signed; // town duty of OTHER_TOWN
let districtDuty: Signed;
let leader: Signed;
let kiosk: Signed;

// What filing reports writes. (The alert rules react to new incidents on their own, a moment later: they may
// add incident:updated changes and timeline steps, so those are not counted here.)
const counts = async () => {
  const [row] = await sql<{ i: string; t: string; c: string; a: string }>(db.url, `SELECT
    (SELECT count(*) FROM incidents) AS i, (SELECT count(*) FROM incident_timeline WHERE action = 'reported') AS t,
    (SELECT count(*) FROM change_log WHERE kind = 'incident:created') AS c,
    (SELECT count(*) FROM audit_log WHERE action = 'incident.report') AS a`);
  return row;
};

beforeAll(async () => {
  db = await createTestDatabase();
  app = await buildTestApp(db.url, {
    security: { sweepIntervalMs: 0, loginRateLimitPerMinute: 1000 },
    live: { reportRateLimitPerMinute: 10_000, pruneIntervalMs: 0 },
  });
  await app.ready();
  const all = await places(app);
  here = all.find((p) => p.townCode === TOWN)!;
  sameCommunity = all.find((p) => p.communityCode === here.communityCode && p.gridCode !== here.gridCode) ?? here;
  otherTown = all.find((p) => p.townCode === OTHER_TOWN)!;
  quiet = all.find((p) => p.townCode === TOWN && p.communityCode !== here.communityCode)!;
  const community = { level: 'community' as const, townCode: TOWN, communityCode: here.communityCode };
  worker = await signedIn(app, { username: 'r.worker', role: 'field_worker', scope: community, gridCode: here.gridCode });
  worker2 = await signedIn(app, { username: 'r.worker2', role: 'field_worker', scope: community, gridCode: here.gridCode });
  duty = await signedIn(app, { username: 'r.duty', role: 'town_duty', scope: { level: 'town', townCode: TOWN } });
  otherDuty = await signedIn(app, { username: 'r.other', role: 'town_duty', scope: { level: 'town', townCode: OTHER_TOWN } });
  districtDuty = await signedIn(app, { username: 'r.district', role: 'district_duty' });
  leader = await signedIn(app, { username: 'r.leader', role: 'leader' });
  kiosk = await signedIn(app, { username: 'r.kiosk', role: 'kiosk' });
});

afterAll(async () => {
  await app?.close();
  await db?.drop();
});

describe('POST /api/v1/reports', () => {
  it('stores a report once, located, at the tier of its level, with timeline, audit row and change', async () => {
    const body = report(here, { itemCode: 'AQ-02', reporter: { name: '王成亮', phone: '13812345678' }, photoUrls: ['https://img.example/a.jpg'] });
    const before = await counts();
    const res = await worker.request('POST', '/api/v1/reports', body);
    expect(res.statusCode).toBe(201);
    const incident = res.json();
    expect(Value.Check(Incident, incident)).toBe(true);
    expect(incident).toMatchObject({
      id: body.id, itemCode: 'AQ-02', domain: 'work_safety', level: 1, tier: 'district', status: 'reported', channel: 'field',
      gridCode: here.gridCode, communityCode: here.communityCode, townCode: TOWN, version: 1, supervised: false, overdue: false,
      photoUrls: ['https://img.example/a.jpg'], reporter: { accountId: worker.account.id },
    });
    // A field worker has no right to residents' contacts: masked even in the answer to their own report.
    expect(incident.reporter).toMatchObject({ name: '王*亮', phone: '138****5678' });
    expect(incident.seq).toBeGreaterThan(0);
    const after = await counts();
    expect([+after.i - +before.i, +after.t - +before.t, +after.c - +before.c, +after.a - +before.a]).toEqual([1, 1, 1, 1]);
    // The phone is stored encrypted, the change log carries it masked.
    const [row] = await sql<{ enc: string; payload: { reporter: { phone: string } } }>(db.url,
      `SELECT i.reporter_phone_enc AS enc, c.payload FROM incidents i JOIN change_log c ON c.seq = i.last_seq WHERE i.id = $1`, [body.id]);
    expect(row.enc).not.toContain('13812345678');
    expect(row.payload.reporter.phone).toBe('138****5678');
  });

  it('starts level 2 at the town and level 3 at the community', async () => {
    const two = await worker.request('POST', '/api/v1/reports', report(here, { itemCode: 'ZF-04' }));
    const three = await worker.request('POST', '/api/v1/reports', report(here, { itemCode: 'ZF-09' }));
    expect([two.json().tier, three.json().tier]).toEqual(['town', 'community']);
  });

  it('answers a retry of the same report with the stored incident (200), storing nothing more', async () => {
    const body = report(sameCommunity, { reporter: { phone: '13900001111' } });
    const first = await worker.request('POST', '/api/v1/reports', body);
    expect(first.statusCode).toBe(201);
    const before = await counts();
    const again = await Promise.all([1, 2, 3].map(() => worker.request('POST', '/api/v1/reports', body)));
    expect(again.map((r) => r.statusCode)).toEqual([200, 200, 200]);
    for (const r of again) expect(r.json()).toEqual(first.json());
    expect(await counts()).toEqual(before);
  });

  it('stores one incident when the same new report races itself', async () => {
    const body = report(here);
    const before = await counts();
    const answers = await Promise.all(Array.from({ length: 8 }, () => worker.request('POST', '/api/v1/reports', body)));
    expect(answers.map((r) => r.statusCode).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 201]);
    const after = await counts();
    expect(+after.i - +before.i).toBe(1);
    expect(+after.c - +before.c).toBe(1);
  });

  it('refuses a different report under a used id (409), also from another account, changing nothing', async () => {
    const body = report(here);
    expect((await worker.request('POST', '/api/v1/reports', body)).statusCode).toBe(201);
    const before = await counts();
    const changed = await worker.request('POST', '/api/v1/reports', { ...body, description: '别的事' });
    expect(changed.statusCode).toBe(409);
    expect(changed.json().message).toContain(body.id);
    expect((await worker2.request('POST', '/api/v1/reports', body)).statusCode).toBe(409);
    expect(await counts()).toEqual(before);
  });

  it('refuses bad input with a message saying what is wrong, storing nothing', async () => {
    const before = await counts();
    const cases: [unknown, number, RegExp][] = [
      [report(here, { itemCode: 'ZZ-99' }), 400, /unknown item code ZZ-99/],
      [report({ lon: 116.4, lat: 39.9 }), 422, /outside Zhenjiang New Area/],
      [{ ...report(here), id: 'not-a-uuid' }, 400, /id/],
      [{ ...report(here), lat: 200 }, 400, /lat/],
      [{ ...report(here), description: '' }, 400, /description/],
      [{ ...report(here), extra: 1 }, 400, /extra|additional/i],
      [{ ...report(here), channel: 'pigeon' }, 400, /channel/],
      [{ ...report(here), photoUrls: ['not a url'] }, 400, /photoUrls/],
      [{ ...report(here), photoUrls: ['javascript:alert(1)'] }, 400, /photoUrls/],
      [{ ...report(here), reporter: { phone: 'call me' } }, 400, /phone/],
      [(({ itemCode: _omit, ...rest }) => rest)(report(here)), 400, /itemCode/],
    ];
    for (const [body, status, message] of cases) {
      const res = await worker.request('POST', '/api/v1/reports', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(status);
      expect(res.json().message, JSON.stringify(body)).toMatch(message);
    }
    const malformed = await worker.inject({ method: 'POST', url: '/api/v1/reports', headers: { 'content-type': 'application/json' }, payload: '{"id": ' });
    expect(malformed.statusCode).toBe(400);
    // The service refuses the same for in-process callers (Open311, intake) that bypass the route's schema.
    await expect(app.reports.file({ ...report(here), photoUrls: ['javascript:alert(1)'] }, systemActor('test'))).rejects.toMatchObject({ statusCode: 400 });
    expect(await counts()).toEqual(before);
  });

  it('lets a field worker report only inside their scope, and no kiosk, leader or unauthenticated caller at all', async () => {
    const before = await counts();
    const outside = await worker.request('POST', '/api/v1/reports', report(otherTown));
    expect(outside.statusCode).toBe(403);
    expect(outside.json().message).toMatch(/outside your data scope/);
    expect((await kiosk.request('POST', '/api/v1/reports', report(here))).statusCode).toBe(403);
    expect((await leader.request('POST', '/api/v1/reports', report(here))).statusCode).toBe(403);
    expect((await app.inject({ method: 'POST', url: '/api/v1/reports', payload: report(here) })).statusCode).toBe(401);
    expect(await counts()).toEqual(before);
  });

  it('lets a duty officer enter a hotline call anywhere in their town', async () => {
    const res = await duty.request('POST', '/api/v1/reports', report(here, { channel: 'hotline_12345', reporter: { name: '李四', phone: '13700002222' } }));
    expect(res.statusCode).toBe(201);
    // The duty officer may read residents' contacts: in full.
    expect(res.json()).toMatchObject({ channel: 'hotline_12345', reporter: { name: '李四', phone: '13700002222', accountId: duty.account.id } });
  });
});

describe('GET /api/v1/incidents', () => {
  let mine: string; // filed by `worker` in TOWN
  let theirs: string; // in OTHER_TOWN
  beforeAll(async () => {
    mine = (await worker.request('POST', '/api/v1/reports', report(here, { reporter: { name: '张三', phone: '13600003333' } }))).json().id;
    theirs = (await otherDuty.request('POST', '/api/v1/reports', report(otherTown, { itemCode: 'MS-01' }))).json().id;
  });

  it('lists newest first within the scope, with the change-log head', async () => {
    const head = async () => Number((await sql<{ head: string }>(db.url, 'SELECT last_seq AS head FROM change_counter'))[0].head);
    const headBefore = await head();
    const res = await duty.request('GET', '/api/v1/incidents?limit=500');
    const headAfter = await head();
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(Value.Check(IncidentList, body)).toBe(true);
    expect(body.incidents.every((i: Incident) => i.townCode === TOWN)).toBe(true);
    expect(body.incidents.map((i: Incident) => i.id)).toContain(mine);
    expect(body.incidents.map((i: Incident) => i.id)).not.toContain(theirs);
    const times = body.incidents.map((i: Incident) => i.reportedAt);
    expect([...times].sort().reverse()).toEqual(times);
    // The head of the same snapshot: no incident in it is newer (the alert rules may append meanwhile, hence a range).
    expect(body.lastSeq).toBeGreaterThanOrEqual(headBefore);
    expect(body.lastSeq).toBeLessThanOrEqual(headAfter);
    expect(body.incidents.every((i: Incident) => i.seq <= body.lastSeq)).toBe(true);
    expect(body.masked).toBe(false);
  });

  it('pages with a cursor, every incident once', async () => {
    const all = (await districtDuty.request('GET', '/api/v1/incidents?limit=500')).json().incidents.map((i: Incident) => i.id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { incidents: Incident[]; nextCursor: string | null } = (await districtDuty.request('GET', `/api/v1/incidents?limit=3${cursor ? `&cursor=${cursor}` : ''}`)).json();
      expect(page.incidents.length).toBeLessThanOrEqual(3);
      seen.push(...page.incidents.map((i: Incident) => i.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all);
    expect((await districtDuty.request('GET', '/api/v1/incidents?cursor=bm9wZQ')).statusCode).toBe(400);
  });

  it('filters by place, level, domain, channel, status and time', async () => {
    const q = async (query: string) => (await districtDuty.request('GET', `/api/v1/incidents?limit=500&${query}`)).json().incidents as Incident[];
    expect((await q(`town=${OTHER_TOWN}`)).map((i) => i.id)).toEqual([theirs]);
    expect((await q(`grid=${otherTown.gridCode}`)).map((i) => i.id)).toEqual([theirs]);
    expect((await q(`community=${here.communityCode}`)).every((i) => i.communityCode === here.communityCode)).toBe(true);
    expect((await q('level=1')).every((i) => i.level === 1)).toBe(true);
    expect((await q('level=1')).length).toBeGreaterThan(0);
    expect((await q('domain=livelihood')).map((i) => i.id)).toEqual([theirs]);
    expect((await q('channel=hotline_12345')).every((i) => i.channel === 'hotline_12345')).toBe(true);
    expect((await q('status=closed'))).toEqual([]);
    expect((await q(`from=${encodeURIComponent(new Date(Date.now() + 3600_000).toISOString())}`))).toEqual([]);
    expect((await q(`to=${encodeURIComponent('2000-01-01T00:00:00Z')}`))).toEqual([]);
    expect((await districtDuty.request('GET', '/api/v1/incidents?level=7')).statusCode).toBe(400);
  });

  it('masks reporter contacts for a leader and shows them to the duty officer', async () => {
    const led = (await leader.request('GET', `/api/v1/incidents/${mine}`)).json();
    expect(led.incident.reporter).toMatchObject({ name: '张*', phone: '136****3333' });
    expect(led.masked).toBe(true);
    const full = (await duty.request('GET', `/api/v1/incidents/${mine}`)).json();
    expect(full.incident.reporter).toMatchObject({ name: '张三', phone: '13600003333' });
  });

  it('gives one incident with its timeline', async () => {
    const res = await duty.request('GET', `/api/v1/incidents/${mine}`);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(Value.Check(IncidentWithTimeline, body)).toBe(true);
    expect(body.timeline).toEqual([expect.objectContaining({
      action: 'reported', toStatus: 'reported', tier: 'community', seq: body.incident.seq,
      actor: { accountId: worker.account.id, username: 'r.worker', role: 'field_worker' },
    })]);
  });

  it('keeps another town out: 404 by id, 403 for its filter, absent from lists and the change log', async () => {
    expect((await otherDuty.request('GET', `/api/v1/incidents/${mine}`)).statusCode).toBe(404);
    expect((await otherDuty.request('GET', `/api/v1/incidents/${randomUUID()}`)).statusCode).toBe(404);
    expect((await otherDuty.request('GET', `/api/v1/incidents?town=${TOWN}`)).statusCode).toBe(403);
    expect((await otherDuty.request('GET', `/api/v1/incidents?community=${here.communityCode}`)).json().incidents).toEqual([]);
    const list = (await otherDuty.request('GET', '/api/v1/incidents?limit=500')).json().incidents as Incident[];
    expect(list.map((i) => i.id)).toEqual([theirs]);
    const log = (await otherDuty.request('GET', '/api/v1/changes?since=0&limit=2000')).json();
    expect(log.changes.every((c: Change) => c.payload.townCode === OTHER_TOWN)).toBe(true);
    expect(log.changes.filter((c: Change) => c.kind === 'incident:created').map((c: Change) => (c.payload as Incident).id)).toEqual([theirs]);
  });

  it('shows a field worker only the reports they filed', async () => {
    const list = (await worker2.request('GET', '/api/v1/incidents?limit=500')).json().incidents as Incident[];
    expect(list).toEqual([]);
    expect((await worker2.request('GET', `/api/v1/incidents/${mine}`)).statusCode).toBe(404);
    expect((await worker.request('GET', `/api/v1/incidents/${mine}`)).statusCode).toBe(200);
    expect((await worker2.request('GET', '/api/v1/changes?since=0')).json().changes).toEqual([]);
    const own = (await worker.request('GET', '/api/v1/changes?since=0')).json().changes as Change[];
    expect(own.length).toBeGreaterThan(0);
    expect(own.every((c) => c.kind.startsWith('incident:') && (c.payload as Incident).reporter.accountId === worker.account.id)).toBe(true);
  });

  it('keeps the timeline append-only', async () => {
    await expect(sql(db.url, 'UPDATE incident_timeline SET note = $1', ['x'])).rejects.toThrow(/append-only/);
    await expect(sql(db.url, 'DELETE FROM incident_timeline')).rejects.toThrow(/append-only/);
    await expect(sql(db.url, 'UPDATE change_log SET kind = kind')).rejects.toThrow(/immutable/);
  });
});

/** What exists about one incident: timeline steps, changes, audit rows. */
const countsOf = async (id: string) => {
  const [row] = await sql<{ t: string; c: string; a: string; v: number }>(db.url, `SELECT
    (SELECT count(*) FROM incident_timeline WHERE incident_id = $1) AS t,
    (SELECT count(*) FROM change_log WHERE entity_id = $1::text) AS c,
    (SELECT count(*) FROM audit_log WHERE target_id = $1::text) AS a,
    (SELECT version FROM incidents WHERE id = $1) AS v`, [id]);
  return row;
};

describe('app.incidents.update', () => {
  it('bumps the version and writes timeline, audit and an incident:updated change together', async () => {
    const created = (await duty.request('POST', '/api/v1/reports', report(quiet))).json() as Incident;
    const before = await countsOf(created.id);
    const updated = await app.incidents.update(created.id, systemActor('test'), (current) => {
      expect(current.version).toBe(before.v);
      return { patch: { status: 'accepted', supervised: true }, timeline: { action: 'accepted', note: '已受理' } };
    }, { expectedVersion: before.v });
    expect(updated).toMatchObject({ status: 'accepted', supervised: true, version: before.v + 1 });
    expect(updated.seq).toBeGreaterThan(created.seq);
    const after = await countsOf(created.id);
    expect([+after.t - +before.t, +after.c - +before.c, +after.a - +before.a]).toEqual([1, 1, 1]);
    const page = (await duty.request('GET', `/api/v1/changes?since=${created.seq}&limit=2000`)).json();
    const mine = page.changes.filter((c: Change) => c.kind === 'incident:updated' && (c.payload as Incident).id === created.id);
    expect(mine).toEqual([expect.objectContaining({ seq: updated.seq, payload: expect.objectContaining({ status: 'accepted', version: before.v + 1, seq: updated.seq }) })]);
    const detail = (await duty.request('GET', `/api/v1/incidents/${created.id}`)).json();
    expect(detail.timeline[0].action).toBe('reported');
    expect(detail.timeline.find((t: { seq: number }) => t.seq === updated.seq)).toMatchObject({ action: 'accepted', fromStatus: 'reported', toStatus: 'accepted', note: '已受理', actor: { username: 'system:test' } });
  });

  it('refuses a stale version (409) and an unknown id (404), writing nothing', async () => {
    const created = (await duty.request('POST', '/api/v1/reports', report(quiet))).json() as Incident;
    await app.incidents.update(created.id, systemActor('test'), () => ({ patch: { overdue: true }, timeline: { action: 'overdue' } }));
    const before = await countsOf(created.id);
    await expect(app.incidents.update(created.id, systemActor('test'), () => ({ patch: { status: 'accepted' }, timeline: { action: 'accepted' } }), { expectedVersion: before.v - 1 }))
      .rejects.toMatchObject({ statusCode: 409 });
    await expect(app.incidents.update(randomUUID(), systemActor('test'), () => null)).rejects.toBeInstanceOf(LiveError);
    // A mutation that throws rolls everything back.
    await expect(app.incidents.update(created.id, systemActor('test'), () => {
      throw new LiveError(409, 'not allowed from here');
    })).rejects.toThrow('not allowed from here');
    expect(await countsOf(created.id)).toEqual(before);
  });
});

describe('GET /api/v1/changes', () => {
  it('numbers concurrent reports gap-free, in order, one change each', async () => {
    const [{ head }] = await sql<{ head: string }>(db.url, 'SELECT last_seq AS head FROM change_counter');
    const bodies = Array.from({ length: 60 }, (_, i) => report(i % 2 ? here : sameCommunity));
    const answers = await Promise.all(bodies.map((b, i) => (i % 3 ? duty : districtDuty).request('POST', '/api/v1/reports', b)));
    expect(answers.every((r) => r.statusCode === 201)).toBe(true);
    const page = (await districtDuty.request('GET', `/api/v1/changes?since=${head}&limit=2000`)).json();
    expect(Value.Check(ChangesPage, page)).toBe(true);
    const all = page.changes.map((c: Change) => c.seq);
    expect(all).toEqual(Array.from({ length: all.length }, (_, i) => Number(head) + 1 + i));
    const created = page.changes.filter((c: Change) => c.kind === 'incident:created');
    expect(created.length).toBe(60);
    expect(new Set(created.map((c: Change) => (c.payload as Incident).id))).toEqual(new Set(bodies.map((b) => b.id)));
    expect(page.hasMore).toBe(false);
    expect(page.lastSeq).toBeGreaterThanOrEqual(all[all.length - 1]);
    // Each incident's seq is its change's seq.
    const seqOf = new Map(created.map((c: Change) => [(c.payload as Incident).id, c.seq]));
    for (const r of answers) expect(seqOf.get(r.json().id)).toBe(r.json().seq);
    const log = await sql<{ seq: string }>(db.url, 'SELECT seq FROM change_log ORDER BY seq');
    expect(log.map((r) => Number(r.seq))).toEqual(Array.from({ length: log.length }, (_, i) => i + 1));
  });

  it('pages with lastSeq and moves a scoped reader past other towns\' changes', async () => {
    const first = (await duty.request('GET', '/api/v1/changes?since=0&limit=2')).json();
    expect(first.changes.length).toBe(2);
    expect(first.hasMore).toBe(true);
    expect(first.lastSeq).toBe(first.changes[1].seq);
    const rest = (await duty.request('GET', `/api/v1/changes?since=${first.lastSeq}&limit=2000`)).json();
    expect(rest.hasMore).toBe(false);
    const [{ head }] = await sql<{ head: string }>(db.url, 'SELECT last_seq AS head FROM change_counter');
    expect(rest.lastSeq).toBeLessThanOrEqual(Number(head));
    expect(rest.lastSeq).toBeGreaterThan(first.lastSeq);
    expect([...first.changes, ...rest.changes].every((c: Change) => c.payload.townCode === TOWN)).toBe(true);
  });

  it('refuses a seq ahead of the log (400) and, after retention, one it no longer reaches (410)', async () => {
    // The alert rules are still judging the reports of the tests before (reports are filed in quick batches):
    // let them finish, so no alert change lands between the counts below.
    await app.alerts.drain();
    const [{ head }] = await sql<{ head: string }>(db.url, 'SELECT last_seq AS head FROM change_counter');
    const ahead = await duty.request('GET', `/api/v1/changes?since=${Number(head) + 5}`);
    expect(ahead.statusCode).toBe(400);
    expect(ahead.json().message).toMatch(/ahead of the change log/);
    expect((await duty.request('GET', '/api/v1/changes?since=-1')).statusCode).toBe(400);
    expect((await kiosk.request('GET', '/api/v1/changes?since=0')).statusCode).toBe(200);

    // Everything older than the retention window goes, except the newest change.
    const pruned = await app.pruneChanges(new Date(Date.now() + (app.liveOptions.changeRetentionHours + 1) * 3600_000));
    const [after] = await sql<{ head: string; through: string; kept: string; min: string }>(db.url,
      'SELECT last_seq AS head, pruned_through AS through, (SELECT count(*) FROM change_log) AS kept, (SELECT min(seq) FROM change_log) AS min FROM change_counter');
    expect(pruned).toBeGreaterThanOrEqual(Number(head) - 1);
    expect(Number(after.through)).toBe(Number(after.head) - 1);
    expect([Number(after.kept), Number(after.min)]).toEqual([1, Number(after.head)]);
    const gone = await duty.request('GET', '/api/v1/changes?since=0');
    expect(gone.statusCode).toBe(410);
    expect(gone.json()).toMatchObject({ statusCode: 410, reload: true, oldestSeq: Number(after.head) });
    const ok = await districtDuty.request('GET', `/api/v1/changes?since=${Number(after.head) - 1}`);
    expect(ok.statusCode).toBe(200);
    expect(ok.json().changes.map((c: Change) => c.seq)[0]).toBe(Number(after.head));
    // The numbering goes on from the head.
    const next = (await duty.request('POST', '/api/v1/reports', report(here))).json();
    expect(next.seq).toBeGreaterThan(Number(after.head));
  });
});

describe('rate limit', () => {
  it('limits reports per account', async () => {
    const limited = await buildTestApp(db.url, { security: { sweepIntervalMs: 0, loginRateLimitPerMinute: 1000 }, live: { reportRateLimitPerMinute: 2, pruneIntervalMs: 0 } });
    try {
      await limited.ready();
      const officer = await signedIn(limited, { username: 'r.limited', role: 'district_duty' });
      const codes = [];
      for (let i = 0; i < 3; i++) codes.push((await officer.request('POST', '/api/v1/reports', report(here))).statusCode);
      expect(codes).toEqual([201, 201, 429]);
    } finally {
      await limited.close();
    }
  });
});
