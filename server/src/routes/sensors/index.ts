import { SensorCollection } from '../../../../shared/schemas/geo.ts';
import { geoRoute, TownQuery } from '../geo-route.ts';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';

const sensors: FastifyPluginAsyncTypebox = async (app) => {
  await app.register(geoRoute({
    url: '/sensors',
    summary: 'Smart-fire and other sensors with their status, optionally of one town',
    description: 'Cached per data version: whoever changes a sensor status calls `app.responseCache.invalidate("sensors")`.',
    querystring: TownQuery,
    response: SensorCollection,
    key: 'sensors',
    features: (query) => app.repos.geo.sensors(query),
  }));
};
export default sensors;
