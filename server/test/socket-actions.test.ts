// Workflow actions as Socket.IO commands (`incident:act`), on a real port
// with real socket.io-client connections signed in like a browser: an item
// carried from report to rating by socket commands only while another
// screen receives every update; bad payloads, a kiosk, another town, a
// stale version and two officers at once refused exactly as REST refuses
// them (nothing stored); the per-socket rate limit; a session that ended
// while its socket stayed open.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Value } from 'typebox/value';
import { buildTestApp, createTestDatabase, sql, type TestDatabase } from './helpers.ts';
import { cookieHeader, manualClock, signedIn, type Client } from './helpers/sign-in.ts';
import { baseUrl, connected, openSocket, places, report, type Place, type ScreenSocket } from './live-helpers.ts';
import { ActionResult } from '../../shared/schemas/dispatch.ts';
import type { Ack, ActRequest } from '../../shared/realtime.ts';
import type { Incident } from '../../shared/schemas/incident.ts';
import { COMMAND_LIMITS } from '../src/realtime/commands.ts';
import type { App } from '../src/app.ts';

let db: TestDatabase;
let app: App;
const clock = manualClock(new Date('2026-06-01T01:00:00Z'));
const IDLE_MS = 30 * 60_000;
let here: Place;
let otherTown: Place;
const sockets: ScreenSocket[] = [];
let worker: Client;

