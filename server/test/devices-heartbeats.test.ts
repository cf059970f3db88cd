// Heartbeats through the real route, on a real database, with a socket on a
// real port: only transitions are stored and pushed (merged into batches),
// a silent camera goes offline after the configured time (a hand-moved
// clock, no sleeping), unknown codes are answered per item, bad bodies are
// refused whole with nothing stored, and the silence survives a restart.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Value } from 'typebox/value';
import { buildTestApp, createTestDatabase, sql, type TestDatabase } from './helpers.ts';
import { cookieHeader, manualClock, signedIn, type Client } from './helpers/sign-in.ts';
import { baseUrl, connected, openSocket, places, report, type ScreenSocket } from './live-helpers.ts';
import { CameraStatusChange, HEARTBEAT_BATCH_MAX, NearestCameras } from '../../shared/schemas/device.ts';
import { distanceM } from '../src/domain/nearest-cameras.ts';
import type { App } from '../src/app.ts';

let db: TestDatabase;
let app: App;
const clock = manualClock(new Date('2026-05-01T08:00:00Z'));
const TOWN = '321171001';
const OTHER_TOWN = '321171002';
let duty: Client;
let townScreen: ScreenSocket;
let otherScreen: ScreenSocket;
const sockets: ScreenSocket[] = [];
let cams: { code: string; community_code: string; town_code: string }[];
let otherCam: string;

const options = {
  security: { clock, sweepIntervalMs: 0, loginRateLimitPerMinute: 1000, idleTimeoutMs: 7 * 24 * 3600_000, sessionMaxMs: 14 * 24 * 3600_000 },
  live: { pruneIntervalMs: 0 },
  devices: { sweepIntervalMs: 0, cameraSilentMs: 90_000 },
  alerts: { tickMs: 0, pollMs: 0 },
};

const iso = (d = clock()) => d.toISOString();
const beat = (code: string, status: string, extra: Record<string, unknown> = {}) => ({ code, status, at: iso(), ...extra });
const post = (client: Client, heartbeats: unknown) => client.request('POST', '/api/v1/devices/heartbeats', { heartbeats });
const count = async (table: string, where = 'TRUE') => Number((await sql<{ n: string }>(db.url, `SELECT count(*) AS n FROM ${table} WHERE ${where}`))[0].n);

async function screen(client: Client): Promise<ScreenSocket> {
  const socket = openSocket(baseUrl(app), cookieHeader(client.cookies));
  sockets.push(socket);
  await connected(socket);
  return socket;
}

/** The next camera batch a screen receives. */
const nextBatch = (socket: ScreenSocket) => new Promise<CameraStatusChange[]>((resolve) => socket.once('camera:status-changed', resolve));

beforeAll(async () => {
  db = await createTestDatabase();
  app = await buildTestApp(db.url, options);
  await app.listen({ port: 0, host: '127.0.0.1' });
  duty = await signedIn(app, { username: 'd.duty', role: 'district_duty' });
  const townDuty = await signedIn(app, { username: 'd.town', role: 'town_duty', scope: { level: 'town', townCode: TOWN } });
  const otherDuty = await signedIn(app, { username: 'd.other', role: 'town_duty', scope: { level: 'town', townCode: OTHER_TOWN } });
  townScreen = await screen(townDuty);
  otherScreen = await screen(otherDuty);
  cams = await sql(db.url, `
    SELECT c.code, g.community_code, g.town_code FROM cameras c JOIN grids g ON g.code = c.grid_code
    WHERE g.town_code = $1 ORDER BY c.code LIMIT 6`, [TOWN]);
  otherCam = (await sql<{ code: string }>(db.url, `
    SELECT c.code FROM cameras c JOIN grids g ON g.code = c.grid_code WHERE g.town_code = $1 ORDER BY c.code LIMIT 1`, [OTHER_TOWN]))[0].code;
});

afterAll(async () => {
  for (const s of sockets) s.close();
  await app?.close();
  await db?.drop();
});

