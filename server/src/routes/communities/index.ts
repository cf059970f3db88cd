import { CommunityCollection } from '../../../../shared/schemas/geo.ts';
import { geoRoute, TownQuery } from '../geo-route.ts';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';

const communities: FastifyPluginAsyncTypebox = async (app) => {
  await app.register(geoRoute({
    url: '/communities',
    summary: 'The villages / communities, optionally of one town',
    querystring: TownQuery,
    response: CommunityCollection,
    key: 'communities',
    features: (query) => app.repos.geo.communities(query),
  }));
};
export default communities;
