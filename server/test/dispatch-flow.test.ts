// The handling loop through the API on a real PostgreSQL and a real port:
// an item carried from report to rating by the people whose work it is, each
// step on the timeline and pushed live to a socket.io-client; refusals (bad
// input 400, wrong role 403, outside scope 404, wrong state 409) that change
// nothing; escalation and hand-down; the queues, a unit's items, the figures,
// the duty roster; and two officers dispatching at once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Value } from 'typebox/value';
import { buildTestApp, createTestDatabase, sql, type TestDatabase } from './helpers.ts';
import { cookieHeader, manualClock, signedIn, type Client } from './helpers/sign-in.ts';
import { baseUrl, connected, openSocket, places, report, type Place, type ScreenSocket } from './live-helpers.ts';
import { ActionResult, DispatchDetail, FiguresReply, QueueList, Roster } from '../../shared/schemas/dispatch.ts';
import type { Incident } from '../../shared/schemas/incident.ts';
import type { App } from '../src/app.ts';

let db: TestDatabase;
let app: App;
const clock = manualClock(new Date('2026-06-01T01:00:00Z')); // Monday 09:00 in Zhenjiang
const TOWN = '321171001';
let here: Place;
let elsewhere: Place; // another community of the same town
let otherTown: Place;
let worker: Client;
let liaison: Client;
let liaison2: Client; // a second officer at the same seat
let otherLiaison: Client; // the seat of `elsewhere`
let townDuty: Client;
let districtDuty: Client;
let leader: Client;
let police: Client;
let water: Client;
let kiosk: Client;
let socket: ScreenSocket;
const pushed: Incident[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  app = await buildTestApp(db.url, {
    // Sessions outlast the hand-moved clock: the test moves hours, not the officers.
    security: { sweepIntervalMs: 0, loginRateLimitPerMinute: 10_000, clock, idleTimeoutMs: 7 * 24 * 3600_000, sessionMaxMs: 7 * 24 * 3600_000 },
    live: { reportRateLimitPerMinute: 100_000, pruneIntervalMs: 0 },
    alerts: { tickMs: 0, pollMs: 0 },
    dispatch: { sweepMs: 0 },
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const all = await places(app);
  here = all.find((p) => p.townCode === TOWN)!;
  elsewhere = all.find((p) => p.townCode === TOWN && p.communityCode !== here.communityCode)!;
  otherTown = all.find((p) => p.townCode !== TOWN)!;
  const community = { level: 'community' as const, townCode: TOWN, communityCode: here.communityCode };
  worker = await signedIn(app, { username: 'f.worker', role: 'field_worker', scope: community, gridCode: here.gridCode });
  liaison = await signedIn(app, { username: 'f.liaison', role: 'liaison', scope: community });
  liaison2 = await signedIn(app, { username: 'f.liaison2', role: 'liaison', scope: community });
  otherLiaison = await signedIn(app, { username: 'f.liaison3', role: 'liaison', scope: { level: 'community', townCode: TOWN, communityCode: elsewhere.communityCode } });
  townDuty = await signedIn(app, { username: 'f.town', role: 'town_duty', scope: { level: 'town', townCode: TOWN } });
  districtDuty = await signedIn(app, { username: 'f.district', role: 'district_duty' });
  leader = await signedIn(app, { username: 'f.leader', role: 'leader' });
  police = await signedIn(app, { username: 'f.police', role: 'unit_member', unitCode: 'police' });
  water = await signedIn(app, { username: 'f.water', role: 'unit_member', unitCode: 'water' });
  kiosk = await signedIn(app, { username: 'f.kiosk', role: 'kiosk' });
  socket = openSocket(baseUrl(app), cookieHeader(liaison.cookies));
  socket.on('incident:updated', (list) => pushed.push(...list));
  await connected(socket);
  await socket.emitWithAck('subscribe', { scope: { level: 'community', communityCode: here.communityCode } });
});

afterAll(async () => {
  socket?.close();
  await app?.close();
  await db?.drop();
});

async function file(client: Client, place: Place, itemCode = 'ZF-09'): Promise<Incident> {
  const res = await client.request('POST', '/api/v1/reports', report(place, { itemCode }));
  if (res.statusCode !== 201) throw new Error(`report refused: ${res.statusCode} ${res.body}`);
  return res.json();
}

async function act(client: Client, id: string, segment: string, body: Record<string, unknown>) {
  return client.request('POST', `/api/v1/incidents/${id}/${segment}`, body);
}

/** Acts and expects success; returns the result. */
async function step(client: Client, incident: { id: string; version: number }, segment: string, body: Record<string, unknown> = {}): Promise<ActionResult> {
  const res = await act(client, incident.id, segment, { expectedVersion: incident.version, ...body });
  if (res.statusCode !== 200) throw new Error(`${segment} refused: ${res.statusCode} ${res.body}`);
  const result = res.json() as ActionResult;
  expect(Value.Check(ActionResult, result)).toBe(true);
  return result;
}

const hours = (h: number) => new Date(clock().getTime() + h * 3600_000).toISOString();

/** Resolves once the socket has seen `id` at `version`. */
function pushedVersion(id: string, version: number): Promise<void> {
  return new Promise((resolve) => {
    const check = () => {
      if (pushed.some((i) => i.id === id && i.version === version)) {
        socket.off('incident:updated', check);
        resolve();
      }
    };
    socket.on('incident:updated', check);
    check();
  });
}

describe('the loop: report -> accept -> dispatch -> take -> progress -> resolve -> verify -> close -> rate', () => {
  it('carries an item through every step by the people whose work it is, on the timeline and live', async () => {
    const reported = await file(worker, here);
    expect(reported).toMatchObject({ tier: 'community', status: 'reported', version: 1 });

    let r = await step(liaison, reported, 'accept', { note: '已受理' });
    expect(r.incident.status).toBe('accepted');
    expect(r.actions).toEqual(expect.arrayContaining(['dispatch', 'escalate', 'close']));
    clock.advance(5 * 60_000);
    r = await step(liaison, r.incident, 'dispatch', { leadUnit: 'police', helperUnits: ['water'], deadline: hours(48), note: '请派出所牵头' });
    expect(r.incident).toMatchObject({ status: 'dispatched', unitCode: 'police' });
    expect(r.dispatch).toMatchObject({ leadUnit: 'police', helperUnits: ['water'], deadline: hours(48), clock: { stage: 'handling', overdue: false } });
    clock.advance(10 * 60_000);
    r = await step(police, r.incident, 'take');
    expect(r.incident.status).toBe('in_progress');
    expect(r.actions).toEqual(expect.arrayContaining(['progress', 'resolve', 'return']));
    r = await step(water, r.incident, 'progress', { note: '已到现场，协助清理', photos: ['/files/p1.jpg', 'https://img.example/p2.jpg'] });
    expect(r.incident.status).toBe('in_progress');
    clock.advance(60 * 60_000);
    r = await step(police, r.incident, 'resolve', { note: '占道物品已清除', photos: ['/files/p3.jpg'] });
    expect(r.incident.status).toBe('resolved');
    expect(r.dispatch.clock?.stage).toBe('verification');
    r = await step(liaison, r.incident, 'verify', { note: '现场核实' });
    r = await step(liaison, r.incident, 'close');
    expect(r.incident).toMatchObject({ status: 'closed', unitCode: 'police' });
    expect(r.dispatch.clock).toBeNull();
    r = await step(worker, r.incident, 'rate', { score: 5, comment: '处理及时' });
    expect(r.incident).toMatchObject({ status: 'rated', version: 9 }); // 1 at the report, +1 per step

    const timeline = (await liaison.request('GET', `/api/v1/incidents/${reported.id}`)).json().timeline as { action: string; actor: { username: string }; toStatus: string; note: string | null; data?: Record<string, unknown> }[];
    expect(timeline.map((e) => e.action)).toEqual(['reported', 'accept', 'dispatch', 'take', 'progress', 'resolve', 'verify', 'close', 'rate']);
    expect(timeline.map((e) => e.actor.username)).toEqual(['f.worker', 'f.liaison', 'f.liaison', 'f.police', 'f.water', 'f.police', 'f.liaison', 'f.liaison', 'f.worker']);
    expect(timeline[2]).toMatchObject({ note: '请派出所牵头', data: { leadUnit: 'police', helperUnits: ['water'], seat: `community:${here.communityCode}` } });
    expect(timeline[4]!.data).toMatchObject({ unit: 'water', photos: ['/files/p1.jpg', 'https://img.example/p2.jpg'], seat: 'unit:water' });

    const detail = (await liaison.request('GET', `/api/v1/incidents/${reported.id}/dispatch`)).json() as DispatchDetail;
    expect(Value.Check(DispatchDetail, detail)).toBe(true);
    expect(detail.progress.map((p) => [p.unitCode, p.kind])).toEqual([['water', 'progress'], ['police', 'resolve']]);
    expect(detail.ratings).toEqual([expect.objectContaining({ score: 5, comment: '处理及时', byReporter: true })]);
    expect(detail.actions).toEqual(['reopen']);

    // Every step in the audit log and the change log, and pushed to the seat's socket in order.
    const [audit] = await sql<{ n: string }>(db.url, `SELECT count(*) AS n FROM audit_log WHERE target_id = $1 AND action LIKE 'incident.%'`, [reported.id]);
    expect(Number(audit!.n)).toBe(9); // the report and 8 steps
    await pushedVersion(reported.id, 9);
    const versions = pushed.filter((i) => i.id === reported.id).map((i) => i.version);
    expect(versions).toEqual([2, 3, 4, 5, 6, 7, 8, 9]);
    expect(pushed.find((i) => i.id === reported.id && i.version === 9)).toMatchObject({ status: 'rated' });
  });
});

describe('refusals change nothing', () => {
  it('400 for bad input, naming what is wrong', async () => {
    const item = await file(worker, here);
    const missing = await act(liaison, item.id, 'escalate', { expectedVersion: 1 });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().message).toMatch(/reason/);
    const blank = await act(liaison, item.id, 'escalate', { expectedVersion: 1, reason: '   ' });
    expect(blank.statusCode).toBe(400);
    const extra = await act(liaison, item.id, 'accept', { expectedVersion: 1, status: 'closed' });
    expect(extra.statusCode).toBe(400);
    await step(liaison, item, 'accept');
    const unknown = await act(liaison, item.id, 'dispatch', { expectedVersion: 2, leadUnit: 'nobody', deadline: hours(5) });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()).toMatchObject({ code: 'unknown_unit', message: 'no handling unit nobody' });
    const past = await act(liaison, item.id, 'dispatch', { expectedVersion: 2, leadUnit: 'police', deadline: hours(-1) });
    expect(past.statusCode).toBe(400);
    expect(past.json().code).toBe('invalid_input');
    const now = (await liaison.request('GET', `/api/v1/incidents/${item.id}`)).json();
    expect(now.incident).toMatchObject({ status: 'accepted', version: 2 });
    expect(now.timeline).toHaveLength(2);
  });

  it('409 for an illegal transition, with the item as it is now', async () => {
    const item = await file(worker, here);
    const res = await act(liaison, item.id, 'verify', { expectedVersion: 1 });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'illegal_transition', incident: { id: item.id, status: 'reported', version: 1 }, dispatch: { clock: { stage: 'response' } } });
  });

  it('409 when the item is at another seat, or dispatched to another unit', async () => {
    const item = await file(worker, here);
    const res = await act(townDuty, item.id, 'accept', { expectedVersion: 1 });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('not_owner');
    let r = await step(liaison, item, 'accept');
    r = await step(liaison, r.incident, 'dispatch', { leadUnit: 'police', deadline: hours(24) });
    const wrongUnit = await act(water, item.id, 'take', { expectedVersion: r.incident.version });
    expect(wrongUnit.statusCode).toBe(409);
    expect(wrongUnit.json().code).toBe('not_assigned');
  });

  it('403 for a role that never does this, 404 outside the scope, kiosk read-only', async () => {
    const item = await file(worker, here);
    const byUnit = await act(police, item.id, 'accept', { expectedVersion: 1 });
    expect(byUnit.statusCode).toBe(403);
    const byLeader = await act(leader, item.id, 'escalate', { expectedVersion: 1, reason: 'x' });
    expect(byLeader.statusCode).toBe(403);
    const byOther = await act(otherLiaison, item.id, 'accept', { expectedVersion: 1 });
    expect(byOther.statusCode).toBe(404);
    const byKiosk = await act(kiosk, item.id, 'accept', { expectedVersion: 1 });
    expect(byKiosk.statusCode).toBe(403);
    const [row] = await sql<{ status: string; version: number }>(db.url, 'SELECT status, version FROM incidents WHERE id = $1', [item.id]);
    expect(row).toEqual({ status: 'reported', version: 1 });
  });
});

