// Each alert rule through the real product: reports over HTTP, heartbeats
// over HTTP, the engine reading the change log (drain) and its timer (tick)
// driven with a hand-moved clock, alerts pushed over a real socket to the
// screens of their scope. Each rule is shown firing and not firing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Value } from 'typebox/value';
import { buildTestApp, createTestDatabase, sql, type TestDatabase } from './helpers.ts';
import { cookieHeader, manualClock, signedIn, type Client } from './helpers/sign-in.ts';
import { baseUrl, connected, openSocket, places, report, type Place, type ScreenSocket } from './live-helpers.ts';
import { Alert } from '../../shared/schemas/alert.ts';
import { systemActor } from '../src/realtime/actor.ts';
import { alertsOptionsFromEnv } from '../src/services/alerts-service.ts';
import type { App } from '../src/app.ts';

let db: TestDatabase;
let app: App;
const clock = manualClock(new Date('2026-05-01T08:00:00Z'));
const TOWN = '321171001';
const OTHER_TOWN = '321171002';
let duty: Client;
let all: Place[];
let here: Place;
const sockets: ScreenSocket[] = [];
let townScreen: ScreenSocket;
let otherScreen: ScreenSocket;
const townAlerts: Alert[] = [];
const otherAlerts: Alert[] = [];

const options = {
  security: { clock, sweepIntervalMs: 0, loginRateLimitPerMinute: 1000, idleTimeoutMs: 7 * 24 * 3600_000, sessionMaxMs: 14 * 24 * 3600_000 },
  live: { pruneIntervalMs: 0, reportRateLimitPerMinute: 100_000 },
  devices: { sweepIntervalMs: 0 },
  alerts: { tickMs: 0, pollMs: 0 },
  dispatch: { sweepMs: 0 },
};

async function file(place: Place, itemCode: string): Promise<string> {
  const res = await duty.request('POST', '/api/v1/reports', report(place, { itemCode }));
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id;
}

const alertRows = (where: string) => sql<{ id: string; kind: string; level: number; status: string; incident_id: string | null; grid_code: string | null; community_code: string | null; cleared_by: string | null; data: Record<string, number> }>(
  db.url, `SELECT id, kind, level, status, incident_id, grid_code, community_code, cleared_by, data FROM alerts WHERE ${where} ORDER BY raised_at, id`);

/** Waits (on events, not time) until the town screen has seen `n` alerts. */
async function townSaw(n: number): Promise<Alert[]> {
  while (townAlerts.length < n) await new Promise((resolve) => townScreen.once('alert:raised', resolve));
  return townAlerts;
}

beforeAll(async () => {
  db = await createTestDatabase();
  app = await buildTestApp(db.url, options);
  await app.listen({ port: 0, host: '127.0.0.1' });
  duty = await signedIn(app, { username: 'r.duty', role: 'district_duty' });
  all = await places(app);
  here = all.find((p) => p.townCode === TOWN)!;
  for (const [name, town, list] of [['r.town', TOWN, townAlerts], ['r.other', OTHER_TOWN, otherAlerts]] as const) {
    const client = await signedIn(app, { username: name, role: 'town_duty', scope: { level: 'town', townCode: town } });
    const socket = openSocket(baseUrl(app), cookieHeader(client.cookies));
    sockets.push(socket);
    await connected(socket);
    socket.on('alert:raised', (as) => list.push(...as));
    if (town === TOWN) townScreen = socket;
    else otherScreen = socket;
  }
  // The engine starts its cursor at the head on first use.
  await app.alerts.drain();
});

afterAll(async () => {
  for (const s of sockets) s.close();
  await app?.close();
  await db?.drop();
});