describe('heartbeats', () => {
  it('a batch that changes nothing stores no transition and pushes nothing, but marks the devices heard', async () => {
    const res = await post(duty, cams.map((c) => beat(c.code, 'online')));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ received: 6, accepted: 6, stale: 0, transitions: 0, incidentIds: [], rejected: [] });
    expect(await count('device_transitions')).toBe(0);
    expect(await count('change_log', `kind = 'camera:status-changed'`)).toBe(0);
    expect(await count('cameras', `heard_at IS NOT NULL`)).toBe(6);
  });

  it('transitions are stored once, with a change-log row each, and reach the town\'s screen as one merged batch', async () => {
    clock.advance(30_000);
    const batch = nextBatch(townScreen);
    let otherGotOne = false;
    otherScreen.once('camera:status-changed', () => {
      otherGotOne = true;
    });
    const res = await post(duty, [
      beat(cams[0].code, 'offline'), beat(cams[1].code, 'fault', { faultCode: 'E-LENS' }), beat(cams[2].code, 'online'),
      beat(cams[3].code, 'online', { faultCode: 'E-DISK' }),
    ]);
    expect(res.json()).toMatchObject({ accepted: 4, transitions: 3 });
    const pushed = await batch;
    expect(pushed.map((c) => [c.code, c.previousStatus, c.status, c.faultCode])).toEqual([
      [cams[0].code, 'online', 'offline', null], [cams[1].code, 'online', 'fault', 'E-LENS'], [cams[3].code, 'online', 'fault', 'E-DISK'],
    ]);
    for (const c of pushed) expect(Value.Check(CameraStatusChange, c)).toBe(true);
    const stored = await sql<{ device_code: string; seq: string }>(db.url, 'SELECT device_code, seq FROM device_transitions ORDER BY id');
    expect(stored.map((t) => t.device_code)).toEqual([cams[0].code, cams[1].code, cams[3].code]);
    expect(stored.map((t) => Number(t.seq))).toEqual(pushed.map((c) => c.seq));
    // The same statuses again: nothing new.
    clock.advance(30_000);
    const again = await post(duty, [beat(cams[0].code, 'offline'), beat(cams[1].code, 'fault', { faultCode: 'E-LENS' })]);
    expect(again.json()).toMatchObject({ accepted: 2, transitions: 0 });
    expect(await count('device_transitions')).toBe(3);
    expect(otherGotOne).toBe(false);
  });

  it('GET /cameras answers the live status (the cached list is rebuilt on a transition)', async () => {
    const res = await duty.request('GET', `/api/v1/cameras?town=${TOWN}`);
    const byCode = new Map(res.json().features.map((f: { id: string; properties: { status: string } }) => [f.id, f.properties.status]));
    expect([byCode.get(cams[0].code), byCode.get(cams[1].code), byCode.get(cams[2].code)]).toEqual(['offline', 'fault', 'online']);
  });

  it('ignores a heartbeat older than the last one heard from that device', async () => {
    const old = new Date(clock().getTime() - 3600_000).toISOString();
    const res = await post(duty, [beat(cams[0].code, 'online', { at: old })]);
    expect(res.json()).toMatchObject({ accepted: 1, stale: 1, transitions: 0 });
  });

  it('stamps the change-log row with the server\'s time, even when the gateway\'s clock is days behind', async () => {
    const [cam] = await sql<{ code: string }>(db.url, `
      SELECT c.code FROM cameras c JOIN grids g ON g.code = c.grid_code WHERE g.town_code = $1 AND c.heard_at IS NULL ORDER BY c.code LIMIT 1`, [TOWN]);
    const old = new Date(clock().getTime() - 4 * 24 * 3600_000);
    const res = await post(duty, [{ code: cam.code, status: 'fault', faultCode: 'E-OLD', at: old.toISOString() }]);
    expect(res.json()).toMatchObject({ transitions: 1 });
    const [row] = await sql<{ at: Date; payload: { at: string } }>(db.url, `SELECT at, payload FROM change_log WHERE entity_id = $1`, [cam.code]);
    expect(row.at.toISOString()).toBe(clock().toISOString());
    expect(row.payload.at).toBe(old.toISOString());
  });

  it('answers unknown device codes and future times item by item, storing nothing for them', async () => {
    const future = new Date(clock().getTime() + 3600_000).toISOString();
    const before = await count('device_transitions');
    const res = await post(duty, [
      beat('NOSUCHCAMERA0001', 'offline'), beat(cams[2].code, 'offline', { at: future }), beat(cams[4].code, 'offline'),
    ]);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ received: 3, accepted: 1, transitions: 1 });
    expect(body.rejected).toEqual([
      { index: 0, code: 'NOSUCHCAMERA0001', reason: 'unknown_device', message: expect.stringContaining('NOSUCHCAMERA0001') },
      { index: 1, code: cams[2].code, reason: 'future_time', message: expect.any(String) },
    ]);
    expect(await count('device_transitions')).toBe(before + 1);
    expect((await sql<{ status: string }>(db.url, 'SELECT status FROM cameras WHERE code = $1', [cams[2].code]))[0].status).toBe('online');
  });

  it('a gateway of one town cannot report another town\'s devices (answered per item)', async () => {
    const result = await app.devices.ingest([{ code: otherCam, status: 'offline', at: iso() }, { code: cams[5].code, status: 'online', at: iso() }],
      { level: 'town', townCode: TOWN });
    expect(result.rejected).toEqual([{ index: 0, code: otherCam, reason: 'outside_scope', message: expect.any(String) }]);
    expect(result.accepted).toBe(1);
    expect((await sql<{ status: string }>(db.url, 'SELECT status FROM cameras WHERE code = $1', [otherCam]))[0].status).toBe('online');
  });
});

