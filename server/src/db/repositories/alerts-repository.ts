// Alerts (migration 004): raise once (the rule key is unique), acknowledge,
// clear, list within a scope; and the few reads of incidents the rules need
// (overdue candidates, a grid's recent reports). Writes take the caller's
// transaction client, so the alert and its change-log row commit together.
import type { Alert, AlertKind, AlertStatus } from '../../../../shared/schemas/alert.ts';
import type { AlertDraft } from '../../domain/alert-rules.ts';
import { scopeSql, type Scope } from '../../domain/scope.ts';
import type { Queryable } from './db.ts';

interface RawAlert {
  id: string;
  kind: AlertKind;
  level: 1 | 2 | 3;
  status: AlertStatus;
  rule_key: string;
  town_code: string;
  community_code: string | null;
  grid_code: string | null;
  incident_id: string | null;
  sensor_code: string | null;
  message: string;
  message_key: string;
  data: Record<string, unknown>;
  raised_at: Date;
  acknowledged_at: Date | null;
  acknowledged_by: string | null;
  cleared_at: Date | null;
  cleared_by: string | null;
  last_seq: string;
}

export interface AlertRow extends Alert {
  ruleKey: string;
}

function toAlert(r: RawAlert): AlertRow {
  return {
    id: r.id, kind: r.kind, level: r.level, status: r.status, ruleKey: r.rule_key,
    townCode: r.town_code, communityCode: r.community_code, gridCode: r.grid_code,
    incidentId: r.incident_id, sensorCode: r.sensor_code,
    message: r.message, messageKey: r.message_key, data: r.data,
    raisedAt: r.raised_at.toISOString(),
    acknowledgedAt: r.acknowledged_at?.toISOString() ?? null, acknowledgedBy: r.acknowledged_by,
    clearedAt: r.cleared_at?.toISOString() ?? null, clearedBy: r.cleared_by,
    seq: Number(r.last_seq),
  };
}

/** The public shape (no rule key), as pushed and listed. */
export function publicAlert({ ruleKey: _ruleKey, ...alert }: AlertRow): Alert {
  return alert;
}

export interface NewAlert {
  id: string;
  draft: AlertDraft;
  message: string;
  messageKey: string;
  raisedAt: Date;
}

/**
 * Inserts the alert unless its rule key (or, for a camera-rate alert, an open
 * one of the same community) is already there. Returns the row, or null when
 * it was raised before: "raise once" holds however often a rule is evaluated.
 */
export async function insertAlert(tx: Queryable, a: NewAlert): Promise<AlertRow | null> {
  const d = a.draft;
  const { rows } = await tx.query<RawAlert>(`
    INSERT INTO alerts (id, kind, level, rule_key, town_code, community_code, grid_code, incident_id, sensor_code,
      message, message_key, data, raised_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
    ON CONFLICT DO NOTHING
    RETURNING *`,
  [a.id, d.kind, d.level, d.ruleKey, d.area.townCode, d.area.communityCode, d.area.gridCode, d.incidentId, d.deviceCode,
    a.message, a.messageKey, JSON.stringify(d.detail), a.raisedAt]);
  return rows[0] ? toAlert(rows[0]) : null;
}

export type AlertLookup = { found: AlertRow } | { outsideScope: true } | { missing: true };

/**
 * One alert locked for a change, looked up within the caller's scope; when it
 * is not in scope, says whether it exists at all (403 vs 404, as incidents do).
 */
export async function lockAlertInScope(tx: Queryable, id: string, scope: Scope): Promise<AlertLookup> {
  const scoped = scopeSql(scope, 'a', 2);
  const { rows } = await tx.query<RawAlert & { in_scope: boolean }>(`
    SELECT a.*, (${scoped.sql}) AS in_scope FROM alerts a WHERE a.id = $1 FOR UPDATE`, [id, ...scoped.params]);
  if (!rows[0]) return { missing: true };
  if (!rows[0].in_scope) return { outsideScope: true };
  return { found: toAlert(rows[0]) };
}

export async function findAlert(db: Queryable, id: string): Promise<AlertRow | null> {
  const { rows } = await db.query<RawAlert>('SELECT * FROM alerts WHERE id = $1', [id]);
  return rows[0] ? toAlert(rows[0]) : null;
}

export async function acknowledgeAlert(tx: Queryable, id: string, by: { username: string; userId: number | null }, at: Date): Promise<AlertRow> {
  const { rows } = await tx.query<RawAlert>(`
    UPDATE alerts SET status = 'acknowledged', acknowledged_at = $2, acknowledged_by = $3, acknowledged_by_id = $4
    WHERE id = $1 RETURNING *`, [id, at, by.username, by.userId]);
  return toAlert(rows[0]);
}

