import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ApiError } from '../../../../shared/schemas/common.ts';
import { Health } from '../../../../shared/schemas/geo.ts';
import { NoQuery } from '../geo-route.ts';

const health: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/health', {
    // Probes (load balancer, container) call it without an account; it shows no data.
    config: { public: true },
    schema: {
      tags: ['system'],
      summary: 'Is the server up, and can it reach its database? 503 when it cannot.',
      querystring: NoQuery,
      response: { 200: Health, 503: Health, 400: ApiError },
    },
  }, async (_request, reply) => {
    const up = await app.repos.health.ping();
    reply.header('cache-control', 'no-store');
    return reply.code(up ? 200 : 503).send({
      status: up ? 'ok' : 'degraded',
      database: up ? 'up' : 'down',
      dataVersion: app.dataset.version,
      uptimeSeconds: Math.round(process.uptime()),
    });
  });
};
export default health;
