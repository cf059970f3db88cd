// The big screen's figures. Everything is counted in SQL within a scope
// (scopeSql on the incident's or device's town/community), and read in one
// REPEATABLE READ snapshot so the figures and the change-log head agree: a
// screen that continues with changes after `lastSeq` double-counts nothing.
import type pg from 'pg';
import type { Scope } from '../../../../shared/schemas/auth.ts';
import type { Domain, Level } from '../../../../shared/schemas/catalogue.ts';
import { DOMAINS, LEVELS } from '../../../../shared/schemas/catalogue.ts';
import { HEAT_CELL_DEGREES } from '../../../../shared/schemas/stats.ts';
import { OPEN_STATUSES } from '../../../../shared/workflow.ts';
import { scopeSql } from '../../domain/scope.ts';
import { inSnapshot } from './db.ts';

const RESOLVED_STATUSES = ['resolved', 'verified', 'closed', 'rated'];
const HOUR_MS = 3_600_000;
const HOT_GRIDS = 10;

export interface ScreenFigures {
  lastSeq: number;
  today: { received: number; accepted: number; resolved: number; overdue: number; open: number };
  byDomain: { domain: Domain; count: number }[];
  byLevel: { level: Level; count: number }[];
  byTown: { townCode: string; received: number; open: number }[];
  trend: { today: number[]; yesterday: number[] };
  cameras: { total: number; online: number; offline: number; fault: number; byTown: { townCode: string; total: number; online: number }[] };
  devicesDown: { cameras: number; sensors: number };
  hotGrids: { gridCode: string; open: number }[];
}

const int = (v: unknown) => Number(v ?? 0);

/** `dayStart` is today's 00:00 in the screen's time zone, as an instant. */
export async function screenFigures(pool: pg.Pool, scope: Scope, dayStart: Date): Promise<ScreenFigures> {
  const yesterday = new Date(dayStart.getTime() - 24 * HOUR_MS);
  return inSnapshot(pool, async (db) => {
    const head = await db.query<{ lastSeq: string }>('SELECT last_seq AS "lastSeq" FROM change_counter');

    // Incidents: today's and the open ones, grouped once by everything the panels need.
    const s = scopeSql(scope, 'i', 4);
    const groups = await db.query<{
      townCode: string; domain: string; level: number; received: string; accepted: string; resolved: string; open: string; overdue: string;
    }>(`
      SELECT i.town_code AS "townCode", i.domain, i.level,
        count(*) FILTER (WHERE i.reported_at >= $1) AS received,
        count(*) FILTER (WHERE i.reported_at >= $1 AND i.status <> 'reported') AS accepted,
        count(*) FILTER (WHERE i.reported_at >= $1 AND i.status = ANY($3::text[])) AS resolved,
        count(*) FILTER (WHERE i.status = ANY($2::text[])) AS open,
        count(*) FILTER (WHERE i.status = ANY($2::text[]) AND i.overdue) AS overdue
      FROM incidents i
      WHERE (i.reported_at >= $1 OR i.status = ANY($2::text[])) AND ${s.sql}
      GROUP BY 1, 2, 3`,
    [dayStart, OPEN_STATUSES, RESOLVED_STATUSES, ...s.params]);

    const hours = await db.query<{ day: number; hour: number; n: string }>(`
      SELECT (i.reported_at >= $1)::int AS day,
        floor(extract(epoch FROM i.reported_at - CASE WHEN i.reported_at >= $1 THEN $1 ELSE $2 END) / 3600)::int AS hour,
        count(*) AS n
      FROM incidents i
      WHERE i.reported_at >= $2 AND i.reported_at < $1::timestamptz + interval '1 day' AND ${scopeSql(scope, 'i', 3).sql}
      GROUP BY 1, 2`,
    [dayStart, yesterday, ...scopeSql(scope, 'i', 3).params]);

    const hot = await db.query<{ gridCode: string; open: string }>(`
      SELECT i.grid_code AS "gridCode", count(*) AS open
      FROM incidents i
      WHERE i.status = ANY($1::text[]) AND ${scopeSql(scope, 'i', 3).sql}
      GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT $2`,
    [OPEN_STATUSES, HOT_GRIDS, ...scopeSql(scope, 'i', 3).params]);

    // Devices: their place is their grid's.
    const g = scopeSql(scope, 'g', 1);
    const cams = await db.query<{ townCode: string; status: string; n: string }>(`
      SELECT g.town_code AS "townCode", c.status, count(*) AS n
      FROM cameras c JOIN grids g ON g.code = c.grid_code
      WHERE ${g.sql}
      GROUP BY 1, 2`, g.params);
    const sensors = await db.query<{ n: string }>(`
      SELECT count(*) AS n FROM sensors x JOIN grids g ON g.code = x.grid_code
      WHERE x.status <> 'online' AND ${g.sql}`, g.params);

    const today = { received: 0, accepted: 0, resolved: 0, overdue: 0, open: 0 };
    const byDomain = new Map<string, number>(DOMAINS.map((d) => [d, 0]));
    const byLevel = new Map<number, number>(LEVELS.map((l) => [l, 0]));
    const byTown = new Map<string, { received: number; open: number }>();
    for (const r of groups.rows) {
      const received = int(r.received);
      today.received += received;
      today.accepted += int(r.accepted);
      today.resolved += int(r.resolved);
      today.open += int(r.open);
      today.overdue += int(r.overdue);
      byDomain.set(r.domain, (byDomain.get(r.domain) ?? 0) + received);
      byLevel.set(r.level, (byLevel.get(r.level) ?? 0) + received);
      const town = byTown.get(r.townCode) ?? { received: 0, open: 0 };
      town.received += received;
      town.open += int(r.open);
      byTown.set(r.townCode, town);
    }

    const trend = { today: new Array<number>(24).fill(0), yesterday: new Array<number>(24).fill(0) };
    for (const r of hours.rows) {
      if (r.hour >= 0 && r.hour < 24) (r.day ? trend.today : trend.yesterday)[r.hour] = int(r.n);
    }

    const cameras = { total: 0, online: 0, offline: 0, fault: 0, byTown: [] as { townCode: string; total: number; online: number }[] };
    const camTowns = new Map<string, { total: number; online: number }>();
    for (const r of cams.rows) {
      const n = int(r.n);
      cameras.total += n;
      if (r.status === 'online' || r.status === 'offline' || r.status === 'fault') cameras[r.status] += n;
      const t = camTowns.get(r.townCode) ?? { total: 0, online: 0 };
      t.total += n;
      if (r.status === 'online') t.online += n;
      camTowns.set(r.townCode, t);
    }
    cameras.byTown = [...camTowns].map(([townCode, t]) => ({ townCode, ...t })).sort((a, b) => a.townCode.localeCompare(b.townCode));

    return {
      lastSeq: int(head.rows[0]?.lastSeq),
      today,
      byDomain: DOMAINS.map((domain) => ({ domain, count: byDomain.get(domain) ?? 0 })),
      byLevel: LEVELS.map((level) => ({ level, count: byLevel.get(level) ?? 0 })),
      byTown: [...byTown].map(([townCode, t]) => ({ townCode, ...t })).sort((a, b) => a.townCode.localeCompare(b.townCode)),
      trend,
      cameras,
      devicesDown: { cameras: cameras.offline + cameras.fault, sensors: int(sensors.rows[0]?.n) },
      hotGrids: hot.rows.map((r) => ({ gridCode: r.gridCode, open: int(r.open) })),
    };
  });
}

