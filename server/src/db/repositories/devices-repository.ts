// Cameras' and sensors' live state (migration 004): lock the devices a
// heartbeat batch names, write their new state, keep their transitions, the
// silence sweep, per-community camera counts, and fire-sensor episodes.
// The status itself lives in cameras.status / sensors.status (migration 001).
import type { DeviceState, DeviceStatus, Transition } from '../../domain/device-status.ts';
import type { Queryable } from './db.ts';

export type DeviceKind = 'camera' | 'sensor';
const TABLE: Record<DeviceKind, 'cameras' | 'sensors'> = { camera: 'cameras', sensor: 'sensors' };

export interface DeviceRow extends DeviceState {
  kind: DeviceKind;
  gridCode: string;
  communityCode: string;
  townCode: string;
}

interface RawDevice {
  code: string;
  status: DeviceStatus;
  fault_code: string | null;
  last_heartbeat_at: Date | null;
  heard_at: Date | null;
  status_changed_at: Date;
  grid_code: string;
  community_code: string;
  town_code: string;
}

const toDevice = (kind: DeviceKind) => (r: RawDevice): DeviceRow => ({
  kind, code: r.code, status: r.status, faultCode: r.fault_code, lastHeartbeatAt: r.last_heartbeat_at, heardAt: r.heard_at,
  changedAt: r.status_changed_at, gridCode: r.grid_code, communityCode: r.community_code, townCode: r.town_code,
});

const DEVICE_COLUMNS = `d.code, d.status, d.fault_code, d.last_heartbeat_at, d.heard_at, d.status_changed_at,
  d.grid_code, g.community_code, g.town_code`;

/**
 * The named devices of one kind, locked for this transaction. Locked in code
 * order, so two batches (or a batch and the sweep) never deadlock.
 */
export async function lockDevices(tx: Queryable, kind: DeviceKind, codes: readonly string[]): Promise<DeviceRow[]> {
  if (codes.length === 0) return [];
  const { rows } = await tx.query<RawDevice>(`
    SELECT ${DEVICE_COLUMNS}
    FROM ${TABLE[kind]} d JOIN grids g ON g.code = d.grid_code
    WHERE d.code = ANY($1::text[])
    ORDER BY d.code
    FOR UPDATE OF d`, [codes]);
  return rows.map(toDevice(kind));
}

/** Which of these codes are cameras and which sensors (one query for a whole batch). */
export async function kindsOf(db: Queryable, codes: readonly string[]): Promise<Map<string, DeviceKind>> {
  const { rows } = await db.query<{ code: string; kind: DeviceKind }>(`
    SELECT code, 'camera' AS kind FROM cameras WHERE code = ANY($1::text[])
    UNION ALL
    SELECT code, 'sensor' AS kind FROM sensors WHERE code = ANY($1::text[])`, [codes]);
  return new Map(rows.map((r) => [r.code, r.kind]));
}

/** Writes the new state of every device a batch touched: one statement, however large the batch. */
export async function saveStates(tx: Queryable, kind: DeviceKind, states: readonly DeviceState[]): Promise<void> {
  if (states.length === 0) return;
  await tx.query(`
    UPDATE ${TABLE[kind]} d SET status = s.status, fault_code = s.fault_code, last_heartbeat_at = s.last_heartbeat_at,
      heard_at = s.heard_at, status_changed_at = s.changed_at
    FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::timestamptz[], $6::timestamptz[])
      AS s(code, status, fault_code, last_heartbeat_at, heard_at, changed_at)
    WHERE d.code = s.code`,
  [
    states.map((s) => s.code), states.map((s) => s.status), states.map((s) => s.faultCode),
    states.map((s) => s.lastHeartbeatAt), states.map((s) => s.heardAt), states.map((s) => s.changedAt),
  ]);
}

export interface StoredTransition extends Transition {
  kind: DeviceKind;
  gridCode: string;
  communityCode: string;
  townCode: string;
  seq: number | null;
}

