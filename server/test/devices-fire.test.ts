// Smart-fire sensors through the heartbeat route: repeated alarms of one
// episode file one incident (火灾, channel sensor, linked to the sensor) and
// raise one fire-alarm alert, pushed to the screens of its scope; after ten
// normal minutes the next alarm is a new fire. A filing lost to a crash is
// filed again under the same id (one incident).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Value } from 'typebox/value';
import { buildTestApp, createTestDatabase, sql, type TestDatabase } from './helpers.ts';
import { cookieHeader, manualClock, signedIn, type Client } from './helpers/sign-in.ts';
import { baseUrl, connected, openSocket, type ScreenSocket } from './live-helpers.ts';
import { Alert } from '../../shared/schemas/alert.ts';
import type { App } from '../src/app.ts';

let db: TestDatabase;
let app: App;
const clock = manualClock(new Date('2026-05-01T08:00:00Z'));
const TOWN = '321171001';
const OTHER_TOWN = '321171002';
let duty: Client;
let sensor: { code: string; grid_code: string; community_code: string; town_code: string };
let sensor2: string;
const sockets: ScreenSocket[] = [];
let townScreen: ScreenSocket;
let otherScreen: ScreenSocket;

const options = {
  security: { clock, sweepIntervalMs: 0, loginRateLimitPerMinute: 1000, idleTimeoutMs: 7 * 24 * 3600_000, sessionMaxMs: 14 * 24 * 3600_000 },
  live: { pruneIntervalMs: 0 },
  devices: { sweepIntervalMs: 0 },
  alerts: { tickMs: 0, pollMs: 0 },
};

const beat = (code: string, status: string) => ({ code, status, at: clock().toISOString() });
const post = (heartbeats: unknown[]) => duty.request('POST', '/api/v1/devices/heartbeats', { heartbeats });
const fireIncidents = (code: string) => sql<{ id: string; item_code: string; level: number; channel: string; sensor_code: string; grid_code: string; alert_ids: string[] }>(
  db.url, `SELECT id, item_code, level, channel, sensor_code, grid_code, alert_ids FROM incidents WHERE sensor_code = $1 ORDER BY reported_at`, [code]);
const alertsOf = (where: string) => sql<{ id: string; kind: string; incident_id: string; sensor_code: string; status: string }>(
  db.url, `SELECT id, kind, incident_id, sensor_code, status FROM alerts WHERE ${where} ORDER BY raised_at`);

beforeAll(async () => {
  db = await createTestDatabase();
  app = await buildTestApp(db.url, options);
  await app.listen({ port: 0, host: '127.0.0.1' });
  duty = await signedIn(app, { username: 'f.duty', role: 'district_duty' });
  [sensor] = await sql(db.url, `
    SELECT s.code, s.grid_code, g.community_code, g.town_code FROM sensors s JOIN grids g ON g.code = s.grid_code
    WHERE g.town_code = $1 AND s.type = 'smoke' ORDER BY s.code LIMIT 1`, [TOWN]);
  sensor2 = (await sql<{ code: string }>(db.url, `
    SELECT s.code FROM sensors s JOIN grids g ON g.code = s.grid_code WHERE g.town_code = $1 ORDER BY s.code DESC LIMIT 1`, [TOWN]))[0].code;
  for (const [name, town] of [['f.town', TOWN], ['f.other', OTHER_TOWN]] as const) {
    const client = await signedIn(app, { username: name, role: 'town_duty', scope: { level: 'town', townCode: town } });
    const socket = openSocket(baseUrl(app), cookieHeader(client.cookies));
    sockets.push(socket);
    await connected(socket);
    if (town === TOWN) townScreen = socket;
    else otherScreen = socket;
  }
});

afterAll(async () => {
  for (const s of sockets) s.close();
  await app?.close();
  await db?.drop();
});