export interface HeatFigures {
  cells: { lon: number; lat: number; count: number }[];
  grids: { gridCode: string; count: number; households: number }[];
}

/** Reports since `since`, counted per HEAT_CELL_DEGREES cell and per grid (every grid in scope, zeros included). */
export async function heatFigures(pool: pg.Pool, scope: Scope, since: Date): Promise<HeatFigures> {
  return inSnapshot(pool, async (db) => {
    const s = scopeSql(scope, 'i', 3);
    const cells = await db.query<{ lon: number; lat: number; n: string }>(`
      SELECT (floor(i.lon / $2) + 0.5) * $2 AS lon, (floor(i.lat / $2) + 0.5) * $2 AS lat, count(*) AS n
      FROM incidents i
      WHERE i.reported_at >= $1 AND ${s.sql}
      GROUP BY floor(i.lon / $2), floor(i.lat / $2)`,
    [since, HEAT_CELL_DEGREES, ...s.params]);
    const g = scopeSql(scope, 'g', 2);
    const grids = await db.query<{ gridCode: string; households: number; n: string }>(`
      SELECT g.code AS "gridCode", g.households, count(i.id) AS n
      FROM grids g LEFT JOIN incidents i ON i.grid_code = g.code AND i.reported_at >= $1
      WHERE ${g.sql}
      GROUP BY g.code, g.households
      ORDER BY g.code`,
    [since, ...g.params]);
    return {
      cells: cells.rows.map((r) => ({ lon: Number(r.lon), lat: Number(r.lat), count: int(r.n) })),
      grids: grids.rows.map((r) => ({ gridCode: r.gridCode, households: int(r.households), count: int(r.n) })),
    };
  });
}

/** The town of a community, to make a whole scope from `community:<code>`. */
export async function townOfCommunity(db: pg.Pool, communityCode: string): Promise<string | undefined> {
  const { rows } = await db.query<{ townCode: string }>('SELECT town_code AS "townCode" FROM communities WHERE code = $1', [communityCode]);
  return rows[0]?.townCode;
}

export async function townExists(db: pg.Pool, townCode: string): Promise<boolean> {
  const { rowCount } = await db.query('SELECT 1 FROM towns WHERE code = $1', [townCode]);
  return (rowCount ?? 0) > 0;
}