export async function clearAlert(tx: Queryable, id: string, by: { username: string; userId: number | null }, at: Date): Promise<AlertRow> {
  const { rows } = await tx.query<RawAlert>(`
    UPDATE alerts SET status = 'cleared', cleared_at = $2, cleared_by = $3, cleared_by_id = $4
    WHERE id = $1 RETURNING *`, [id, at, by.username, by.userId]);
  return toAlert(rows[0]);
}

/** An incident's overdue alerts not yet cleared, locked (the item left the stage they were about). */
export async function lockOpenOverdueOf(tx: Queryable, incidentId: string): Promise<AlertRow[]> {
  const { rows } = await tx.query<RawAlert>(`
    SELECT * FROM alerts WHERE incident_id = $1 AND kind = 'overdue' AND status <> 'cleared' ORDER BY raised_at, id FOR UPDATE`, [incidentId]);
  return rows.map(toAlert);
}

/** An open alert found by its rule key, locked (the engine clearing a camera-rate alert). */
export async function lockOpenByRuleKey(tx: Queryable, ruleKey: string): Promise<AlertRow | null> {
  const { rows } = await tx.query<RawAlert>(`SELECT * FROM alerts WHERE rule_key = $1 AND status <> 'cleared' FOR UPDATE`, [ruleKey]);
  return rows[0] ? toAlert(rows[0]) : null;
}

export interface AlertFilter {
  status?: AlertStatus;
  kind?: AlertKind;
  town?: string;
  community?: string;
  /** Keyset: only alerts strictly older than this (raisedAt, id). */
  before?: { raisedAt: string; id: string };
  limit: number;
}

/** Newest first within the caller's scope; reads the change-log head in the same snapshot. */
export async function listAlerts(db: Queryable, scope: Scope, f: AlertFilter): Promise<{ alerts: AlertRow[]; lastSeq: number }> {
  const params: unknown[] = [f.status ?? null, f.kind ?? null, f.town ?? null, f.community ?? null,
    f.before?.raisedAt ?? null, f.before?.id ?? null, f.limit];
  const scoped = scopeSql(scope, 'a', params.length + 1);
  // One statement = one snapshot: the head and the page agree.
  const { rows } = await db.query<RawAlert & { head: string }>(`
    WITH head AS (SELECT last_seq FROM change_counter),
    page AS (
      SELECT * FROM alerts a
      WHERE ($1::text IS NULL OR a.status = $1)
        AND ($2::text IS NULL OR a.kind = $2)
        AND ($3::text IS NULL OR a.town_code = $3)
        AND ($4::text IS NULL OR a.community_code = $4)
        AND ($5::timestamptz IS NULL OR (a.raised_at, a.id) < ($5::timestamptz, $6::uuid))
        AND ${scoped.sql}
      ORDER BY a.raised_at DESC, a.id DESC
      LIMIT $7
    )
    SELECT h.last_seq AS head, p.* FROM head h LEFT JOIN page p ON true
    ORDER BY p.raised_at DESC NULLS LAST, p.id DESC`, [...params, ...scoped.params]);
  return { alerts: rows.filter((r) => r.id !== null).map(toAlert), lastSeq: Number(rows[0].head) };
}

/** Open camera-rate alerts: community code -> rule key. */
export async function openCameraRateAlerts(db: Queryable): Promise<Map<string, string>> {
  const { rows } = await db.query<{ community_code: string; rule_key: string }>(`
    SELECT community_code, rule_key FROM alerts WHERE kind = 'camera_offline_rate' AND status <> 'cleared'`);
  return new Map(rows.map((r) => [r.community_code, r.rule_key]));
}

/** The last cluster alert of a grid (for "once per grid per window"). */
export async function lastClusterAt(db: Queryable, gridCode: string): Promise<Date | null> {
  const { rows } = await db.query<{ at: Date | null }>(`
    SELECT max(raised_at) AS at FROM alerts WHERE kind = 'cluster' AND grid_code = $1`, [gridCode]);
  return rows[0].at;
}

/** Serialises cluster decisions per grid for the rest of the transaction (two reports at once, one alert). */
export async function lockGrid(tx: Queryable, gridCode: string): Promise<void> {
  await tx.query(`SELECT pg_advisory_xact_lock(hashtext('alerts:cluster:' || $1))`, [gridCode]);
}

// ---- reads of incidents (migration 003) that the rules need

export interface IncidentFactsRow {
  id: string;
  itemCode: string;
  level: 1 | 2 | 3;
  status: string;
  reportedAt: Date;
  townCode: string;
  communityCode: string;
  gridCode: string;
}

const FACT_COLUMNS = `id, item_code AS "itemCode", level, status, reported_at AS "reportedAt",
  town_code AS "townCode", community_code AS "communityCode", grid_code AS "gridCode"`;

export async function incidentFacts(db: Queryable, id: string): Promise<IncidentFactsRow | null> {
  const { rows } = await db.query<IncidentFactsRow>(`SELECT ${FACT_COLUMNS} FROM incidents WHERE id = $1`, [id]);
  return rows[0] ?? null;
}

