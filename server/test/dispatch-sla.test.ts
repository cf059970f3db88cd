// The SLA timer on a real PostgreSQL with a hand-moved clock: an item past
// its limit is marked overdue once and the officers on duty are alerted;
// past twice the limit it escalates itself to the next tier, including when
// the limit passed while the server was down (close the app, move the clock,
// build a new app on the same database, sweep); and sweeping again changes
// nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, createTestDatabase, sql, type TestDatabase } from './helpers.ts';
import { manualClock, signIn, signedIn, TEST_PASSWORD, type Client } from './helpers/sign-in.ts';
import { places, report, type Place } from './live-helpers.ts';
import type { Incident } from '../../shared/schemas/incident.ts';
import type { App } from '../src/app.ts';
import { slaCandidates } from '../src/db/repositories/dispatch-repository.ts';

let db: TestDatabase;
let app: App;
const clock = manualClock(new Date('2026-06-01T01:00:00Z')); // Monday 09:00 in Zhenjiang
const TOWN = '321171001';
let here: Place;
let worker: Client;
let liaison: Client;
const MINUTE = 60_000;

const options = () => ({
  security: { sweepIntervalMs: 0, loginRateLimitPerMinute: 10_000, clock, idleTimeoutMs: 20 * 24 * 3600_000, sessionMaxMs: 20 * 24 * 3600_000 },
  live: { reportRateLimitPerMinute: 100_000, pruneIntervalMs: 0 },
  alerts: { tickMs: 0, pollMs: 0 },
  // Small pages, so the sweep's paging through every open item is exercised too.
  dispatch: { sweepMs: 0, sweepBatch: 2 },
});

beforeAll(async () => {
  db = await createTestDatabase();
  app = await buildTestApp(db.url, options());
  await app.ready();
  here = (await places(app)).find((p) => p.townCode === TOWN)!;
  const community = { level: 'community' as const, townCode: TOWN, communityCode: here.communityCode };
  worker = await signedIn(app, { username: 's.worker', role: 'field_worker', scope: community, gridCode: here.gridCode });
  liaison = await signedIn(app, { username: 's.liaison', role: 'liaison', scope: community });
  await signedIn(app, { username: 's.liaison2', role: 'liaison', scope: community });
  const townDuty = await signedIn(app, { username: 's.town.day', role: 'town_duty', scope: { level: 'town', townCode: TOWN } });
  await signedIn(app, { username: 's.town.night', role: 'town_duty', scope: { level: 'town', townCode: TOWN } });
  await signedIn(app, { username: 's.district', role: 'district_duty' });
  // Rosters: the community's day officer, and the town's day and night officers.
  const shift = async (client: Client, seatKey: string, username: string, start: string, end: string) => {
    const res = await client.request('POST', '/api/v1/roster/shifts', { seatKey, username, weekdays: [1, 2, 3, 4, 5, 6, 7], start, end });
    if (res.statusCode !== 200) throw new Error(`shift refused: ${res.body}`);
  };
  await shift(liaison, `community:${here.communityCode}`, 's.liaison', '08:00', '20:00');
  await shift(townDuty, `town:${TOWN}`, 's.town.day', '08:00', '20:00');
  await shift(townDuty, `town:${TOWN}`, 's.town.night', '20:00', '08:00');
});

afterAll(async () => {
  await app?.close();
  await db?.drop();
});

async function file(itemCode = 'ZF-09'): Promise<Incident> {
  const res = await worker.request('POST', '/api/v1/reports', report(here, { itemCode }));
  if (res.statusCode !== 201) throw new Error(`report refused: ${res.statusCode} ${res.body}`);
  return res.json();
}

const row = async (id: string) =>
  (await sql<{ status: string; tier: string; overdue: boolean; version: number }>(db.url, 'SELECT status, tier, overdue, version FROM incidents WHERE id = $1', [id]))[0]!;
/** The workflow's steps (the alerts feature adds its own `alert.*` lines when it links an alert). */
const steps = async (id: string) =>
  (await sql<{ action: string; actor: string; tier: string }>(db.url, `SELECT action, actor, tier FROM incident_timeline WHERE incident_id = $1 AND action NOT LIKE 'alert.%' ORDER BY id`, [id]));
