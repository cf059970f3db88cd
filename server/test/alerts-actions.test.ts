// What people do with alerts, through the real routes: list them within
// their scope (filters, pages), acknowledge and clear them (who and when
// recorded, audited, pushed), with a clear 409 for a second acknowledgement
// or for anything done to a cleared alert; another town's alert is a 404,
// a kiosk and a leader cannot act.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Value } from 'typebox/value';
import { buildTestApp, createTestDatabase, sql, type TestDatabase } from './helpers.ts';
import { cookieHeader, manualClock, signedIn, type Client } from './helpers/sign-in.ts';
import { baseUrl, connected, openSocket, places, report, type Place, type ScreenSocket } from './live-helpers.ts';
import { Alert, AlertList } from '../../shared/schemas/alert.ts';
import type { App } from '../src/app.ts';

let db: TestDatabase;
let app: App;
const clock = manualClock(new Date('2026-05-01T08:00:00Z'));
const TOWN = '321171001';
const OTHER_TOWN = '321171002';
let district: Client;
let townDuty: Client;
let otherDuty: Client;
let leader: Client;
let kioskToken: string;
let screen: ScreenSocket;
let ours: Alert;
let theirs: Alert;

const options = {
  security: { clock, sweepIntervalMs: 0, loginRateLimitPerMinute: 1000 },
  live: { pruneIntervalMs: 0, reportRateLimitPerMinute: 100_000 },
  devices: { sweepIntervalMs: 0 },
  alerts: { tickMs: 0, pollMs: 0 },
};

async function level1At(place: Place): Promise<Alert> {
  const res = await district.request('POST', '/api/v1/reports', report(place, { itemCode: 'ZF-02' }));
  expect(res.statusCode, res.body).toBe(201);
  await app.alerts.drain();
  const list = (await district.request('GET', `/api/v1/alerts?kind=level1&town=${place.townCode}`)).json() as AlertList;
  return list.alerts.find((a) => a.incidentId === res.json().id)!;
}

const act = (client: Client, id: string, verb: 'acknowledge' | 'clear') => client.request('POST', `/api/v1/alerts/${id}/${verb}`);
const row = async (id: string) => (await sql<{ status: string; acknowledged_by: string | null; cleared_by: string | null }>(
  db.url, 'SELECT status, acknowledged_by, cleared_by FROM alerts WHERE id = $1', [id]))[0];

beforeAll(async () => {
  db = await createTestDatabase();
  app = await buildTestApp(db.url, options);
  await app.listen({ port: 0, host: '127.0.0.1' });
  await app.alerts.drain();
  district = await signedIn(app, { username: 'a.district', role: 'district_duty' });
  townDuty = await signedIn(app, { username: 'a.town', role: 'town_duty', scope: { level: 'town', townCode: TOWN } });
  otherDuty = await signedIn(app, { username: 'a.other', role: 'town_duty', scope: { level: 'town', townCode: OTHER_TOWN } });
  leader = await signedIn(app, { username: 'a.leader', role: 'leader' });
  const sys = await signedIn(app, { username: 'a.sys', role: 'sysadmin' });
  kioskToken = (await sys.request('POST', '/api/v1/admin/kiosk-tokens', { name: 'hall', scope: { level: 'town', townCode: TOWN } })).json().secret;
  screen = openSocket(baseUrl(app), cookieHeader(townDuty.cookies));
  await connected(screen);
  const all = await places(app);
  ours = await level1At(all.find((p) => p.townCode === TOWN)!);
  theirs = await level1At(all.find((p) => p.townCode === OTHER_TOWN)!);
});

afterAll(async () => {
  screen?.close();
  await app?.close();
  await db?.drop();
});

describe('listing', () => {
  it('each town officer sees only their town\'s alerts; the district sees both', async () => {
    const mine = (await townDuty.request('GET', '/api/v1/alerts')).json() as AlertList;
    expect(Value.Check(AlertList, mine)).toBe(true);
    expect(mine.alerts.map((a) => a.id)).toEqual([ours.id]);
    expect((await otherDuty.request('GET', '/api/v1/alerts')).json().alerts.map((a: Alert) => a.id)).toEqual([theirs.id]);
    expect((await district.request('GET', '/api/v1/alerts')).json().alerts.map((a: Alert) => a.id).sort()).toEqual([ours.id, theirs.id].sort());
    expect(mine.lastSeq).toBeGreaterThanOrEqual(ours.seq);
  });

  it('asking for another town is a 403; unknown parameters and a forged cursor are 400s', async () => {
    expect((await townDuty.request('GET', `/api/v1/alerts?town=${OTHER_TOWN}`)).statusCode).toBe(403);
    expect((await townDuty.request('GET', '/api/v1/alerts?colour=red')).statusCode).toBe(400);
    expect((await townDuty.request('GET', '/api/v1/alerts?status=sleeping')).statusCode).toBe(400);
    expect((await townDuty.request('GET', '/api/v1/alerts?cursor=bm90LWEtY3Vyc29y')).statusCode).toBe(400);
  });

  it('pages newest first with a cursor, and filters by status and kind', async () => {
    const first = (await district.request('GET', '/api/v1/alerts?limit=1')).json() as AlertList;
    expect(first.alerts).toHaveLength(1);
    expect(first.nextCursor).toBeTruthy();
    const second = (await district.request('GET', `/api/v1/alerts?limit=1&cursor=${first.nextCursor}`)).json() as AlertList;
    expect(second.alerts).toHaveLength(1);
    expect(second.nextCursor).toBeNull();
    expect(new Set([first.alerts[0].id, second.alerts[0].id])).toEqual(new Set([ours.id, theirs.id]));
    expect((await district.request('GET', '/api/v1/alerts?kind=cluster')).json().alerts).toEqual([]);
    expect((await district.request('GET', '/api/v1/alerts?status=raised')).json().alerts).toHaveLength(2);
  });

  it('a kiosk of the town reads its alerts', async () => {
    const res = await app.inject({ url: '/api/v1/alerts', headers: { authorization: `Bearer ${kioskToken}` } });
    expect(res.statusCode).toBe(200);
    expect(res.json().alerts.map((a: Alert) => a.id)).toEqual([ours.id]);
  });
});

