// The change log: append (inside the writer's transaction), read after a
// seq within a scope, and prune by age. See migration 003 for why a counter
// row and not a SEQUENCE.
import { Compile } from 'typebox/compile';
import type { TSchema } from 'typebox';
import type { Change, ChangeKind } from '../../../../shared/schemas/changes.ts';
import { Incident } from '../../../../shared/schemas/incident.ts';
import { Alert } from '../../../../shared/schemas/alert.ts';
import { CameraStatusChange } from '../../../../shared/schemas/device.ts';
import { scopeSql, type AreaRef, type Scope } from '../../domain/scope.ts';
import { queryThenCommit, type Queryable } from './db.ts';
import type { NewTimelineEntry } from './timeline-repository.ts';

export interface ChangeInput {
  kind: ChangeKind;
  /** Where it lies: decides who may read it and which rooms get it. */
  area: AreaRef;
  entityId: string;
  /** The event payload without `seq` (the log adds it on read); personal data already masked. */
  payload: Record<string, unknown>;
  /** Defaults to the database's clock_timestamp(). */
  at?: Date;
}

const PAYLOAD_SCHEMAS: Record<ChangeKind, TSchema> = {
  'incident:created': Incident,
  'incident:updated': Incident,
  'camera:status-changed': CameraStatusChange,
  'alert:raised': Alert,
  'alert:acknowledged': Alert,
  'alert:cleared': Alert,
};
const PAYLOAD_CHECKS = new Map(Object.entries(PAYLOAD_SCHEMAS).map(([kind, schema]) => [kind, Compile(schema)]));

/**
 * Every payload is checked against its event's schema before it enters the
 * log: a screen must never receive a payload of another shape. A mismatch is
 * a programming error (it throws, and the writer's transaction rolls back).
 */
export function checkChangePayload(kind: ChangeKind, payload: Record<string, unknown>): void {
  const check = PAYLOAD_CHECKS.get(kind);
  if (!check) throw new Error(`change kind ${kind} is not in the contract (shared/schemas/changes.ts)`);
  const value = { ...payload, seq: 0 };
  if (!check.Check(value)) {
    const [first] = check.Errors(value);
    throw new Error(`${kind} payload does not match its schema${first ? ` at ${first.instancePath || '/'}: ${first.message}` : ''}`);
  }
}

/**
 * Appends one change in the caller's transaction and returns its seq. Must
 * run inside a transaction (the seq is only final at COMMIT); call it last,
 * just before committing, as it serialises writers until then. With
 * `commit: true` (a transaction of inTransaction's that ends here) it also
 * commits, in the same round trip.
 */
export async function appendChange(tx: Queryable, input: ChangeInput, also: ChangeFollowUps = {}): Promise<number> {
  checkChangePayload(input.kind, input.payload);
  const values: unknown[] = [input.kind, input.at ?? null, input.area.townCode, input.area.communityCode ?? null, input.entityId, JSON.stringify(input.payload)];
  // Every value cast: with `commit` they are written in as literals, whose types are not inferred as a parameter's are.
  const parts = [`next AS (UPDATE change_counter SET last_seq = last_seq + 1 RETURNING last_seq)`, `logged AS (
      INSERT INTO change_log (seq, kind, at, town_code, community_code, entity_id, payload)
      SELECT next.last_seq, $1::text, COALESCE($2::timestamptz, clock_timestamp()), $3::text, $4::text, $5::text, $6::jsonb FROM next RETURNING seq)`];
  if (also.stamp) {
    values.push(also.stamp.id);
    // The table name comes from STAMPED_TABLES, never from input.
    parts.push(`stamped AS (UPDATE ${STAMPED_TABLES[also.stamp.table]} SET last_seq = (SELECT last_seq FROM next) WHERE id = $${values.length}::uuid)`);
  }
  if (also.step) {
    const e = also.step;
    const at = values.length;
    values.push(e.incidentId, e.at, e.actorId, e.actor, e.role, e.action, e.fromStatus ?? null, e.toStatus ?? null, e.tier ?? null,
      e.note ?? null, e.data === undefined ? null : JSON.stringify(e.data));
    const types = ['uuid', 'timestamptz', 'bigint', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'jsonb'];
    parts.push(`step AS (
      INSERT INTO incident_timeline (incident_id, at, actor_id, actor, role, action, from_status, to_status, tier, note, data, seq)
      SELECT ${types.map((type, k) => `$${at + k + 1}::${type}`).join(', ')}, next.last_seq FROM next)`);
  }
  const sql = `WITH ${parts.join(',\n    ')}\n    SELECT seq FROM logged`;
  const rows = also.commit
    ? await queryThenCommit<{ seq: string }>(tx, sql, values)
    : (await tx.query<{ seq: string }>(sql, values)).rows;
  return Number(rows[0].seq);
}

/** Rows that keep the seq of their last change (last_seq), by the name a caller may give. */
const STAMPED_TABLES = { incidents: 'incidents', alerts: 'alerts' } as const;

/**
 * What else a change's own statement writes with its seq, so the counter lock
 * is held for one round trip and the COMMIT, not one per follow-up statement
 * (each waiting on a busy event loop while every other writer queues).
 */
