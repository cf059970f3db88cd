// POST /api/v1/reports: a field report in. Idempotent on the client's id:
// 201 with the new incident the first time, 200 with the stored one when the
// same report comes again (a phone retrying), 409 for a different report
// under a used id. Nothing is stored on any error.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Incident, ReportBody } from '../../../../shared/schemas/incident.ts';
import { ApiError } from '../../../../shared/schemas/common.ts';
import { principalOf, requestContext } from '../../plugins/auth.ts';
import { actorOf, replyLiveError } from '../../realtime/actor.ts';
import { incidentView } from '../../services/incidents-service.ts';

const reports: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/reports', {
    config: {
      permission: 'incident:report',
      // Per account (the hook runs after sign-in is checked), so one busy hotline desk does not block a whole office's address.
      rateLimit: {
        max: app.liveOptions.reportRateLimitPerMinute,
        timeWindow: 60_000,
        keyGenerator: (request) => request.principal ? `account:${request.principal.username}` : `ip:${request.ip}`,
      },
    },
    schema: {
      tags: ['incidents'],
      summary: 'File a report (idempotent on its client-chosen id: 201 new, 200 the same report again)',
      body: ReportBody,
      response: { 200: Incident, 201: Incident, 400: ApiError, 401: ApiError, 403: ApiError, 409: ApiError, 422: ApiError, 429: ApiError },
    },
  }, async (request, reply) => {
    const principal = principalOf(request);
    try {
      const { incident, created } = await app.reports.file(request.body, actorOf(principal, requestContext(request).ip));
      return reply.code(created ? 201 : 200).send(incidentView(incident, principal.role));
    } catch (err) {
      return replyLiveError(reply, err);
    }
  });
};
export default reports;
