// Alerts: raised by rules (level-1 incident, overdue, cluster, camera online
// rate, fire alarm), acknowledged by a person, cleared. Stored, numbered in
// the change log and pushed like incidents (shared/realtime.ts).
import { Type, type Static } from 'typebox';
import { Code } from './common.ts';
import { LevelSchema } from './catalogue.ts';

export const ALERT_KINDS = ['level1', 'overdue', 'cluster', 'camera_offline_rate', 'fire_alarm'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];
export const AlertKindSchema = Type.Enum(ALERT_KINDS);

export const ALERT_STATUSES = ['raised', 'acknowledged', 'cleared'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];
export const AlertStatusSchema = Type.Enum(ALERT_STATUSES);

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);
const DateTime = Type.String({ format: 'date-time' });

export const Alert = Type.Object({
  /** Chosen by the alert feature (a UUID is recommended). */
  id: Type.String({ minLength: 1, maxLength: 64 }),
  kind: AlertKindSchema,
  /** 1 is the gravest, as for catalogue items. */
  level: LevelSchema,
  status: AlertStatusSchema,
  townCode: Code,
  communityCode: Nullable(Code),
  gridCode: Nullable(Code),
  incidentId: Nullable(Type.String({ format: 'uuid' })),
  sensorCode: Type.Optional(Nullable(Code)),
  /** A short line for a person (zh-CN); clients may build their own text from `messageKey` + `data`. */
  message: Type.String(),
  /** vue-i18n key of the message, e.g. 'alerts.cluster'. */
  messageKey: Type.Optional(Type.String()),
  /** The rule's numbers (counts, thresholds, minutes), for the message and the screen. */
  data: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  raisedAt: DateTime,
  acknowledgedAt: Nullable(DateTime),
  acknowledgedBy: Nullable(Type.String()),
  clearedAt: Nullable(DateTime),
  clearedBy: Nullable(Type.String()),
  /** Sequence number (change log) of its last change. */
  seq: Type.Integer({ minimum: 0 }),
});
export type Alert = Static<typeof Alert>;

export const AlertQuery = Type.Object(
  {
    status: Type.Optional(AlertStatusSchema),
    kind: Type.Optional(AlertKindSchema),
    town: Type.Optional(Code),
    community: Type.Optional(Code),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
    /** `nextCursor` of the previous page (added by the alerts feature: keyset paging, newest first). */
    cursor: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{1,200}$' })),
  },
  { additionalProperties: false },
);
export type AlertQuery = Static<typeof AlertQuery>;

export const AlertList = Type.Object({
  alerts: Type.Array(Alert),
  /** Change-log head in the same snapshot, as IncidentList.lastSeq. */
  lastSeq: Type.Integer({ minimum: 0 }),
  /** Pass as `cursor` for the next (older) page; null on the last page (added by the alerts feature). */
  nextCursor: Type.Optional(Type.Union([Type.String(), Type.Null()])),
});
export type AlertList = Static<typeof AlertList>;

/** POST /api/v1/alerts/{id}/acknowledge and /clear (added by the alerts feature). */
export const AlertParams = Type.Object({ id: Type.String({ format: 'uuid' }) }, { additionalProperties: false });
export type AlertParams = Static<typeof AlertParams>;