describe('level-1 incidents', () => {
  it('a level-1 report raises a level-1 alert at once, linked both ways, pushed to its town and not another', async () => {
    const id = await file(here, 'ZF-01');
    await app.alerts.drain();
    const [row] = await alertRows(`incident_id = '${id}'`);
    expect(row).toMatchObject({ kind: 'level1', level: 1, status: 'raised' });
    const [pushed] = await townSaw(1);
    expect(Value.Check(Alert, pushed)).toBe(true);
    expect(pushed).toMatchObject({ id: row.id, kind: 'level1', incidentId: id, townCode: TOWN, messageKey: 'alerts.level1' });
    expect(pushed.message).toContain('违法建筑倒塌危险');
    const [incident] = await sql<{ alert_ids: string[] }>(db.url, 'SELECT alert_ids FROM incidents WHERE id = $1', [id]);
    expect(incident.alert_ids).toEqual([row.id]);
    expect(otherAlerts).toHaveLength(0);
  });

  it('many level-1 reports read in one batch (raised a few at a time) get one alert each, each linked to its own incident', async () => {
    // Spread over the other towns' places so no grid clusters; the engine reads them together.
    const places = all.filter((p) => p.townCode !== TOWN).slice(0, 12);
    const ids = await Promise.all(places.map((p) => file(p, 'ZF-01')));
    await app.alerts.drain();
    const rows = await alertRows(`kind = 'level1' AND incident_id IN ('${ids.join("','")}')`);
    expect(rows.map((r) => r.incident_id).sort()).toEqual([...ids].sort());
    const linked = await sql<{ id: string; alert_ids: string[] }>(db.url, 'SELECT id::text, alert_ids FROM incidents WHERE id = ANY($1::uuid[])', [ids]);
    const alertOf = new Map(rows.map((r) => [r.incident_id, r.id]));
    for (const i of linked) expect(i.alert_ids).toEqual([alertOf.get(i.id)]);
    // Gap-free and each change once, though they committed in no fixed order.
    const log = await sql<{ seq: string }>(db.url, 'SELECT seq FROM change_log ORDER BY seq');
    expect(log.map((r) => Number(r.seq))).toEqual(Array.from({ length: log.length }, (_, i) => Number(log[0].seq) + i));
  });

  it('a level-2 or level-3 report raises none', async () => {
    const ids = [await file(here, 'ZF-04'), await file(here, 'ZF-09')];
    await app.alerts.drain();
    expect(await alertRows(`kind = 'level1' AND incident_id IN ('${ids.join("','")}')`)).toEqual([]);
  });

  it('evaluates each incident once: draining again, or after a restart, raises nothing twice', async () => {
    const id = await file(all.find((p) => p.townCode === OTHER_TOWN)!, 'AQ-01');
    await app.alerts.drain();
    await app.alerts.drain();
    await app.close();
    app = await buildTestApp(db.url, options);
    await app.listen({ port: 0, host: '127.0.0.1' });
    await app.alerts.drain();
    expect(await alertRows(`incident_id = '${id}'`)).toHaveLength(1);
    // Screens of the first app are gone with it: reconnect for the tests below.
    for (const s of sockets.splice(0)) s.close();
    duty = await signedIn(app, { username: 'r.duty2', role: 'district_duty' });
    const client = await signedIn(app, { username: 'r.town2', role: 'town_duty', scope: { level: 'town', townCode: TOWN } });
    townScreen = openSocket(baseUrl(app), cookieHeader(client.cookies));
    sockets.push(townScreen);
    await connected(townScreen);
    townAlerts.length = 0;
    townScreen.on('alert:raised', (as) => townAlerts.push(...as));
  });

  it('an incident filed while the engine was not looking is still evaluated (it reads the log from its cursor)', async () => {
    const place = all.filter((p) => p.townCode === TOWN)[2];
    const id = (await app.reports.file(report(place, { itemCode: 'AQ-03' }), systemActor('test'))).incident.id;
    expect(await alertRows(`incident_id = '${id}'`)).toHaveLength(0);
    await app.alerts.drain();
    expect(await alertRows(`incident_id = '${id}' AND kind = 'level1'`)).toHaveLength(1);
  });
});

