// An incident's timeline: append and read, nothing else (the table refuses
// UPDATE and DELETE, migration 003).
import type { TimelineEntry } from '../../../../shared/schemas/incident.ts';
import type { Role } from '../../../../shared/schemas/auth.ts';
import type { IncidentStatus, Tier } from '../../../../shared/workflow.ts';
import type { Queryable } from './db.ts';

export interface NewTimelineEntry {
  incidentId: string;
  at: Date;
  actorId: number | null;
  actor: string | null;
  role: Role | null;
  action: string;
  fromStatus?: IncidentStatus | null;
  toStatus?: IncidentStatus | null;
  tier?: Tier | null;
  note?: string | null;
  data?: unknown;
  seq: number | null;
}

export async function appendTimeline(tx: Queryable, e: NewTimelineEntry): Promise<void> {
  await tx.query(`
    INSERT INTO incident_timeline (incident_id, at, actor_id, actor, role, action, from_status, to_status, tier, note, data, seq)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`, [
    e.incidentId, e.at, e.actorId, e.actor, e.role, e.action, e.fromStatus ?? null, e.toStatus ?? null, e.tier ?? null,
    e.note ?? null, e.data === undefined ? null : JSON.stringify(e.data), e.seq,
  ]);
}

/** Oldest first. */
export async function listTimeline(db: Queryable, incidentId: string): Promise<TimelineEntry[]> {
  const { rows } = await db.query<{
    at: Date; actor_id: string | null; actor: string | null; role: Role | null; action: string; from_status: IncidentStatus | null;
    to_status: IncidentStatus | null; tier: Tier | null; note: string | null; data: unknown; seq: string | null;
  }>(`SELECT at, actor_id, actor, role, action, from_status, to_status, tier, note, data, seq
      FROM incident_timeline WHERE incident_id = $1 ORDER BY id`, [incidentId]);
  return rows.map((r) => ({
    at: r.at.toISOString(),
    actor: { accountId: r.actor_id === null ? null : Number(r.actor_id), username: r.actor, role: r.role },
    action: r.action, fromStatus: r.from_status, toStatus: r.to_status, tier: r.tier, note: r.note,
    ...(r.data === null ? {} : { data: r.data }),
    ...(r.seq === null ? {} : { seq: Number(r.seq) }),
  }));
}