describe('bad heartbeat requests', () => {
  const bad: [string, unknown][] = [
    ['no heartbeats', undefined],
    ['an empty batch', []],
    ['an unknown status', [{ code: 'X1', status: 'sleeping', at: '2026-05-01T08:00:00Z' }]],
    ['a time that is not a date', [{ code: 'X1', status: 'online', at: 'yesterday' }]],
    ['a missing code', [{ status: 'online', at: '2026-05-01T08:00:00Z' }]],
    ['an unknown field', [{ code: 'X1', status: 'online', at: '2026-05-01T08:00:00Z', battery: 3 }]],
    ['a fault code with spaces', [{ code: 'X1', status: 'fault', faultCode: 'a b', at: '2026-05-01T08:00:00Z' }]],
  ];
  it.each(bad)('refuses %s with a 400 that says what is wrong, storing nothing', async (_name, heartbeats) => {
    const before = await sql(db.url, 'SELECT code, status, heard_at FROM cameras ORDER BY code');
    const transitions = await count('device_transitions');
    const res = heartbeats === undefined ? await duty.request('POST', '/api/v1/devices/heartbeats', {}) : await post(duty, heartbeats);
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(/heartbeats|status|at|code|faultCode|battery/);
    expect(await sql(db.url, 'SELECT code, status, heard_at FROM cameras ORDER BY code')).toEqual(before);
    expect(await count('device_transitions')).toBe(transitions);
  });

  it(`refuses a batch over ${HEARTBEAT_BATCH_MAX} heartbeats as a whole`, async () => {
    const res = await post(duty, Array.from({ length: HEARTBEAT_BATCH_MAX + 1 }, () => beat(cams[0].code, 'online')));
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(/heartbeats/);
  });

  it('only a district duty seat may relay heartbeats: a leader or a town officer gets 403, nobody signed in 401', async () => {
    const leader = await signedIn(app, { username: 'd.leader', role: 'leader' });
    const town = await signedIn(app, { username: 'd.town2', role: 'town_duty', scope: { level: 'town', townCode: TOWN } });
    expect((await post(leader, [beat(cams[0].code, 'online')])).statusCode).toBe(403);
    expect((await post(town, [beat(cams[0].code, 'online')])).statusCode).toBe(403);
    const anonymous = await app.inject({ method: 'POST', url: '/api/v1/devices/heartbeats', payload: { heartbeats: [beat(cams[0].code, 'online')] } });
    expect(anonymous.statusCode).toBe(401);
  });
});

