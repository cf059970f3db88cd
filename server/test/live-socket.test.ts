// The live path end to end over a real port: reports filed over HTTP reach
// the Socket.IO screens of their scope (and no other), a screen that was
// away catches up through `sync` with nothing missed and nothing twice,
// camera changes arrive merged, and a restart loses nothing and keeps the
// numbering going. Other features (the alert rules) add their own changes to
// the same log, so the checks look at incident events and the log as a whole.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Value } from 'typebox/value';
import { buildTestApp, createTestDatabase, sql, type TestDatabase } from './helpers.ts';
import { cookieHeader, signIn, signedIn, TEST_PASSWORD, type Client } from './helpers/sign-in.ts';
import { baseUrl, connected, openSocket, places, report, type Place, type ScreenSocket } from './live-helpers.ts';
import type { Ack, SubscribeRequest, SubscribeResult } from '../../shared/realtime.ts';
import { Change, type ChangesPage } from '../../shared/schemas/changes.ts';
import { Incident } from '../../shared/schemas/incident.ts';
import type { CameraStatusChange } from '../../shared/schemas/device.ts';
import { inTransaction } from '../src/db/repositories/db.ts';
import type { App } from '../src/app.ts';

let db: TestDatabase;
let app: App;
let url: string;
const TOWN = '321171001';
const OTHER_TOWN = '321171002';
let here: Place;
let otherTown: Place;
let duty: Client;
let otherDuty: Client;
let leader: Client;
const sockets: ScreenSocket[] = [];

const options = { security: { sweepIntervalMs: 0, loginRateLimitPerMinute: 1000 }, live: { reportRateLimitPerMinute: 100_000, pruneIntervalMs: 0 } };

async function start(): Promise<void> {
  app = await buildTestApp(db.url, options);
  await app.listen({ port: 0, host: '127.0.0.1' });
  url = baseUrl(app);
}

beforeAll(async () => {
  db = await createTestDatabase();
  await start();
  const all = await places(app);
  here = all.find((p) => p.townCode === TOWN)!;
  otherTown = all.find((p) => p.townCode === OTHER_TOWN)!;
  duty = await signedIn(app, { username: 's.duty', role: 'town_duty', scope: { level: 'town', townCode: TOWN } });
  otherDuty = await signedIn(app, { username: 's.other', role: 'town_duty', scope: { level: 'town', townCode: OTHER_TOWN } });
  leader = await signedIn(app, { username: 's.leader', role: 'leader' });
});

afterAll(async () => {
  for (const s of sockets) s.close();
  await app?.close();
  await db?.drop();
});

/** A connected screen of `client` (its session cookie), subscribed to `scope` unless null. */
async function screen(client: Client, scope: SubscribeRequest['scope'] | null = null) {
  const socket = openSocket(url, cookieHeader(client.cookies));
  sockets.push(socket);
  await connected(socket);
  const created: Incident[] = [];
  socket.on('incident:created', (list) => created.push(...list));
  let subscribed: Ack<SubscribeResult> | null = null;
  if (scope) subscribed = await socket.emitWithAck('subscribe', { scope });
  return { socket, created, subscribed };
}

/** Resolves with the first `incident:created` matching `test` (the events before it are in `created`). */
function nextCreated(socket: ScreenSocket, test: (i: Incident) => boolean): Promise<Incident> {
  return new Promise((resolve) => {
    const on = (list: Incident[]) => {
      const i = list.find(test);
      if (!i) return;
      socket.off('incident:created', on);
      resolve(i);
    };
    socket.on('incident:created', on);
  });
}

async function post(client: Client, body: ReturnType<typeof report>): Promise<Incident> {
  const res = await client.request('POST', '/api/v1/reports', body);
  if (res.statusCode !== 201) throw new Error(`report refused: ${res.statusCode} ${res.body}`);
  return res.json();
}

