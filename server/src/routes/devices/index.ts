// A gateway's heartbeat batch (video platform, smart-fire system). The body
// is validated whole (a malformed batch is a 400 and nothing is stored);
// items naming unknown devices, devices outside the caller's scope or a
// future time are answered one by one in `rejected`, the rest applied.
// Only batches that changed something are audited: 2,000 cameras beat every
// 30 s, and an audit row per beat would drown the log.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ApiError } from '../../../../shared/schemas/common.ts';
import { HeartbeatBatch, HeartbeatResult } from '../../../../shared/schemas/device.ts';
import { principalOf } from '../../plugins/auth.ts';
import { integrationActorName, integrationOf } from '../../services/integration-keys-service.ts';

/** 5,000 heartbeats of ~120 bytes each, with room to spare. */
const BODY_LIMIT_BYTES = 1024 * 1024;

const devices: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/devices/heartbeats', {
    bodyLimit: BODY_LIMIT_BYTES,
    // A video platform's key (channel camera) or a smart-fire system's (channel sensor), bound to its scope.
    config: { integration: ['camera', 'sensor'] },
    schema: {
      tags: ['devices'],
      summary: 'Heartbeats of cameras and sensors from a gateway; only status transitions are stored and pushed',
      description: 'Called by a gateway with an integration key of channel camera or sensor (Authorization: Bearer gik_...), '
        + 'limited to the devices in its scope, or relayed by a district duty officer. '
        + 'A sensor reporting `alarm` files a fire incident once per alarm episode.',
      body: HeartbeatBatch,
      response: { 200: HeartbeatResult, 400: ApiError, 401: ApiError, 403: ApiError, 413: ApiError },
    },
  }, async (request, reply) => {
    const machine = integrationOf(request);
    if (!machine && principalOf(request).role !== 'district_duty') {
      // A gateway, not a person, reports device status; a district duty seat may relay it (e.g. from a platform without a key yet).
      await app.audit.record(request, { action: 'access.denied', result: 'denied', detail: 'POST /devices/heartbeats: only a district duty officer may relay heartbeats' });
      return reply.apiError(403, 'only a gateway key (camera / sensor) or a district duty officer may report device heartbeats');
    }
    const scope = machine ? machine.scope : principalOf(request).scope;
    const result = await app.devices.ingest(request.body.heartbeats, scope);
    if (result.transitions > 0 || result.incidentIds.length > 0) {
      const entry = {
        action: 'devices.heartbeats', result: 'success' as const,
        detail: `${result.accepted} heartbeats, ${result.transitions} transitions, ${result.incidentIds.length} fire incidents`,
      };
      if (machine) await app.repos.audit.append({ actor: integrationActorName(machine), scope: machine.scope, sourceIp: request.ip ?? null, ...entry });
      else await app.audit.record(request, entry);
    }
    return result;
  });
};
export default devices;
