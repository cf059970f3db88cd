// Chat-group messages (migration 005): every message kept once per chat
// message id, with what became of it; the duty officer's queue of
// unclassified ones, always within the caller's scope (scopeSql).
import type { Polygon, MultiPolygon } from 'geojson';
import type { Scope } from '../../../../shared/schemas/auth.ts';
import type { IntakeStatus } from '../../../../shared/schemas/intake.ts';
import { scopeSql } from '../../domain/scope.ts';
import type { Queryable } from './db.ts';

export interface IntakeMessageRecord {
  id: number;
  messageId: string;
  requestHash: string;
  text: string;
  senderName: string;
  senderPhoneEnc: string | null;
  communityCode: string;
  townCode: string;
  sentAt: Date | null;
  receivedAt: Date;
  status: IntakeStatus;
  itemCode: string | null;
  matched: string[];
  incidentId: string | null;
  classifiedBy: string | null;
  classifiedAt: Date | null;
  dismissReason: string | null;
}

export interface NewIntakeMessage {
  messageId: string;
  requestHash: string;
  text: string;
  senderName: string;
  senderPhoneEnc: string | null;
  senderPhoneHash: string | null;
  communityCode: string;
  townCode: string;
  sentAt: Date | null;
  receivedAt: Date;
  status: 'filed' | 'unclassified';
  itemCode: string | null;
  matched: string[];
  incidentId: string | null;
  submittedByKey: number | null;
  submittedByUser: number | null;
}

const COLUMNS = `
  m.id::int AS id, m.message_id AS "messageId", m.request_hash AS "requestHash", m.text, m.sender_name AS "senderName",
  m.sender_phone_enc AS "senderPhoneEnc", m.community_code AS "communityCode", m.town_code AS "townCode", m.sent_at AS "sentAt",
  m.received_at AS "receivedAt", m.status, m.item_code AS "itemCode", m.matched, m.incident_id AS "incidentId",
  u.username AS "classifiedBy", m.classified_at AS "classifiedAt", m.dismiss_reason AS "dismissReason"`;
const FROM = 'FROM intake_messages m LEFT JOIN users u ON u.id = m.classified_by';

/** Inserts the message unless its message id is already stored; null when it was (the caller reads the stored one). */
export async function insertIntakeMessage(db: Queryable, m: NewIntakeMessage): Promise<IntakeMessageRecord | null> {
  const { rows } = await db.query<{ id: number }>(`
    INSERT INTO intake_messages (message_id, request_hash, text, sender_name, sender_phone_enc, sender_phone_hash, community_code,
      town_code, sent_at, received_at, status, item_code, matched, incident_id, submitted_by_key, submitted_by_user)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
    ON CONFLICT (message_id) DO NOTHING
    RETURNING id::int AS id`, [
    m.messageId, m.requestHash, m.text, m.senderName, m.senderPhoneEnc, m.senderPhoneHash, m.communityCode, m.townCode, m.sentAt,
    m.receivedAt, m.status, m.itemCode, m.matched, m.incidentId, m.submittedByKey, m.submittedByUser,
  ]);
  return rows[0] ? (await findIntakeMessage(db, rows[0].id))! : null;
}

export async function findIntakeMessage(db: Queryable, id: number): Promise<IntakeMessageRecord | undefined> {
  const { rows } = await db.query<IntakeMessageRecord>(`SELECT ${COLUMNS} ${FROM} WHERE m.id = $1`, [id]);
  return rows[0];
}

export async function findIntakeMessageByMessageId(db: Queryable, messageId: string): Promise<IntakeMessageRecord | undefined> {
  const { rows } = await db.query<IntakeMessageRecord>(`SELECT ${COLUMNS} ${FROM} WHERE m.message_id = $1`, [messageId]);
  return rows[0];
}

export async function findIntakeMessageInScope(db: Queryable, id: number, scope: Scope): Promise<IntakeMessageRecord | undefined> {
  const scoped = scopeSql(scope, 'm', 2);
  const { rows } = await db.query<IntakeMessageRecord>(`SELECT ${COLUMNS} ${FROM} WHERE m.id = $1 AND ${scoped.sql}`, [id, ...scoped.params]);
  return rows[0];
}

export interface IntakeMessageFilter {
  status?: IntakeStatus;
  town?: string;
  community?: string;
  before?: number;
  limit: number;
}

