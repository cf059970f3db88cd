import { CameraCollection } from '../../../../shared/schemas/geo.ts';
import { geoRoute, TownQuery } from '../geo-route.ts';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';

const cameras: FastifyPluginAsyncTypebox = async (app) => {
  await app.register(geoRoute({
    url: '/cameras',
    summary: 'Surveillance cameras with their status, optionally of one town',
    description: 'Cached per data version: whoever changes a camera status calls `app.responseCache.invalidate("cameras")`.',
    querystring: TownQuery,
    response: CameraCollection,
    key: 'cameras',
    features: (query) => app.repos.geo.cameras(query),
  }));
};
export default cameras;