describe('scoped push', () => {
  it('brings a report to the screens of its scope and not to another town\'s', async () => {
    const mine = await screen(duty, { level: 'town', townCode: TOWN });
    const theirs = await screen(otherDuty, { level: 'town', townCode: OTHER_TOWN });
    const wall = await screen(leader, { level: 'district' });
    expect(mine.subscribed).toMatchObject({ data: { scope: { level: 'town', townCode: TOWN } } });

    // The other town's report first: events reach one socket in order, so when ours arrives the other would have too.
    const other = report(otherTown);
    const ours = report(here);
    const theirsGot = nextCreated(theirs.socket, (i) => i.id === other.id);
    await post(otherDuty, other);
    const mineGot = nextCreated(mine.socket, (i) => i.id === ours.id);
    const wallGot = nextCreated(wall.socket, (i) => i.id === ours.id);
    const stored = await post(duty, ours);

    const pushed = await mineGot;
    expect(Value.Check(Incident, pushed)).toBe(true);
    expect(pushed).toMatchObject({ id: ours.id, seq: stored.seq, townCode: TOWN, status: 'reported' });
    expect(mine.created.map((i) => i.id)).toEqual([ours.id]);
    expect((await theirsGot).townCode).toBe(OTHER_TOWN);
    expect(theirs.created.map((i) => i.id)).toEqual([other.id]);
    await wallGot;
    expect(wall.created.map((i) => i.id)).toEqual([other.id, ours.id]);
  });

  it('narrows a screen to one community and refuses a scope outside the principal\'s', async () => {
    const s = await screen(duty, { level: 'community', communityCode: here.communityCode });
    expect(s.subscribed).toEqual({ data: { scope: { level: 'community', townCode: TOWN, communityCode: here.communityCode }, headSeq: expect.any(Number) } });
    expect(await s.socket.emitWithAck('subscribe', { scope: { level: 'town', townCode: OTHER_TOWN } }))
      .toEqual({ error: { code: 'forbidden', message: expect.stringMatching(/outside your data scope/) } });
    expect(await s.socket.emitWithAck('subscribe', { scope: { level: 'district' } })).toMatchObject({ error: { code: 'forbidden' } });
    expect(await s.socket.emitWithAck('subscribe', { scope: { level: 'community', communityCode: otherTown.communityCode } }))
      .toMatchObject({ error: { code: 'forbidden' } });
    expect(await s.socket.emitWithAck('subscribe', { scope: { level: 'planet' } } as never)).toMatchObject({ error: { code: 'invalid' } });
    expect(await s.socket.emitWithAck('sync', { since: -3 })).toMatchObject({ error: { code: 'invalid' } });
    // Still on its community after the refusals: a report there arrives.
    const body = report(here);
    const got = nextCreated(s.socket, (i) => i.id === body.id);
    await post(duty, body);
    expect((await got).communityCode).toBe(here.communityCode);
  });

  it('keeps a town officer\'s socket out of another town even through sync', async () => {
    const s = await screen(otherDuty, { level: 'town', townCode: OTHER_TOWN });
    const page = await s.socket.emitWithAck('sync', { since: 0, limit: 2000 });
    if (!('data' in page)) throw new Error(JSON.stringify(page));
    expect(page.data.changes.length).toBeGreaterThan(0);
    expect(page.data.changes.every((c) => c.payload.townCode === OTHER_TOWN)).toBe(true);
  });
});

describe('field worker', () => {
  it('gets the events of their own reports only, and may not subscribe to a scope', async () => {
    const community = { level: 'community' as const, townCode: TOWN, communityCode: here.communityCode };
    const worker = await signedIn(app, { username: 's.worker', role: 'field_worker', scope: community, gridCode: here.gridCode });
    const s = await screen(worker);
    expect(await s.socket.emitWithAck('subscribe', { scope: { level: 'community', communityCode: here.communityCode } }))
      .toMatchObject({ error: { code: 'forbidden' } });
    // Someone else's report in the same grid first, then the worker's own.
    const others = report(here);
    const own = report(here);
    await post(duty, others);
    const got = nextCreated(s.socket, (i) => i.id === own.id);
    await post(worker, own);
    expect((await got).reporter.accountId).toBe(worker.account.id);
    expect(s.created.map((i) => i.id)).toEqual([own.id]);
  });
});

