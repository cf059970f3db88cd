// Incidents: what the field reports and every screen shows. One shape for the
// REST API, the change log and the realtime events (shared/realtime.ts).
import { Type, type Static } from 'typebox';
import { ApiError, Code } from './common.ts';
import { DomainSchema, LevelSchema } from './catalogue.ts';
import { RoleSchema } from './auth.ts';
import { ChannelSchema, IncidentStatusSchema, TierSchema } from '../workflow.ts';

/** Client-chosen ids are UUIDs (any version), so a retried report keeps its id. */
export const IncidentId = Type.String({ format: 'uuid' });
export const ItemCode = Type.String({ pattern: '^[A-Z]{2}-[0-9]{2}$' });
export const DateTime = Type.String({ format: 'date-time' });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

export const Reporter = Type.Object({
  /** Masked (王*亮) unless the caller's role may read residents' contacts. */
  name: Type.Optional(Nullable(Type.String())),
  /** Masked (138****5678) unless the caller's role may read residents' contacts; always masked in pushed events. */
  phone: Type.Optional(Nullable(Type.String())),
  /** The account that filed it, when one did (a field worker, a duty officer at the hotline). */
  accountId: Type.Optional(Nullable(Type.Integer())),
});
export type Reporter = Static<typeof Reporter>;

export const Incident = Type.Object({
  id: IncidentId,
  itemCode: ItemCode,
  domain: DomainSchema,
  level: LevelSchema,
  lon: Type.Number(),
  lat: Type.Number(),
  gridCode: Code,
  communityCode: Code,
  townCode: Code,
  description: Type.String(),
  reporter: Reporter,
  channel: ChannelSchema,
  photoUrls: Type.Array(Type.String()),
  status: IncidentStatusSchema,
  /**
   * Whose seat it is at now: starts at the tier its level calls for (the server's START_TIERS table;
   * by default level 1 the New Area, 2 the town, 3 the community), escalation moves it up.
   */
  tier: TierSchema,
  /** The handling unit it is dispatched to (the workflow sets it), null before. */
  unitCode: Type.Optional(Nullable(Code)),
  /** A leader's supervision mark (督办). */
  supervised: Type.Boolean(),
  /** Not accepted within its item's response time (the overdue alert sets it). */
  overdue: Type.Boolean(),
  /** Optimistic concurrency: 1 when reported, +1 on every change. */
  version: Type.Integer({ minimum: 1 }),
  /** The fire sensor that raised it, for sensor-channel incidents. */
  sensorCode: Type.Optional(Nullable(Code)),
  /** Alerts raised about it, when the alert feature links them. */
  alertIds: Type.Optional(Type.Array(Type.String())),
  reportedAt: DateTime,
  updatedAt: DateTime,
  /** Sequence number (change log) of its last change. */
  seq: Type.Integer({ minimum: 0 }),
});
export type Incident = Static<typeof Incident>;

/**
 * POST /api/v1/reports. `id` is chosen by the client; sending the same body
 * again is answered with the stored incident, a different body under the same
 * id is refused (409). The place (grid, community, town) is found by the server.
 */
export const ReportBody = Type.Object(
  {
    id: IncidentId,
    itemCode: ItemCode,
    lon: Type.Number({ minimum: -180, maximum: 180 }),
    lat: Type.Number({ minimum: -90, maximum: 90 }),
    description: Type.String({ minLength: 1, maxLength: 2000 }),
    reporter: Type.Optional(Type.Object(
      {
        name: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
        phone: Type.Optional(Type.String({ pattern: '^\\+?[0-9-]{5,20}$' })),
      },
      { additionalProperties: false },
    )),
    /** Defaults to `field`. */
    channel: Type.Optional(ChannelSchema),
    /** http(s) only: screens render them as links and images (no javascript: or data: URLs). */
    photoUrls: Type.Optional(Type.Array(Type.String({ format: 'uri', pattern: '^https?://', maxLength: 500 }), { maxItems: 9 })),
  },
  { additionalProperties: false },
);
export type ReportBody = Static<typeof ReportBody>;

/** GET /api/v1/incidents: filters (all optional, combined with AND), newest first, keyset-paged by `cursor`. */
export const IncidentQuery = Type.Object(
  {
    town: Type.Optional(Code),
    community: Type.Optional(Code),
    grid: Type.Optional(Code),
    status: Type.Optional(IncidentStatusSchema),
    /** true: only open incidents (not yet closed), any open status; false: only closed ones. A screen's snapshot pages through all open ones. */
    open: Type.Optional(Type.Boolean()),
    // An integer, not LevelSchema: a bare enum carries no type, so the query string's "1" would not be coerced.
    level: Type.Optional(Type.Integer({ minimum: 1, maximum: 3 })),
    domain: Type.Optional(DomainSchema),
    channel: Type.Optional(ChannelSchema),
    itemCode: Type.Optional(ItemCode),
    /** reportedAt >= from */
    from: Type.Optional(DateTime),
    /** reportedAt < to */
    to: Type.Optional(DateTime),
    /** `nextCursor` of the previous page. */
    cursor: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{1,200}$' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
  },
  { additionalProperties: false },
);
export type IncidentQuery = Static<typeof IncidentQuery>;

export const IncidentList = Type.Object({
  incidents: Type.Array(Incident),
  /** Pass as `cursor` for the next (older) page; null on the last page. */
  nextCursor: Nullable(Type.String()),
  /**
   * The change-log head when this page was read (same database snapshot): a
   * screen that loads a snapshot continues with changes?since=lastSeq.
   */
  lastSeq: Type.Integer({ minimum: 0 }),
  /** Phones and names are masked for the caller's role. */
  masked: Type.Boolean(),
});
export type IncidentList = Static<typeof IncidentList>;

export const TimelineActor = Type.Object({
  accountId: Type.Optional(Nullable(Type.Integer())),
  username: Type.Optional(Nullable(Type.String())),
  role: Type.Optional(Nullable(RoleSchema)),
});
export type TimelineActor = Static<typeof TimelineActor>;

/** One step of an incident's history; append-only (the table refuses UPDATE and DELETE). */
export const TimelineEntry = Type.Object({
  at: DateTime,
  actor: TimelineActor,
  /** 'reported', then the workflow's actions ('accepted', 'dispatched', 'escalated', 'supervised', ...). */
  action: Type.String({ pattern: '^[a-z][a-z0-9_.-]{0,63}$' }),
  fromStatus: Type.Optional(Nullable(IncidentStatusSchema)),
  toStatus: Type.Optional(Nullable(IncidentStatusSchema)),
  tier: Type.Optional(Nullable(TierSchema)),
  note: Type.Optional(Nullable(Type.String())),
  data: Type.Optional(Type.Unknown()),
  /** The change-log seq this step was published with. */
  seq: Type.Optional(Type.Integer({ minimum: 0 })),
});
export type TimelineEntry = Static<typeof TimelineEntry>;

export const IncidentWithTimeline = Type.Object({
  incident: Incident,
  timeline: Type.Array(TimelineEntry),
  masked: Type.Boolean(),
});
export type IncidentWithTimeline = Static<typeof IncidentWithTimeline>;

export const IncidentParams = Type.Object({ id: IncidentId }, { additionalProperties: false });
export type IncidentParams = Static<typeof IncidentParams>;

/** 409 on a report id reused with a different body, or an update against a stale version. */
export const ConflictError = ApiError;