describe('escalation, hand-down, supervision, rework and returns', () => {
  it('escalates to the town seat, which hands it back down with instructions', async () => {
    const item = await file(worker, here);
    let r = await step(liaison, item, 'accept');
    r = await step(liaison, r.incident, 'escalate', { reason: '涉及多个部门，社区协调不了' });
    expect(r.incident).toMatchObject({ tier: 'town', status: 'reported' });
    // The community seat can no longer act on it; the town's "new" queue shows it; the community follows it under "escalated".
    expect((await act(liaison, item.id, 'accept', { expectedVersion: r.incident.version })).json().code).toBe('not_owner');
    const townNew = (await townDuty.request('GET', '/api/v1/queues/new')).json() as QueueList;
    expect(Value.Check(QueueList, townNew)).toBe(true);
    expect(townNew.tier).toBe('town');
    expect(townNew.items.map((i) => i.id)).toContain(item.id);
    const communityEscalated = (await liaison.request('GET', '/api/v1/queues/escalated')).json() as QueueList;
    expect(communityEscalated.items.map((i) => i.id)).toContain(item.id);
    expect(((await liaison.request('GET', '/api/v1/queues/new')).json() as QueueList).items.map((i) => i.id)).not.toContain(item.id);

    r = await step(townDuty, r.incident, 'accept');
    r = await step(townDuty, r.incident, 'hand-down', { instructions: '已协调城管配合，请社区牵头处理' });
    expect(r.incident).toMatchObject({ tier: 'community', status: 'reported' });
    expect(r.dispatch.handedDownFrom).toBe('town');
    // The community may send it back up ("not ours"), with a reason.
    r = await step(liaison, r.incident, 'return', { reason: '不属于社区职责范围' });
    expect(r.incident).toMatchObject({ tier: 'town', status: 'returned' });
    const townReturned = (await townDuty.request('GET', '/api/v1/queues/returned')).json() as QueueList;
    expect(townReturned.items.map((i) => i.id)).toContain(item.id);
  });

  it('a leader supervises (a mark shown everywhere); the unit returns; the seat re-dispatches; rework after a bad resolution', async () => {
    const item = await file(worker, here);
    let r = await step(leader, item, 'supervise', { note: '群众反映强烈，限期办结' });
    expect(r.incident).toMatchObject({ supervised: true, status: 'reported' });
    const listed = ((await liaison.request('GET', '/api/v1/queues/new?supervised=true')).json() as QueueList).items;
    expect(listed[0]).toMatchObject({ id: item.id, supervised: true });
    r = await step(liaison, r.incident, 'accept');
    r = await step(liaison, r.incident, 'dispatch', { leadUnit: 'water', deadline: hours(24) });
    const units = (await liaison.request('GET', '/api/v1/units')).json() as { units: { code: string }[] };
    expect(units.units.map((u) => u.code)).toEqual(expect.arrayContaining(['police', 'water', 'urban-mgmt']));
    const waterItems = (await water.request('GET', '/api/v1/units/water/items')).json() as QueueList;
    expect(waterItems.items.map((i) => i.id)).toContain(item.id);
    expect((await water.request('GET', '/api/v1/units/police/items')).statusCode).toBe(403);
    r = await step(water, r.incident, 'return', { reason: '非供水问题，属道路管理' });
    expect(r.incident).toMatchObject({ status: 'returned', unitCode: null });
    expect(((await water.request('GET', '/api/v1/units/water/items')).json() as QueueList).items.map((i) => i.id)).not.toContain(item.id);
    r = await step(liaison, r.incident, 'dispatch', { leadUnit: 'police', deadline: hours(24) });
    r = await step(police, r.incident, 'take');
    r = await step(police, r.incident, 'resolve', { note: '已处理' });
    r = await step(liaison, r.incident, 'reject', { reason: '现场仍有杂物' });
    expect(r.incident).toMatchObject({ status: 'in_progress', unitCode: 'police', supervised: true });
    const mine = ((await liaison.request('GET', '/api/v1/queues/mine')).json() as QueueList).items;
    expect(mine.find((i) => i.id === item.id)).toMatchObject({ leadUnit: 'police', status: 'in_progress' });
  });

  it('searches a queue and refuses a filter outside the scope', async () => {
    const res = await liaison.request('GET', `/api/v1/queues/new?q=${encodeURIComponent('占道')}`);
    expect(res.statusCode).toBe(200);
    expect((res.json() as QueueList).items.every((i) => i.description.includes('占道'))).toBe(true);
    expect((await liaison.request('GET', `/api/v1/queues/new?town=${otherTown.townCode}`)).statusCode).toBe(403);
    expect((await liaison.request('GET', '/api/v1/queues/nothing')).statusCode).toBe(400);
  });
});

