// Files a report, from any door (the HTTP route, Open311, the chat robot,
// a fire sensor): checks the item and the place, stores the incident, its
// first timeline step, an audit row and the change in ONE transaction.
// Idempotent on the client's id: the same report again answers the stored
// incident (created: false); a different report under that id is a 409.
//
// Group commit: reports arriving while a batch is in flight queue up and are
// filed together in the next one, in ONE statement that is its own
// transaction (fileNumbered): it skips the ids filed before, numbers and
// writes the new incidents, their changes, timeline steps and audit rows.
// One round trip per batch; the change-log counter is locked for that
// statement and its commit only, so the lock and the commit's fsync are paid
// once per batch. If the database refuses anything, the batch is filed again
// in one transaction with each report in its own SAVEPOINT, so a failing
// report rolls back only itself.
// Callers are answered after their batch commits. See realtime/README.md.
import type pg from 'pg';
import type { Incident } from '../../../shared/schemas/incident.ts';
import type { Channel, IncidentStatus } from '../../../shared/workflow.ts';
import { catalogueItem } from '../../../shared/catalogue.ts';
import type { Repositories } from '../db/repositories/index.ts';
import { inTransaction, type Queryable } from '../db/repositories/db.ts';
import {
  fileNumbered, newIncidentRecord, numberCreated, type IncidentRecord, type NewIncident,
} from '../db/repositories/incidents-repository.ts';
import type { FieldCipher } from '../domain/field-crypto.ts';
import { canAccess } from '../domain/scope.ts';
import { badPhotoUrl, maskIncident, reportFingerprint } from '../domain/report-rules.ts';
import { DEFAULT_START_TIERS, startingTier, type StartTierTable } from '../domain/tiers.ts';
import type { Spatial } from '../plugins/spatial.ts';
import { LiveError, type Actor } from '../realtime/actor.ts';
import { toIncident, withoutSeq } from './incidents-service.ts';
import { appendAudits, type AuditRecord } from '../db/repositories/audit-repository.ts';

export interface ReportInput {
  id: string;
  itemCode: string;
  lon: number;
  lat: number;
  description: string;
  reporter?: { name?: string; phone?: string };
  channel?: Channel;
  photoUrls?: string[];
  /** The fire sensor behind a sensor-channel report. */
  sensorCode?: string;
}

export interface FiledReport {
  /** In full (reporter unmasked): mask it for the caller (maskIncident / incidentView). */
  incident: Incident;
  created: boolean;
}

export interface ReportsService {
  file(input: ReportInput, actor: Actor): Promise<FiledReport>;
}

export interface ReportsDeps {
  db: pg.Pool;
  repos: Repositories;
  spatial: Pick<Spatial, 'gridAt'>;
  cipher: FieldCipher;
  clock: () => Date;
  /** Most reports filed in one transaction (default 200). */
  maxBatch?: number;
  /** Which tier's seat a new item starts at, by level (START_TIERS; default 1 New Area, 2 town, 3 community). */
  startTiers?: StartTierTable;
}

/** Where every report starts (the column's default too, migration 003). */
const FIRST_STATUS: IncidentStatus = 'reported';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A report checked and ready to store: everything decided before its transaction. */
interface Prepared {
  row: NewIncident;
  /** The reporter's phone in clear (row holds it sealed): a new incident is answered without decrypting it again. */
  phone: string | null;
  area: { townCode: string; communityCode: string };
  actor: Actor;
}

interface Pending extends Prepared {
  resolve(filed: FiledReport): void;
  reject(err: unknown): void;
}

/** What became of one report inside a batch transaction. */
type Outcome =
  | { kind: 'created'; incident: Incident }
  | { kind: 'existing'; incident: Incident }
  | { kind: 'failed'; error: unknown }
  | { kind: 'repeat'; of: number };

