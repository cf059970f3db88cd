// Dispatch state beyond the incidents row (assignments, hand-down, progress,
// ratings), the seats' queues, the units' items and the SLA timer's reads.
// Writes take the caller's transaction client (the dispatch service writes
// them inside the incidents service's transaction); every listing a caller
// asks for carries scopeSql().
import type { Scope } from '../../../../shared/schemas/auth.ts';
import type { ProgressRecord, QueueItem, QueueName, Rating } from '../../../../shared/schemas/dispatch.ts';
import type { IncidentStatus, Tier } from '../../../../shared/workflow.ts';
import type { Level } from '../../../../shared/schemas/catalogue.ts';
import { scopeSql } from '../../domain/scope.ts';
import type { ClockEntry } from '../../domain/sla.ts';
import type { Queryable } from './db.ts';

export interface Assignment {
  leadUnit: string;
  helperUnits: string[];
  deadline: Date;
}

export interface WorkflowExtras {
  handedDownFrom: Tier | null;
  assignment: Assignment | null;
}

export async function workflowExtras(db: Queryable, incidentId: string): Promise<WorkflowExtras> {
  const { rows } = await db.query<{ handed_down_from: Tier | null; lead_unit: string | null; helper_units: string[] | null; deadline: Date | null }>(`
    SELECT w.handed_down_from, a.lead_unit, a.helper_units, a.deadline
    FROM (SELECT $1::uuid AS id) x
    LEFT JOIN incident_workflow w ON w.incident_id = x.id
    LEFT JOIN dispatch_assignments a ON a.incident_id = x.id AND a.ended_at IS NULL`, [incidentId]);
  const r = rows[0]!;
  return {
    handedDownFrom: r.handed_down_from,
    assignment: r.lead_unit ? { leadUnit: r.lead_unit, helperUnits: r.helper_units ?? [], deadline: r.deadline! } : null,
  };
}

export async function setHandedDownFrom(tx: Queryable, incidentId: string, tier: Tier | null, at: Date): Promise<void> {
  await tx.query(`
    INSERT INTO incident_workflow (incident_id, handed_down_from, updated_at) VALUES ($1, $2, $3)
    ON CONFLICT (incident_id) DO UPDATE SET handed_down_from = EXCLUDED.handed_down_from, updated_at = EXCLUDED.updated_at`,
  [incidentId, tier, at]);
}

export async function openAssignment(
  tx: Queryable,
  a: { incidentId: string; leadUnit: string; helperUnits: string[]; deadline: Date; tier: Tier; at: Date; by: number | null },
): Promise<void> {
  await tx.query(`
    INSERT INTO dispatch_assignments (incident_id, lead_unit, helper_units, deadline, tier, dispatched_at, dispatched_by)
    VALUES ($1, $2, $3, $4, $5, $6, $7)`, [a.incidentId, a.leadUnit, a.helperUnits, a.deadline, a.tier, a.at, a.by]);
}

export type AssignmentEnd = 'return' | 'escalate' | 'hand_down' | 'reopen' | 'close';

export async function endAssignment(tx: Queryable, incidentId: string, at: Date, reason: AssignmentEnd): Promise<void> {
  await tx.query('UPDATE dispatch_assignments SET ended_at = $2, end_reason = $3 WHERE incident_id = $1 AND ended_at IS NULL', [incidentId, at, reason]);
}

/** Which of these unit codes do not exist (for a clear 400 before dispatching). */
export async function unknownUnits(db: Queryable, codes: string[]): Promise<string[]> {
  if (codes.length === 0) return [];
  const { rows } = await db.query<{ code: string }>(
    'SELECT c AS code FROM unnest($1::text[]) AS c WHERE NOT EXISTS (SELECT 1 FROM handling_units u WHERE u.code = c)', [codes]);
  return rows.map((r) => r.code);
}

