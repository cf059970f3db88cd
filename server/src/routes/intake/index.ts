// Chat-group intake: the robot (an integration key of channel chat_robot) or
// a liaison / duty officer posts group messages; recognised ones are filed
// as reports, the rest wait in a scoped queue for a duty officer to classify.
// Thin: the rules live in services/intake-service.ts.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { ApiError } from '../../../../shared/schemas/common.ts';
import {
  ClassifyBody, DismissBody, IntakeMessage, IntakeMessageBody, IntakeMessageList, IntakeMessageParams, IntakeMessageQuery, IntakeResult,
} from '../../../../shared/schemas/intake.ts';
import { principalOf } from '../../plugins/auth.ts';
import { createIntakeService, type Submitter } from '../../services/intake-service.ts';
import { integrationOf } from '../../services/integration-keys-service.ts';

const errors = { 400: ApiError, 401: ApiError, 403: ApiError, 404: ApiError, 409: ApiError, 422: ApiError, 429: ApiError };

const intake: FastifyPluginAsyncTypebox = async (app) => {
  // Per machine client or person, not per address (a robot and a duty office may share one NAT);
  // the same per-minute limit as POST /reports (REPORT_RATE_LIMIT_PER_MINUTE).
  const rateLimit = {
    max: app.liveOptions.reportRateLimitPerMinute,
    timeWindow: 60_000,
    keyGenerator: (request: FastifyRequest) =>
      request.integration ? `key:${request.integration.keyId}` : request.principal ? `account:${request.principal.username}` : `ip:${request.ip}`,
  };
  const service = createIntakeService({ repos: app.repos, reports: app.reports, cipher: app.fieldCipher, clock: app.securityOptions.clock });
  const tags = ['intake'];

  const submitterOf = (request: FastifyRequest): Submitter => {
    const machine = integrationOf(request);
    return machine ? { kind: 'integration', integration: machine, ip: request.ip ?? null } : { kind: 'person', principal: principalOf(request), ip: request.ip ?? null };
  };

  app.post('/intake/messages', {
    config: { permission: 'incident:dispatch', integration: ['chat_robot'], rateLimit },
    schema: {
      tags,
      summary: 'A chat-group message in: filed as a chat_robot report when recognised, else kept unclassified (idempotent on messageId)',
      description: 'Callers: the chat robot with an integration key of channel chat_robot (Authorization: Bearer gik_...), or a liaison / duty '
        + 'officer. A recognised message is placed at its community\'s party-mass service station. 201 the first time, 200 for the same message again, '
        + '409 for a different message under a used messageId.',
      body: IntakeMessageBody,
      response: { 200: IntakeResult, 201: IntakeResult, ...errors },
    },
  }, async (request, reply) => {
    const outcome = await service.submit(request.body, submitterOf(request));
    return reply.code(outcome.created ? 201 : 200).send(outcome);
  });

  app.get('/intake/messages', {
    config: { permission: 'incident:dispatch' },
    schema: {
      tags,
      summary: 'Chat-group messages in your scope, newest first (status=unclassified: the queue to classify)',
      querystring: IntakeMessageQuery,
      response: { 200: IntakeMessageList, ...errors },
    },
  }, async (request) => service.list(principalOf(request), request.query));

  app.post('/intake/messages/:id/classify', {
    config: { permission: 'incident:dispatch', rateLimit },
    schema: {
      tags,
      summary: 'Name the item of an unclassified message; it is filed at once (at the given point, or its community\'s service station)',
      params: IntakeMessageParams,
      body: ClassifyBody,
      response: { 201: IntakeResult, 200: IntakeResult, ...errors },
    },
  }, async (request, reply) => {
    const outcome = await service.classify(principalOf(request), request.params.id, request.body, request.ip ?? null);
    return reply.code(outcome.created ? 201 : 200).send(outcome);
  });

  app.post('/intake/messages/:id/dismiss', {
    config: { permission: 'incident:dispatch', rateLimit },
    schema: {
      tags,
      summary: 'Take an unclassified message out of the queue as needing no action ("收到，谢谢"), with a reason; it is kept, not deleted',
      description: '409 when it is no longer unclassified (someone classified or dismissed it first).',
      params: IntakeMessageParams,
      body: DismissBody,
      response: { 200: IntakeMessage, ...errors },
    },
  }, async (request) => service.dismiss(principalOf(request), request.params.id, request.body, request.ip ?? null));
};
export default intake;