beforeAll(async () => {
  db = await createTestDatabase();
  app = await buildTestApp(db.url, {
    security: { sweepIntervalMs: 0, loginRateLimitPerMinute: 10_000, clock, idleTimeoutMs: IDLE_MS },
    live: { reportRateLimitPerMinute: 100_000, pruneIntervalMs: 0 },
    alerts: { tickMs: 0, pollMs: 0 },
    dispatch: { sweepMs: 0 },
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const all = await places(app);
  here = all[0]!;
  otherTown = all.find((p) => p.townCode !== here.townCode)!;
  worker = await signedIn(app, { username: 'k.worker', role: 'field_worker', scope: community(here), gridCode: here.gridCode });
});

afterAll(async () => {
  for (const s of sockets) s.close();
  await app?.close();
  await db?.drop();
});

function community(place: Place) {
  return { level: 'community' as const, townCode: place.townCode, communityCode: place.communityCode };
}

/** A signed-in account's socket, connected. */
async function socketOf(client: Client): Promise<ScreenSocket> {
  const socket = openSocket(baseUrl(app), cookieHeader(client.cookies));
  sockets.push(socket);
  await connected(socket);
  return socket;
}

let accounts = 0;
async function person(role: Parameters<typeof signedIn>[1]['role'], more: Partial<Parameters<typeof signedIn>[1]> = {}) {
  const client = await signedIn(app, { username: `k.${role}.${++accounts}`, role, ...more });
  return { client, socket: await socketOf(client) };
}

function act(socket: ScreenSocket, request: ActRequest | Record<string, unknown>): Promise<Ack<ActionResult>> {
  return socket.timeout(20_000).emitWithAck('incident:act', request as ActRequest);
}

/** Acts and expects success. */
async function step(socket: ScreenSocket, incident: { id: string; version: number }, action: ActRequest['action'], body: Record<string, unknown> = {}): Promise<ActionResult> {
  const answer = await act(socket, { incidentId: incident.id, action, body: { expectedVersion: incident.version, ...body } });
  if (!('data' in answer)) throw new Error(`${action} refused: ${JSON.stringify(answer.error)}`);
  expect(Value.Check(ActionResult, answer.data)).toBe(true);
  return answer.data;
}

async function file(place: Place = here): Promise<Incident> {
  const res = await worker.request('POST', '/api/v1/reports', report(place));
  if (res.statusCode !== 201) throw new Error(`report refused: ${res.statusCode} ${res.body}`);
  return res.json();
}

async function stored(id: string) {
  const [row] = await sql<{ status: string; version: number; steps: string; changes: string }>(db.url, `
    SELECT i.status, i.version,
      (SELECT count(*) FROM incident_timeline t WHERE t.incident_id = i.id) AS steps,
      (SELECT count(*) FROM change_log c WHERE c.entity_id = i.id::text) AS changes
    FROM incidents i WHERE i.id = $1`, [id]);
  return { status: row!.status, version: row!.version, steps: Number(row!.steps), changes: Number(row!.changes) };
}

const hours = (h: number) => new Date(clock().getTime() + h * 3600_000).toISOString();

describe('the loop over sockets', () => {
  it('carries an item from report to rating with socket commands only; a second screen receives every update', async () => {
    const liaison = await person('liaison', { scope: community(here) });
    const police = await person('unit_member', { unitCode: 'police' });
    const reporter = await socketOf(worker);
    const screen = await person('town_duty', { scope: { level: 'town', townCode: here.townCode } });
    await screen.socket.emitWithAck('subscribe', { scope: { level: 'town', townCode: here.townCode } });
    const seen: Incident[] = [];
    screen.socket.on('incident:updated', (list) => seen.push(...list));

    const item = await file();
    let r = await step(liaison.socket, item, 'accept', { note: '已受理' });
    expect(r.incident.status).toBe('accepted');
    expect(r.actions).toEqual(expect.arrayContaining(['dispatch', 'escalate']));
    r = await step(liaison.socket, r.incident, 'dispatch', { leadUnit: 'police', deadline: hours(48) });
    expect(r.dispatch).toMatchObject({ leadUnit: 'police', clock: { stage: 'handling' } });
    r = await step(police.socket, r.incident, 'take');
    r = await step(police.socket, r.incident, 'progress', { note: '已到现场', photos: ['/files/a.jpg'] });
    r = await step(police.socket, r.incident, 'resolve', { note: '已清除' });
    expect(r.dispatch.clock?.stage).toBe('verification');
    r = await step(liaison.socket, r.incident, 'verify');
    r = await step(liaison.socket, r.incident, 'close');
    r = await step(reporter, r.incident, 'rate', { score: 4, comment: '满意' });
    expect(r.incident).toMatchObject({ status: 'rated', version: 9 });

    // Pushed to the other screen, every version in order.
    await expect.poll(() => seen.filter((i) => i.id === item.id).map((i) => i.version), { timeout: 20_000 }).toEqual([2, 3, 4, 5, 6, 7, 8, 9]);
    expect(seen.at(-1)).toMatchObject({ id: item.id, status: 'rated' });

    // The same timeline, change log and audit as REST writes, with the socket's source address.
    const detail = (await liaison.client.request('GET', `/api/v1/incidents/${item.id}`)).json();
    expect(detail.timeline.map((e: { action: string }) => e.action)).toEqual(['reported', 'accept', 'dispatch', 'take', 'progress', 'resolve', 'verify', 'close', 'rate']);
    expect(detail.timeline[1].actor.username).toBe(`k.liaison.1`);
    const audit = await sql<{ action: string; source_ip: string | null }>(db.url,
      `SELECT action, source_ip FROM audit_log WHERE target_id = $1 AND action LIKE 'incident.%' ORDER BY id`, [item.id]);
    expect(audit.map((a) => a.action)).toEqual(['incident.report', 'incident.accept', 'incident.dispatch', 'incident.take', 'incident.progress',
      'incident.resolve', 'incident.verify', 'incident.close', 'incident.rate']);
    expect(audit.slice(1).every((a) => /127\.0\.0\.1/.test(a.source_ip ?? ''))).toBe(true);
    expect(await stored(item.id)).toEqual({ status: 'rated', version: 9, steps: 9, changes: 9 });
  });
});

describe('refusals store nothing', () => {
  it('a bad payload: invalid, saying what is wrong', async () => {
    const { socket } = await person('liaison', { scope: community(here) });
    const item = await file();
    const before = await stored(item.id);
    const answers = await Promise.all([
      act(socket, { incidentId: item.id, action: 'escalate', body: { expectedVersion: 1 } }),
      act(socket, { incidentId: item.id, action: 'accept', body: { expectedVersion: 1, status: 'closed' } }),
      act(socket, { incidentId: 'not-a-uuid', action: 'accept', body: { expectedVersion: 1 } }),
      act(socket, { incidentId: item.id, action: 'flag_overdue', body: { expectedVersion: 1, stage: 'response' } }),
      act(socket, { incidentId: item.id, action: 'accept', body: { expectedVersion: 0 } }),
      act(socket, { incidentId: item.id, action: 'accept' }),
    ]);
    const errors = answers.map((a) => ('error' in a ? a.error : null));
    expect(errors.map((e) => e?.code)).toEqual(['invalid', 'invalid', 'invalid', 'invalid', 'invalid', 'invalid']);
    expect(errors[0]!.message).toMatch(/escalate body.*reason/);
    expect(errors[1]!.message).toMatch(/status/);
    expect(errors[2]!.message).toMatch(/\/incidentId/);
    expect(errors[3]!.message).toMatch(/\/action must be equal to one of the allowed values: accept, dispatch, take, .*, hand_down, supervise, reopen$/);
    expect(errors[4]!.message).toMatch(/\/expectedVersion/);
    expect(errors[5]!.message).toMatch(/body/);
    // Refused by the workflow after the schema: an unknown unit, a deadline in the past.
    await step(socket, item, 'accept');
    const unknown = await act(socket, { incidentId: item.id, action: 'dispatch', body: { expectedVersion: 2, leadUnit: 'nobody', deadline: hours(5) } });
    expect(unknown).toEqual({ error: { code: 'invalid', reason: 'unknown_unit', message: 'no handling unit nobody' } });
    expect(await stored(item.id)).toEqual({ ...before, status: 'accepted', version: 2, steps: 2, changes: 2 });
  });

  it('a kiosk is read-only; a unit may not accept; another town\'s item is not found', async () => {
    const item = await file();
    const kiosk = await person('kiosk');
    const unit = await person('unit_member', { unitCode: 'water' });
    const stranger = await person('liaison', { scope: community(otherTown) });
    const kioskAnswer = await act(kiosk.socket, { incidentId: item.id, action: 'accept', body: { expectedVersion: 1 } });
    expect(kioskAnswer).toEqual({ error: { code: 'forbidden', message: 'a kiosk is read-only' } });
    const unitAnswer = await act(unit.socket, { incidentId: item.id, action: 'accept', body: { expectedVersion: 1 } });
    expect('error' in unitAnswer && unitAnswer.error.code).toBe('forbidden');
    const strangerAnswer = await act(stranger.socket, { incidentId: item.id, action: 'accept', body: { expectedVersion: 1 } });
    expect('error' in strangerAnswer && strangerAnswer.error).toMatchObject({ code: 'not_found', message: expect.stringMatching(/in your data scope/) });
    expect(strangerAnswer).not.toHaveProperty('error.incident');
    expect(await stored(item.id)).toEqual({ status: 'reported', version: 1, steps: 1, changes: 1 });
    const denied = await sql<{ n: string }>(db.url, `SELECT count(*) AS n FROM audit_log WHERE action = 'access.denied' AND detail LIKE 'socket incident:act%'`);
    expect(Number(denied[0]!.n)).toBe(2);
  });

  it('not from this state: illegal_transition with the item as it is now', async () => {
    const { socket } = await person('liaison', { scope: community(here) });
    const item = await file();
    const answer = await act(socket, { incidentId: item.id, action: 'verify', body: { expectedVersion: 1 } });
    expect('error' in answer && answer.error).toMatchObject({
      code: 'illegal_transition', reason: 'illegal_transition', incident: { id: item.id, status: 'reported', version: 1 }, dispatch: { clock: { stage: 'response' } },
    });
  });
});

describe('two officers at once', () => {
  it('one accept wins, the other gets conflict with the fresh state; one timeline step', async () => {
    const a = await person('liaison', { scope: community(here) });
    const b = await person('liaison', { scope: community(here) });
    const item = await file();
    const answers = await Promise.all([a.socket, b.socket].map((s) => act(s, { incidentId: item.id, action: 'accept', body: { expectedVersion: 1 } })));
    const won = answers.filter((x) => 'data' in x);
    const lost = answers.filter((x) => 'error' in x).map((x) => ('error' in x ? x.error : null)!);
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0]).toMatchObject({ code: 'conflict', reason: 'version_conflict', incident: { id: item.id, status: 'accepted', version: 2 }, dispatch: { clock: { stage: 'handling' } } });
    expect(await stored(item.id)).toEqual({ status: 'accepted', version: 2, steps: 2, changes: 2 });
    // A stale version on its own is the same conflict.
    const stale = await act(a.socket, { incidentId: item.id, action: 'escalate', body: { expectedVersion: 1, reason: '太难' } });
    expect('error' in stale && stale.error.code).toBe('conflict');
  });
});

