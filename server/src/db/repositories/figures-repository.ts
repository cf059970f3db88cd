// The review figures' inputs: the items reported in a period within the
// caller's scope, and their timelines as the figures read them
// (server/src/domain/figures.ts does the counting).
import type { Scope } from '../../../../shared/schemas/auth.ts';
import type { Level } from '../../../../shared/schemas/catalogue.ts';
import type { IncidentStatus, Tier, WorkflowAction } from '../../../../shared/workflow.ts';
import { WORKFLOW_ACTIONS } from '../../../../shared/workflow.ts';
import { scopeSql } from '../../domain/scope.ts';
import type { FigureEntry, FigureItem } from '../../domain/figures.ts';
import type { Queryable } from './db.ts';

const ACTIONS: ReadonlySet<string> = new Set(WORKFLOW_ACTIONS);

export async function figureInputs(db: Queryable, scope: Scope, from: Date, to: Date): Promise<{ items: FigureItem[]; entries: FigureEntry[] }> {
  const scoped = scopeSql(scope, 'i', 3);
  const { rows: itemRows } = await db.query<{ id: string; level: Level; town_code: string; community_code: string; reported_at: Date }>(`
    SELECT i.id, i.level, i.town_code, i.community_code, i.reported_at FROM incidents i
    WHERE i.reported_at >= $1 AND i.reported_at < $2 AND ${scoped.sql}`, [from, to, ...scoped.params]);
  const { rows } = await db.query<{
    incident_id: string; at: Date; action: string; actor: string | null; role: string | null; from_status: IncidentStatus | null;
    to_status: IncidentStatus | null; tier: Tier | null; data: Record<string, unknown> | null;
  }>(`
    SELECT t.incident_id, t.at, t.action, t.actor, t.role, t.from_status, t.to_status, t.tier, t.data
    FROM incident_timeline t JOIN incidents i ON i.id = t.incident_id
    WHERE i.reported_at >= $1 AND i.reported_at < $2 AND ${scoped.sql}
    ORDER BY t.incident_id, t.id`, [from, to, ...scoped.params]);

  const entries: FigureEntry[] = [];
  // The previous row's incident, status and tier: a row's "from" (the table keeps only the "to").
  let prevId: string | null = null;
  let prevStatus: IncidentStatus = 'reported';
  let prevTier: Tier = 'community';
  for (const r of rows) {
    const first = prevId !== r.incident_id;
    const fromStatus: IncidentStatus | null = first ? null : prevStatus;
    const fromTier: Tier | null = first ? null : prevTier;
    const toStatus: IncidentStatus = r.to_status ?? fromStatus ?? 'reported';
    const toTier: Tier = r.tier ?? fromTier ?? 'community';
    const data = r.data ?? {};
    const action = first ? 'report' : ACTIONS.has(r.action) ? (r.action as WorkflowAction) : null;
    prevId = r.incident_id;
    prevStatus = toStatus;
    prevTier = toTier;
    // Steps other features write (alert links ...) change no status: the figures skip them.
    if (action === null && toStatus === fromStatus && toTier === fromTier) continue;
    entries.push({
      incidentId: r.incident_id,
      at: r.at,
      action: action ?? 'progress',
      actorKind: r.role === null ? 'system' : 'user',
      actorUnit: r.role === 'unit_member' && typeof data.unit === 'string' ? data.unit : null,
      fromStatus,
      toStatus,
      fromTier,
      toTier,
      leadUnit: typeof data.leadUnit === 'string' ? data.leadUnit : null,
      deadline: typeof data.deadline === 'string' ? new Date(data.deadline) : null,
    });
  }
  const items = itemRows.map((r) => ({ id: r.id, level: r.level, townCode: r.town_code, communityCode: r.community_code, reportedAt: r.reported_at }));
  return { items, entries };
}
