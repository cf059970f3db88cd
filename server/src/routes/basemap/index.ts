import { BasemapCollection } from '../../../../shared/schemas/geo.ts';
import { geoRoute, NoQuery } from '../geo-route.ts';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';

const basemap: FastifyPluginAsyncTypebox = async (app) => {
  await app.register(geoRoute({
    url: '/basemap',
    summary: 'The district outline and the Yangtze (feature ids "district" and "river")',
    querystring: NoQuery,
    response: BasemapCollection,
    key: 'basemap',
    features: () => app.repos.geo.basemap(),
  }));
};
export default basemap;
