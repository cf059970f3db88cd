// Chat-group intake: a message from a community's group chat is classified
// (domain/message-classifier.ts) and, when recognised, filed through the
// report service (app.reports.file) as a chat_robot report; otherwise it is
// kept, unclassified, for a duty officer, who later names the item.
//
// Where a message is placed: group messages rarely say exactly where, so it
// is placed at its community's party-mass service station (the first by
// code), a real place of that community that lies inside one of its grids,
// so the incident lands in the right grid, community and town. A community
// without a station (an imported survey may have none) gets a point on its
// own surface. A duty officer classifying a message may give the exact point.
//
// Idempotency: the incident's id is derived from the chat message id
// (derivedId), so a robot retrying, two robots forwarding the same message,
// or a crash between filing and storing the message all end in one incident;
// the message row is unique on the message id.
import { createHash } from 'node:crypto';
import { pointOnFeature } from '@turf/turf';
import { catalogueItem } from '../../../shared/catalogue.ts';
import type { Incident } from '../../../shared/schemas/incident.ts';
import type { ClassifyBody, DismissBody, IntakeMessage, IntakeMessageBody, IntakeMessageQuery } from '../../../shared/schemas/intake.ts';
import type { Scope } from '../../../shared/schemas/auth.ts';
import type { Repositories } from '../db/repositories/index.ts';
import type { CommunityPlace, IntakeMessageRecord } from '../db/repositories/intake-messages-repository.ts';
import type { FieldCipher } from '../domain/field-crypto.ts';
import { maskName, maskPhone } from '../domain/masking.ts';
import { classifyMessage, type Classification } from '../domain/message-classifier.ts';
import { maskIncident } from '../domain/report-rules.ts';
import { can } from '../domain/roles.ts';
import { canAccess, narrowFilter } from '../domain/scope.ts';
import { actorOf, LiveError, type Actor } from '../realtime/actor.ts';
import { HttpError } from './http-error.ts';
import { incidentView, toIncident } from './incidents-service.ts';
import { integrationActorName, type IntegrationPrincipal } from './integration-keys-service.ts';
import type { Principal } from './principal.ts';
import type { ReportsService } from './reports-service.ts';

/**
 * A stable UUID (version 5 layout) for a name: the same name always gives the
 * same id. Used where a client has no id of its own to give the report
 * service (a chat message id, an Open311 post).
 */
