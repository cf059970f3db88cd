import { StationCollection } from '../../../../shared/schemas/geo.ts';
import { geoRoute, TownQuery } from '../geo-route.ts';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';

const stations: FastifyPluginAsyncTypebox = async (app) => {
  await app.register(geoRoute({
    url: '/stations',
    summary: 'Party-mass service stations (党群服务站), optionally of one town',
    querystring: TownQuery,
    response: StationCollection,
    key: 'stations',
    features: (query) => app.repos.geo.stations(query),
  }));
};
export default stations;
