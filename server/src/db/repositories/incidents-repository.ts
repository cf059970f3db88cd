// Incidents: insert (idempotent on the client's id), scoped reads, locked
// updates. Reporter phones arrive and leave encrypted; the service decrypts
// and masks. Every read that a caller asks for carries scopeSql().
import type { Incident } from '../../../../shared/schemas/incident.ts';
import type { Scope } from '../../../../shared/schemas/auth.ts';
import type { Channel, IncidentStatus, Tier } from '../../../../shared/workflow.ts';
import { OPEN_STATUSES } from '../../../../shared/workflow.ts';
import type { Domain, Level } from '../../../../shared/schemas/catalogue.ts';
import { scopeSql } from '../../domain/scope.ts';
import type { Queryable } from './db.ts';
import { checkChangePayload } from './changes-repository.ts';

/** An incident as stored: the reporter's phone still encrypted. */
export type IncidentRecord = Omit<Incident, 'reporter'> & {
  reporterName: string | null;
  reporterPhoneEnc: string | null;
  reporterAccountId: number | null;
  requestHash: string;
};

const COLUMNS = `i.id, i.item_code, i.domain, i.level, i.lon, i.lat, i.grid_code, i.community_code, i.town_code, i.description,
  i.reporter_name, i.reporter_phone_enc, i.reporter_account_id, i.channel, i.photo_urls, i.status, i.tier, i.unit_code,
  i.supervised, i.overdue, i.sensor_code, i.alert_ids, i.version, i.request_hash, i.reported_at, i.updated_at, i.last_seq`;

interface Raw {
  id: string; item_code: string; domain: Domain; level: Level; lon: number; lat: number; grid_code: string;
  community_code: string; town_code: string; description: string; reporter_name: string | null;
  reporter_phone_enc: string | null; reporter_account_id: string | null; channel: Channel; photo_urls: string[];
  status: IncidentStatus; tier: Tier; unit_code: string | null; supervised: boolean; overdue: boolean;
  sensor_code: string | null; alert_ids: string[]; version: number; request_hash: string; reported_at: Date;
  updated_at: Date; last_seq: string;
}

function toRecord(r: Raw): IncidentRecord {
  return {
    id: r.id, itemCode: r.item_code, domain: r.domain, level: r.level, lon: r.lon, lat: r.lat, gridCode: r.grid_code,
    communityCode: r.community_code, townCode: r.town_code, description: r.description, reporterName: r.reporter_name,
    reporterPhoneEnc: r.reporter_phone_enc, reporterAccountId: r.reporter_account_id === null ? null : Number(r.reporter_account_id),
    channel: r.channel, photoUrls: r.photo_urls, status: r.status, tier: r.tier, unitCode: r.unit_code, supervised: r.supervised,
    overdue: r.overdue, sensorCode: r.sensor_code, alertIds: r.alert_ids, version: r.version, requestHash: r.request_hash,
    reportedAt: r.reported_at.toISOString(), updatedAt: r.updated_at.toISOString(), seq: Number(r.last_seq),
  };
}

export interface NewIncident {
  id: string;
  itemCode: string;
  domain: Domain;
  level: Level;
  lon: number;
  lat: number;
  gridCode: string;
  communityCode: string;
  townCode: string;
  description: string;
  reporterName: string | null;
  reporterPhoneEnc: string | null;
  reporterPhoneHash: string | null;
  reporterAccountId: number | null;
  channel: Channel;
  photoUrls: string[];
  tier: Tier;
  sensorCode: string | null;
  requestHash: string;
  reportedAt: Date;
}