export function derivedId(name: string): string {
  const bytes = createHash('sha256').update(name).digest().subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Who submits or classifies: a machine client (the robot's key) or a signed-in person. */
export type Submitter = { kind: 'integration'; integration: IntegrationPrincipal; ip: string | null } | { kind: 'person'; principal: Principal; ip: string | null };

export interface IntakeOutcome {
  message: IntakeMessage;
  incident: Incident | null;
  created: boolean;
}

export interface IntakeDeps {
  repos: Repositories;
  reports: ReportsService;
  cipher: FieldCipher;
  clock: () => Date;
}

const scopeOf = (s: Submitter): Scope => (s.kind === 'integration' ? s.integration.scope : s.principal.scope);
const mayReadContacts = (s: Submitter) => s.kind === 'person' && can(s.principal.role, 'resident:read-contact');

function actorFor(s: Submitter): Actor {
  if (s.kind === 'person') return actorOf(s.principal, s.ip);
  return { accountId: null, username: integrationActorName(s.integration), role: null, scope: s.integration.scope, sourceIp: s.ip };
}

/** Where a message of this community is placed (see the header). */
export function placeOf(place: CommunityPlace): { lon: number; lat: number; label: string } {
  if (place.station) return { lon: place.station.lon, lat: place.station.lat, label: place.station.name };
  const [lon, lat] = pointOnFeature(place.geometry).geometry.coordinates;
  return { lon, lat, label: place.communityName };
}

/**
 * The incident's description: what was said in which group, what else it
 * mentioned, and how it was placed. Not who said it: the sender is the
 * incident's reporter, masked for roles that may not read residents' names.
 */
export function describeMessage(text: string, place: CommunityPlace, placedAt: string | null, alsoMentioned: string[] = []): string {
  const lines = [`【${place.communityName}群消息】${text}`];
  const others = alsoMentioned.map((code) => catalogueItem(code)?.name).filter(Boolean);
  if (others.length) lines.push(`同时提到：${others.join('、')}`);
  if (placedAt) lines.push(`位置：按${placedAt}定位（群消息未给出确切地点）`);
  return lines.join('\n');
}

function fingerprint(body: IntakeMessageBody): string {
  const canonical = [body.messageId, body.text.trim(), body.sender.name.trim(), body.sender.phone?.trim() ?? '', body.communityCode,
    body.at ? new Date(body.at).toISOString() : ''];
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
}

export type IntakeService = ReturnType<typeof createIntakeService>;

export function createIntakeService({ repos, reports, cipher, clock }: IntakeDeps) {
  function toMessage(r: IntakeMessageRecord, unmasked: boolean): IntakeMessage {
    const phone = r.senderPhoneEnc ? cipher.decrypt(r.senderPhoneEnc) : null;
    return {
      id: r.id, messageId: r.messageId, text: r.text,
      sender: { name: unmasked ? r.senderName : maskName(r.senderName), phone: phone && !unmasked ? maskPhone(phone) : phone },
      communityCode: r.communityCode, townCode: r.townCode, sentAt: r.sentAt?.toISOString() ?? null, receivedAt: r.receivedAt.toISOString(),
      status: r.status, itemCode: r.itemCode, matched: r.matched, incidentId: r.incidentId, classifiedBy: r.classifiedBy,
      classifiedAt: r.classifiedAt?.toISOString() ?? null, dismissReason: r.dismissReason,
    };
  }

  const viewIncident = (incident: Incident, s: Submitter) => (s.kind === 'person' ? incidentView(incident, s.principal.role) : maskIncident(incident));

  async function incidentOf(r: IntakeMessageRecord, s: Submitter): Promise<Incident | null> {
    if (!r.incidentId) return null;
    const found = await repos.incidents.findInScope(r.incidentId, scopeOf(s));
    return found ? viewIncident(toIncident(found, cipher), s) : null;
  }

  async function placeInScope(communityCode: string, s: Submitter): Promise<CommunityPlace> {
    const place = await repos.intakeMessages.communityPlace(communityCode);
    if (!place) throw new HttpError(400, `unknown community ${communityCode}`);
    if (!canAccess(scopeOf(s), place)) throw new HttpError(403, `community ${communityCode} is outside your data scope`);
    return place;
  }

  return {
    /** A message from the robot (or a liaison / duty officer forwarding one): filed, or kept unclassified. */
    async submit(body: IntakeMessageBody, s: Submitter): Promise<IntakeOutcome> {
      const place = await placeInScope(body.communityCode, s);
      const requestHash = fingerprint(body);
      const replay = async (existing: IntakeMessageRecord): Promise<IntakeOutcome> => {
        if (existing.requestHash !== requestHash) {
          throw new HttpError(409, `message id ${body.messageId} is already used by a different message`);
        }
        return { message: toMessage(existing, mayReadContacts(s)), incident: await incidentOf(existing, s), created: false };
      };
      const stored = await repos.intakeMessages.byMessageId(body.messageId);
      if (stored) return replay(stored);

      const found: Classification = classifyMessage(body.text);
      const phone = body.sender.phone?.trim() || null;
      let incident: Incident | null = null;
      if (found.itemCode) {
        const at = placeOf(place);
        try {
          const filed = await reports.file({
            id: derivedId(`chat:${body.messageId}`), itemCode: found.itemCode, lon: at.lon, lat: at.lat,
            description: describeMessage(body.text.trim(), place, at.label, found.alsoMentioned),
            reporter: { name: body.sender.name.trim(), ...(phone ? { phone } : {}) }, channel: 'chat_robot',
          }, actorFor(s));
          incident = filed.incident;
        } catch (err) {
          // The community's place lies in no grid (data being reloaded, a survey with gaps): keep the
          // message for a duty officer, who gives the point, rather than lose it.
          if (!(err instanceof LiveError && err.statusCode === 422)) throw err;
        }
      }
      const inserted = await repos.intakeMessages.insert({
        messageId: body.messageId, requestHash, text: body.text.trim(), senderName: body.sender.name.trim(),
        senderPhoneEnc: phone ? cipher.encrypt(phone) : null, senderPhoneHash: phone ? cipher.lookupHash(phone) : null,
        communityCode: place.communityCode, townCode: place.townCode, sentAt: body.at ? new Date(body.at) : null, receivedAt: clock(),
        status: incident ? 'filed' : 'unclassified', itemCode: incident ? found.itemCode : null, matched: incident ? found.matched : [],
        incidentId: incident?.id ?? null,
        submittedByKey: s.kind === 'integration' ? s.integration.keyId : null, submittedByUser: s.kind === 'person' ? s.principal.userId : null,
      });
      // Lost a race with the same message arriving twice at once: answer what the other stored.
      if (!inserted) return replay((await repos.intakeMessages.byMessageId(body.messageId))!);
      return { message: toMessage(inserted, mayReadContacts(s)), incident: incident && viewIncident(incident, s), created: true };
    },

    async list(principal: Principal, q: IntakeMessageQuery) {
      const narrowed = narrowFilter(principal.scope, q);
      if (!narrowed.ok) throw new HttpError(403, narrowed.reason);
      const limit = q.limit ?? 50;
      const { records, hasMore } = await repos.intakeMessages.list(principal.scope, { ...q, limit });
      const unmasked = can(principal.role, 'resident:read-contact');
      return { messages: records.map((r) => toMessage(r, unmasked)), nextBefore: hasMore ? records[records.length - 1].id : null };
    },

    /** A duty officer or liaison names the item of an unclassified message; it is filed at once. */
    async classify(principal: Principal, id: number, body: ClassifyBody, ip: string | null): Promise<IntakeOutcome> {
      const s: Submitter = { kind: 'person', principal, ip };
      const message = await repos.intakeMessages.inScope(id, principal.scope);
      if (!message) throw new HttpError(404, `message ${id} does not exist in your data scope`);
      if (message.status !== 'unclassified') {
        throw new HttpError(409, `message ${id} is already ${message.status} (incident ${message.incidentId})`);
      }
      if (!catalogueItem(body.itemCode)) throw new HttpError(400, `unknown item code ${body.itemCode} (see GET /api/v1/catalogue)`);
      if ((body.lon === undefined) !== (body.lat === undefined)) throw new HttpError(400, 'give both lon and lat, or neither');
      const place = await repos.intakeMessages.communityPlace(message.communityCode);
      if (!place) throw new HttpError(400, `community ${message.communityCode} no longer exists; give lon and lat`);
      const at = body.lon !== undefined && body.lat !== undefined ? { lon: body.lon, lat: body.lat, label: null } : placeOf(place);
      const phone = message.senderPhoneEnc ? cipher.decrypt(message.senderPhoneEnc) : null;
      const filed = await reports.file({
        id: derivedId(`chat:${message.messageId}`), itemCode: body.itemCode, lon: at.lon, lat: at.lat,
        description: describeMessage(message.text, place, at.label),
        reporter: { name: message.senderName, ...(phone ? { phone } : {}) }, channel: 'chat_robot',
      }, actorFor(s));
      const now = clock();
      const marked = await repos.intakeMessages.markClassified(id, { itemCode: body.itemCode, incidentId: filed.incident.id, by: principal.userId!, at: now });
      await repos.audit.append({
        actorId: principal.userId, actor: principal.username, role: principal.role, scope: principal.scope, sourceIp: ip,
        action: 'intake.classify', targetType: 'intake-message', targetId: String(id), before: { status: 'unclassified' },
        after: { status: 'classified', itemCode: body.itemCode, incidentId: filed.incident.id }, result: marked ? 'success' : 'failure',
        detail: marked ? null : 'classified by someone else at the same time', townCode: message.townCode, communityCode: message.communityCode,
      });
      const after = (await repos.intakeMessages.byId(id))!;
      return { message: toMessage(after, can(principal.role, 'resident:read-contact')), incident: viewIncident(filed.incident, s), created: filed.created };
    },

    /** A duty officer judges an unclassified message needs no action; it leaves the queue, kept with the reason. */
    async dismiss(principal: Principal, id: number, body: DismissBody, ip: string | null): Promise<IntakeMessage> {
      const message = await repos.intakeMessages.inScope(id, principal.scope);
      if (!message) throw new HttpError(404, `message ${id} does not exist in your data scope`);
      const reason = body.reason.trim();
      const marked = message.status === 'unclassified'
        && await repos.intakeMessages.markDismissed(id, { reason, by: principal.userId!, at: clock() });
      await repos.audit.append({
        actorId: principal.userId, actor: principal.username, role: principal.role, scope: principal.scope, sourceIp: ip,
        action: 'intake.dismiss', targetType: 'intake-message', targetId: String(id), before: { status: message.status },
        after: marked ? { status: 'dismissed', reason } : null, result: marked ? 'success' : 'failure',
        detail: marked ? null : 'no longer unclassified', townCode: message.townCode, communityCode: message.communityCode,
      });
      const after = (await repos.intakeMessages.byId(id))!;
      // Someone classified or dismissed it first (or it was never unclassified): say what became of it.
      if (!marked) throw new HttpError(409, `message ${id} is already ${after.status}${after.incidentId ? ` (incident ${after.incidentId})` : ''}`);
      return toMessage(after, can(principal.role, 'resident:read-contact'));
    },
  };
}