describe('limits', () => {
  it('rate-limits a socket that floods commands, without storing anything', async () => {
    const { socket } = await person('liaison', { scope: community(here) });
    const item = await file();
    const flood = await Promise.all(Array.from({ length: COMMAND_LIMITS.burst + 5 }, () =>
      act(socket, { incidentId: item.id, action: 'verify', body: { expectedVersion: 1 } })));
    const codes = flood.map((x) => ('error' in x ? x.error.code : 'ok'));
    expect(codes.filter((c) => c === 'illegal_transition')).toHaveLength(COMMAND_LIMITS.burst);
    expect(codes.filter((c) => c === 'rate_limited')).toHaveLength(5);
    // Another socket is not affected; the flooded one recovers with time.
    const other = await person('liaison', { scope: community(here) });
    expect('data' in (await act(other.socket, { incidentId: item.id, action: 'accept', body: { expectedVersion: 1 } }))).toBe(true);
    clock.advance(1000);
    const again = await act(socket, { incidentId: item.id, action: 'verify', body: { expectedVersion: 2 } });
    expect('error' in again && again.error.code).toBe('illegal_transition');
  });

  it('checks the session at command time: an idle session\'s socket cannot act and is dropped', async () => {
    const { socket } = await person('liaison', { scope: community(here) });
    const item = await file();
    clock.advance(IDLE_MS + 60_000); // no sweep runs: only the command itself can notice
    expect(socket.connected).toBe(true);
    const dropped = new Promise<string>((resolve) => socket.once('disconnect', (reason) => resolve(`disconnected: ${reason}`)));
    const answer = act(socket, { incidentId: item.id, action: 'accept', body: { expectedVersion: 1 } })
      .then((a) => ('error' in a ? a.error.code : 'ok'), () => 'no answer');
    expect(await Promise.race([answer, dropped])).toMatch(/^(unauthorized|disconnected: io server disconnect)$/);
    expect(await dropped).toBe('disconnected: io server disconnect');
    expect(await stored(item.id)).toEqual({ status: 'reported', version: 1, steps: 1, changes: 1 });
  });
});
