// Changes an incident: locks its row, lets the caller (the workflow, the
// alert rules) decide the patch from the current state, bumps its version,
// and writes the timeline step, an audit row and an `incident:updated`
// change in ONE transaction. Also the scoped reads the routes use.
import type pg from 'pg';
import type { Incident, TimelineEntry } from '../../../shared/schemas/incident.ts';
import type { Role, Scope } from '../../../shared/schemas/auth.ts';
import type { Repositories } from '../db/repositories/index.ts';
import { inTransaction, type Queryable } from '../db/repositories/db.ts';
import type { IncidentFilter, IncidentPatch, IncidentRecord, OwnFilter } from '../db/repositories/incidents-repository.ts';
import { appendAudit } from '../db/repositories/audit-repository.ts';
import type { FieldCipher } from '../domain/field-crypto.ts';
import { can } from '../domain/roles.ts';
import { canAccess } from '../domain/scope.ts';
import { maskIncident } from '../domain/report-rules.ts';
import { LiveError, type Actor } from '../realtime/actor.ts';
import type { Principal } from './principal.ts';

export type { IncidentPatch };

/** What a change does: the new values and the timeline step that explains them. */
export interface IncidentMutation {
  patch: IncidentPatch;
  timeline: { action: string; note?: string | null; data?: unknown };
}

export interface UpdateOptions {
  /** Refuse (409) unless the incident is still at this version (optimistic concurrency for people). */
  expectedVersion?: number;
}

export interface IncidentsService {
  /**
   * `mutate` sees the current incident (reporter unmasked) inside the
   * transaction and returns the change, or null for "nothing to do" (then
   * nothing is written and the current incident is returned). It may throw a
   * LiveError (e.g. 409 for a transition the state machine refuses).
   */
  update(
    id: string, actor: Actor, mutate: (current: Incident, tx: Queryable) => IncidentMutation | null | Promise<IncidentMutation | null>,
    options?: UpdateOptions,
  ): Promise<Incident>;
  /** By id within the principal's reach, unmasked; null for unknown and for outside alike. */
  get(principal: Principal, id: string): Promise<Incident | null>;
  timeline(id: string): Promise<TimelineEntry[]>;
  list(principal: Principal, filter: IncidentFilter): Promise<{ incidents: Incident[]; hasMore: boolean; lastSeq: number }>;
}

export interface IncidentsDeps {
  db: pg.Pool;
  repos: Repositories;
  cipher: FieldCipher;
  clock: () => Date;
}

export function toIncident(r: IncidentRecord, cipher: FieldCipher): Incident {
  const { reporterName, reporterPhoneEnc, reporterAccountId, requestHash: _hash, ...rest } = r;
  return { ...rest, reporter: { name: reporterName, phone: reporterPhoneEnc ? readPhone(reporterPhoneEnc, cipher) : null, accountId: reporterAccountId } };
}

/**
 * A phone sealed under another key (a field key that was replaced) reads as
 * unknown rather than failing the whole listing: the incident stays readable.
 */
function readPhone(sealed: string, cipher: FieldCipher): string | null {
  try {
    return cipher.decrypt(sealed);
  } catch {
    return null;
  }
}

/** What this role may see of an incident: the reporter masked unless it may read residents' contacts. */
export function incidentView(incident: Incident, role: Role): Incident {
  return can(role, 'resident:read-contact') ? incident : maskIncident(incident);
}

/** A field worker follows only the reports they filed themselves. */
export function ownFilterOf(principal: Principal): OwnFilter | undefined {
  return principal.role === 'field_worker' && principal.userId !== null ? { reporterAccountId: principal.userId } : undefined;
}

/** The audit row of an incident change (no personal data: the reporter is left out). */
export async function auditIncident(
  tx: Queryable, actor: Actor, action: string, incident: Incident, before: unknown, after: unknown,
): Promise<void> {
  await appendAudit(tx, {
    actorId: actor.accountId, actor: actor.username, role: actor.role, scope: actor.scope, sourceIp: actor.sourceIp,
    action, targetType: 'incident', targetId: incident.id, before, after, result: 'success',
    townCode: incident.townCode, communityCode: incident.communityCode,
  });
}

const AUDITED_FIELDS = ['status', 'tier', 'level', 'unitCode', 'supervised', 'overdue', 'version'] as const;
const pick = (i: Incident) => Object.fromEntries(AUDITED_FIELDS.map((k) => [k, i[k] ?? null]));

export function createIncidentsService({ db, repos, cipher, clock }: IncidentsDeps): IncidentsService {
  return {
    async update(id, actor, mutate, options = {}) {
      return inTransaction(db, async (tx) => {
        const record = await repos.incidents.find(tx, id, true);
        if (!record || (actor.scope && !canAccess(actor.scope, record))) throw new LiveError(404, `no incident ${id} in your data scope`);
        const current = toIncident(record, cipher);
        if (options.expectedVersion !== undefined && options.expectedVersion !== current.version) {
          throw new LiveError(409, `incident ${id} changed meanwhile (version ${current.version}, you had ${options.expectedVersion}); reload it`);
        }
        const mutation = await mutate(current, tx);
        if (!mutation) return current;
        const now = clock();
        const updated = toIncident(await repos.incidents.update(tx, id, mutation.patch, now), cipher);
        await auditIncident(tx, actor, `incident.${mutation.timeline.action}`, updated, pick(current), pick(updated));
        // Last before COMMIT, one statement: the change, its timeline step and the incident's last_seq.
        const seq = await repos.changes.append(tx, {
          kind: 'incident:updated', area: updated, entityId: id, payload: withoutSeq(maskIncident(updated)), at: now,
        }, {
          stamp: { table: 'incidents', id },
          // The update's own transaction ends here: commit in the same round trip.
          commit: true,
          step: {
            incidentId: id, at: now, actorId: actor.accountId, actor: actor.username, role: actor.role, action: mutation.timeline.action,
            fromStatus: current.status, toStatus: updated.status, tier: updated.tier, note: mutation.timeline.note ?? null,
            data: mutation.timeline.data,
          },
        });
        return { ...updated, seq };
      });
    },
    async get(principal, id) {
      const record = await repos.incidents.findInScope(id, principal.scope, ownFilterOf(principal));
      return record ? toIncident(record, cipher) : null;
    },
    timeline: (id) => repos.timeline.list(id),
    async list(principal, filter) {
      const { records, hasMore, lastSeq } = await repos.incidents.list(principal.scope, filter, ownFilterOf(principal));
      return { incidents: records.map((r) => toIncident(r, cipher)), hasMore, lastSeq };
    },
  };
}

/** The change-log payload: the log adds `seq` on read. */
export function withoutSeq(incident: Incident): Record<string, unknown> {
  const { seq: _seq, ...rest } = incident;
  return rest;
}
