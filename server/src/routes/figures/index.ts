// GET /figures: the review figures of the caller's scope for the day, week
// or month containing `at` (now by default), by tier, town, community or unit.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { FiguresQuery, FiguresReply } from '../../../../shared/schemas/dispatch.ts';
import { ApiError } from '../../../../shared/schemas/common.ts';
import { principalOf } from '../../plugins/auth.ts';
import { createFiguresService } from '../../services/figures-service.ts';

const figures: FastifyPluginAsyncTypebox = async (app) => {
  const service = createFiguresService({ db: app.db, clock: app.securityOptions.clock, sla: app.dispatchOptions.sla });
  app.get('/figures', {
    config: { permission: 'stats:read' },
    schema: {
      tags: ['dispatch'],
      summary: 'Response, disposal and on-time rates, time per stage, escalated and returned items: per tier, town, community or unit',
      querystring: FiguresQuery,
      response: { 200: FiguresReply, 400: ApiError, 401: ApiError, 403: ApiError },
    },
  }, async (request, reply) => {
    reply.header('cache-control', 'no-store');
    return service.figures(principalOf(request).scope, request.query);
  });
};
export default figures;