export async function insertTransitions(tx: Queryable, list: readonly StoredTransition[]): Promise<void> {
  if (list.length === 0) return;
  await tx.query(`
    INSERT INTO device_transitions (device_kind, device_code, from_status, to_status, fault_code, cause, at,
      town_code, community_code, grid_code, seq)
    SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::timestamptz[],
      $8::text[], $9::text[], $10::text[], $11::bigint[])`,
  [
    list.map((t) => t.kind), list.map((t) => t.code), list.map((t) => t.from), list.map((t) => t.to),
    list.map((t) => t.faultCode), list.map((t) => t.cause), list.map((t) => t.at),
    list.map((t) => t.townCode), list.map((t) => t.communityCode), list.map((t) => t.gridCode), list.map((t) => t.seq),
  ]);
}

/** A device's transitions, newest first (for tests and a device's history). */
export async function transitionsOf(db: Queryable, code: string, limit = 100) {
  const { rows } = await db.query<{ from: DeviceStatus; to: DeviceStatus; faultCode: string | null; cause: string; at: Date; seq: string | null }>(`
    SELECT from_status AS "from", to_status AS "to", fault_code AS "faultCode", cause, at, seq
    FROM device_transitions WHERE device_code = $1 ORDER BY at DESC, id DESC LIMIT $2`, [code, limit]);
  return rows.map((r) => ({ ...r, seq: r.seq === null ? null : Number(r.seq) }));
}

/**
 * Monitored devices not heard since `cutoff` and not offline yet, locked
 * (SKIP LOCKED: a device a heartbeat batch holds right now is being heard).
 */
export async function lockSilent(tx: Queryable, kind: DeviceKind, cutoff: Date, limit: number): Promise<DeviceRow[]> {
  const { rows } = await tx.query<RawDevice>(`
    SELECT ${DEVICE_COLUMNS}
    FROM ${TABLE[kind]} d JOIN grids g ON g.code = d.grid_code
    WHERE d.status <> 'offline' AND d.heard_at IS NOT NULL AND d.heard_at <= $1
    ORDER BY d.code
    LIMIT $2
    FOR UPDATE OF d SKIP LOCKED`, [cutoff, limit]);
  return rows.map(toDevice(kind));
}

export interface CameraCounts {
  townCode: string;
  communityCode: string;
  online: number;
  total: number;
}

/** Cameras online / in all, per community (all communities, or the given ones). */
export async function cameraCountsByCommunity(db: Queryable, communities?: readonly string[]): Promise<CameraCounts[]> {
  const { rows } = await db.query<{ townCode: string; communityCode: string; online: number; total: number }>(`
    SELECT g.town_code AS "townCode", g.community_code AS "communityCode",
      count(*) FILTER (WHERE c.status = 'online')::int AS online, count(*)::int AS total
    FROM cameras c JOIN grids g ON g.code = c.grid_code
    WHERE $1::text[] IS NULL OR g.community_code = ANY($1::text[])
    GROUP BY g.town_code, g.community_code
    ORDER BY g.community_code`, [communities ?? null]);
  return rows;
}

export interface CameraPointRow {
  code: string;
  name: string;
  type: string;
  status: DeviceStatus;
  gridCode: string;
  communityCode: string;
  townCode: string;
  lon: number;
  lat: number;
}

/** Every camera with its place and live status: what nearest-camera ranking sorts. */
export async function cameraPoints(db: Queryable): Promise<CameraPointRow[]> {
  const { rows } = await db.query<CameraPointRow>(`
    SELECT c.code, c.name, c.type, c.status, c.grid_code AS "gridCode", g.community_code AS "communityCode",
      g.town_code AS "townCode", c.lon, c.lat
    FROM cameras c JOIN grids g ON g.code = c.grid_code`);
  return rows;
}

// ---- fire-sensor episodes

