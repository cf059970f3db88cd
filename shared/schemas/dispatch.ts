// Dispatch and escalation (issue 6): the workflow actions on an item (one
// route and one body each), the seats' queues, the units' items, the duty
// roster and the review figures. The transitions themselves are decided by
// server/src/domain/workflow.ts; these are the shapes on the wire.
import { Type, type Static } from 'typebox';
import { ApiError, Code } from './common.ts';
import { LevelSchema } from './catalogue.ts';
import { Incident, IncidentId } from './incident.ts';
import { IncidentStatusSchema, TierSchema, WorkflowActionSchema } from '../workflow.ts';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);
const DateTime = Type.String({ format: 'date-time' });
const MAX_TEXT = 2000;

/** Handling unit codes (urban-mgmt, police, water ...). */
export const UnitCode = Type.String({ pattern: '^[a-z][a-z0-9-]{1,31}$' });
/** The version the caller saw: a different current version is answered 409 with the fresh state. */
const ExpectedVersion = Type.Integer({ minimum: 1 });
const Note = Type.String({ maxLength: MAX_TEXT });
const Required = Type.String({ minLength: 1, maxLength: MAX_TEXT, pattern: '\\S' });
/** Photo addresses: absolute URLs or paths on this server, at most 9. */
const Photos = Type.Array(Type.String({ minLength: 1, maxLength: 500, pattern: '^(https?://|/)\\S+$' }), { maxItems: 9 });

const body = <P extends Parameters<typeof Type.Object>[0]>(properties: P) =>
  Type.Object({ expectedVersion: ExpectedVersion, ...properties }, { additionalProperties: false });

export const AcceptBody = body({ note: Type.Optional(Note) });
export const DispatchBody = body({
  leadUnit: UnitCode,
  helperUnits: Type.Optional(Type.Array(UnitCode, { maxItems: 5, uniqueItems: true })),
  /** When the lead unit must have resolved it. */
  deadline: DateTime,
  note: Type.Optional(Note),
});
export const TakeBody = body({ note: Type.Optional(Note) });
export const ReturnBody = body({ reason: Required });
export const ProgressBody = body({ note: Required, photos: Type.Optional(Photos) });
export const ResolveBody = body({ note: Required, photos: Type.Optional(Photos) });
export const VerifyBody = body({ note: Type.Optional(Note) });
export const RejectBody = body({ reason: Required });
/** A reason is required when closing without the unit's work (from accepted or returned). */
export const CloseBody = body({ note: Type.Optional(Note), reason: Type.Optional(Required) });
export const RateBody = body({ score: Type.Integer({ minimum: 1, maximum: 5 }), comment: Type.Optional(Note) });
export const EscalateBody = body({ reason: Required });
export const HandDownBody = body({ instructions: Required });
export const SuperviseBody = body({ note: Required });
export const ReopenBody = body({ reason: Required });

/** Route path segment -> workflow action and its body. */
export const ACTION_ROUTES = {
  accept: { action: 'accept', body: AcceptBody },
  dispatch: { action: 'dispatch', body: DispatchBody },
  take: { action: 'take', body: TakeBody },
  return: { action: 'return', body: ReturnBody },
  progress: { action: 'progress', body: ProgressBody },
  resolve: { action: 'resolve', body: ResolveBody },
  verify: { action: 'verify', body: VerifyBody },
  reject: { action: 'reject', body: RejectBody },
  close: { action: 'close', body: CloseBody },
  rate: { action: 'rate', body: RateBody },
  escalate: { action: 'escalate', body: EscalateBody },
  'hand-down': { action: 'hand_down', body: HandDownBody },
  supervise: { action: 'supervise', body: SuperviseBody },
  reopen: { action: 'reopen', body: ReopenBody },
} as const;
export type ActionRoute = keyof typeof ACTION_ROUTES;

export const ActionParams = Type.Object({ id: IncidentId }, { additionalProperties: false });
export type ActionParams = Static<typeof ActionParams>;

