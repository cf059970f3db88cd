import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ApiError } from '../../../../shared/schemas/common.ts';
import { LocateQuery, LocateResult } from '../../../../shared/schemas/geo.ts';

const locate: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/locate', {
    schema: {
      tags: ['geo'],
      summary: 'The town, community and grid containing a WGS-84 point',
      description: 'Boundary inclusive; a point on a border shared by grids gets the grid with the smallest code. 404 outside every grid.',
      querystring: LocateQuery,
      response: { 200: LocateResult, 400: ApiError, 404: ApiError },
    },
  }, async (request, reply) => {
    const { lon, lat } = request.query;
    const found = app.spatial.locate(lon, lat);
    if (!found) return reply.notFound(`the point (${lon}, ${lat}) is outside every grid of Zhenjiang New Area`);
    return found;
  });
};
export default locate;
