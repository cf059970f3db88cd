// The big screen's figures (GET /api/v1/stats/screen and /stats/heat),
// counted in SQL within a scope, checked against fixtures counted here by
// hand. Incidents are written with SQL (a fixed spread of days, statuses and
// places the report API cannot back-date); devices through their status column.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, createTestDatabase, sql, type TestDatabase } from './helpers.ts';
import { signedIn, type Client } from './helpers/sign-in.ts';
import type { App } from '../src/app.ts';
import { dayStartOf } from '../src/routes/stats/index.ts';
import type { Heat, ScreenStats } from '../../shared/schemas/stats.ts';

let db: TestDatabase;
let app: App;
let leader: Client;
let townDuty: Client;
const TOWN = '321171001';
const OTHER_TOWN = '321171002';
const HOUR = 3_600_000;

type Grid = { code: string; townCode: string; communityCode: string; households: number };
type Fixture = { grid: Grid; level: number; domain: string; status: string; overdue: boolean; at: Date };
const fixtures: Fixture[] = [];
let grids: Grid[];
let dayStart: Date;

async function insert(f: Fixture): Promise<void> {
  await sql(db.url, `
    INSERT INTO incidents (id, item_code, domain, level, lon, lat, grid_code, community_code, town_code, description,
      channel, status, tier, overdue, request_hash, reported_at, updated_at, last_seq)
    VALUES ($1, 'AQ-02', $2, $3, 119.6, 32.2, $4, $5, $6, 'fixture', 'field', $7, 'district', $8, 'h', $9, $9, 0)`,
  [randomUUID(), f.domain, f.level, f.grid.code, f.grid.communityCode, f.grid.townCode, f.status, f.overdue, f.at]);
  fixtures.push(f);
}

const get = async <T>(client: Client, url: string) => {
  const res = await client.request('GET', url);
  return { status: res.statusCode, body: res.json() as T & { message?: string } };
};

beforeAll(async () => {
  db = await createTestDatabase();
  app = await buildTestApp(db.url, { security: { sweepIntervalMs: 0, loginRateLimitPerMinute: 1000 } });
  await app.ready();
  leader = await signedIn(app, { username: 's.leader', role: 'leader' });
  townDuty = await signedIn(app, { username: 's.duty', role: 'town_duty', scope: { level: 'town', townCode: TOWN } });
  grids = await sql<Grid>(db.url, `
    SELECT code, town_code AS "townCode", community_code AS "communityCode", households FROM grids
    WHERE town_code IN ($1, $2) ORDER BY code`, [TOWN, OTHER_TOWN]);
  const inTown = grids.filter((g) => g.townCode === TOWN);
  const inOther = grids.filter((g) => g.townCode === OTHER_TOWN);

  const now = new Date();
  dayStart = dayStartOf(now);
  const sinceMidnight = now.getTime() - dayStart.getTime();
  // Spread today's reports over the hours that have passed (or all at midnight just after it).
  const today = (k: number) => new Date(dayStart.getTime() + Math.floor((sinceMidnight * k) / 10));
  const statuses = ['reported', 'accepted', 'dispatched', 'resolved', 'closed', 'rated', 'returned'];
  const domains = ['law_enforcement', 'work_safety', 'public_order', 'livelihood', 'ecology'];
  for (let k = 0; k < 14; k++) {
    await insert({
      grid: k % 3 === 0 ? inOther[k % inOther.length] : inTown[k % 4], level: (k % 3) + 1, domain: domains[k % 5],
      status: statuses[k % statuses.length], overdue: k % 4 === 0, at: today(k % 10),
    });
  }
  // Yesterday, three days ago, twenty days ago (one still open and overdue), and forty days ago.
  await insert({ grid: inTown[0], level: 2, domain: 'ecology', status: 'closed', overdue: false, at: new Date(dayStart.getTime() - 2 * HOUR) });
  await insert({ grid: inTown[0], level: 2, domain: 'ecology', status: 'reported', overdue: false, at: new Date(dayStart.getTime() - 23 * HOUR) });
  await insert({ grid: inTown[1], level: 3, domain: 'livelihood', status: 'closed', overdue: false, at: new Date(dayStart.getTime() - 3 * 24 * HOUR) });
  await insert({ grid: inTown[2], level: 1, domain: 'public_order', status: 'in_progress', overdue: true, at: new Date(dayStart.getTime() - 20 * 24 * HOUR) });
  await insert({ grid: inOther[0], level: 1, domain: 'public_order', status: 'closed', overdue: false, at: new Date(dayStart.getTime() - 40 * 24 * HOUR) });

  // Camera and sensor status: a few down in each town.
  await sql(db.url, `UPDATE cameras SET status = 'offline' WHERE code IN (
    SELECT c.code FROM cameras c JOIN grids g ON g.code = c.grid_code WHERE g.town_code = $1 ORDER BY c.code LIMIT 5)`, [TOWN]);
  await sql(db.url, `UPDATE cameras SET status = 'fault' WHERE code IN (
    SELECT c.code FROM cameras c JOIN grids g ON g.code = c.grid_code WHERE g.town_code = $1 ORDER BY c.code LIMIT 2)`, [OTHER_TOWN]);
  await sql(db.url, `UPDATE sensors SET status = 'offline' WHERE code IN (
    SELECT x.code FROM sensors x JOIN grids g ON g.code = x.grid_code WHERE g.town_code = $1 ORDER BY x.code LIMIT 3)`, [TOWN]);
});