describe('gateways with integration keys', () => {
  it('a camera-channel key of one town reports its own cameras; another town\'s are answered outside_scope; a chat-robot key is refused', async () => {
    const sys = await signedIn(app, { username: 'd.sys', role: 'sysadmin' });
    const issue = async (channel: string) => {
      const res = await sys.request('POST', '/api/v1/admin/integration-keys', { name: `网关-${channel}`, channel, scope: { level: 'town', townCode: TOWN } });
      expect(res.statusCode, res.body).toBe(201);
      return res.json().secret as string;
    };
    const cameraKey = await issue('camera');
    const robotKey = await issue('chat_robot');
    clock.advance(1000);
    const send = (secret: string, heartbeats: unknown) => app.inject({
      method: 'POST', url: '/api/v1/devices/heartbeats', headers: { authorization: `Bearer ${secret}` }, payload: { heartbeats },
    });
    const res = await send(cameraKey, [beat(cams[4].code, 'online'), beat(otherCam, 'offline')]);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ accepted: 1, transitions: 1, rejected: [{ index: 1, code: otherCam, reason: 'outside_scope' }] });
    const audit = await sql<{ actor: string; detail: string }>(db.url, `SELECT actor, detail FROM audit_log WHERE action = 'devices.heartbeats' ORDER BY id DESC LIMIT 1`);
    expect(audit[0].actor).toMatch(/^integration:\d+:网关-camera$/);
    expect((await send(robotKey, [beat(cams[4].code, 'online')])).statusCode).toBe(403);
  });
});

describe('silence', () => {
  it('a camera not heard for 90 s goes offline, not at 89 s; pushed like any transition; a heartbeat brings it back', async () => {
    // Every camera heard so far (all in the town) beats once more, then falls silent.
    const heard = (await sql<{ code: string }>(db.url, 'SELECT code FROM cameras WHERE heard_at IS NOT NULL ORDER BY code')).map((r) => r.code);
    expect(heard).toEqual(expect.arrayContaining(cams.map((c) => c.code)));
    const settled = nextBatch(townScreen);
    const again = await post(duty, heard.map((code) => beat(code, 'online')));
    expect(await count('cameras', `status = 'offline'`)).toBe(0);
    // Cameras earlier tests left offline came back: that batch reaches the screen first, not the sweep's.
    if (again.json().transitions > 0) {
      await app.realtime.drain();
      app.realtime.flushCameras();
      await settled;
    }
    clock.advance(89_000);
    expect((await app.devices.sweep()).cameras).toBe(0);
    clock.advance(1_000);
    const batch = nextBatch(townScreen);
    const swept = await app.devices.sweep();
    expect(swept.cameras).toBe(heard.length);
    const pushed = await batch;
    expect(pushed.map((c) => c.code)).toEqual(heard);
    expect(pushed.find((c) => c.code === cams[5].code)).toMatchObject({ status: 'offline', previousStatus: 'online' });
    expect(await count('cameras', `status = 'offline'`)).toBe(heard.length);
    expect((await app.devices.transitionsOf(cams[5].code))[0]).toMatchObject({ from: 'online', to: 'offline', cause: 'silence' });
    // Swept once: a second sweep finds nothing more.
    expect((await app.devices.sweep()).cameras).toBe(0);
    const back = await post(duty, [beat(cams[5].code, 'online')]);
    expect(back.json()).toMatchObject({ transitions: 1 });
  });

  it('cameras no gateway ever reported are not monitored: never swept offline', async () => {
    const unmonitored = await count('cameras', `heard_at IS NULL AND status = 'offline'`);
    clock.advance(3600_000);
    await app.devices.sweep();
    expect(await count('cameras', `heard_at IS NULL AND status = 'offline'`)).toBe(unmonitored);
    expect(unmonitored).toBe(0);
  });

  it('keeps what it heard across a restart; after it, silence is judged from the restart on', async () => {
    await post(duty, [beat(cams[5].code, 'online')]);
    await app.close();
    clock.advance(600_000); // the server was down for 10 minutes
    app = await buildTestApp(db.url, options);
    await app.ready();
    expect((await sql<{ status: string }>(db.url, 'SELECT status FROM cameras WHERE code = $1', [cams[5].code]))[0].status).toBe('online');
    // Straight after the restart: nobody could have heard it, so it is not judged yet.
    expect((await app.devices.sweep()).cameras).toBe(0);
    clock.advance(90_000);
    expect((await app.devices.sweep()).cameras).toBe(1);
    expect((await sql<{ status: string }>(db.url, 'SELECT status FROM cameras WHERE code = $1', [cams[5].code]))[0].status).toBe('offline');
  });
});