/** Inserts unless the id exists (then null: the caller compares fingerprints). A concurrent insert of the same id waits for the first. */
export async function insertIncident(tx: Queryable, n: NewIncident): Promise<IncidentRecord | null> {
  const { rows } = await tx.query<Raw>(`
    INSERT INTO incidents AS i (id, item_code, domain, level, lon, lat, grid_code, community_code, town_code, description,
      reporter_name, reporter_phone_enc, reporter_phone_hash, reporter_account_id, channel, photo_urls, tier, sensor_code,
      request_hash, reported_at, updated_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $20)
    ON CONFLICT (id) DO NOTHING
    RETURNING ${COLUMNS}`, [
    n.id, n.itemCode, n.domain, n.level, n.lon, n.lat, n.gridCode, n.communityCode, n.townCode, n.description,
    n.reporterName, n.reporterPhoneEnc, n.reporterPhoneHash, n.reporterAccountId, n.channel, n.photoUrls, n.tier, n.sensorCode,
    n.requestHash, n.reportedAt,
  ]);
  return rows[0] ? toRecord(rows[0]) : null;
}

/** By id, no scope: for the services, which decide access themselves. */
export async function findIncident(db: Queryable, id: string, lock = false): Promise<IncidentRecord | null> {
  const { rows } = await db.query<Raw>(`SELECT ${COLUMNS} FROM incidents i WHERE i.id = $1${lock ? ' FOR UPDATE' : ''}`, [id]);
  return rows[0] ? toRecord(rows[0]) : null;
}

/** Narrowing beyond the scope: a field worker follows only their own reports. */
export interface OwnFilter {
  reporterAccountId: number;
}

/** By id within the scope: null for unknown and for outside alike. */
export async function findIncidentInScope(db: Queryable, id: string, scope: Scope, own?: OwnFilter): Promise<IncidentRecord | null> {
  const scoped = scopeSql(scope, 'i', 3);
  const { rows } = await db.query<Raw>(
    `SELECT ${COLUMNS} FROM incidents i WHERE i.id = $1 AND ($2::bigint IS NULL OR i.reporter_account_id = $2) AND ${scoped.sql}`,
    [id, own?.reporterAccountId ?? null, ...scoped.params],
  );
  return rows[0] ? toRecord(rows[0]) : null;
}

export interface IncidentFilter {
  town?: string;
  community?: string;
  grid?: string;
  status?: IncidentStatus;
  /** true: any open status (OPEN_STATUSES); false: closed only. */
  open?: boolean;
  level?: Level;
  domain?: Domain;
  channel?: Channel;
  itemCode?: string;
  from?: string;
  to?: string;
  /** Keyset: rows strictly older than this (reported_at, id). */
  before?: { reportedAt: string; id: string };
  limit: number;
}

/**
 * Newest first within the scope, with the change-log head read in the same
 * statement (one snapshot): a screen continues with changes?since=lastSeq.
 */
export async function listIncidents(
  db: Queryable, scope: Scope, f: IncidentFilter, own?: OwnFilter,
): Promise<{ records: IncidentRecord[]; hasMore: boolean; lastSeq: number }> {
  const scoped = scopeSql(scope, 'i', 16);
  const { rows } = await db.query<Raw & { head: string }>(`
    WITH head AS (SELECT last_seq FROM change_counter),
    page AS (
      SELECT ${COLUMNS} FROM incidents i
      WHERE ($1::text IS NULL OR i.town_code = $1)
        AND ($2::text IS NULL OR i.community_code = $2)
        AND ($3::text IS NULL OR i.grid_code = $3)
        AND ($4::text IS NULL OR i.status = $4)
        AND ($5::int IS NULL OR i.level = $5)
        AND ($6::text IS NULL OR i.domain = $6)
        AND ($7::text IS NULL OR i.channel = $7)
        AND ($8::text IS NULL OR i.item_code = $8)
        AND ($9::timestamptz IS NULL OR i.reported_at >= $9)
        AND ($10::timestamptz IS NULL OR i.reported_at < $10)
        AND ($11::timestamptz IS NULL OR (i.reported_at, i.id) < ($11, $12::uuid))
        AND ($13::bigint IS NULL OR i.reporter_account_id = $13)
        AND ($14::boolean IS NULL OR (i.status = ANY($15::text[])) = $14)
        AND ${scoped.sql}
      ORDER BY i.reported_at DESC, i.id DESC
      LIMIT $${16 + scoped.params.length}
    )
    SELECT head.last_seq AS head, page.* FROM head LEFT JOIN page ON true
    ORDER BY page.reported_at DESC NULLS LAST, page.id DESC`, [
    f.town ?? null, f.community ?? null, f.grid ?? null, f.status ?? null, f.level ?? null, f.domain ?? null, f.channel ?? null,
    f.itemCode ?? null, f.from ?? null, f.to ?? null, f.before?.reportedAt ?? null, f.before?.id ?? null,
    own?.reporterAccountId ?? null, f.open ?? null, OPEN_STATUSES, ...scoped.params, f.limit + 1,
  ]);
  const lastSeq = Number(rows[0].head);
  const records = rows.filter((r) => r.id !== null).map(toRecord);
  const hasMore = records.length > f.limit;
  return { records: hasMore ? records.slice(0, f.limit) : records, hasMore, lastSeq };
}