export interface EpisodeRow {
  id: number;
  sensorCode: string;
  startedAt: Date;
  lastAlarmAt: Date;
  alarmCount: number;
  normalSince: Date | null;
  endedAt: Date | null;
  incidentId: string;
  incidentFiled: boolean;
  townCode: string;
  communityCode: string;
  gridCode: string;
}

const EPISODE_COLUMNS = `id::int, sensor_code AS "sensorCode", started_at AS "startedAt", last_alarm_at AS "lastAlarmAt",
  alarm_count AS "alarmCount", normal_since AS "normalSince", ended_at AS "endedAt", incident_id AS "incidentId",
  incident_filed AS "incidentFiled", town_code AS "townCode", community_code AS "communityCode", grid_code AS "gridCode"`;

/** Open episodes of these sensors (the caller holds the sensors' row locks). */
export async function openEpisodes(tx: Queryable, sensorCodes: readonly string[]): Promise<EpisodeRow[]> {
  if (sensorCodes.length === 0) return [];
  const { rows } = await tx.query<EpisodeRow>(`
    SELECT ${EPISODE_COLUMNS} FROM sensor_episodes WHERE ended_at IS NULL AND sensor_code = ANY($1::text[])`, [sensorCodes]);
  return rows;
}

export async function insertEpisode(tx: Queryable, e: Omit<EpisodeRow, 'id' | 'alarmCount' | 'endedAt' | 'incidentFiled' | 'normalSince'>): Promise<EpisodeRow> {
  const { rows } = await tx.query<EpisodeRow>(`
    INSERT INTO sensor_episodes (sensor_code, started_at, last_alarm_at, incident_id, town_code, community_code, grid_code)
    VALUES ($1, $2, $3, $4, $5, $6, $7)
    RETURNING ${EPISODE_COLUMNS}`,
  [e.sensorCode, e.startedAt, e.lastAlarmAt, e.incidentId, e.townCode, e.communityCode, e.gridCode]);
  return rows[0];
}

export async function updateEpisode(
  tx: Queryable, id: number, patch: { lastAlarmAt: Date; normalSince: Date | null; endedAt: Date | null; alarmCount: number },
): Promise<void> {
  await tx.query(`
    UPDATE sensor_episodes SET last_alarm_at = $2, normal_since = $3, ended_at = $4, alarm_count = $5 WHERE id = $1`,
  [id, patch.lastAlarmAt, patch.normalSince, patch.endedAt, patch.alarmCount]);
}

export async function markEpisodeFiled(db: Queryable, id: number): Promise<void> {
  await db.query('UPDATE sensor_episodes SET incident_filed = true WHERE id = $1', [id]);
}

/** Episodes whose incident was not confirmed filed (a crash between the two): filed again, idempotently. */
export async function unfiledEpisodes(db: Queryable, limit = 100): Promise<EpisodeRow[]> {
  const { rows } = await db.query<EpisodeRow>(`
    SELECT ${EPISODE_COLUMNS} FROM sensor_episodes WHERE NOT incident_filed ORDER BY id LIMIT $1`, [limit]);
  return rows;
}

export async function episodesOf(db: Queryable, sensorCode: string): Promise<EpisodeRow[]> {
  const { rows } = await db.query<EpisodeRow>(`
    SELECT ${EPISODE_COLUMNS} FROM sensor_episodes WHERE sensor_code = $1 ORDER BY started_at, id`, [sensorCode]);
  return rows;
}

/** A sensor's place (for filing its incident at its location). */
export async function sensorPlace(db: Queryable, code: string) {
  const { rows } = await db.query<{ code: string; name: string; type: string; lon: number; lat: number; gridCode: string; communityCode: string; townCode: string }>(`
    SELECT s.code, s.name, s.type, s.lon, s.lat, s.grid_code AS "gridCode", g.community_code AS "communityCode", g.town_code AS "townCode"
    FROM sensors s JOIN grids g ON g.code = s.grid_code WHERE s.code = $1`, [code]);
  return rows[0] ?? null;
}