describe('fire episodes', () => {
  it('repeated alarms within one episode file one incident, linked to the sensor, and raise one pushed fire alarm', async () => {
    const raised = new Promise<Alert[]>((resolve) => townScreen.once('alert:raised', resolve));
    let otherHeard = false;
    otherScreen.on('alert:raised', () => {
      otherHeard = true;
    });
    const first = await post([beat(sensor.code, 'alarm')]);
    expect(first.statusCode).toBe(200);
    expect(first.json().incidentIds).toHaveLength(1);
    for (let i = 0; i < 5; i++) {
      clock.advance(30_000);
      const again = await post([beat(sensor.code, 'alarm')]);
      expect(again.json().incidentIds).toEqual([]);
    }
    const incidents = await fireIncidents(sensor.code);
    expect(incidents).toHaveLength(1);
    expect(incidents[0]).toMatchObject({ id: first.json().incidentIds[0], item_code: 'AQ-02', level: 1, channel: 'sensor', grid_code: sensor.grid_code });
    const episodes = await app.devices.episodesOf(sensor.code);
    expect(episodes).toHaveLength(1);
    expect(episodes[0]).toMatchObject({ alarmCount: 6, incidentFiled: true, incidentId: incidents[0].id, endedAt: null });

    const [alert] = await raised;
    expect(Value.Check(Alert, alert)).toBe(true);
    expect(alert).toMatchObject({ kind: 'fire_alarm', level: 1, status: 'raised', incidentId: incidents[0].id, sensorCode: sensor.code, townCode: TOWN });
    expect(alert.message).toContain('火警');
    expect(await alertsOf(`kind = 'fire_alarm'`)).toHaveLength(1);
    // The incident knows its alert; the level-1 rule does not raise a second alert for the same fire.
    expect((await fireIncidents(sensor.code))[0].alert_ids).toEqual([alert.id]);
    await app.alerts.drain();
    expect(await alertsOf(`incident_id = '${incidents[0].id}'`)).toHaveLength(1);
    expect(otherHeard).toBe(false);
  });

  it('a few normal minutes between alarms are the same fire; ten normal minutes end it and the next alarm files a new incident', async () => {
    clock.advance(30_000);
    await post([beat(sensor.code, 'online')]);
    clock.advance(5 * 60_000);
    await post([beat(sensor.code, 'online')]);
    expect((await post([beat(sensor.code, 'alarm')])).json().incidentIds).toEqual([]);
    clock.advance(30_000);
    await post([beat(sensor.code, 'online')]);
    clock.advance(10 * 60_000);
    await post([beat(sensor.code, 'online')]);
    const episodes = await app.devices.episodesOf(sensor.code);
    expect(episodes).toHaveLength(1);
    expect(episodes[0].endedAt).not.toBeNull();
    clock.advance(60 * 60_000);
    const next = await post([beat(sensor.code, 'alarm')]);
    expect(next.json().incidentIds).toHaveLength(1);
    expect(await fireIncidents(sensor.code)).toHaveLength(2);
    expect(await alertsOf(`kind = 'fire_alarm' AND sensor_code = '${sensor.code}'`)).toHaveLength(2);
  });

  it('several alarms of one sensor in one batch are one fire; a normal sensor files nothing', async () => {
    clock.advance(60_000);
    const t = clock().getTime();
    const res = await post([0, 10, 20].map((s) => ({ code: sensor2, status: 'alarm', at: new Date(t + s * 1000).toISOString() })));
    expect(res.json().incidentIds).toHaveLength(1);
    expect(await fireIncidents(sensor2)).toHaveLength(1);
    const quiet = (await sql<{ code: string }>(db.url, `SELECT code FROM sensors WHERE code NOT IN ($1, $2) ORDER BY code LIMIT 3`, [sensor.code, sensor2])).map((r) => r.code);
    expect((await post(quiet.map((c) => beat(c, 'online')))).json().incidentIds).toEqual([]);
    for (const c of quiet) expect(await fireIncidents(c)).toHaveLength(0);
  });

  it('an episode whose filing was lost (a crash) is filed again by the sweep, under the same id: still one incident', async () => {
    const [episode] = (await app.devices.episodesOf(sensor2));
    await sql(db.url, 'UPDATE sensor_episodes SET incident_filed = false WHERE id = $1', [episode.id]);
    const swept = await app.devices.sweep();
    expect(swept.filed).toBe(1);
    expect(await fireIncidents(sensor2)).toHaveLength(1);
    expect((await app.devices.episodesOf(sensor2))[0].incidentFiled).toBe(true);
    expect(await alertsOf(`kind = 'fire_alarm' AND sensor_code = '${sensor2}'`)).toHaveLength(1);
  });
});