/** What an update may change; version and updated_at move by themselves. */
export interface IncidentPatch {
  status?: IncidentStatus;
  tier?: Tier;
  level?: Level;
  unitCode?: string | null;
  supervised?: boolean;
  overdue?: boolean;
  alertIds?: string[];
}

/** Applies the patch to a row the caller has locked, version + 1. */
export async function updateIncident(tx: Queryable, id: string, p: IncidentPatch, at: Date): Promise<IncidentRecord> {
  const { rows } = await tx.query<Raw>(`
    UPDATE incidents i SET
      status = COALESCE($2, status), tier = COALESCE($3, tier), level = COALESCE($4, level),
      unit_code = CASE WHEN $5 THEN $6 ELSE unit_code END,
      supervised = COALESCE($7, supervised), overdue = COALESCE($8, overdue), alert_ids = COALESCE($9, alert_ids),
      version = version + 1, updated_at = $10
    WHERE id = $1
    RETURNING ${COLUMNS}`, [
    id, p.status ?? null, p.tier ?? null, p.level ?? null, p.unitCode !== undefined, p.unitCode ?? null,
    p.supervised ?? null, p.overdue ?? null, p.alertIds ?? null, at,
  ]);
  if (!rows[0]) throw new Error(`incident ${id} vanished during its update`);
  return toRecord(rows[0]);
}

export async function countIncidents(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ n: string }>('SELECT count(*) AS n FROM incidents');
  return Number(rows[0].n);
}

/** A freshly inserted incident waiting for its seq (reports filed together, see reports-service). */
export interface CreatedEntry {
  incidentId: string;
  townCode: string;
  communityCode: string;
  /** The `incident:created` payload, masked, without seq (checked against its schema here). */
  payload: Record<string, unknown>;
  at: Date;
  actorId: number | null;
  actor: string | null;
  role: string | null;
  toStatus: IncidentStatus;
  tier: Tier;
}

/**
 * Numbers a batch of new incidents in ONE statement: bumps the change-log
 * counter by their count, and writes each one's `incident:created` change,
 * its `reported` timeline step and its last_seq, in the given order (seqs
 * base+1 .. base+n). Call it last, just before COMMIT: the counter row stays
 * locked until then. Returns the first seq.
 */