afterAll(async () => {
  await app?.close();
  await db?.drop();
});

const OPEN = ['reported', 'accepted', 'dispatched', 'in_progress', 'resolved', 'returned'];
const RESOLVED = ['resolved', 'verified', 'closed', 'rated'];

/** The figures, counted by hand from the fixtures. */
function expected(town?: string) {
  const mine = fixtures.filter((f) => !town || f.grid.townCode === town);
  const today = mine.filter((f) => f.at >= dayStart);
  const open = mine.filter((f) => OPEN.includes(f.status));
  const hourly = (from: Date) => {
    const out = new Array<number>(24).fill(0);
    for (const f of mine) {
      const h = Math.floor((f.at.getTime() - from.getTime()) / HOUR);
      if (h >= 0 && h < 24) out[h]++;
    }
    return out;
  };
  return {
    received: today.length,
    accepted: today.filter((f) => f.status !== 'reported').length,
    resolved: today.filter((f) => RESOLVED.includes(f.status)).length,
    open: open.length,
    overdue: open.filter((f) => f.overdue).length,
    level1: today.filter((f) => f.level === 1).length,
    ecology: today.filter((f) => f.domain === 'ecology').length,
    trendToday: hourly(dayStart),
    trendYesterday: hourly(new Date(dayStart.getTime() - 24 * HOUR)),
  };
}

describe('GET /api/v1/stats/screen', () => {
  it('counts today, open and overdue incidents, rates, breakdowns and the 24-hour trend for the New Area', async () => {
    const { status, body } = await get<ScreenStats>(leader, '/api/v1/stats/screen');
    expect(status).toBe(200);
    const e = expected();
    expect(body.scope).toEqual({ level: 'district' });
    expect(body.dayStart).toBe(dayStart.toISOString());
    expect(body.today).toEqual({
      received: e.received, accepted: e.accepted, resolved: e.resolved, overdue: e.overdue, open: e.open,
      responseRate: e.accepted / e.received, disposalRate: e.resolved / e.received,
    });
    expect(body.byLevel.find((l) => l.level === 1)!.count).toBe(e.level1);
    expect(body.byDomain.find((d) => d.domain === 'ecology')!.count).toBe(e.ecology);
    expect(body.byDomain).toHaveLength(5);
    expect(body.byDomain.reduce((s, d) => s + d.count, 0)).toBe(e.received);
    expect(body.trend.today).toEqual(e.trendToday);
    expect(body.trend.yesterday).toEqual(e.trendYesterday);
    expect(body.byTown.find((t) => t.townCode === TOWN)).toEqual({ townCode: TOWN, received: expected(TOWN).received, open: expected(TOWN).open });
    // The grid with the most open incidents comes first.
    const openByGrid = new Map<string, number>();
    for (const f of fixtures) if (OPEN.includes(f.status)) openByGrid.set(f.grid.code, (openByGrid.get(f.grid.code) ?? 0) + 1);
    expect(body.hotGrids[0].open).toBe(Math.max(...openByGrid.values()));
    expect(body.hotGrids.reduce((s, g) => s + g.open, 0)).toBe(e.open);
  });

  it('counts cameras per status and town, and devices down now', async () => {
    const { body } = await get<ScreenStats>(leader, '/api/v1/stats/screen');
    const [{ n: total }] = await sql<{ n: string }>(db.url, 'SELECT count(*) AS n FROM cameras');
    expect(body.cameras.total).toBe(Number(total));
    expect(body.cameras.offline).toBe(5);
    expect(body.cameras.fault).toBe(2);
    expect(body.cameras.online).toBe(Number(total) - 7);
    const town = body.cameras.byTown.find((t) => t.townCode === TOWN)!;
    expect(town.total - town.online).toBe(5);
    expect(body.devicesDown).toEqual({ cameras: 7, sensors: 3 });
  });

  it('reads the change-log head in the same snapshot', async () => {
    const { body } = await get<ScreenStats>(leader, '/api/v1/stats/screen');
    const [{ lastSeq }] = await sql<{ lastSeq: string }>(db.url, 'SELECT last_seq AS "lastSeq" FROM change_counter');
    expect(body.lastSeq).toBe(Number(lastSeq));
  });

  it('narrows to a town named in the screen URL, and a town officer sees their town without asking', async () => {
    const e = expected(TOWN);
    for (const [client, url] of [[leader, `/api/v1/stats/screen?scope=town:${TOWN}`], [townDuty, '/api/v1/stats/screen']] as const) {
      const { status, body } = await get<ScreenStats>(client, url);
      expect(status).toBe(200);
      expect(body.scope).toEqual({ level: 'town', townCode: TOWN });
      expect(body.today.received).toBe(e.received);
      expect(body.today.open).toBe(e.open);
      expect(body.byTown.map((t) => t.townCode)).toEqual([TOWN]);
      expect(body.cameras.byTown.map((t) => t.townCode)).toEqual([TOWN]);
      expect(body.devicesDown).toEqual({ cameras: 5, sensors: 3 });
    }
  });

  it('narrows to a community', async () => {
    const community = grids.find((g) => g.townCode === TOWN)!.communityCode;
    const { status, body } = await get<ScreenStats>(leader, `/api/v1/stats/screen?scope=community:${community}`);
    expect(status).toBe(200);
    expect(body.scope).toEqual({ level: 'community', townCode: TOWN, communityCode: community });
    const mine = fixtures.filter((f) => f.grid.communityCode === community && f.at >= dayStart);
    expect(body.today.received).toBe(mine.length);
  });

  it('refuses a scope outside the caller’s (403, audited), unknown places and malformed values (400)', async () => {
    const other = await get<ScreenStats>(townDuty, `/api/v1/stats/screen?scope=town:${OTHER_TOWN}`);
    expect(other.status).toBe(403);
    expect(other.body.message).toBe(`town:${OTHER_TOWN} is outside your data scope`);
    expect((await get(townDuty, '/api/v1/stats/screen?scope=district')).status).toBe(403);
    const audited = await sql(db.url, "SELECT 1 FROM audit_log WHERE actor = 's.duty' AND action = 'access.denied'");
    expect(audited.length).toBe(2);
    const unknown = await get(leader, '/api/v1/stats/screen?scope=town:999999');
    expect(unknown.status).toBe(400);
    expect(unknown.body.message).toBe('unknown town 999999');
    for (const bad of ['town', 'city:1', 'town:1;drop', 'district:1']) {
      expect((await get(leader, `/api/v1/stats/screen?scope=${encodeURIComponent(bad)}`)).status, bad).toBe(400);
    }
    expect((await get(leader, '/api/v1/stats/screen?extra=1')).status).toBe(400);
  });

  it('needs a signed-in caller', async () => {
    const res = await app.inject({ url: '/api/v1/stats/screen' });
    expect(res.statusCode).toBe(401);
  });
});