export interface ChangeFollowUps {
  /** This row's last_seq becomes the change's seq. */
  stamp?: { table: keyof typeof STAMPED_TABLES; id: string };
  /** An incident's timeline step recorded with the change's seq. */
  step?: NewTimelineEntry;
  /** Commit the caller's transaction with it, in one round trip (queryThenCommit): it must be inTransaction's and end here. */
  commit?: boolean;
}

export interface ChangeRow {
  seq: number;
  kind: ChangeKind;
  at: string;
  townCode: string;
  communityCode: string | null;
  entityId: string;
  payload: Record<string, unknown>;
}

interface RawRow {
  seq: string;
  kind: ChangeKind;
  at: Date;
  town_code: string;
  community_code: string | null;
  entity_id: string;
  payload: Record<string, unknown>;
}

function toRow(r: RawRow): ChangeRow {
  const seq = Number(r.seq);
  return { seq, kind: r.kind, at: r.at.toISOString(), townCode: r.town_code, communityCode: r.community_code, entityId: r.entity_id, payload: { ...r.payload, seq } };
}

export function toChange(row: ChangeRow): Change {
  return { seq: row.seq, at: row.at, kind: row.kind, payload: row.payload } as Change;
}

export interface LogBounds {
  /** The last seq handed out (0 when empty). */
  headSeq: number;
  /** Every seq up to this one has been pruned. */
  prunedThrough: number;
}

export async function logBounds(db: Queryable): Promise<LogBounds> {
  const { rows } = await db.query<{ last_seq: string; pruned_through: string }>('SELECT last_seq, pruned_through FROM change_counter');
  return { headSeq: Number(rows[0].last_seq), prunedThrough: Number(rows[0].pruned_through) };
}

/** Every change after `since` (no scope): what the realtime layer pushes. */
export async function changesAfter(db: Queryable, since: number, limit: number): Promise<ChangeRow[]> {
  const { rows } = await db.query<RawRow>({
    name: 'changes-after',
    text: 'SELECT seq, kind, at, town_code, community_code, entity_id, payload FROM change_log WHERE seq > $1 ORDER BY seq LIMIT $2',
    values: [since, limit],
  });
  return rows.map(toRow);
}

export interface ScopedPage {
  rows: ChangeRow[];
  lastSeq: number;
  hasMore: boolean;
  bounds: LogBounds;
}

/**
 * The scope's changes after `since`, read in one snapshot with the log's
 * bounds. `extra` narrows further (a field worker sees their own reports).
 */
export async function changesInScope(
  db: Queryable, scope: Scope, since: number, limit: number, extra?: { reporterAccountId: number },
): Promise<ScopedPage> {
  const scoped = scopeSql(scope, 'c', 4);
  const own = extra ? `AND c.kind LIKE 'incident:%' AND (c.payload->'reporter'->>'accountId') = $${4 + scoped.params.length}` : '';
  // One statement = one snapshot: the counter and the rows agree.
  const { rows } = await db.query<RawRow & { last_seq: string; pruned_through: string }>(`
    WITH bounds AS (SELECT last_seq, pruned_through FROM change_counter),
    page AS (
      SELECT c.seq, c.kind, c.at, c.town_code, c.community_code, c.entity_id, c.payload
      FROM change_log c
      WHERE c.seq > $1 AND c.seq <= (SELECT last_seq FROM bounds) AND ${scoped.sql} ${own}
      ORDER BY c.seq LIMIT $2 + 1
    )
    SELECT b.last_seq, b.pruned_through, p.* FROM bounds b LEFT JOIN page p ON true
    ORDER BY p.seq NULLS LAST
    LIMIT $3`,
  [since, limit, limit + 1, ...scoped.params, ...(extra ? [String(extra.reporterAccountId)] : [])]);
  const bounds = { headSeq: Number(rows[0].last_seq), prunedThrough: Number(rows[0].pruned_through) };
  const found = rows.filter((r) => r.seq !== null).map(toRow);
  const hasMore = found.length > limit;
  const page = hasMore ? found.slice(0, limit) : found;
  const lastSeq = hasMore ? page[page.length - 1].seq : Math.max(bounds.headSeq, since);
  return { rows: page, lastSeq, hasMore, bounds };
}

/**
 * Retention: deletes changes older than `before`, but never the newest one
 * (so the head stays readable), and moves pruned_through in the same
 * transaction. Returns how many rows went.
 */
export async function pruneChanges(tx: Queryable, before: Date): Promise<number> {
  const { rows } = await tx.query<{ through: string | null }>(`
    SELECT max(seq) AS through FROM change_log
    WHERE at < $1 AND seq < (SELECT last_seq FROM change_counter)`, [before]);
  const through = rows[0].through === null ? null : Number(rows[0].through);
  if (through === null) return 0;
  const deleted = await tx.query('DELETE FROM change_log WHERE seq <= $1', [through]);
  await tx.query('UPDATE change_counter SET pruned_through = GREATEST(pruned_through, $1)', [through]);
  return deleted.rowCount ?? 0;
}

/** The town a community belongs to (a screen subscribing to a community names only the community). */
export async function townOfCommunity(db: Queryable, communityCode: string): Promise<string | null> {
  const { rows } = await db.query<{ town_code: string }>('SELECT town_code FROM communities WHERE code = $1', [communityCode]);
  return rows[0]?.town_code ?? null;
}