describe('overdue acceptance', () => {
  // The SLA timer is the one source of overdue alerts (tests of every stage: overdue-stage.test.ts).
  it('a level-2 incident not accepted within 30 minutes raises one overdue alert and is marked overdue; one accepted in time does not', async () => {
    const place = all.filter((p) => p.townCode === TOWN)[1];
    const late = await file(place, 'ZF-05');
    const inTime = await file(place, 'ZF-06');
    await app.alerts.drain();
    clock.advance(10 * 60_000);
    await app.incidents.update(inTime, systemActor('test'), () => ({ patch: { status: 'accepted' }, timeline: { action: 'accepted' } }));
    clock.advance(19 * 60_000);
    await app.slaTimer.sweep();
    const mine = `kind = 'overdue' AND incident_id IN ('${late}', '${inTime}')`;
    expect(await alertRows(mine)).toEqual([]);
    clock.advance(60_000);
    await app.slaTimer.sweep();
    const overdue = await alertRows(mine);
    expect(overdue.map((a) => a.incident_id)).toEqual([late]);
    expect(overdue[0]).toMatchObject({ level: 2, data: { stage: 'response', limitMinutes: 30, minutesLate: 0 } });
    const [incident] = await sql<{ overdue: boolean; alert_ids: string[] }>(db.url, 'SELECT overdue, alert_ids FROM incidents WHERE id = $1', [late]);
    expect(incident).toEqual({ overdue: true, alert_ids: [overdue[0].id] });
    // Later sweeps and ticks do not raise it again.
    clock.advance(20 * 60_000);
    await app.slaTimer.sweep();
    await app.alerts.tick();
    expect(await alertRows(`kind = 'overdue' AND incident_id = '${late}'`)).toHaveLength(1);
    expect(await alertRows(`kind = 'overdue' AND incident_id = '${inTime}'`)).toHaveLength(0);
  });
});

describe('clusters', () => {
  it('3 reports in one grid within 30 minutes raise one cluster alert; a 4th soon after does not; another grid with 2 does not', async () => {
    const grid = all.filter((p) => p.townCode === TOWN)[3];
    const other = all.filter((p) => p.townCode === TOWN)[4];
    const clusterOf = (g: string) => alertRows(`kind = 'cluster' AND grid_code = '${g}'`);
    await file(grid, 'ZF-10');
    await file(other, 'ZF-10');
    await app.alerts.drain();
    clock.advance(10 * 60_000);
    await file(grid, 'ZF-11');
    await file(other, 'ZF-11');
    await app.alerts.drain();
    expect(await clusterOf(grid.gridCode)).toEqual([]);
    clock.advance(10 * 60_000);
    const third = await file(grid, 'ZF-12');
    await app.alerts.drain();
    const [cluster] = await clusterOf(grid.gridCode);
    expect(cluster).toMatchObject({ level: 2, incident_id: third, data: { count: 3, windowMinutes: 30 } });
    clock.advance(5 * 60_000);
    await file(grid, 'ZF-13');
    await app.alerts.drain();
    expect(await clusterOf(grid.gridCode)).toHaveLength(1);
    expect(await clusterOf(other.gridCode)).toEqual([]);
    // Still going a whole window after the alert: once more.
    clock.advance(15 * 60_000);
    await file(grid, 'ZF-10');
    clock.advance(11 * 60_000);
    await file(grid, 'ZF-11');
    await app.alerts.drain();
    expect(await clusterOf(grid.gridCode)).toHaveLength(2);
  });
});

describe('clusters in one read of the log', () => {
  it('5 reports of one grid read in one batch raise exactly one cluster alert', async () => {
    const grid = all.filter((p) => p.townCode === TOWN)[5];
    for (let i = 0; i < 5; i++) {
      clock.advance(60_000);
      await file(grid, 'ZF-14');
    }
    await app.alerts.drain();
    expect(await alertRows(`kind = 'cluster' AND grid_code = '${grid.gridCode}'`)).toHaveLength(1);
  });
});

