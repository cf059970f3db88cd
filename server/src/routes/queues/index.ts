// The seats' queues (new, mine, overdue, escalated, returned) for the
// caller's tier and scope, and the items of a handling unit. Scope is applied
// in SQL; a town/community filter outside the scope is refused (403).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { QueueList, QueueParams, QueueQuery, UnitItemsQuery, UnitList, UnitParams } from '../../../../shared/schemas/dispatch.ts';
import { ApiError } from '../../../../shared/schemas/common.ts';
import type { Level } from '../../../../shared/schemas/catalogue.ts';
import { narrowFilter } from '../../domain/scope.ts';
import { seatOfOfficer } from '../../domain/tiers.ts';
import { principalOf } from '../../plugins/auth.ts';

const DEFAULT_LIMIT = 200;

const queues: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/queues/:name', {
    config: { permission: 'incident:read' },
    schema: {
      tags: ['dispatch'],
      summary: 'A seat\'s queue: its tier\'s items in its scope (callers who are no seat see every tier in their scope)',
      params: QueueParams,
      querystring: QueueQuery,
      response: { 200: QueueList, 400: ApiError, 401: ApiError, 403: ApiError },
    },
  }, async (request, reply) => {
    const principal = principalOf(request);
    const q = request.query;
    const allowed = narrowFilter(principal.scope, q);
    if (!allowed.ok) {
      await app.audit.record(request, { action: 'access.denied', result: 'denied', detail: `GET /queues: ${allowed.reason}` });
      return reply.apiError(403, allowed.reason);
    }
    const tier = seatOfOfficer(principal.role, principal.scope)?.tier ?? null;
    const { items, lastSeq } = await app.dispatch.queue(request.params.name, tier, principal.scope, {
      q: q.q, level: q.level as Level | undefined, town: q.town, community: q.community, supervised: q.supervised, limit: q.limit ?? DEFAULT_LIMIT,
    });
    reply.header('cache-control', 'no-store');
    return { queue: request.params.name, tier, items, lastSeq };
  });

  app.get('/units', {
    config: { permission: 'incident:read' },
    schema: {
      tags: ['dispatch'],
      summary: 'The handling units items are dispatched to',
      response: { 200: UnitList, 401: ApiError, 403: ApiError },
    },
  }, async () => ({ units: await app.repos.units.list() }));

  app.get('/units/:code/items', {
    config: { permission: 'incident:read' },
    schema: {
      tags: ['dispatch'],
      summary: 'Items a handling unit leads or helps with now (a unit member sees only their own unit)',
      params: UnitParams,
      querystring: UnitItemsQuery,
      response: { 200: QueueList, 400: ApiError, 401: ApiError, 403: ApiError, 404: ApiError },
    },
  }, async (request, reply) => {
    const principal = principalOf(request);
    const { code } = request.params;
    if (principal.role === 'unit_member' && principal.unitCode !== code) {
      await app.audit.record(request, { action: 'access.denied', result: 'denied', detail: `GET /units/${code}/items: not the caller's unit` });
      return reply.apiError(403, `you are a member of ${principal.unitCode}, not of ${code}`);
    }
    if (!(await app.dispatch.unitExists(code))) return reply.notFound(`no handling unit ${code}`);
    const { items, lastSeq } = await app.dispatch.unitItems(code, principal.scope, request.query.status ?? null, request.query.limit ?? DEFAULT_LIMIT);
    reply.header('cache-control', 'no-store');
    return { queue: 'unit' as const, tier: null, items, lastSeq };
  });
};
export default queues;
