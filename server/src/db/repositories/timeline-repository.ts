// An incident's timeline: read here; a step is written with the change that
// numbers it (appendChange's `step`, the report batch), and the table refuses
// UPDATE and DELETE (migration 003).
import type { TimelineEntry } from '../../../../shared/schemas/incident.ts';
import type { Role } from '../../../../shared/schemas/auth.ts';
import type { IncidentStatus, Tier } from '../../../../shared/workflow.ts';
import type { Queryable } from './db.ts';

/** A step as its writer gives it; its seq is the change written with it. */
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
