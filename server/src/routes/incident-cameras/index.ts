// The cameras an officer should look through for an incident: those in its
// grid first, nearest first, then the nearest outside it. The incident is
// looked up as GET /incidents/{id} does (scope, a field worker's own
// reports), so an id outside the caller's reach is a 404 here too.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ApiError } from '../../../../shared/schemas/common.ts';
import { IncidentParams } from '../../../../shared/schemas/incident.ts';
import { NEAREST_CAMERAS_DEFAULT, NearestCameras, NearestCamerasQuery } from '../../../../shared/schemas/device.ts';
import { principalOf } from '../../plugins/auth.ts';

const incidentCameras: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/incidents/:id/cameras', {
    config: { permission: 'incident:read' },
    schema: {
      tags: ['incidents'],
      summary: 'The cameras nearest to an incident, its own grid first (404 when unknown or outside your scope)',
      params: IncidentParams,
      querystring: NearestCamerasQuery,
      response: { 200: NearestCameras, 400: ApiError, 401: ApiError, 403: ApiError, 404: ApiError },
    },
  }, async (request, reply) => {
    const principal = principalOf(request);
    const incident = await app.incidents.get(principal, request.params.id);
    if (!incident) return reply.notFound(`no incident ${request.params.id} in your data scope`);
    const cameras = await app.devices.nearest(incident, request.query.limit ?? NEAREST_CAMERAS_DEFAULT);
    reply.header('cache-control', 'no-store');
    return { incidentId: incident.id, cameras };
  });
};
export default incidentCameras;
