// Integration keys for machine clients: issued, listed and revoked by the
// system administrator only (integration:manage); every change is audited by
// the service. The secret appears once, in the issue reply.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ApiError } from '../../../../shared/schemas/common.ts';
import {
  IntegrationKeyInfo, IntegrationKeyList, IntegrationKeyParams, IssueIntegrationKeyBody, IssuedIntegrationKey,
} from '../../../../shared/schemas/integration-keys.ts';
import { principalOf, requestContext } from '../../plugins/auth.ts';

const errors = { 400: ApiError, 401: ApiError, 403: ApiError, 404: ApiError };

const integrationKeys: FastifyPluginAsyncTypebox = async (app) => {
  const tags = ['admin'];

  app.get('/admin/integration-keys', {
    config: { permission: 'integration:manage' },
    schema: { tags, summary: 'Integration keys of machine clients (never the keys themselves)', response: { 200: IntegrationKeyList, ...errors } },
  }, async () => ({ keys: await app.integrationKeys.list() }));

  app.post('/admin/integration-keys', {
    config: { permission: 'integration:manage' },
    schema: {
      tags,
      summary: 'Issue a key for one machine client, scope and channel; the secret is shown only in this reply',
      description: 'The client sends it as `Authorization: Bearer <key>` (Open311 clients may send it as `api_key`).',
      body: IssueIntegrationKeyBody,
      response: { 201: IssuedIntegrationKey, ...errors },
    },
  }, async (request, reply) => {
    const issued = await app.integrationKeys.issue(principalOf(request), request.body, requestContext(request));
    reply.header('cache-control', 'no-store');
    return reply.code(201).send(issued);
  });

  app.delete('/admin/integration-keys/:id', {
    config: { permission: 'integration:manage' },
    schema: { tags, summary: 'Revoke an integration key; it is refused from the next request on', params: IntegrationKeyParams,
      response: { 200: IntegrationKeyInfo, ...errors } },
  }, async (request) => app.integrationKeys.revoke(principalOf(request), request.params.id, requestContext(request)));
};
export default integrationKeys;