describe('community camera online rate', () => {
  it('raises one alert below 80 %, none more while open, and clears itself at 85 % (pushed both times)', async () => {
    const [community] = await sql<{ community_code: string; n: number }>(db.url, `
      SELECT g.community_code, count(*)::int AS n FROM cameras c JOIN grids g ON g.code = c.grid_code
      WHERE g.town_code = $1 GROUP BY g.community_code HAVING count(*) BETWEEN 20 AND 60 ORDER BY g.community_code LIMIT 1`, [TOWN]);
    const codes = (await sql<{ code: string }>(db.url, `
      SELECT c.code FROM cameras c JOIN grids g ON g.code = c.grid_code WHERE g.community_code = $1 ORDER BY c.code`, [community.community_code])).map((r) => r.code);
    const n = codes.length;
    const beats = (offline: number) => codes.map((code, i) => ({ code, status: i < offline ? 'offline' : 'online', at: clock().toISOString() }));
    const rateAlerts = () => alertRows(`kind = 'camera_offline_rate' AND community_code = '${community.community_code}'`);

    // Just at 80 %: nothing.
    const atThreshold = Math.floor(n * 0.2);
    clock.advance(1000);
    await duty.request('POST', '/api/v1/devices/heartbeats', { heartbeats: beats(atThreshold) });
    await app.alerts.drain();
    expect(await rateAlerts()).toEqual([]);

    // Below: one alert, pushed.
    const seen = townAlerts.length;
    clock.advance(1000);
    await duty.request('POST', '/api/v1/devices/heartbeats', { heartbeats: beats(atThreshold + 2) });
    await app.alerts.drain();
    const [raised] = await rateAlerts();
    expect(raised).toMatchObject({ status: 'raised', level: 3, data: { online: n - atThreshold - 2, total: n } });
    expect((await townSaw(seen + 1))[seen]).toMatchObject({ id: raised.id, kind: 'camera_offline_rate', communityCode: community.community_code, gridCode: null });

    // Worse, and a timer tick: still one.
    clock.advance(1000);
    await duty.request('POST', '/api/v1/devices/heartbeats', { heartbeats: beats(Math.floor(n / 2)) });
    await app.alerts.tick();
    expect(await rateAlerts()).toHaveLength(1);

    // Back to 84 %: stays open; at 85 %: cleared by the engine itself.
    clock.advance(1000);
    await duty.request('POST', '/api/v1/devices/heartbeats', { heartbeats: beats(n - Math.ceil(n * 0.85) + 1) });
    await app.alerts.drain();
    expect((await rateAlerts())[0].status).toBe('raised');
    const cleared = new Promise<Alert>((resolve) => townScreen.once('alert:cleared', ([a]) => resolve(a)));
    clock.advance(1000);
    await duty.request('POST', '/api/v1/devices/heartbeats', { heartbeats: beats(n - Math.ceil(n * 0.85)) });
    await app.alerts.drain();
    expect(await rateAlerts()).toMatchObject([{ status: 'cleared', cleared_by: 'system:alerts' }]);
    expect(await cleared).toMatchObject({ id: raised.id, status: 'cleared', clearedBy: 'system:alerts' });
  });
});

describe('configuration', () => {
  it('reads the rules from the environment and refuses nonsense', () => {
    const o = alertsOptionsFromEnv({ ALERT_CLUSTER_COUNT: '5', ALERT_CLUSTER_MINUTES: '60', ALERT_CAMERA_RATE_PERCENT: '70', ALERT_RULES_OFF: 'overdue, fireAlarm' });
    expect(o.rules.cluster).toEqual({ enabled: true, count: 5, windowMinutes: 60 });
    expect(o.rules.cameraRate).toMatchObject({ threshold: 0.7, recoverAt: 0.85 });
    expect([o.rules.overdue.enabled, o.rules.fireAlarm.enabled, o.rules.level1.enabled]).toEqual([false, false, true]);
    expect(() => alertsOptionsFromEnv({ ALERT_RULES_OFF: 'everything' })).toThrow(/unknown rule "everything"/);
    expect(() => alertsOptionsFromEnv({ ALERT_CAMERA_RATE_PERCENT: '150' })).toThrow(/ALERT_CAMERA_RATE_PERCENT/);
    expect(() => alertsOptionsFromEnv({ ALERT_CAMERA_RATE_PERCENT: '90', ALERT_CAMERA_RECOVER_PERCENT: '85' })).toThrow(/RECOVER/);
  });
});
