// Reading incidents: the newest-first list (filters, keyset pages, the
// change-log head for a snapshot) and one incident with its timeline. Scope
// is applied in SQL; a filter naming a place outside it is refused with 403
// (like /staff); an id outside it is a 404, as an unknown id (its existence
// is not revealed). Reporter contacts are masked unless the role needs them.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { IncidentList, IncidentParams, IncidentQuery, IncidentWithTimeline } from '../../../../shared/schemas/incident.ts';
import { ApiError } from '../../../../shared/schemas/common.ts';
import type { Level } from '../../../../shared/schemas/catalogue.ts';
import { can } from '../../domain/roles.ts';
import { narrowFilter } from '../../domain/scope.ts';
import { principalOf } from '../../plugins/auth.ts';
import { incidentView } from '../../services/incidents-service.ts';

const DEFAULT_LIMIT = 100;

function encodeCursor(reportedAt: string, id: string): string {
  return Buffer.from(`${reportedAt}|${id}`).toString('base64url');
}

function decodeCursor(cursor: string): { reportedAt: string; id: string } | null {
  const [reportedAt, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (!reportedAt || !id || Number.isNaN(Date.parse(reportedAt)) || !/^[0-9a-f-]{36}$/i.test(id)) return null;
  return { reportedAt, id };
}

const incidents: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/incidents', {
    config: { permission: 'incident:read' },
    schema: {
      tags: ['incidents'],
      summary: 'Incidents in your scope, newest first (keyset pages); lastSeq continues with /changes',
      querystring: IncidentQuery,
      response: { 200: IncidentList, 400: ApiError, 401: ApiError, 403: ApiError },
    },
  }, async (request, reply) => {
    const principal = principalOf(request);
    const q = request.query;
    const allowed = narrowFilter(principal.scope, q);
    if (!allowed.ok) {
      await app.audit.record(request, { action: 'access.denied', result: 'denied', detail: `GET /incidents: ${allowed.reason}` });
      return reply.apiError(403, allowed.reason);
    }
    const before = q.cursor === undefined ? undefined : decodeCursor(q.cursor);
    if (before === null) return reply.apiError(400, 'cursor is not one this API handed out');
    const limit = q.limit ?? DEFAULT_LIMIT;
    const { incidents: list, hasMore, lastSeq } = await app.incidents.list(principal, { ...q, level: q.level as Level | undefined, before, limit });
    const last = list[list.length - 1];
    reply.header('cache-control', 'no-store');
    return {
      incidents: list.map((i) => incidentView(i, principal.role)),
      nextCursor: hasMore && last ? encodeCursor(last.reportedAt, last.id) : null,
      lastSeq,
      masked: !can(principal.role, 'resident:read-contact'),
    };
  });

  app.get('/incidents/:id', {
    config: { permission: 'incident:read' },
    schema: {
      tags: ['incidents'],
      summary: 'One incident in your scope with its timeline (404 when unknown or outside your scope)',
      params: IncidentParams,
      response: { 200: IncidentWithTimeline, 400: ApiError, 401: ApiError, 403: ApiError, 404: ApiError },
    },
  }, async (request, reply) => {
    const principal = principalOf(request);
    const incident = await app.incidents.get(principal, request.params.id);
    if (!incident) return reply.notFound(`no incident ${request.params.id} in your data scope`);
    reply.header('cache-control', 'no-store');
    return {
      incident: incidentView(incident, principal.role),
      timeline: await app.incidents.timeline(incident.id),
      masked: !can(principal.role, 'resident:read-contact'),
    };
  });
};
export default incidents;