const alertsOf = async (id: string) =>
  sql<{ rule_key: string; kind: string; data: Record<string, unknown> }>(db.url,
    `SELECT rule_key, kind, data FROM alerts WHERE incident_id = $1 OR data->>'incidentId' = $1::text ORDER BY raised_at, rule_key`, [id]);
const version = async (id: string) => (await row(id)).version;

describe('overdue', () => {
  it('marks an item overdue at its response limit, once, and alerts the officers on duty at its seat', async () => {
    const item = await file(); // level 3: 120 minutes to accept, at the community
    clock.advance(119 * MINUTE);
    expect(await app.slaTimer.sweep()).toEqual({ flagged: [], escalated: [] });
    expect((await row(item.id)).overdue).toBe(false);
    clock.advance(1 * MINUTE);
    const swept = await app.slaTimer.sweep();
    expect(swept.flagged).toContain(item.id);
    expect(await row(item.id)).toMatchObject({ status: 'reported', tier: 'community', overdue: true });
    expect((await steps(item.id)).map((s) => [s.action, s.actor])).toEqual([['reported', 's.worker'], ['flag_overdue', 'system:sla-timer']]);
    const alerts = await alertsOf(item.id);
    expect(alerts.filter((a) => a.rule_key.startsWith(`overdue:${item.id}:response:community:`))).toHaveLength(1);
    expect(alerts[0]!.data).toMatchObject({ stage: 'response', seat: `community:${here.communityCode}`, recipients: 's.liaison' });
    // The mark and its alert in one step: the item lists the alert, no separate link step.
    expect((await row(item.id)).version).toBe(2);

    // Again: nothing more.
    const again = await app.slaTimer.sweep();
    expect(again.flagged).not.toContain(item.id);
    expect(await steps(item.id)).toHaveLength(2);
    expect(await alertsOf(item.id)).toHaveLength(1);

    // Taken in late: the mark goes with the stage, the queue no longer lists it as overdue.
    const accepted = await liaison.request('POST', `/api/v1/incidents/${item.id}/accept`, { expectedVersion: await version(item.id) });
    expect(accepted.statusCode).toBe(200);
    expect(accepted.json().incident.overdue).toBe(false);
  });
});

describe('what the sweep reads', () => {
  it('skips items reported within the shortest limit (15 min), unless a seat\'s deadline for them has passed', async () => {
    const fresh = await file();
    const read = async () => {
      const now = clock();
      const page = await slaCandidates(app.db, 10_000, { dueBy: { reportedBefore: new Date(now.getTime() - 15 * MINUTE), now } });
      return page.map((c) => c.id);
    };
    expect(await read()).not.toContain(fresh.id);
    // A seat gave the unit 5 minutes: the item is overdue at 6 minutes, reported or not 15 minutes ago.
    const police = await signedIn(app, { username: 's.police.quick', role: 'unit_member', unitCode: 'police' });
    const seat = await signIn(app, { username: 's.liaison2', password: TEST_PASSWORD });
    const quick = await file();
    expect((await seat.request('POST', `/api/v1/incidents/${quick.id}/accept`, { expectedVersion: 1 })).statusCode).toBe(200);
    expect((await seat.request('POST', `/api/v1/incidents/${quick.id}/dispatch`, {
      expectedVersion: await version(quick.id), leadUnit: 'police', deadline: new Date(clock().getTime() + 5 * MINUTE).toISOString(),
    })).statusCode).toBe(200);
    expect((await police.request('POST', `/api/v1/incidents/${quick.id}/take`, { expectedVersion: await version(quick.id) })).statusCode).toBe(200);
    clock.advance(6 * MINUTE);
    expect(await read()).toContain(quick.id);
    expect(await read()).not.toContain(fresh.id);
    expect((await app.slaTimer.sweep()).flagged).toContain(quick.id);
    clock.advance(9 * MINUTE);
    expect(await read()).toContain(fresh.id);
  });
});