describe('catching up', () => {
  it('gives a screen that was away for 100 reports all of them, none twice', async () => {
    const first = await screen(duty, { level: 'town', townCode: TOWN });
    const warm = report(here);
    const warmGot = nextCreated(first.socket, (i) => i.id === warm.id);
    await post(duty, warm);
    let lastSeq = (await warmGot).seq;
    first.socket.close();

    const away = Array.from({ length: 100 }, (_, i) => report(i % 4 ? here : otherTown));
    const officer = (i: number) => (i % 4 ? duty : otherDuty);
    for (let i = 0; i < away.length; i += 20) await Promise.all(away.slice(i, i + 20).map((b, j) => post(officer(i + j), b)));

    // Back: subscribe, keep what is pushed meanwhile, sync from the last seq applied; more reports arrive during the catch-up.
    const back = await screen(duty, { level: 'town', townCode: TOWN });
    const during = Array.from({ length: 20 }, () => report(here));
    const duringPosted = Promise.all(during.map((b) => post(duty, b)));
    const applied = new Map<string, number>();
    const appliedSeqs: number[] = [];
    const apply = (i: Incident) => {
      if ((applied.get(i.id) ?? 0) >= i.seq) return; // seen: not applied twice
      applied.set(i.id, i.seq);
      appliedSeqs.push(i.seq);
    };
    for (;;) {
      const page = await back.socket.emitWithAck('sync', { since: lastSeq, limit: 7 });
      if (!('data' in page)) throw new Error(JSON.stringify(page));
      for (const c of page.data.changes) if (c.kind === 'incident:created') apply(c.payload);
      lastSeq = page.data.lastSeq;
      if (!page.data.hasMore) break;
    }
    await duringPosted;
    // Everything posted during the catch-up is pushed (it committed after the subscription).
    await new Promise<void>((resolve) => {
      const check = () => {
        if (during.every((b) => back.created.some((i) => i.id === b.id))) resolve();
      };
      back.socket.on('incident:created', check);
      check();
    });
    for (const i of back.created) apply(i);

    const expected = [...away.filter((_, i) => i % 4 !== 0), ...during].map((b) => b.id);
    expect(new Set(applied.keys())).toEqual(new Set(expected));
    expect(appliedSeqs.length).toBe(expected.length);
    expect(new Set(appliedSeqs).size).toBe(expected.length);
  });

  it('pushes reports from many concurrent clients in seq order, gap-free', async () => {
    const wall = await screen(leader, { level: 'district' });
    const head = (wall.subscribed as { data: SubscribeResult }).data.headSeq;
    // 5 officers over real HTTP (cookies + CSRF), 20 reports each, all at once.
    const officers = await Promise.all(Array.from({ length: 5 }, (_, i) =>
      signedIn(app, { username: `s.many${i}`, role: 'district_duty' })));
    const bodies = officers.flatMap((o) => Array.from({ length: 20 }, () => ({ o, body: report(here) })));
    const all = new Promise<void>((resolve) => {
      const check = () => {
        if (wall.created.length >= bodies.length) resolve();
      };
      wall.socket.on('incident:created', check);
    });
    const statuses = await Promise.all(bodies.map(async ({ o, body }) => (await fetch(`${url}/api/v1/reports`, {
      method: 'POST', headers: { ...o.headers(true), 'content-type': 'application/json' }, body: JSON.stringify(body),
    })).status));
    expect(statuses.every((s) => s === 201)).toBe(true);
    await all;
    const seqs = wall.created.map((i) => i.seq);
    expect(seqs.every((seq, i) => seq > (i ? seqs[i - 1] : head))).toBe(true);
    const log = await sql<{ seq: string }>(db.url, 'SELECT seq FROM change_log ORDER BY seq');
    expect(log.map((r) => Number(r.seq))).toEqual(Array.from({ length: log.length }, (_, i) => i + 1));
    expect(new Set(wall.created.map((i) => i.id))).toEqual(new Set(bodies.map((b) => b.body.id)));
  });
});

