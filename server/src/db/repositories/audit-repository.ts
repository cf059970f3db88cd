// The audit log: append and search. There is deliberately no update or
// delete here, and the table refuses them anyway (migration 002).
import type { AuditEntry, AuditQuery, AuditResult, Role, Scope } from '../../../../shared/schemas/auth.ts';
import type { Queryable } from './db.ts';

export interface AuditRecord {
  actorId?: number | null;
  actor?: string | null;
  role?: Role | null;
  scope?: Scope | null;
  sourceIp?: string | null;
  action: string;
  targetType?: string | null;
  targetId?: string | null;
  before?: unknown;
  after?: unknown;
  result: AuditResult;
  detail?: string | null;
  townCode?: string | null;
  communityCode?: string | null;
}

export async function appendAudit(db: Queryable, r: AuditRecord): Promise<void> {
  await db.query(`
    INSERT INTO audit_log (actor_id, actor, role, scope, source_ip, action, target_type, target_id, before, after,
      result, detail, town_code, community_code)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`, [
    r.actorId ?? null, r.actor ?? null, r.role ?? null, r.scope ? JSON.stringify(r.scope) : null, r.sourceIp ?? null,
    r.action, r.targetType ?? null, r.targetId ?? null,
    r.before === undefined ? null : JSON.stringify(r.before), r.after === undefined ? null : JSON.stringify(r.after),
    r.result, r.detail ?? null, r.townCode ?? null, r.communityCode ?? null,
  ]);
}

/**
 * Many rows in ONE statement, in the given order (ids ascend with it): a
 * batch of reports writes its audit rows in one round trip, not one each.
 */
export async function appendAudits(db: Queryable, list: readonly AuditRecord[]): Promise<void> {
  if (list.length === 0) return;
  const col = <T>(f: (r: AuditRecord) => T) => list.map(f);
  const json = (v: unknown) => (v === undefined ? null : JSON.stringify(v));
  await db.query({ name: 'audit-append-batch', text: `
    INSERT INTO audit_log (actor_id, actor, role, scope, source_ip, action, target_type, target_id, before, after,
      result, detail, town_code, community_code)
    SELECT actor_id, actor, role, scope, source_ip, action, target_type, target_id, before, after, result, detail, town_code, community_code
    FROM unnest($1::bigint[], $2::text[], $3::text[], $4::jsonb[], $5::text[], $6::text[], $7::text[], $8::text[], $9::jsonb[],
      $10::jsonb[], $11::text[], $12::text[], $13::text[], $14::text[])
      WITH ORDINALITY AS u(actor_id, actor, role, scope, source_ip, action, target_type, target_id, before, after, result, detail,
        town_code, community_code, ord)
    ORDER BY ord`, values: [
    col((r) => r.actorId ?? null), col((r) => r.actor ?? null), col((r) => r.role ?? null), col((r) => (r.scope ? JSON.stringify(r.scope) : null)),
    col((r) => r.sourceIp ?? null), col((r) => r.action), col((r) => r.targetType ?? null), col((r) => r.targetId ?? null),
    col((r) => json(r.before)), col((r) => json(r.after)), col((r) => r.result), col((r) => r.detail ?? null),
    col((r) => r.townCode ?? null), col((r) => r.communityCode ?? null),
  ] });
}

/** Newest first, keyset-paged by id. */
export async function searchAudit(db: Queryable, q: AuditQuery & { limit: number }): Promise<AuditEntry[]> {
  const { rows } = await db.query<AuditEntry & { at: Date }>(`
    SELECT id::int AS id, at, actor, role, scope, source_ip AS "sourceIp", action, target_type AS "targetType",
      target_id AS "targetId", before, after, result, detail
    FROM audit_log
    WHERE ($1::timestamptz IS NULL OR at >= $1)
      AND ($2::timestamptz IS NULL OR at < $2)
      AND ($3::text IS NULL OR actor = $3)
      AND ($4::text IS NULL OR action = $4 OR action LIKE $4 || '.%')
      AND ($5::text IS NULL OR result = $5)
      AND ($6::bigint IS NULL OR id < $6)
      AND ($8::text IS NULL OR target_type = $8)
      AND ($9::text IS NULL OR target_id = $9)
    ORDER BY id DESC
    LIMIT $7`, [q.from ?? null, q.to ?? null, q.actor ?? null, q.action ?? null, q.result ?? null, q.before ?? null, q.limit,
    q.targetType ?? null, q.targetId ?? null]);
  return rows.map((r) => ({ ...r, at: (r.at as unknown as Date).toISOString() }));
}