describe('GET /api/v1/stats/heat', () => {
  it('counts reports per cell and per grid for today, 7 and 30 days', async () => {
    const counts: Record<number, number> = {};
    for (const days of [1, 7, 30]) {
      const { status, body } = await get<Heat>(leader, `/api/v1/stats/heat?days=${days}`);
      expect(status).toBe(200);
      const since = new Date(dayStart.getTime() - (days - 1) * 24 * HOUR);
      expect(body.since).toBe(since.toISOString());
      const want = fixtures.filter((f) => f.at >= since).length;
      expect(body.cells.reduce((s, c) => s + c.count, 0)).toBe(want);
      expect(body.grids.reduce((s, g) => s + g.count, 0)).toBe(want);
      counts[days] = want;
    }
    expect(counts[1]).toBeLessThan(counts[7]);
    expect(counts[7]).toBeLessThan(counts[30]);
  });

  it('gives every grid in scope with its rate per 1,000 households', async () => {
    const { body } = await get<Heat>(townDuty, '/api/v1/stats/heat?days=30');
    const [{ n }] = await sql<{ n: string }>(db.url, 'SELECT count(*) AS n FROM grids WHERE town_code = $1', [TOWN]);
    expect(body.grids).toHaveLength(Number(n));
    const g = grids.find((x) => x.townCode === TOWN)!;
    const row = body.grids.find((x) => x.gridCode === g.code)!;
    const want = fixtures.filter((f) => f.grid.code === g.code && f.at >= new Date(dayStart.getTime() - 29 * 24 * HOUR)).length;
    expect(row.count).toBe(want);
    expect(row.households).toBe(g.households);
    expect(row.per1000).toBeCloseTo((want * 1000) / g.households, 9);
  });

  it('refuses other periods', async () => {
    for (const days of ['2', '0', 'x', '']) {
      expect((await get(leader, `/api/v1/stats/heat?days=${days}`)).status, days).toBe(400);
    }
    expect((await get(leader, '/api/v1/stats/heat')).status).toBe(400);
  });
});