describe('nearest cameras of an incident', () => {
  it('answers the incident\'s own grid first, nearest first, then the nearest outside, with live status', async () => {
    duty = await signedIn(app, { username: 'd.duty3', role: 'district_duty' });
    // A grid with at least two cameras, in the town.
    const [grid] = await sql<{ grid_code: string }>(db.url, `
      SELECT c.grid_code FROM cameras c JOIN grids g ON g.code = c.grid_code WHERE g.town_code = $1
      GROUP BY c.grid_code HAVING count(*) >= 2 ORDER BY c.grid_code LIMIT 1`, [TOWN]);
    const place = (await places(app)).find((p) => p.gridCode === grid.grid_code)!;
    const filed = await duty.request('POST', '/api/v1/reports', report(place));
    expect(filed.statusCode, filed.body).toBe(201);
    const id = filed.json().id;
    const res = await duty.request('GET', `/api/v1/incidents/${id}/cameras?limit=8`);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(Value.Check(NearestCameras, body)).toBe(true);
    expect(body.cameras).toHaveLength(8);
    const inGrid = await sql<{ code: string; lon: number; lat: number }>(db.url, 'SELECT code, lon, lat FROM cameras WHERE grid_code = $1', [grid.grid_code]);
    const k = inGrid.length;
    expect(body.cameras.slice(0, k).every((c: { inGrid: boolean }) => c.inGrid)).toBe(true);
    expect(body.cameras.slice(k).every((c: { inGrid: boolean }) => !c.inGrid)).toBe(true);
    const d = (c: { lon: number; lat: number }) => distanceM(place.lon, place.lat, c.lon, c.lat);
    expect(body.cameras.slice(0, k).map((c: { code: string }) => c.code)).toEqual([...inGrid].sort((a, b) => d(a) - d(b)).map((c) => c.code));
    const outside = body.cameras.slice(k).map((c: { distanceM: number }) => c.distanceM);
    expect(outside).toEqual([...outside].sort((a, b) => a - b));
    // The nearest camera outside the grid really is the nearest of all the others.
    const [nearestOutside] = await sql<{ code: string }>(db.url, `
      SELECT code FROM cameras WHERE grid_code <> $1 ORDER BY (lon - $2) ^ 2 * cos(radians($3)) ^ 2 + (lat - $3) ^ 2 LIMIT 1`,
    [grid.grid_code, place.lon, place.lat]);
    expect(body.cameras[k].code).toBe(nearestOutside.code);
  });

  it('another town\'s officer gets 404 as for the incident itself; a bad id or limit is a 400', async () => {
    const place = (await places(app)).find((p) => p.townCode === TOWN)!;
    const id = (await duty.request('POST', '/api/v1/reports', report(place))).json().id;
    const other = await signedIn(app, { username: 'd.other3', role: 'town_duty', scope: { level: 'town', townCode: OTHER_TOWN } });
    expect((await other.request('GET', `/api/v1/incidents/${id}/cameras`)).statusCode).toBe(404);
    expect((await other.request('GET', `/api/v1/incidents/${id}`)).statusCode).toBe(404);
    expect((await duty.request('GET', '/api/v1/incidents/nope/cameras')).statusCode).toBe(400);
    expect((await duty.request('GET', `/api/v1/incidents/${id}/cameras?limit=0`)).statusCode).toBe(400);
    expect((await duty.request('GET', `/api/v1/incidents/${id}/cameras?limit=51`)).statusCode).toBe(400);
    expect((await duty.request('GET', `/api/v1/incidents/${id}/cameras`)).json().cameras).toHaveLength(6);
  });
});
