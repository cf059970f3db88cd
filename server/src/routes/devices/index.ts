// A gateway's heartbeat batch (video platform, smart-fire system). The body
// is validated whole (a malformed batch is a 400 and nothing is stored);
// items naming unknown devices, devices outside the caller's scope or a
// future time are answered one by one in `rejected`, the rest applied.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ApiError } from '../../../../shared/schemas/common.ts';
import { HeartbeatBatch, HeartbeatResult } from '../../../../shared/schemas/device.ts';
import { principalOf } from '../../plugins/auth.ts';

/** 5,000 heartbeats of ~120 bytes each, with room to spare. */
const BODY_LIMIT_BYTES = 1024 * 1024;

const devices: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/devices/heartbeats', {
    bodyLimit: BODY_LIMIT_BYTES,
    schema: {
      tags: ['devices'],
      summary: 'Heartbeats of cameras and sensors from a gateway; only status transitions are stored and pushed',
      description: 'Called by a district duty officer (or, once issued, a gateway\'s integration key). '
        + 'A sensor reporting `alarm` files a fire incident once per alarm episode.',
      body: HeartbeatBatch,
      response: { 200: HeartbeatResult, 400: ApiError, 401: ApiError, 403: ApiError, 413: ApiError },
    },
  }, async (request, reply) => {
    const principal = principalOf(request);
    // A gateway, not a person, reports device status; until gateways hold keys a district duty seat may relay it.
    if (principal.role !== 'district_duty') {
      await app.audit.record(request, { action: 'access.denied', result: 'denied', detail: 'POST /devices/heartbeats: only a district duty officer may relay heartbeats' });
      return reply.apiError(403, 'only a gateway key or a district duty officer may report device heartbeats');
    }
    return app.devices.ingest(request.body.heartbeats, principal.scope);
  });
};
export default devices;
