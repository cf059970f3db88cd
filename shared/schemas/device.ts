// Device status as the live layer carries it. Heartbeat intake and the
// offline rule belong to the devices feature; only transitions become changes.
import { Type, type Static } from 'typebox';
import { Code } from './common.ts';
import { CAMERA_STATUSES } from './geo.ts';

export type DeviceStatus = (typeof CAMERA_STATUSES)[number];
export const DeviceStatusSchema = Type.Enum(CAMERA_STATUSES);

/** One camera going online / offline / fault. `camera:status-changed` pushes an array of these. */
export const CameraStatusChange = Type.Object({
  code: Code,
  status: DeviceStatusSchema,
  /** The status before this change, when known. */
  previousStatus: Type.Optional(DeviceStatusSchema),
  faultCode: Type.Optional(Type.Union([Type.String({ maxLength: 64 }), Type.Null()])),
  at: Type.String({ format: 'date-time' }),
  townCode: Code,
  communityCode: Code,
  gridCode: Code,
  /** Sequence number (change log) of this change. */
  seq: Type.Integer({ minimum: 0 }),
});
export type CameraStatusChange = Static<typeof CameraStatusChange>;

// ---- Heartbeat intake (POST /api/v1/devices/heartbeats), added by the devices feature.

/** Largest batch one request may carry: a video platform's 2,000 cameras fit with room to spare. */
export const HEARTBEAT_BATCH_MAX = 5000;

/** What a gateway may report: a device status, or (smart-fire sensors) an alarm. */
export const HEARTBEAT_STATUSES = ['online', 'offline', 'fault', 'alarm'] as const;

export const Heartbeat = Type.Object(
  {
    /** The camera's or sensor's code. */
    code: Code,
    status: Type.Enum(HEARTBEAT_STATUSES),
    /** The device's fault code; a heartbeat with one means the device is faulty. */
    faultCode: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 64, pattern: '^[\\x21-\\x7E]+$' }), Type.Null()])),
    /** When the device said so (the gateway's clock). */
    at: Type.String({ format: 'date-time' }),
  },
  { additionalProperties: false },
);
export type Heartbeat = Static<typeof Heartbeat>;

export const HeartbeatBatch = Type.Object(
  { heartbeats: Type.Array(Heartbeat, { minItems: 1, maxItems: HEARTBEAT_BATCH_MAX }) },
  { additionalProperties: false },
);
export type HeartbeatBatch = Static<typeof HeartbeatBatch>;

/** One heartbeat not taken, by its position in the batch; nothing was stored for it. */
export const HeartbeatRejected = Type.Object({
  index: Type.Integer({ minimum: 0 }),
  code: Type.String(),
  reason: Type.Union([Type.Literal('unknown_device'), Type.Literal('outside_scope'), Type.Literal('future_time')]),
  message: Type.String(),
});
export type HeartbeatRejected = Static<typeof HeartbeatRejected>;

export const HeartbeatResult = Type.Object({
  received: Type.Integer({ minimum: 0 }),
  accepted: Type.Integer({ minimum: 0 }),
  /** Heartbeats older than one already heard from the same device (ignored, not an error). */
  stale: Type.Integer({ minimum: 0 }),
  /** Status transitions this batch caused (cameras and sensors). */
  transitions: Type.Integer({ minimum: 0 }),
  /** Incidents filed by fire-sensor alarms that started a new episode. */
  incidentIds: Type.Array(Type.String({ format: 'uuid' })),
  rejected: Type.Array(HeartbeatRejected),
});
export type HeartbeatResult = Static<typeof HeartbeatResult>;

// ---- Nearest cameras of an incident (GET /api/v1/incidents/{id}/cameras).

export const NEAREST_CAMERAS_DEFAULT = 6;
export const NEAREST_CAMERAS_MAX = 50;

export const NearestCamerasQuery = Type.Object(
  { limit: Type.Optional(Type.Integer({ minimum: 1, maximum: NEAREST_CAMERAS_MAX })) },
  { additionalProperties: false },
);
export type NearestCamerasQuery = Static<typeof NearestCamerasQuery>;

export const NearestCamera = Type.Object({
  code: Code,
  name: Type.String(),
  type: Type.String(),
  status: DeviceStatusSchema,
  gridCode: Code,
  communityCode: Code,
  townCode: Code,
  lon: Type.Number(),
  lat: Type.Number(),
  /** Metres from the incident. */
  distanceM: Type.Number({ minimum: 0 }),
  /** In the incident's own grid (these come first). */
  inGrid: Type.Boolean(),
});
export type NearestCamera = Static<typeof NearestCamera>;

export const NearestCameras = Type.Object({
  incidentId: Type.String({ format: 'uuid' }),
  cameras: Type.Array(NearestCamera),
});
export type NearestCameras = Static<typeof NearestCameras>;
