// GET /api/v1/changes?since=SEQ: the caller's scope's changes after SEQ, in
// order. 410 when the log no longer reaches back to SEQ (reload a snapshot),
// 400 when SEQ is ahead of the log.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ChangesGone, ChangesPage, ChangesQuery } from '../../../../shared/schemas/changes.ts';
import { ApiError } from '../../../../shared/schemas/common.ts';
import { principalOf } from '../../plugins/auth.ts';
import { ownFilterOf } from '../../services/incidents-service.ts';
import { readChanges } from '../../realtime/changes-feed.ts';

const changes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/changes', {
    config: { permission: 'incident:read' },
    schema: {
      tags: ['incidents'],
      summary: 'Changes after a seq within your scope, in seq order (catch-up after a reconnect)',
      querystring: ChangesQuery,
      response: { 200: ChangesPage, 400: ApiError, 401: ApiError, 403: ApiError, 410: ChangesGone },
    },
  }, async (request, reply) => {
    const principal = principalOf(request);
    const result = await readChanges(app.repos, principal.scope, request.query.since, request.query.limit, ownFilterOf(principal));
    reply.header('cache-control', 'no-store');
    if (result.ok) return result.page;
    if (result.reason === 'future') return reply.apiError(400, result.message);
    return reply.code(410).send({ statusCode: 410, error: 'Gone', message: result.message, reload: true, oldestSeq: result.oldestSeq });
  });
};
export default changes;
