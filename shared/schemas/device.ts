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