/** Report times of these grids' incidents in (from, to], by grid: one query for a whole batch of new incidents. */
export async function reportTimesByGrid(db: Queryable, gridCodes: readonly string[], from: Date, to: Date): Promise<Map<string, Date[]>> {
  const { rows } = await db.query<{ grid_code: string; reported_at: Date }>(`
    SELECT grid_code, reported_at FROM incidents WHERE grid_code = ANY($1::text[]) AND reported_at > $2 AND reported_at <= $3`,
  [gridCodes, from, to]);
  const out = new Map<string, Date[]>();
  for (const r of rows) out.set(r.grid_code, [...(out.get(r.grid_code) ?? []), r.reported_at]);
  return out;
}

/** The last cluster alert of each of these grids. */
export async function lastClusterByGrid(db: Queryable, gridCodes: readonly string[]): Promise<Map<string, Date>> {
  const { rows } = await db.query<{ grid_code: string; at: Date }>(`
    SELECT grid_code, max(raised_at) AS at FROM alerts WHERE kind = 'cluster' AND grid_code = ANY($1::text[]) GROUP BY grid_code`, [gridCodes]);
  return new Map(rows.map((r) => [r.grid_code, r.at]));
}

/** Report times of a grid's incidents in (from, to]. */
export async function gridReportTimes(db: Queryable, gridCode: string, from: Date, to: Date): Promise<Date[]> {
  const { rows } = await db.query<{ reported_at: Date }>(`
    SELECT reported_at FROM incidents WHERE grid_code = $1 AND reported_at > $2 AND reported_at <= $3`, [gridCode, from, to]);
  return rows.map((r) => r.reported_at);
}

// ---- the engine's cursor over the change log (survives restarts)

export async function engineCursor(db: Queryable): Promise<number | null> {
  const { rows } = await db.query<{ last_seq: string }>('SELECT last_seq FROM alert_engine_state');
  return rows[0] ? Number(rows[0].last_seq) : null;
}

export async function setEngineCursor(db: Queryable, seq: number): Promise<void> {
  await db.query(`
    INSERT INTO alert_engine_state (only_row, last_seq) VALUES (true, $1)
    ON CONFLICT (only_row) DO UPDATE SET last_seq = GREATEST(alert_engine_state.last_seq, EXCLUDED.last_seq)`, [seq]);
}

/** The name of the smallest place an alert is about (grid, else community, else town), for its message. */
export async function placeName(db: Queryable, area: { townCode: string; communityCode: string | null; gridCode: string | null }): Promise<string | null> {
  const { rows } = await db.query<{ name: string }>(`
    SELECT name FROM grids WHERE code = $1
    UNION ALL SELECT name FROM communities WHERE code = $2 AND $1::text IS NULL
    UNION ALL SELECT name FROM towns WHERE code = $3 AND $1::text IS NULL AND $2::text IS NULL
    LIMIT 1`, [area.gridCode, area.communityCode, area.townCode]);
  return rows[0]?.name ?? null;
}

export interface WatchedChange {
  seq: number;
  kind: 'incident:created' | 'camera:status-changed';
  payload: Record<string, unknown>;
}

/**
 * The changes the alert engine evaluates, after its cursor, up to the log's
 * head read in the same statement (seqs are commit-ordered, so everything up
 * to the head is committed and nothing below it can still appear).
 */
export async function watchedChanges(db: Queryable, since: number, limit: number): Promise<{ rows: WatchedChange[]; head: number }> {
  const { rows } = await db.query<{ head: string; seq: string | null; kind: WatchedChange['kind']; payload: Record<string, unknown> }>(`
    WITH head AS (SELECT last_seq FROM change_counter)
    SELECT h.last_seq AS head, c.seq, c.kind, c.payload FROM head h
    LEFT JOIN LATERAL (
      -- Only the facts the rules read: a whole incident is ~1 KB of JSON to send and parse, these are a tenth of it.
      SELECT seq, kind, jsonb_build_object(
        'id', payload->'id', 'itemCode', payload->'itemCode', 'level', payload->'level', 'status', payload->'status',
        'reportedAt', payload->'reportedAt', 'sensorCode', payload->'sensorCode',
        'townCode', payload->'townCode', 'communityCode', payload->'communityCode', 'gridCode', payload->'gridCode') AS payload
      FROM change_log
      WHERE seq > $1 AND seq <= h.last_seq AND kind IN ('incident:created', 'camera:status-changed')
      ORDER BY seq LIMIT $2
    ) c ON true
    ORDER BY c.seq`, [since, limit]);
  return {
    head: Number(rows[0].head),
    rows: rows.filter((r) => r.seq !== null).map((r) => ({ seq: Number(r.seq), kind: r.kind, payload: r.payload })),
  };
}
