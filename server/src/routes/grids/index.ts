import { GridCollection, GridQuery } from '../../../../shared/schemas/geo.ts';
import { geoRoute } from '../geo-route.ts';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';

const grids: FastifyPluginAsyncTypebox = async (app) => {
  await app.register(geoRoute({
    url: '/grids',
    summary: 'Comprehensive and enterprise grids with their staff, filtered by kind, town or community',
    querystring: GridQuery,
    response: GridCollection,
    key: 'grids',
    features: (query) => app.repos.geo.grids(query),
  }));
};
export default grids;
