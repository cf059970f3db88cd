import { TownCollection } from '../../../../shared/schemas/geo.ts';
import { geoRoute, NoQuery } from '../geo-route.ts';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';

const towns: FastifyPluginAsyncTypebox = async (app) => {
  await app.register(geoRoute({
    url: '/towns',
    summary: 'The 5 towns / streets with their totals',
    querystring: NoQuery,
    response: TownCollection,
    key: 'towns',
    features: () => app.repos.geo.towns(),
  }));
};
export default towns;