export async function numberCreated(tx: Queryable, entries: CreatedEntry[]): Promise<number> {
  for (const e of entries) checkChangePayload('incident:created', e.payload);
  const col = <T>(f: (e: CreatedEntry) => T) => entries.map(f);
  const { rows } = await tx.query<{ first: string }>({ name: 'incidents-number-created', text: `
    WITH bump AS (UPDATE change_counter SET last_seq = last_seq + $1 RETURNING last_seq - $1 AS base),
    input AS (
      SELECT u.*, bump.base + u.ord AS seq
      FROM unnest($2::uuid[], $3::text[], $4::text[], $5::jsonb[], $6::timestamptz[], $7::bigint[], $8::text[], $9::text[], $10::text[], $11::text[])
        WITH ORDINALITY AS u(id, town, community, payload, at, actor_id, actor, role, to_status, tier, ord), bump
    ),
    log AS (
      INSERT INTO change_log (seq, kind, at, town_code, community_code, entity_id, payload)
      SELECT seq, 'incident:created', at, town, community, id::text, payload FROM input ORDER BY seq
    ),
    steps AS (
      INSERT INTO incident_timeline (incident_id, at, actor_id, actor, role, action, from_status, to_status, tier, note, data, seq)
      SELECT id, at, actor_id, actor, role, 'reported', NULL, to_status, tier, NULL, NULL, seq FROM input ORDER BY seq
    ),
    seqs AS (UPDATE incidents i SET last_seq = input.seq FROM input WHERE i.id = input.id)
    SELECT base + 1 AS first FROM bump`, values: [
    entries.length, col((e) => e.incidentId), col((e) => e.townCode), col((e) => e.communityCode),
    col((e) => JSON.stringify(e.payload)), col((e) => e.at), col((e) => e.actorId), col((e) => e.actor), col((e) => e.role),
    col((e) => e.toStatus), col((e) => e.tier),
  ] });
  return Number(rows[0].first);
}

/**
 * The incident a report becomes, as fileNumbered stores it: every column
 * it writes is set here, so the answer and the pushed payload are exactly the
 * stored row, without reading it back.
 */
export function newIncidentRecord(n: NewIncident, status: IncidentStatus): IncidentRecord {
  const at = n.reportedAt.toISOString();
  return {
    id: n.id.toLowerCase(), itemCode: n.itemCode, domain: n.domain, level: n.level, lon: n.lon, lat: n.lat, gridCode: n.gridCode,
    communityCode: n.communityCode, townCode: n.townCode, description: n.description, reporterName: n.reporterName,
    reporterPhoneEnc: n.reporterPhoneEnc, reporterAccountId: n.reporterAccountId, channel: n.channel, photoUrls: [...n.photoUrls],
    status, tier: n.tier, unitCode: null, supervised: false, overdue: false, sensorCode: n.sensorCode, alertIds: [], version: 1,
    requestHash: n.requestHash, reportedAt: at, updatedAt: at, seq: 0,
  };
}

/** A new incident, its first change and its audit row, for fileNumbered. */
export interface NumberedEntry extends CreatedEntry {
  row: NewIncident;
  audit: { scope: unknown; sourceIp: string | null; action: string; after: unknown };
}

/**
 * Files a batch of reports in ONE statement, which is its own transaction:
 * skips the ids already stored (reports filed before), bumps the change-log
 * counter by the count of the others and writes each of those with its
 * last_seq, its `incident:created` change, its `reported` timeline step and
 * its audit row (seqs first .. first+n-1 in the given order). One round trip
 * holds the counter lock for the statement and its commit only; a BEGIN,
 * an id check, the audits and COMMIT each used to be a round trip of their
 * own, waiting on a busy event loop with the batch's transaction open.
 * An id another writer stores meanwhile fails the whole statement (nothing
 * is stored) and the caller files the batch again carefully. Compared with
 * inserting first and numbering after (numberCreated), no row is written twice.
 */