describe('two officers acting at once', () => {
  it('one dispatch wins, the other gets 409 with the fresh state; the timeline has one dispatch', async () => {
    const item = await file(worker, here);
    const accepted = await step(liaison, item, 'accept');
    const version = accepted.incident.version;
    const [a, b] = await Promise.all([
      act(liaison, item.id, 'dispatch', { expectedVersion: version, leadUnit: 'police', deadline: hours(24) }),
      act(liaison2, item.id, 'dispatch', { expectedVersion: version, leadUnit: 'water', deadline: hours(24) }),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    const winner = a.statusCode === 200 ? a : b;
    const loser = a.statusCode === 200 ? b : a;
    const won = winner.json() as ActionResult;
    expect(loser.json()).toMatchObject({
      code: 'version_conflict',
      incident: { id: item.id, status: 'dispatched', version: version + 1, unitCode: won.incident.unitCode },
      dispatch: { leadUnit: won.incident.unitCode },
    });
    const timeline = (await liaison.request('GET', `/api/v1/incidents/${item.id}`)).json().timeline as { action: string }[];
    expect(timeline.filter((e) => e.action === 'dispatch')).toHaveLength(1);
    const [open] = await sql<{ n: string }>(db.url, 'SELECT count(*) AS n FROM dispatch_assignments WHERE incident_id = $1', [item.id]);
    expect(Number(open!.n)).toBe(1);
  });
});

describe('figures', () => {
  it('counts the day\'s items per tier, each tier credited its part', async () => {
    const res = await leader.request('GET', '/api/v1/figures?period=day&by=tier');
    expect(res.statusCode).toBe(200);
    const figures = res.json() as FiguresReply;
    expect(Value.Check(FiguresReply, figures)).toBe(true);
    const [{ n }] = await sql<{ n: string }>(db.url, 'SELECT count(*) AS n FROM incidents');
    expect(figures.total.received).toBe(Number(n));
    const community = figures.rows.find((r) => r.key === 'community')!;
    const town = figures.rows.find((r) => r.key === 'town')!;
    expect(community.received).toBe(Number(n));
    expect(community.escalated).toBe(1);
    expect(town.received).toBe(1);
    expect(figures.total.disposed).toBeGreaterThanOrEqual(1);
    const units = (await leader.request('GET', '/api/v1/figures?period=week&by=unit')).json() as FiguresReply;
    expect(units.rows.find((r) => r.key === 'water')).toMatchObject({ returned: 1 });
    expect((await leader.request('GET', '/api/v1/figures?period=year&by=tier')).statusCode).toBe(400);
    expect((await police.request('GET', '/api/v1/figures?period=day&by=tier')).statusCode).toBe(403);
  });
});

describe('duty roster', () => {
  it('adds shifts, tells who is on duty now and at the handover, and refuses other seats', async () => {
    const seat = `community:${here.communityCode}`;
    const day = await liaison.request('POST', '/api/v1/roster/shifts', { seatKey: seat, username: 'f.liaison', weekdays: [1, 2, 3, 4, 5], start: '08:00', end: '20:00' });
    expect(day.statusCode).toBe(200);
    const night = await townDuty.request('POST', '/api/v1/roster/shifts', { seatKey: seat, username: 'f.liaison2', weekdays: [1, 2, 3, 4, 5], start: '20:00', end: '08:00' });
    expect(night.statusCode).toBe(200);
    const roster = (await liaison.request('GET', `/api/v1/roster?seat=${seat}`)).json() as Roster;
    expect(Value.Check(Roster, roster)).toBe(true);
    expect(roster.onDuty).toEqual(['f.liaison']); // Monday ~10:00 local
    expect(roster.nextHandover).toBe('2026-06-01T12:00:00.000Z'); // 20:00 local
    const late = (await liaison.request('GET', `/api/v1/roster?seat=${seat}&at=2026-06-01T18:00:00Z`)).json() as Roster;
    expect(late.onDuty).toEqual(['f.liaison2']);
    // Not an officer of that seat; another community's liaison; a bad time.
    expect((await liaison.request('POST', '/api/v1/roster/shifts', { seatKey: seat, username: 'f.town', weekdays: [1], start: '08:00', end: '09:00' })).statusCode).toBe(400);
    expect((await otherLiaison.request('POST', '/api/v1/roster/shifts', { seatKey: seat, username: 'f.liaison3', weekdays: [1], start: '08:00', end: '09:00' })).statusCode).toBe(403);
    expect((await liaison.request('POST', '/api/v1/roster/shifts', { seatKey: seat, username: 'f.liaison', weekdays: [1], start: '8:00', end: '09:00' })).statusCode).toBe(400);
    expect((await otherLiaison.request('GET', `/api/v1/roster?seat=${seat}`)).statusCode).toBe(403);
    const removed = await liaison.request('DELETE', `/api/v1/roster/shifts/${night.json().id}`);
    expect(removed.statusCode).toBe(200);
    expect(((await liaison.request('GET', `/api/v1/roster?seat=${seat}&at=2026-06-01T18:00:00Z`)).json() as Roster).onDuty).toEqual([]);
  });
});
