import { GridCollection, GridQuery } from '../../../../shared/schemas/geo.ts';
import { geoRoute } from '../geo-route.ts';
import { maskName } from '../../domain/masking.ts';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';

const grids: FastifyPluginAsyncTypebox = async (app) => {
  await app.register(geoRoute({
    url: '/grids',
    summary: 'Comprehensive and enterprise grids with their staff, filtered by kind, town or community',
    querystring: GridQuery,
    response: GridCollection,
    key: 'grids',
    // Any signed-in account (and kiosk) reads the geo API district-wide: the secretary's name is personal data, masked here.
    features: async (query) => (await app.repos.geo.grids(query)).map((g) => ({ ...g, properties: { ...g.properties, secretary: maskName(g.properties.secretary) } })),
  }));
};
export default grids;