export async function fileNumbered(db: Queryable, entries: NumberedEntry[]): Promise<{ first: number; stored: Set<string> }> {
  for (const e of entries) checkChangePayload('incident:created', e.payload);
  const col = <T>(f: (e: NumberedEntry) => T) => entries.map(f);
  const json = (v: unknown) => (v === undefined || v === null ? null : JSON.stringify(v));
  const { rows } = await db.query<{ first: string; stored: string[] }>({ name: 'incidents-file-numbered', text: `
    WITH u AS (
      SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::int[], $5::float8[], $6::float8[], $7::text[], $8::text[], $9::text[],
        $10::text[], $11::text[], $12::text[], $13::text[], $14::bigint[], $15::text[], $16::jsonb[], $17::text[], $18::text[],
        $19::text[], $20::timestamptz[], $21::text[], $22::jsonb[], $23::bigint[], $24::text[], $25::text[], $26::timestamptz[],
        $27::jsonb[], $28::text[], $29::text[], $30::jsonb[])
        WITH ORDINALITY AS u(id, item_code, domain, level, lon, lat, grid_code, community_code, town_code, description, reporter_name,
          reporter_phone_enc, reporter_phone_hash, reporter_account_id, channel, photo_urls, tier, sensor_code, request_hash, reported_at,
          status, payload, actor_id, actor, role, at, audit_scope, audit_ip, audit_action, audit_after, ord)
    ),
    fresh AS (
      SELECT u.*, row_number() OVER (ORDER BY ord) AS rank FROM u WHERE NOT EXISTS (SELECT 1 FROM incidents i WHERE i.id = u.id)
    ),
    bump AS (
      UPDATE change_counter SET last_seq = last_seq + (SELECT count(*) FROM fresh) RETURNING last_seq - (SELECT count(*) FROM fresh) AS base
    ),
    input AS (SELECT fresh.*, bump.base + fresh.rank AS seq FROM fresh, bump),
    incident AS (
      INSERT INTO incidents (id, item_code, domain, level, lon, lat, grid_code, community_code, town_code, description,
        reporter_name, reporter_phone_enc, reporter_phone_hash, reporter_account_id, channel, photo_urls, status, tier, unit_code,
        supervised, overdue, sensor_code, alert_ids, version, request_hash, reported_at, updated_at, last_seq)
      SELECT id, item_code, domain, level, lon, lat, grid_code, community_code, town_code, description,
        reporter_name, reporter_phone_enc, reporter_phone_hash, reporter_account_id, channel,
        ARRAY(SELECT jsonb_array_elements_text(photo_urls)), status, tier, NULL, false, false, sensor_code, '{}', 1,
        request_hash, reported_at, reported_at, seq
      FROM input ORDER BY seq
    ),
    log AS (
      INSERT INTO change_log (seq, kind, at, town_code, community_code, entity_id, payload)
      SELECT seq, 'incident:created', at, town_code, community_code, id::text, payload FROM input ORDER BY seq
    ),
    steps AS (
      INSERT INTO incident_timeline (incident_id, at, actor_id, actor, role, action, from_status, to_status, tier, note, data, seq)
      SELECT id, at, actor_id, actor, role, 'reported', NULL, status, tier, NULL, NULL, seq FROM input ORDER BY seq
    ),
    audit AS (
      INSERT INTO audit_log (actor_id, actor, role, scope, source_ip, action, target_type, target_id, after, result, town_code, community_code)
      SELECT actor_id, actor, role, audit_scope, audit_ip, audit_action, 'incident', id::text, audit_after, 'success', town_code, community_code
      FROM input ORDER BY seq
    )
    SELECT base + 1 AS first, ARRAY(SELECT u.id::text FROM u WHERE NOT EXISTS (SELECT 1 FROM fresh f WHERE f.id = u.id)) AS stored
    FROM bump`, values: [
    col((e) => e.row.id), col((e) => e.row.itemCode), col((e) => e.row.domain), col((e) => e.row.level),
    col((e) => e.row.lon), col((e) => e.row.lat), col((e) => e.row.gridCode), col((e) => e.row.communityCode), col((e) => e.row.townCode),
    col((e) => e.row.description), col((e) => e.row.reporterName), col((e) => e.row.reporterPhoneEnc), col((e) => e.row.reporterPhoneHash),
    col((e) => e.row.reporterAccountId), col((e) => e.row.channel), col((e) => JSON.stringify(e.row.photoUrls)), col((e) => e.row.tier),
    col((e) => e.row.sensorCode), col((e) => e.row.requestHash), col((e) => e.row.reportedAt), col((e) => e.toStatus),
    col((e) => JSON.stringify(e.payload)), col((e) => e.actorId), col((e) => e.actor), col((e) => e.role), col((e) => e.at),
    col((e) => json(e.audit.scope)), col((e) => e.audit.sourceIp), col((e) => e.audit.action), col((e) => json(e.audit.after)),
  ] });
  return { first: Number(rows[0].first), stored: new Set(rows[0].stored) };
}
