// Files a report, from any door (the HTTP route, Open311, the chat robot,
// a fire sensor): checks the item and the place, stores the incident, its
// first timeline step, an audit row and the change in ONE transaction.
// Idempotent on the client's id: the same report again answers the stored
// incident (created: false); a different report under that id is a 409.
import type pg from 'pg';
import type { Incident } from '../../../shared/schemas/incident.ts';
import type { Channel } from '../../../shared/workflow.ts';
import { catalogueItem } from '../../../shared/catalogue.ts';
import type { Repositories } from '../db/repositories/index.ts';
import { inTransaction } from '../db/repositories/db.ts';
import type { FieldCipher } from '../domain/field-crypto.ts';
import { canAccess } from '../domain/scope.ts';
import { badPhotoUrl, maskIncident, reportFingerprint, startTier } from '../domain/report-rules.ts';
import type { Spatial } from '../plugins/spatial.ts';
import { LiveError, type Actor } from '../realtime/actor.ts';
import { auditIncident, toIncident, withoutSeq } from './incidents-service.ts';

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
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function createReportsService({ db, repos, spatial, cipher, clock }: ReportsDeps): ReportsService {
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

      return inTransaction(db, async (tx) => {
        const inserted = await repos.incidents.insert(tx, {
          id: input.id, itemCode: item.code, domain: item.domain, level: item.level, lon: input.lon, lat: input.lat,
          gridCode: grid.code, communityCode: grid.communityCode, townCode: grid.townCode, description: input.description,
          reporterName: name, reporterPhoneEnc: phone ? cipher.encrypt(phone) : null, reporterPhoneHash: phone ? cipher.lookupHash(phone) : null,
          reporterAccountId: actor.accountId, channel, photoUrls: input.photoUrls ?? [], tier: startTier(item.level),
          sensorCode: input.sensorCode ?? null, requestHash, reportedAt: now,
        });
        if (!inserted) {
          const existing = await repos.incidents.find(tx, input.id);
          // Same answer whether the other report is elsewhere or just different: nothing about it leaks.
          if (!existing || existing.requestHash !== requestHash || (actor.scope && !canAccess(actor.scope, existing))) {
            throw new LiveError(409, `report id ${input.id} is already used by a different report; choose a new id`);
          }
          return { incident: toIncident(existing, cipher), created: false };
        }
        const incident = toIncident(inserted, cipher);
        await auditIncident(tx, actor, 'incident.report', incident, undefined, { status: incident.status, tier: incident.tier, itemCode: incident.itemCode });
        // Last before COMMIT: the seq counter stays locked until then.
        const seq = await repos.changes.append(tx, {
          kind: 'incident:created', area, entityId: incident.id, payload: withoutSeq(maskIncident(incident)), at: now,
        });
        await repos.timeline.append(tx, {
          incidentId: incident.id, at: now, actorId: actor.accountId, actor: actor.username, role: actor.role, action: 'reported',
          fromStatus: null, toStatus: incident.status, tier: incident.tier, note: null, seq,
        });
        await repos.incidents.setSeq(tx, incident.id, seq);
        return { incident: { ...incident, seq }, created: true };
      });
    },
  };
}