/** Where an item's handling stands now, beyond the incident itself. */
export const DispatchState = Type.Object({
  leadUnit: Nullable(UnitCode),
  helperUnits: Type.Array(UnitCode),
  deadline: Nullable(DateTime),
  /** The highest tier that handed it down and may get it back. */
  handedDownFrom: Nullable(TierSchema),
  /** The SLA clock now, or null when none runs (closed, rated). */
  clock: Nullable(Type.Object({
    stage: Type.Union([Type.Literal('response'), Type.Literal('handling'), Type.Literal('verification')]),
    startedAt: DateTime,
    dueAt: DateTime,
    escalateAt: Nullable(DateTime),
    overdue: Type.Boolean(),
  })),
});
export type DispatchState = Static<typeof DispatchState>;

export const ProgressRecord = Type.Object({
  unitCode: UnitCode,
  kind: Type.Union([Type.Literal('progress'), Type.Literal('resolve')]),
  note: Type.String(),
  photos: Type.Array(Type.String()),
  at: DateTime,
});
export type ProgressRecord = Static<typeof ProgressRecord>;

export const Rating = Type.Object({
  score: Type.Integer({ minimum: 1, maximum: 5 }),
  comment: Nullable(Type.String()),
  byReporter: Type.Boolean(),
  at: DateTime,
});
export type Rating = Static<typeof Rating>;

/** The answer to an action, and GET /incidents/{id}/dispatch. */
export const ActionResult = Type.Object({
  incident: Incident,
  dispatch: DispatchState,
  /** What the caller may do next (the console's buttons). */
  actions: Type.Array(WorkflowActionSchema),
});
export type ActionResult = Static<typeof ActionResult>;

export const DispatchDetail = Type.Object({
  incident: Incident,
  dispatch: DispatchState,
  actions: Type.Array(WorkflowActionSchema),
  progress: Type.Array(ProgressRecord),
  ratings: Type.Array(Rating),
});
export type DispatchDetail = Static<typeof DispatchDetail>;

/** A refused action: `code` says why (workflow codes), and a 409 carries the item as it is now. */
export const ActionError = Type.Object({
  ...ApiError.properties,
  code: Type.Optional(Type.String()),
  incident: Type.Optional(Incident),
  dispatch: Type.Optional(DispatchState),
});
export type ActionError = Static<typeof ActionError>;

// ---- queues

export const QUEUE_NAMES = ['new', 'mine', 'overdue', 'escalated', 'returned'] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];
export const QueueParams = Type.Object({ name: Type.Enum(QUEUE_NAMES) }, { additionalProperties: false });
export type QueueParams = Static<typeof QueueParams>;

export const QueueQuery = Type.Object(
  {
    /** Words in the description, or an item code. */
    q: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    level: Type.Optional(LevelSchema),
    town: Type.Optional(Code),
    community: Type.Optional(Code),
    supervised: Type.Optional(Type.Boolean()),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
  },
  { additionalProperties: false },
);
export type QueueQuery = Static<typeof QueueQuery>;

/** One line of a queue: no personal data (the detail route has the reporter). */
export const QueueItem = Type.Object({
  id: IncidentId,
  itemCode: Type.String(),
  level: LevelSchema,
  status: IncidentStatusSchema,
  tier: TierSchema,
  townCode: Code,
  communityCode: Code,
  gridCode: Code,
  lon: Type.Number(),
  lat: Type.Number(),
  description: Type.String(),
  supervised: Type.Boolean(),
  overdue: Type.Boolean(),
  version: Type.Integer({ minimum: 1 }),
  reportedAt: DateTime,
  updatedAt: DateTime,
  leadUnit: Nullable(UnitCode),
  helperUnits: Type.Array(UnitCode),
  deadline: Nullable(DateTime),
  seq: Type.Integer({ minimum: 0 }),
});
export type QueueItem = Static<typeof QueueItem>;

export const QueueList = Type.Object({
  queue: Type.Union([Type.Enum(QUEUE_NAMES), Type.Literal('unit')]),
  /** The tier whose items these are; null when the caller is no seat (all tiers in scope). */
  tier: Nullable(TierSchema),
  items: Type.Array(QueueItem),
  /** Change-log head read with the list: continue with changes?since=lastSeq. */
  lastSeq: Type.Integer({ minimum: 0 }),
});
export type QueueList = Static<typeof QueueList>;