describe('self-escalation across a restart', () => {
  it('escalates an item past twice its limit on the first sweep after the restart, and tells the next tier\'s officers on duty', async () => {
    const item = await file();
    await app.close();
    // Down for 4 h 1 min: past 2 x 120 minutes. At 13:01 + 4 h local the town's day officer is on duty.
    clock.advance(241 * MINUTE);
    app = await buildTestApp(db.url, options());
    await app.ready();
    worker = await signIn(app, { username: 's.worker', password: TEST_PASSWORD });
    liaison = await signIn(app, { username: 's.liaison', password: TEST_PASSWORD });
    const swept = await app.slaTimer.sweep();
    expect(swept.flagged).toContain(item.id);
    expect(swept.escalated).toContain(item.id);
    expect(await row(item.id)).toMatchObject({ status: 'reported', tier: 'town', overdue: false });
    const timeline = await steps(item.id);
    expect(timeline.map((s) => [s.action, s.actor, s.tier])).toEqual([
      ['reported', 's.worker', 'community'],
      ['flag_overdue', 'system:sla-timer', 'community'],
      ['escalate', 'system:sla-timer', 'town'],
    ]);
    const escalationAlert = (await alertsOf(item.id)).find((a) => a.rule_key.startsWith('escalated:'));
    expect(escalationAlert?.data).toMatchObject({ escalatedTo: 'town', seat: `town:${TOWN}`, recipients: 's.town.day' });

    // Sweeping again changes nothing: the town's own response clock has just started.
    const again = await app.slaTimer.sweep();
    expect(again.escalated).not.toContain(item.id);
    expect(await steps(item.id)).toHaveLength(3);

    // The town lets it run late too: overdue after 120 min, at the New Area after 240.
    clock.advance(120 * MINUTE);
    expect((await app.slaTimer.sweep()).flagged).toContain(item.id);
    clock.advance(120 * MINUTE);
    expect((await app.slaTimer.sweep()).escalated).toContain(item.id);
    expect(await row(item.id)).toMatchObject({ tier: 'district', status: 'reported' });
    // At the New Area there is nowhere higher: marked, never escalated.
    clock.advance(24 * 60 * MINUTE);
    const top = await app.slaTimer.sweep();
    expect(top.flagged).toContain(item.id);
    expect(top.escalated).not.toContain(item.id);
    expect(await row(item.id)).toMatchObject({ tier: 'district', overdue: true });
  });

  it('escalates a dispatched item past twice its handling limit and drops the unit\'s assignment', async () => {
    const police = await signedIn(app, { username: 's.police', role: 'unit_member', unitCode: 'police' });
    const seat = await signIn(app, { username: 's.liaison2', password: TEST_PASSWORD });
    const three = await file(); // level 3, at the community
    let res = await seat.request('POST', `/api/v1/incidents/${three.id}/accept`, { expectedVersion: 1 });
    res = await seat.request('POST', `/api/v1/incidents/${three.id}/dispatch`, {
      expectedVersion: await version(three.id), leadUnit: 'police', deadline: new Date(clock().getTime() + 400 * 3600_000).toISOString(),
    });
    expect(res.statusCode).toBe(200);
    res = await police.request('POST', `/api/v1/incidents/${three.id}/take`, { expectedVersion: await version(three.id) });
    expect(res.statusCode).toBe(200);
    // Level 3: 168 h of handling; overdue at 168 h, escalated at 336 h.
    clock.advance(168 * 3600_000);
    expect((await app.slaTimer.sweep()).flagged).toContain(three.id);
    expect((await police.request('GET', '/api/v1/units/police/items')).json().items.map((i: { id: string }) => i.id)).toContain(three.id);
    clock.advance(168 * 3600_000);
    expect((await app.slaTimer.sweep()).escalated).toContain(three.id);
    expect(await row(three.id)).toMatchObject({ tier: 'town', status: 'reported' });
    expect((await police.request('GET', '/api/v1/units/police/items')).json().items.map((i: { id: string }) => i.id)).not.toContain(three.id);
    const [assignment] = await sql<{ end_reason: string }>(db.url, 'SELECT end_reason FROM dispatch_assignments WHERE incident_id = $1', [three.id]);
    expect(assignment!.end_reason).toBe('escalate');
  });
});