/** Newest first within the scope; one more row than asked tells whether there is a next page. */
export async function listIntakeMessages(db: Queryable, scope: Scope, f: IntakeMessageFilter): Promise<{ records: IntakeMessageRecord[]; hasMore: boolean }> {
  const scoped = scopeSql(scope, 'm', 6);
  const { rows } = await db.query<IntakeMessageRecord>(`
    SELECT ${COLUMNS} ${FROM}
    WHERE ($1::text IS NULL OR m.status = $1)
      AND ($2::text IS NULL OR m.town_code = $2)
      AND ($3::text IS NULL OR m.community_code = $3)
      AND ($4::bigint IS NULL OR m.id < $4)
      AND ${scoped.sql}
    ORDER BY m.id DESC
    LIMIT $5`, [f.status ?? null, f.town ?? null, f.community ?? null, f.before ?? null, f.limit + 1, ...scoped.params]);
  return { records: rows.slice(0, f.limit), hasMore: rows.length > f.limit };
}

/** Records a duty officer's classification; false when someone else classified it first. */
export async function markIntakeMessageClassified(
  db: Queryable, id: number, c: { itemCode: string; incidentId: string; by: number; at: Date },
): Promise<boolean> {
  const result = await db.query(`
    UPDATE intake_messages SET status = 'classified', item_code = $2, incident_id = $3, classified_by = $4, classified_at = $5
    WHERE id = $1 AND status = 'unclassified'`, [id, c.itemCode, c.incidentId, c.by, c.at]);
  return (result.rowCount ?? 0) > 0;
}

/** Records a duty officer's dismissal; false when someone else classified or dismissed it first. */
export async function markIntakeMessageDismissed(db: Queryable, id: number, d: { reason: string; by: number; at: Date }): Promise<boolean> {
  const result = await db.query(`
    UPDATE intake_messages SET status = 'dismissed', dismiss_reason = $2, classified_by = $3, classified_at = $4
    WHERE id = $1 AND status = 'unclassified'`, [id, d.reason, d.by, d.at]);
  return (result.rowCount ?? 0) > 0;
}

export interface CommunityPlace {
  communityCode: string;
  communityName: string;
  townCode: string;
  /** The community's first party-mass service station (by code), where chat messages are placed. */
  station: { code: string; name: string; lon: number; lat: number } | null;
  geometry: Polygon | MultiPolygon;
}

/** A community with its town, first service station and outline; undefined when the code is unknown. */
export async function communityPlace(db: Queryable, communityCode: string): Promise<CommunityPlace | undefined> {
  const { rows } = await db.query<{
    communityCode: string; communityName: string; townCode: string; geometry: Polygon | MultiPolygon;
    code: string | null; name: string | null; lon: number | null; lat: number | null;
  }>(`
    SELECT c.code AS "communityCode", c.name AS "communityName", c.town_code AS "townCode", c.geometry, s.code, s.name, s.lon, s.lat
    FROM communities c
    LEFT JOIN LATERAL (
      SELECT s.code, s.name, s.lon, s.lat FROM stations s JOIN grids g ON g.code = s.grid_code
      WHERE g.community_code = c.code ORDER BY s.code LIMIT 1
    ) s ON true
    WHERE c.code = $1`, [communityCode]);
  const row = rows[0];
  if (!row) return undefined;
  return {
    communityCode: row.communityCode, communityName: row.communityName, townCode: row.townCode, geometry: row.geometry,
    station: row.code ? { code: row.code, name: row.name!, lon: row.lon!, lat: row.lat! } : null,
  };
}

/** Bound to one pool: what createRepositories() puts under `intakeMessages`. */
export function bindIntakeMessages(db: Queryable) {
  return {
    insert: (m: NewIntakeMessage) => insertIntakeMessage(db, m),
    byId: (id: number) => findIntakeMessage(db, id),
    byMessageId: (messageId: string) => findIntakeMessageByMessageId(db, messageId),
    inScope: (id: number, scope: Scope) => findIntakeMessageInScope(db, id, scope),
    list: (scope: Scope, filter: IntakeMessageFilter) => listIntakeMessages(db, scope, filter),
    markClassified: (id: number, c: { itemCode: string; incidentId: string; by: number; at: Date }) => markIntakeMessageClassified(db, id, c),
    markDismissed: (id: number, d: { reason: string; by: number; at: Date }) => markIntakeMessageDismissed(db, id, d),
    communityPlace: (communityCode: string) => communityPlace(db, communityCode),
  };
}