export const UnitParams = Type.Object({ code: UnitCode }, { additionalProperties: false });

/** GET /units: the handling units a seat can dispatch to. */
export const HandlingUnit = Type.Object({
  code: UnitCode,
  name: Type.String(),
  nameEn: Type.String(),
  kind: Type.Union([Type.Literal('government'), Type.Literal('police'), Type.Literal('utility'), Type.Literal('property')]),
});
export type HandlingUnit = Static<typeof HandlingUnit>;
export const UnitList = Type.Object({ units: Type.Array(HandlingUnit) });
export type UnitList = Static<typeof UnitList>;
export const UnitItemsQuery = Type.Object(
  { status: Type.Optional(IncidentStatusSchema), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })) },
  { additionalProperties: false },
);
export type UnitItemsQuery = Static<typeof UnitItemsQuery>;

// ---- figures

export const FiguresQuery = Type.Object(
  {
    period: Type.Union([Type.Literal('day'), Type.Literal('week'), Type.Literal('month')]),
    by: Type.Union([Type.Literal('tier'), Type.Literal('town'), Type.Literal('community'), Type.Literal('unit')]),
    /** Any instant inside the period wanted; now by default. */
    at: Type.Optional(DateTime),
  },
  { additionalProperties: false },
);
export type FiguresQuery = Static<typeof FiguresQuery>;

const Count = Type.Integer({ minimum: 0 });
const Rate = Nullable(Type.Number({ minimum: 0, maximum: 1 }));

export const FigureRow = Type.Object({
  key: Type.String(),
  received: Count,
  responded: Count,
  respondedOnTime: Count,
  disposed: Count,
  disposedOnTime: Count,
  escalated: Count,
  returned: Count,
  responseRate: Rate,
  disposalRate: Rate,
  onTimeRate: Rate,
  /** Average minutes per item in each status (waiting for response, dispatch, ...). */
  averageMinutes: Type.Record(Type.String(), Type.Number({ minimum: 0 })),
});
export type FigureRow = Static<typeof FigureRow>;

export const FiguresReply = Type.Object({
  period: Type.Object({ kind: Type.String(), from: DateTime, to: DateTime }),
  by: Type.String(),
  /** Every item counted once. */
  total: FigureRow,
  rows: Type.Array(FigureRow),
});
export type FiguresReply = Static<typeof FiguresReply>;

// ---- duty roster

export const SeatKey = Type.String({ pattern: '^(district|town:[0-9]{6,15}|community:[0-9]{6,15})$' });
const HHMM = Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$' });

export const Shift = Type.Object({
  id: Type.Integer(),
  seatKey: SeatKey,
  username: Type.String(),
  displayName: Type.String(),
  /** 1 = Monday … 7 = Sunday: the days the shift starts on. */
  weekdays: Type.Array(Type.Integer({ minimum: 1, maximum: 7 })),
  /** Local time (UTC+8); an end not after the start runs past midnight. */
  start: HHMM,
  end: HHMM,
});
export type Shift = Static<typeof Shift>;

export const RosterQuery = Type.Object({ seat: SeatKey, at: Type.Optional(DateTime) }, { additionalProperties: false });
export type RosterQuery = Static<typeof RosterQuery>;

export const Roster = Type.Object({
  seat: Type.Object({ key: SeatKey, tier: TierSchema, name: Type.String() }),
  shifts: Type.Array(Shift),
  /** Usernames on duty at `at` (now by default). */
  onDuty: Type.Array(Type.String()),
  nextHandover: Nullable(DateTime),
});
export type Roster = Static<typeof Roster>;

export const NewShiftBody = Type.Object(
  {
    seatKey: SeatKey,
    username: Type.String({ minLength: 3, maxLength: 64 }),
    weekdays: Type.Array(Type.Integer({ minimum: 1, maximum: 7 }), { minItems: 1, maxItems: 7, uniqueItems: true }),
    start: HHMM,
    end: HHMM,
  },
  { additionalProperties: false },
);
export type NewShiftBody = Static<typeof NewShiftBody>;

export const ShiftParams = Type.Object({ id: Type.Integer({ minimum: 1 }) }, { additionalProperties: false });
export type ShiftParams = Static<typeof ShiftParams>;
