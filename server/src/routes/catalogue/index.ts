import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Catalogue } from '../../../../shared/schemas/catalogue.ts';
import { ApiError } from '../../../../shared/schemas/common.ts';
import { sendCached } from '../../plugins/response-cache.ts';
import { NoQuery } from '../geo-route.ts';

const catalogue: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/catalogue', {
    schema: {
      tags: ['catalogue'],
      summary: 'The 70 reportable items in 5 domains, with the time limits of each level',
      querystring: NoQuery,
      response: { 200: Catalogue, 400: ApiError },
    },
  }, async (request, reply) => sendCached(request, reply, await app.responseCache.get('catalogue', () => app.repos.catalogue.read())));
};
export default catalogue;