describe('camera status', () => {
  it('merges a burst per room into one batch with each camera\'s latest status, only to its scope', async () => {
    const wall = await screen(leader, { level: 'district' });
    const theirs = await screen(otherDuty, { level: 'town', townCode: OTHER_TOWN });
    const batches: CameraStatusChange[][] = [];
    const otherBatches: CameraStatusChange[][] = [];
    const firstBatch = new Promise<void>((resolve) => wall.socket.on('camera:status-changed', (b) => {
      batches.push(b);
      resolve();
    }));
    theirs.socket.on('camera:status-changed', (b) => otherBatches.push(b));
    const cameras = await sql<{ code: string; grid_code: string; community_code: string; town_code: string }>(db.url, `
      SELECT c.code, c.grid_code, g.community_code, g.town_code FROM cameras c JOIN grids g ON g.code = c.grid_code
      WHERE g.town_code = $1 ORDER BY c.code LIMIT 10`, [TOWN]);
    const statuses = ['offline', 'fault', 'online'] as const;
    // 30 changes (3 per camera) in one transaction: one notification, one read, one flush.
    const seqs = await inTransaction(app.db, async (tx) => {
      const out: number[] = [];
      for (const status of statuses) {
        for (const c of cameras) {
          out.push(await app.repos.changes.append(tx, {
            kind: 'camera:status-changed', area: { townCode: c.town_code, communityCode: c.community_code }, entityId: c.code,
            payload: { code: c.code, status, at: new Date().toISOString(), townCode: c.town_code, communityCode: c.community_code, gridCode: c.grid_code },
          }));
        }
      }
      return out;
    });
    // A report in the other town afterwards: when it reaches that screen, a camera batch for it would have been sent before.
    const marker = report(otherTown);
    const markerGot = nextCreated(theirs.socket, (i) => i.id === marker.id);
    await firstBatch;
    await post(otherDuty, marker);
    await markerGot;

    const codes = new Set(cameras.map((c) => c.code));
    const withMine = batches.filter((b) => b.some((c) => codes.has(c.code)));
    expect(withMine.length).toBe(1);
    const batch = withMine[0].filter((c) => codes.has(c.code));
    expect(batch.length).toBe(10);
    expect(batch.map((c) => c.code)).toEqual(cameras.map((c) => c.code));
    expect(batch.every((c) => c.status === 'online')).toBe(true);
    expect(batch.map((c) => c.seq)).toEqual(seqs.slice(20));
    expect(otherBatches.flat().filter((c) => codes.has(c.code))).toEqual([]);
    // The log still holds all 30, in order, for a screen that catches up.
    const page = (await leader.request('GET', `/api/v1/changes?since=${seqs[0] - 1}&limit=30`)).json() as ChangesPage;
    expect(page.changes.filter((c) => c.kind === 'camera:status-changed').map((c) => c.seq)).toEqual(seqs);
    for (const c of page.changes) expect(Value.Check(Change, c)).toBe(true);
  });
});