export async function addProgress(
  tx: Queryable,
  p: { incidentId: string; unitCode: string; kind: 'progress' | 'resolve'; note: string; photos: string[]; actorId: number | null; at: Date },
): Promise<void> {
  await tx.query(`
    INSERT INTO progress_records (incident_id, unit_code, kind, note, photo_urls, actor_id, at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
  [p.incidentId, p.unitCode, p.kind, p.note, p.photos, p.actorId, p.at]);
}

export async function listProgress(db: Queryable, incidentId: string): Promise<ProgressRecord[]> {
  const { rows } = await db.query<{ unit_code: string; kind: 'progress' | 'resolve'; note: string; photo_urls: string[]; at: Date }>(
    'SELECT unit_code, kind, note, photo_urls, at FROM progress_records WHERE incident_id = $1 ORDER BY id', [incidentId]);
  return rows.map((r) => ({ unitCode: r.unit_code, kind: r.kind, note: r.note, photos: r.photo_urls, at: r.at.toISOString() }));
}

export async function addRating(
  tx: Queryable,
  r: { incidentId: string; score: number; comment: string | null; byReporter: boolean; actorId: number | null; at: Date },
): Promise<void> {
  await tx.query('INSERT INTO ratings (incident_id, score, comment, by_reporter, actor_id, at) VALUES ($1, $2, $3, $4, $5, $6)',
    [r.incidentId, r.score, r.comment, r.byReporter, r.actorId, r.at]);
}

export async function listRatings(db: Queryable, incidentId: string): Promise<Rating[]> {
  const { rows } = await db.query<{ score: number; comment: string | null; by_reporter: boolean; at: Date }>(
    'SELECT score, comment, by_reporter, at FROM ratings WHERE incident_id = $1 ORDER BY id', [incidentId]);
  return rows.map((r) => ({ score: r.score, comment: r.comment, byReporter: r.by_reporter, at: r.at.toISOString() }));
}

// ---- queues and unit items

const OPEN: IncidentStatus[] = ['reported', 'accepted', 'dispatched', 'in_progress', 'resolved', 'verified', 'returned'];

const ITEM_COLUMNS = `i.id, i.item_code, i.level, i.status, i.tier, i.town_code, i.community_code, i.grid_code, i.lon, i.lat,
  i.description, i.supervised, i.overdue, i.version, i.reported_at, i.updated_at, i.last_seq,
  a.lead_unit, a.helper_units, a.deadline`;

interface ItemRaw {
  id: string; item_code: string; level: Level; status: IncidentStatus; tier: Tier; town_code: string; community_code: string;
  grid_code: string; lon: number; lat: number; description: string; supervised: boolean; overdue: boolean; version: number;
  reported_at: Date; updated_at: Date; last_seq: string; lead_unit: string | null; helper_units: string[] | null; deadline: Date | null;
}

function toItem(r: ItemRaw): QueueItem {
  return {
    id: r.id, itemCode: r.item_code, level: r.level, status: r.status, tier: r.tier, townCode: r.town_code, communityCode: r.community_code,
    gridCode: r.grid_code, lon: r.lon, lat: r.lat, description: r.description, supervised: r.supervised, overdue: r.overdue,
    version: r.version, reportedAt: r.reported_at.toISOString(), updatedAt: r.updated_at.toISOString(), seq: Number(r.last_seq),
    leadUnit: r.lead_unit, helperUnits: r.helper_units ?? [], deadline: r.deadline ? r.deadline.toISOString() : null,
  };
}

export interface QueueFilter {
  q?: string;
  level?: Level;
  town?: string;
  community?: string;
  supervised?: boolean;
  limit: number;
}

/**
 * A seat's queue: items of `tier` (null: every tier) within the scope.
 *   new        reported, waiting to be taken in
 *   mine       being worked at this tier (accepted … verified)
 *   overdue    marked overdue, at this tier
 *   escalated  open items escalated at least once (the lower tier stays informed)
 *   returned   returned to this tier (by a unit, or from below)
 * Supervised and overdue first, then the oldest first: what waits longest is seen first.
 */
export async function queue(db: Queryable, name: QueueName, tier: Tier | null, scope: Scope, f: QueueFilter): Promise<{ items: QueueItem[]; lastSeq: number }> {
  const scoped = scopeSql(scope, 'i', 9);
  const byQueue: Record<QueueName, string> = {
    new: `i.status = 'reported'`,
    mine: `i.status IN ('accepted', 'dispatched', 'in_progress', 'resolved', 'verified')`,
    overdue: `i.overdue AND i.status = ANY($8::text[])`,
    escalated: `i.status = ANY($8::text[]) AND EXISTS (SELECT 1 FROM incident_timeline t WHERE t.incident_id = i.id AND t.action = 'escalate')`,
    returned: `i.status = 'returned'`,
  };
  // The tier filter does not apply to "escalated": a community seat follows what it sent up.
  // (Every parameter stays referenced: PostgreSQL cannot type an unused one.)
  const tierFilter = name === 'escalated' ? '($1::text IS NULL OR TRUE)' : '($1::text IS NULL OR i.tier = $1)';
  const { rows } = await db.query<ItemRaw & { head: string }>(`
    WITH head AS (SELECT last_seq FROM change_counter),
    page AS (
      SELECT ${ITEM_COLUMNS} FROM incidents i
      LEFT JOIN dispatch_assignments a ON a.incident_id = i.id AND a.ended_at IS NULL
      WHERE ${tierFilter} AND ${byQueue[name]} AND cardinality($8::text[]) > 0
        AND ($2::text IS NULL OR i.description ILIKE '%' || $2 || '%' OR i.item_code = upper($2))
        AND ($3::int IS NULL OR i.level = $3)
        AND ($4::text IS NULL OR i.town_code = $4)
        AND ($5::text IS NULL OR i.community_code = $5)
        AND ($6::boolean IS NULL OR i.supervised = $6)
        AND ${scoped.sql}
      ORDER BY i.supervised DESC, i.overdue DESC, i.updated_at ASC, i.id
      LIMIT $7
    )
    SELECT head.last_seq AS head, page.* FROM head LEFT JOIN page ON true`, [
    tier, f.q ? escapeLike(f.q) : null, f.level ?? null, f.town ?? null, f.community ?? null, f.supervised ?? null, f.limit, OPEN, ...scoped.params,
  ]);
  return { items: rows.filter((r) => r.id !== null).map(toItem), lastSeq: Number(rows[0]!.head) };
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Items a unit leads or helps with now (open assignment), within the caller's scope; newest dispatch last. */
export async function unitItems(db: Queryable, unitCode: string, scope: Scope, status: IncidentStatus | null, limit: number): Promise<{ items: QueueItem[]; lastSeq: number }> {
  const scoped = scopeSql(scope, 'i', 4);
  const { rows } = await db.query<ItemRaw & { head: string }>(`
    WITH head AS (SELECT last_seq FROM change_counter),
    page AS (
      SELECT ${ITEM_COLUMNS} FROM dispatch_assignments a JOIN incidents i ON i.id = a.incident_id
      WHERE a.ended_at IS NULL AND (a.lead_unit = $1 OR $1 = ANY (a.helper_units))
        AND ($2::text IS NULL OR i.status = $2) AND ${scoped.sql}
      ORDER BY i.supervised DESC, a.deadline ASC, i.id
      LIMIT $3
    )
    SELECT head.last_seq AS head, page.* FROM head LEFT JOIN page ON true`, [unitCode, status, limit, ...scoped.params]);
  return { items: rows.filter((r) => r.id !== null).map(toItem), lastSeq: Number(rows[0]!.head) };
}

// ---- the SLA timer's reads

export interface SlaCandidate {
  id: string;
  itemCode: string;
  gridCode: string;
  level: Level;
  status: IncidentStatus;
  tier: Tier;
  overdue: boolean;
  version: number;
  townCode: string;
  communityCode: string;
  deadline: Date | null;
  entries: ClockEntry[];
}

/**
 * Open items (no clock runs on closed or rated ones) with their timelines as
 * the clock reads them, oldest entry first, a page at a time in id order
 * (the sweep pages through all of them). Entries that changed no status
 * carry the status forward.
 */
export async function slaCandidates(
  db: Queryable, limit: number, page: { onlyId?: string; afterId?: string; dueBy?: { reportedBefore: Date; now: Date } } = {},
): Promise<SlaCandidate[]> {
  const { rows } = await db.query<{
    id: string; item_code: string; grid_code: string; level: Level; status: IncidentStatus; tier: Tier; overdue: boolean; version: number; town_code: string;
    community_code: string; deadline: Date | null; entries: { at: string; status: IncidentStatus | null; tier: Tier | null }[];
  }>(`
    SELECT i.id, i.item_code, i.grid_code, i.level, i.status, i.tier, i.overdue, i.version, i.town_code, i.community_code, a.deadline,
      (SELECT json_agg(json_build_object('at', t.at, 'status', t.to_status, 'tier', t.tier) ORDER BY t.id)
         FROM incident_timeline t WHERE t.incident_id = i.id) AS entries
    FROM incidents i
    LEFT JOIN dispatch_assignments a ON a.incident_id = i.id AND a.ended_at IS NULL
    WHERE i.status = ANY($1::text[]) AND ($3::uuid IS NULL OR i.id = $3) AND ($4::uuid IS NULL OR i.id > $4)
      -- Nothing more can happen to these: marked, and no escalation from the New Area or from verification.
      AND NOT (i.overdue AND (i.tier = 'district' OR i.status IN ('resolved', 'verified')))
      -- Only items that can be due: reported long enough ago for the shortest limit, or past a seat's deadline.
      AND ($5::timestamptz IS NULL OR i.reported_at <= $5 OR a.deadline <= $6)
    ORDER BY i.id
    LIMIT $2`, [OPEN, limit, page.onlyId ?? null, page.afterId ?? null, page.dueBy?.reportedBefore ?? null, page.dueBy?.now ?? null]);
  return rows.map((r) => {
    let status: IncidentStatus = 'reported';
    let tier: Tier = r.tier;
    const entries = (r.entries ?? []).map((e, index) => {
      status = e.status ?? status;
      tier = e.tier ?? (index === 0 ? r.tier : tier);
      return { at: new Date(e.at), status, tier };
    });
    return {
      id: r.id, itemCode: r.item_code, gridCode: r.grid_code, level: r.level, status: r.status, tier: r.tier, overdue: r.overdue, version: r.version, townCode: r.town_code,
      communityCode: r.community_code, deadline: r.deadline, entries,
    };
  });
}

/** One item's timeline as the clock reads it. */
export async function clockEntries(db: Queryable, incidentId: string): Promise<ClockEntry[]> {
  const { rows } = await db.query<{ at: Date; to_status: IncidentStatus | null; tier: Tier | null }>(
    'SELECT at, to_status, tier FROM incident_timeline WHERE incident_id = $1 ORDER BY id', [incidentId]);
  let status: IncidentStatus = 'reported';
  let tier: Tier = 'community';
  return rows.map((r) => {
    status = r.to_status ?? status;
    tier = r.tier ?? tier;
    return { at: r.at, status, tier };
  });
}
