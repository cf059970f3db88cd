// Overdue alerts follow the SLA stage (a hand-moved clock, a real database,
// a real screen socket): an item escalated by hand is not overdue at its new
// tier until that tier's own limit; an overdue alert names the stage that ran
// late (response, handling, verification) and clears itself, as the system,
// pushed as alert:cleared, when the item leaves that stage, but not on a
// step inside it; the SLA timer is the only source (the alert engine's tick
// raises none).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, createTestDatabase, sql, type TestDatabase } from './helpers.ts';
import { cookieHeader, manualClock, signedIn, type Client } from './helpers/sign-in.ts';
import { baseUrl, connected, openSocket, places, report, type Place, type ScreenSocket } from './live-helpers.ts';
import type { Alert } from '../../shared/schemas/alert.ts';
import type { Incident } from '../../shared/schemas/incident.ts';
import type { App } from '../src/app.ts';
import { alertsOptionsFromEnv } from '../src/services/alerts-service.ts';
import { systemActor } from '../src/realtime/actor.ts';

let db: TestDatabase;
let app: App;
const clock = manualClock(new Date('2026-06-01T01:00:00Z'));
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
let here: Place;
let worker: Client;
let liaison: Client;
let townDuty: Client;
let police: Client;
let screen: ScreenSocket;
const raised: Alert[] = [];
const cleared: Alert[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  app = await buildTestApp(db.url, {
    security: { sweepIntervalMs: 0, loginRateLimitPerMinute: 10_000, clock, idleTimeoutMs: 20 * 24 * HOUR, sessionMaxMs: 20 * 24 * HOUR },
    live: { reportRateLimitPerMinute: 100_000, pruneIntervalMs: 0 },
    alerts: { tickMs: 0, pollMs: 0 },
    dispatch: { sweepMs: 0 },
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  here = (await places(app))[0]!;
  const community = { level: 'community' as const, townCode: here.townCode, communityCode: here.communityCode };
  worker = await signedIn(app, { username: 'o.worker', role: 'field_worker', scope: community, gridCode: here.gridCode });
  liaison = await signedIn(app, { username: 'o.liaison', role: 'liaison', scope: community });
  townDuty = await signedIn(app, { username: 'o.town', role: 'town_duty', scope: { level: 'town', townCode: here.townCode } });
  police = await signedIn(app, { username: 'o.police', role: 'unit_member', unitCode: 'police' });
  screen = openSocket(baseUrl(app), cookieHeader(townDuty.cookies));
  screen.on('alert:raised', (as) => raised.push(...as));
  screen.on('alert:cleared', (as) => cleared.push(...as));
  await connected(screen);
});

afterAll(async () => {
  screen?.close();
  await app?.close();
  await db?.drop();
});

/** A level-3 item (response 120 min, handling 168 h, verification 48 h) at the community. */
async function file(): Promise<Incident> {
  const res = await worker.request('POST', '/api/v1/reports', report(here));
  if (res.statusCode !== 201) throw new Error(`report refused: ${res.statusCode} ${res.body}`);
  return res.json();
}

async function act(client: Client, id: string, segment: string, body: Record<string, unknown> = {}): Promise<Incident> {
  const [{ version }] = await sql<{ version: number }>(db.url, 'SELECT version FROM incidents WHERE id = $1', [id]);
  const res = await client.request('POST', `/api/v1/incidents/${id}/${segment}`, { expectedVersion: version, ...body });
  if (res.statusCode !== 200) throw new Error(`${segment} refused: ${res.statusCode} ${res.body}`);
  return res.json().incident;
}

const overdueAlerts = (id: string) => sql<{ id: string; status: string; message: string; message_key: string; cleared_by: string | null; data: Record<string, unknown> }>(db.url,
  `SELECT id, status, message, message_key, cleared_by, data FROM alerts WHERE incident_id = $1 AND kind = 'overdue' ORDER BY raised_at, id`, [id]);
const overdueMark = async (id: string) => (await sql<{ overdue: boolean }>(db.url, 'SELECT overdue FROM incidents WHERE id = $1', [id]))[0]!.overdue;

/** Everything that judges time, as the running product would on its timers. */
async function judge(): Promise<void> {
  await app.slaTimer.sweep();
  await app.alerts.tick();
}

describe('an item escalated by hand', () => {
  it('runs the new tier\'s own response clock: not overdue there until its limit', async () => {
    const item = await file();
    clock.advance(100 * MINUTE);
    await act(liaison, item.id, 'escalate', { reason: '社区无法协调' });
    clock.advance(30 * MINUTE); // 130 min after the report, 30 at the town
    await judge();
    expect(await overdueAlerts(item.id)).toEqual([]);
    expect(await overdueMark(item.id)).toBe(false);
    clock.advance(90 * MINUTE); // 120 at the town
    await judge();
    const [alert] = await overdueAlerts(item.id);
    expect(alert).toMatchObject({ status: 'raised', message_key: 'alerts.overdue.response', data: { stage: 'response', tier: 'town', limitMinutes: 120, seat: `town:${here.townCode}` } });
    expect(alert!.message).toMatch(/^超时未受理：.*已超过2小时响应时限/);
    expect(await overdueMark(item.id)).toBe(true);
  });
});

describe('an overdue alert clears itself when the item leaves the stage', () => {
  it('taken in late: the response alert is cleared by the system and the screen is told', async () => {
    const item = await file();
    clock.advance(120 * MINUTE);
    await judge();
    const [alert] = await overdueAlerts(item.id);
    expect(alert).toMatchObject({ status: 'raised', message_key: 'alerts.overdue.response' });
    await expect.poll(() => raised.map((a) => a.id), { timeout: 20_000 }).toContain(alert!.id);
    // The mark and its alert came in one step.
    const steps = await sql<{ action: string }>(db.url, 'SELECT action FROM incident_timeline WHERE incident_id = $1 ORDER BY id', [item.id]);
    expect(steps.map((s) => s.action)).toEqual(['reported', 'flag_overdue']);

    await act(liaison, item.id, 'accept');
    expect(await overdueAlerts(item.id)).toEqual([expect.objectContaining({ id: alert!.id, status: 'cleared', cleared_by: 'system:alerts' })]);
    await expect.poll(() => cleared.find((a) => a.id === alert!.id), { timeout: 20_000 }).toMatchObject({ status: 'cleared', clearedBy: 'system:alerts' });
    await judge();
    expect(await overdueAlerts(item.id)).toHaveLength(1); // the handling clock has only just started
  });

  it('handling, then verification: named by stage, kept through steps inside the stage, cleared when it ends', async () => {
    const item = await file();
    await act(liaison, item.id, 'accept');
    clock.advance(168 * HOUR);
    await judge();
    let alerts = await overdueAlerts(item.id);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ status: 'raised', message_key: 'alerts.overdue.handling', data: { stage: 'handling', limitMinutes: 168 * 60 } });
    expect(alerts[0]!.message).toMatch(/^超时未办结：.*已超过168小时处置时限/);

    // Dispatched and taken: still the same late handling stage. The mark is set again, no second alert.
    await act(liaison, item.id, 'dispatch', { leadUnit: 'police', deadline: new Date(clock().getTime() + 100 * HOUR).toISOString() });
    await judge();
    await act(police, item.id, 'take');
    await judge();
    expect(await overdueMark(item.id)).toBe(true);
    alerts = await overdueAlerts(item.id);
    expect(alerts.map((a) => a.status)).toEqual(['raised']);

    // Resolved: handling is over.
    await act(police, item.id, 'resolve', { note: '已处理' });
    alerts = await overdueAlerts(item.id);
    expect(alerts[0]).toMatchObject({ status: 'cleared', cleared_by: 'system:alerts' });
    await expect.poll(() => cleared.map((a) => a.id), { timeout: 20_000 }).toContain(alerts[0]!.id);

    // Verification runs late too (48 h), then the seat closes it.
    clock.advance(48 * HOUR);
    await judge();
    alerts = await overdueAlerts(item.id);
    expect(alerts).toHaveLength(2);
    expect(alerts[1]).toMatchObject({ status: 'raised', message_key: 'alerts.overdue.verification', data: { stage: 'verification' } });
    expect(alerts[1]!.message).toMatch(/^超时未核查：.*已超过48小时核查时限/);
    // Acknowledged by a person, and verified (still the verification stage): it stays.
    expect((await townDuty.request('POST', `/api/v1/alerts/${alerts[1]!.id}/acknowledge`)).statusCode).toBe(200);
    await act(liaison, item.id, 'verify');
    expect((await overdueAlerts(item.id))[1]!.status).toBe('acknowledged');
    // Closed: no clock runs any more.
    await act(liaison, item.id, 'close');
    expect((await overdueAlerts(item.id))[1]).toMatchObject({ status: 'cleared', cleared_by: 'system:alerts' });
    await judge();
    expect(await overdueAlerts(item.id)).toHaveLength(2);
  });
});

describe('ALERT_RULES_OFF=overdue', () => {
  it('keeps the overdue mark and the escalation, without alerts', async () => {
    const quiet = await buildTestApp(db.url, {
      security: { sweepIntervalMs: 0, clock },
      live: { pruneIntervalMs: 0 },
      alerts: { ...alertsOptionsFromEnv({ ALERT_RULES_OFF: 'overdue' }), tickMs: 0, pollMs: 0 },
      dispatch: { sweepMs: 0 },
    });
    try {
      await quiet.ready();
      const { incident } = await quiet.reports.file(report(here), systemActor('test'));
      clock.advance(120 * MINUTE);
      expect((await quiet.slaTimer.sweep()).flagged).toContain(incident.id);
      expect(await overdueMark(incident.id)).toBe(true);
      clock.advance(120 * MINUTE);
      expect((await quiet.slaTimer.sweep()).escalated).toContain(incident.id);
      expect(await sql(db.url, 'SELECT id FROM alerts WHERE incident_id = $1', [incident.id])).toEqual([]);
    } finally {
      await quiet.close();
    }
  });
});