export function createReportsService({ db, repos, spatial, cipher, clock, maxBatch = 200, startTiers = DEFAULT_START_TIERS }: ReportsDeps): ReportsService {
  const queue: Pending[] = [];
  let running = false;

  /** A report whose id exists: the stored incident when it is the same report, else a 409 (thrown). */
  async function existing(tx: Queryable, p: Prepared): Promise<Outcome> {
    const record = await repos.incidents.find(tx, p.row.id);
    // Same answer whether the other report is elsewhere or just different: nothing about it leaks.
    if (!record || record.requestHash !== p.row.requestHash || (p.actor.scope && !canAccess(p.actor.scope, record))) {
      throw new LiveError(409, `report id ${p.row.id} is already used by a different report; choose a new id`);
    }
    return { kind: 'existing', incident: toIncident(record, cipher) };
  }

  /** A just-inserted incident with the phone this report brought (the stored one is that, sealed). */
  function justInserted(record: IncidentRecord, p: Prepared): Incident {
    const incident = toIncident({ ...record, reporterPhoneEnc: null }, cipher);
    return { ...incident, reporter: { ...incident.reporter, phone: p.phone } };
  }

  /** The audit row of a filed report (no personal data: the reporter is left out). */
  function auditOf(p: Prepared, incident: Incident): AuditRecord {
    const { actor } = p;
    return {
      actorId: actor.accountId, actor: actor.username, role: actor.role, scope: actor.scope, sourceIp: actor.sourceIp,
      action: 'incident.report', targetType: 'incident', targetId: incident.id,
      after: { status: incident.status, tier: incident.tier, itemCode: incident.itemCode }, result: 'success',
      townCode: incident.townCode, communityCode: incident.communityCode,
    };
  }

  /** One report alone (in the caller's savepoint); the seq comes later. A 409 throws. */
  async function store(tx: Queryable, p: Prepared): Promise<Outcome> {
    const record = await repos.incidents.insert(tx, p.row);
    if (!record) return existing(tx, p);
    const incident = justInserted(record, p);
    await appendAudits(tx, [auditOf(p, incident)]);
    return { kind: 'created', incident };
  }

  /** Which reports of a batch repeat an id met earlier in it (answered from that first one) and which are distinct. */
  function splitRepeats(batch: Pending[], outcomes: Outcome[]): number[] {
    const firstOf = new Map<string, number>();
    const distinct: number[] = [];
    for (const [i, p] of batch.entries()) {
      const id = p.row.id.toLowerCase();
      const first = firstOf.get(id);
      if (first !== undefined) outcomes[i] = { kind: 'repeat', of: first };
      else {
        firstOf.set(id, i);
        distinct.push(i);
      }
    }
    return distinct;
  }

  /** The numbered change of a just-created incident (masked payload, without seq). */
  function entryOf(p: Prepared, incident: Incident) {
    return {
      row: p.row, incidentId: incident.id, townCode: p.area.townCode, communityCode: p.area.communityCode,
      payload: withoutSeq(maskIncident(incident)), at: p.row.reportedAt, actorId: p.actor.accountId,
      actor: p.actor.username, role: p.actor.role, toStatus: incident.status, tier: incident.tier,
    };
  }

  /**
   * Files a batch and settles every caller; never throws. First the whole batch in one statement
   * (fileNumbered, its own transaction); if the database refuses it, nothing of it is stored and the
   * batch is filed again carefully, each report in a SAVEPOINT.
   */
  async function fileBatch(batch: Pending[]): Promise<void> {
    const outcomes: Outcome[] = [];
    const distinct = splitRepeats(batch, outcomes);
    const entries = distinct.map((i) => {
      const p = batch[i];
      const incident = justInserted(newIncidentRecord(p.row, FIRST_STATUS), p);
      outcomes[i] = { kind: 'created', incident };
      const audit = auditOf(p, incident);
      return { ...entryOf(p, incident), audit: { scope: audit.scope, sourceIp: audit.sourceIp ?? null, action: audit.action, after: audit.after } };
    });
    let filed: { first: number; stored: Set<string> };
    try {
      filed = await fileNumbered(db, entries);
    } catch {
      return fileCarefully(batch);
    }
    // Ids filed before were skipped: each is answered from the stored report (200) or refused (409).
    let k = 0;
    for (const i of distinct) {
      const created = outcomes[i] as Extract<Outcome, { kind: 'created' }>;
      if (!filed.stored.has(created.incident.id)) {
        created.incident = { ...created.incident, seq: filed.first + k++ };
        continue;
      }
      outcomes[i] = await existing(db, batch[i]).catch((error: unknown) => ({ kind: 'failed', error }) as const);
    }
    await settle(batch, outcomes);
  }

  /** The batch in one transaction, each report in its own SAVEPOINT: one the database refuses rolls back only itself. */
  async function fileCarefully(batch: Pending[]): Promise<void> {
    const outcomes: Outcome[] = [];
    try {
      await inTransaction(db, async (tx) => {
        for (const i of splitRepeats(batch, outcomes)) {
          await tx.query('SAVEPOINT report');
          try {
            outcomes[i] = await store(tx, batch[i]);
            await tx.query('RELEASE SAVEPOINT report');
          } catch (error) {
            await tx.query('ROLLBACK TO SAVEPOINT report');
            outcomes[i] = { kind: 'failed', error };
          }
        }
        const fresh = outcomes.flatMap((o, i) => (o.kind === 'created' ? [{ o, p: batch[i] }] : []));
        if (fresh.length === 0) return;
        // Last before COMMIT: the seq counter stays locked until then.
        const first = await numberCreated(tx, fresh.map(({ o, p }) => entryOf(p, o.incident)));
        fresh.forEach(({ o }, k) => { o.incident = { ...o.incident, seq: first + k }; });
      });
    } catch (err) {
      // The numbering or the COMMIT failed: nothing of the batch is stored. Alone, that is this
      // report's answer; together, each is tried again by itself, so one cause fails one report.
      if (batch.length === 1) return batch[0].reject(err);
      for (const p of batch) await fileCarefully([p]);
      return;
    }
    await settle(batch, outcomes);
  }

  /** Answers every caller of a filed batch; a repeat of a report that failed is filed again alone. */
  async function settle(batch: Pending[], outcomes: Outcome[]): Promise<void> {
    const retry: Pending[] = [];
    batch.forEach((p, i) => {
      const o = outcomes[i];
      if (o.kind === 'failed') return p.reject(o.error);
      if (o.kind !== 'repeat') return p.resolve({ incident: o.incident, created: o.kind === 'created' });
      const first = outcomes[o.of];
      if (first.kind === 'failed') return retry.push(p);
      if (first.kind === 'repeat' || batch[o.of].row.requestHash !== p.row.requestHash
        || (p.actor.scope && !canAccess(p.actor.scope, first.incident))) {
        return p.reject(new LiveError(409, `report id ${p.row.id} is already used by a different report; choose a new id`));
      }
      p.resolve({ incident: first.incident, created: false });
    });
    for (const p of retry) await fileCarefully([p]);
  }

  async function drain(): Promise<void> {
    running = true;
    try {
      while (queue.length) await fileBatch(queue.splice(0, maxBatch));
    } finally {
      running = false;
    }
  }

  return {
    async file(input, actor) {
      const item = catalogueItem(input.itemCode);
      if (!item) throw new LiveError(400, `unknown item code ${input.itemCode} (see GET /api/v1/catalogue)`);
      // The route's schema checks these too; in-process callers (Open311, intake, sensors) get the same answers.
      if (!UUID.test(input.id)) throw new LiveError(400, 'a report id must be a UUID');
      if (!input.description.trim() || input.description.length > 2000) throw new LiveError(400, 'description must be 1 to 2000 characters');
      const badPhoto = badPhotoUrl(input.photoUrls ?? []);
      if (badPhoto) throw new LiveError(400, badPhoto);
      if (!Number.isFinite(input.lon) || !Number.isFinite(input.lat)) throw new LiveError(400, 'lon and lat must be numbers');
      const grid = spatial.gridAt(input.lon, input.lat);
      if (!grid) throw new LiveError(422, `the point (${input.lon}, ${input.lat}) is outside Zhenjiang New Area: no grid contains it`);
      const area = { townCode: grid.townCode, communityCode: grid.communityCode };
      if (actor.scope && !canAccess(actor.scope, area)) {
        throw new LiveError(403, `the point lies in community ${grid.communityCode}, outside your data scope`);
      }
      const channel = input.channel ?? 'field';
      const name = input.reporter?.name?.trim() || null;
      const phone = input.reporter?.phone?.trim() || null;
      const requestHash = reportFingerprint({
        itemCode: item.code, lon: input.lon, lat: input.lat, description: input.description, reporterName: name,
        reporterPhone: phone, reporterAccountId: actor.accountId, channel, photoUrls: input.photoUrls, sensorCode: input.sensorCode,
      });
      const now = clock();
      const row: NewIncident = {
        id: input.id, itemCode: item.code, domain: item.domain, level: item.level, lon: input.lon, lat: input.lat,
        gridCode: grid.code, communityCode: grid.communityCode, townCode: grid.townCode, description: input.description,
        reporterName: name, reporterPhoneEnc: phone ? cipher.encrypt(phone) : null, reporterPhoneHash: phone ? cipher.lookupHash(phone) : null,
        reporterAccountId: actor.accountId, channel, photoUrls: input.photoUrls ?? [], tier: startingTier(item.level, area, startTiers),
        sensorCode: input.sensorCode ?? null, requestHash, reportedAt: now,
      };

      return new Promise<FiledReport>((resolve, reject) => {
        queue.push({ row, phone, area, actor, resolve, reject });
        if (!running) void drain();
      });
    },
  };
}