describe('acknowledge and clear', () => {
  it('another town\'s officer gets a 404 and changes nothing; the attempt is audited', async () => {
    const res = await act(otherDuty, ours.id, 'acknowledge');
    expect(res.statusCode).toBe(404);
    expect(res.json().message).toBe(`no alert ${ours.id} in your data scope`);
    expect((await act(otherDuty, ours.id, 'clear')).statusCode).toBe(404);
    expect(await row(ours.id)).toEqual({ status: 'raised', acknowledged_by: null, cleared_by: null });
    const [audit] = await sql<{ result: string; actor: string }>(db.url, `
      SELECT result, actor FROM audit_log WHERE action = 'alert.acknowledge' AND target_id = $1`, [ours.id]);
    expect(audit).toEqual({ result: 'denied', actor: 'a.other' });
  });

  it('a kiosk and a leader cannot acknowledge (403); an id that is not a UUID is a 400', async () => {
    const kiosk = await app.inject({ method: 'POST', url: `/api/v1/alerts/${ours.id}/acknowledge`, headers: { authorization: `Bearer ${kioskToken}` } });
    expect(kiosk.statusCode).toBe(403);
    expect((await act(leader, ours.id, 'acknowledge')).statusCode).toBe(403);
    expect((await act(townDuty, 'not-a-uuid', 'acknowledge')).statusCode).toBe(400);
    expect((await act(townDuty, '00000000-0000-4000-8000-000000000000', 'acknowledge')).statusCode).toBe(404);
    expect((await row(ours.id)).status).toBe('raised');
  });

  it('acknowledging records who and when, is pushed, audited and in the change log; twice is a 409 naming who did it', async () => {
    const pushed = new Promise<Alert[]>((resolve) => screen.once('alert:acknowledged', resolve));
    clock.advance(60_000);
    const res = await act(townDuty, ours.id, 'acknowledge');
    expect(res.statusCode).toBe(200);
    const acked = res.json() as Alert;
    expect(acked).toMatchObject({ id: ours.id, status: 'acknowledged', acknowledgedBy: 'a.town', acknowledgedAt: clock().toISOString(), clearedAt: null });
    expect(acked.seq).toBeGreaterThan(ours.seq);
    expect(await pushed).toEqual([acked]);
    const again = await act(townDuty, ours.id, 'acknowledge');
    expect(again.statusCode).toBe(409);
    expect(again.json().message).toBe(`alert ${ours.id} is already acknowledged (by a.town at ${acked.acknowledgedAt})`);
    const [audit] = await sql<{ result: string; after: { status: string } }>(db.url, `
      SELECT result, after FROM audit_log WHERE action = 'alert.acknowledge' AND target_id = $1 AND result = 'success'`, [ours.id]);
    expect(audit).toEqual({ result: 'success', after: { status: 'acknowledged', kind: 'level1', level: 1 } });
  });

  it('clearing records who and when and is pushed; afterwards clearing or acknowledging is a 409 saying it is cleared', async () => {
    const pushed = new Promise<Alert[]>((resolve) => screen.once('alert:cleared', resolve));
    clock.advance(60_000);
    const res = await act(townDuty, ours.id, 'clear');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'cleared', clearedBy: 'a.town', clearedAt: clock().toISOString(), acknowledgedBy: 'a.town' });
    expect((await pushed).map((a) => a.status)).toEqual(['cleared']);
    for (const verb of ['clear', 'acknowledge'] as const) {
      const late = await act(district, ours.id, verb);
      expect(late.statusCode).toBe(409);
      expect(late.json().message).toMatch(new RegExp(`^alert ${ours.id} is already cleared \\(by a\\.town at .+\\); nothing to ${verb}$`));
    }
    expect(await row(ours.id)).toEqual({ status: 'cleared', acknowledged_by: 'a.town', cleared_by: 'a.town' });
  });

  it('a raised alert may be cleared without an acknowledgement; the change log holds raised, acknowledged, cleared in order', async () => {
    expect((await act(district, theirs.id, 'clear')).json()).toMatchObject({ status: 'cleared', acknowledgedBy: null, clearedBy: 'a.district' });
    const page = (await district.request('GET', '/api/v1/changes?since=0')).json() as { changes: { kind: string; payload: { id: string } }[] };
    expect(page.changes.filter((c) => c.kind.startsWith('alert:') && c.payload.id === ours.id).map((c) => c.kind))
      .toEqual(['alert:raised', 'alert:acknowledged', 'alert:cleared']);
    const theirChanges = (await townDuty.request('GET', '/api/v1/changes?since=0')).json().changes as { payload: { id: string } }[];
    expect(theirChanges.some((c) => c.payload.id === theirs.id)).toBe(false);
  });
});