describe('events merged per room', () => {
  it('sends what one read of the log brings as one list per kind, created before updated, in seq order, only to its scope', async () => {
    const wall = await screen(leader, { level: 'district' });
    const mine = await screen(duty, { level: 'town', townCode: TOWN });
    const theirs = await screen(otherDuty, { level: 'town', townCode: OTHER_TOWN });
    const a = await post(duty, report(here));
    const b = await post(duty, report(here));
    const third = report(otherTown);
    const seenThird = nextCreated(wall.socket, (i) => i.id === third.id);
    const c = await post(otherDuty, third);
    await seenThird;
    const messages = (socket: ScreenSocket) => {
      const got: [string, Incident[]][] = [];
      socket.on('incident:created', (list) => got.push(['created', list]));
      socket.on('incident:updated', (list) => got.push(['updated', list]));
      return got;
    };
    const atWall = messages(wall.socket);
    const atMine = messages(mine.socket);
    const atTheirs = messages(theirs.socket);
    // Five changes in one transaction (one notification, one read): updated a, b (this town), c (the other), created a, updated b.
    const area = (i: Incident) => ({ townCode: i.townCode, communityCode: i.communityCode });
    const seqs = await inTransaction(app.db, async (tx) => {
      const out: number[] = [];
      for (const [kind, i] of [['incident:updated', a], ['incident:updated', b], ['incident:updated', c], ['incident:created', a], ['incident:updated', b]] as const) {
        const { seq: _seq, ...payload } = i;
        out.push(await app.repos.changes.append(tx, { kind, area: area(i), entityId: i.id, payload }));
      }
      return out;
    });
    // A marker report after them in each town: when it arrives, the five have arrived before it.
    const markerHere = report(here);
    const markerThere = report(otherTown);
    const gotHere = nextCreated(mine.socket, (i) => i.id === markerHere.id);
    const gotThere = nextCreated(theirs.socket, (i) => i.id === markerThere.id);
    const gotWall = nextCreated(wall.socket, (i) => i.id === markerThere.id);
    await post(duty, markerHere);
    await post(otherDuty, markerThere);
    await Promise.all([gotHere, gotThere, gotWall]);

    // Only these five (the alert rules may write changes of their own, in transactions of their own).
    const shape = (got: [string, Incident[]][]) => got
      .map(([kind, list]) => [kind, list.filter((i) => seqs.includes(i.seq)).map((i) => [i.id, i.seq])] as const)
      .filter(([, list]) => list.length > 0);
    expect(shape(atWall)).toEqual([
      ['created', [[a.id, seqs[3]]]],
      ['updated', [[a.id, seqs[0]], [b.id, seqs[1]], [c.id, seqs[2]], [b.id, seqs[4]]]],
    ]);
    expect(shape(atMine)).toEqual([
      ['created', [[a.id, seqs[3]]]],
      ['updated', [[a.id, seqs[0]], [b.id, seqs[1]], [b.id, seqs[4]]]],
    ]);
    expect(shape(atTheirs)).toEqual([['updated', [[c.id, seqs[2]]]]]);
    for (const [, list] of atWall) for (const i of list) expect(Value.Check(Incident, i)).toBe(true);
  });
});

describe('database connection loss', () => {
  it('listens again after its LISTEN connection is killed, and pushes what came meanwhile', async () => {
    const wall = await screen(leader, { level: 'district' });
    const listenerPids = async () => (await sql<{ pid: number }>(db.url,
      `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND query = 'LISTEN change_log' AND pid <> pg_backend_pid()`)).map((r) => r.pid);
    const [pid] = await listenerPids();
    expect(pid).toBeGreaterThan(0);
    await sql(db.url, 'SELECT pg_terminate_backend($1)', [pid]);
    const during = report(here);
    const got = nextCreated(wall.socket, (i) => i.id === during.id);
    await post(duty, during);
    await got;
    // A new listener replaces the killed one (waited for by polling the server's own view, not by time).
    for (;;) {
      const now = await listenerPids();
      if (now.length === 1 && now[0] !== pid) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const after = report(here);
    const again = nextCreated(wall.socket, (i) => i.id === after.id);
    await post(duty, after);
    expect((await again).id).toBe(after.id);
  });
});

describe('restart', () => {
  it('loses nothing, and the numbering and the push go on where they stopped', async () => {
    const before = (await leader.request('GET', '/api/v1/changes?since=0&limit=2000')).json() as ChangesPage;
    const [{ n }] = await sql<{ n: string }>(db.url, 'SELECT count(*) AS n FROM incidents');
    for (const s of sockets) s.close();
    await app.close();

    await start();
    const reader = await signIn(app, { username: 's.leader', password: TEST_PASSWORD });
    const officer = await signIn(app, { username: 's.duty', password: TEST_PASSWORD });
    const after = (await reader.request('GET', '/api/v1/changes?since=0&limit=2000')).json() as ChangesPage;
    expect(after.changes.slice(0, before.changes.length)).toEqual(before.changes);
    const [{ n: m }] = await sql<{ n: string }>(db.url, 'SELECT count(*) AS n FROM incidents');
    expect(m).toBe(n);

    const wall = await screen(reader, { level: 'district' });
    const body = report(here);
    const got = nextCreated(wall.socket, (i) => i.id === body.id);
    const stored = await post(officer, body);
    expect(stored.seq).toBeGreaterThan(before.lastSeq);
    expect((await got).seq).toBe(stored.seq);
    expect(wall.created.map((i) => i.id)).toEqual([body.id]);
    const seqs = await sql<{ seq: string }>(db.url, 'SELECT seq FROM change_log ORDER BY seq');
    expect(seqs.map((r) => Number(r.seq))).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
  });
});
