// The typed Socket.IO contract, one map per direction, used by the server
// (`Server<ClientToServerEvents, ServerToClientEvents>`) and the client
// (`Socket<ServerToClientEvents, ClientToServerEvents>`).
//
// Server -> client: past-tense events, each carrying a list of payloads
// (PUSH_ORDER), each payload its change-log `seq`. Client -> server: commands answered by an ack `{data} | {error}`.
// Reconnecting is the client's job: after (re)connecting, `subscribe`, then
// `sync` (or GET /api/v1/changes) from the last seq applied; apply a change
// only if its seq is above the last applied one for that entity.
import { Type, type Static } from 'typebox';
import { Code } from './schemas/common.ts';
import { IncidentId, type Incident } from './schemas/incident.ts';
import type { Alert } from './schemas/alert.ts';
import type { CameraStatusChange } from './schemas/device.ts';
import { CHANGES_MAX_LIMIT, type ChangesPage } from './schemas/changes.ts';
import type { Scope } from './schemas/auth.ts';
import { ACTION_ROUTES, type ActionResult, type DispatchState } from './schemas/dispatch.ts';

export const EVENTS = {
  incidentCreated: 'incident:created',
  incidentUpdated: 'incident:updated',
  cameraStatusChanged: 'camera:status-changed',
  alertRaised: 'alert:raised',
  alertAcknowledged: 'alert:acknowledged',
  alertCleared: 'alert:cleared',
} as const;

export const COMMANDS = {
  subscribe: 'subscribe',
  sync: 'sync',
  act: 'incident:act',
} as const;

/** How often at most a room gets a merged `camera:status-changed` batch. */
export const CAMERA_BATCH_INTERVAL_MS = 250;

/**
 * Every event carries a list. What one read of the change log brings for a
 * room goes out as one event per kind, the kind's changes in seq order (a
 * batch of reports commits together; one message per change was most of
 * the push's cost). Nothing waits to be merged, except camera changes (at
 * most every CAMERA_BATCH_INTERVAL_MS, latest status per camera). The kinds
 * of one read go out in this order, an entity's lifecycle, so each entity's
 * changes arrive in seq order; across kinds, seqs may arrive out of order.
 */
export const PUSH_ORDER = ['incident:created', 'incident:updated', 'alert:raised', 'alert:acknowledged', 'alert:cleared'] as const;
export type PushedKind = (typeof PUSH_ORDER)[number];

export interface ServerToClientEvents {
  'incident:created': (incidents: Incident[]) => void;
  /** An incident may appear more than once (changed twice in one read), in seq order. */
  'incident:updated': (incidents: Incident[]) => void;
  /** Merged per room (latest status per camera), at most every CAMERA_BATCH_INTERVAL_MS; ordered by seq. */
  'camera:status-changed': (changes: CameraStatusChange[]) => void;
  'alert:raised': (alerts: Alert[]) => void;
  'alert:acknowledged': (alerts: Alert[]) => void;
  'alert:cleared': (alerts: Alert[]) => void;
}

/**
 * Error codes an ack may carry; nothing else ever reaches a client.
 * `conflict`: the item changed since the version you sent (the fresh item is
 * attached); `illegal_transition`: not from the item's current state or seat
 * (`reason` says which, the fresh item is attached); `unauthorized`: the
 * session has ended (the socket is closed next); `rate_limited`: too many
 * commands on this socket, try again shortly.
 */
export const ACK_ERROR_CODES = [
  'invalid', 'forbidden', 'too_old', 'not_found', 'internal', 'conflict', 'illegal_transition', 'unauthorized', 'rate_limited',
] as const;
export type AckErrorCode = (typeof ACK_ERROR_CODES)[number];
export interface AckError {
  code: AckErrorCode;
  /** Safe to show a user. */
  message: string;
  /** With `too_old`: the oldest seq still kept (reload a snapshot). */
  oldestSeq?: number;
  /** With a refused `incident:act`: the workflow's code, as REST's `code` (version_conflict, not_owner, unknown_unit ...). */
  reason?: string;
  /** With `conflict` / `illegal_transition`: the item as it is now (as REST's 409 body). */
  incident?: Incident;
  dispatch?: DispatchState;
}
export type Ack<T> = { data: T } | { error: AckError };
export type AckCallback<T> = (answer: Ack<T>) => void;

/**
 * What a screen wants to watch: the New Area, one town or one community,
 * within its principal's scope (outside it: `forbidden`). For a community the
 * town is found by the server.
 */
export const SubscribeRequest = Type.Object(
  {
    scope: Type.Union([
      Type.Object({ level: Type.Literal('district') }, { additionalProperties: false }),
      Type.Object({ level: Type.Literal('town'), townCode: Code }, { additionalProperties: false }),
      Type.Object({ level: Type.Literal('community'), communityCode: Code }, { additionalProperties: false }),
    ]),
  },
  { additionalProperties: false },
);
export type SubscribeRequest = Static<typeof SubscribeRequest>;

export interface SubscribeResult {
  /** The scope now watched (a community's town filled in). */
  scope: Scope;
  /** The change-log head right after joining: events above it will be pushed. */
  headSeq: number;
}

/** Changes after `since` within the subscribed scope, exactly as GET /api/v1/changes. */
export const SyncRequest = Type.Object(
  {
    since: Type.Integer({ minimum: 0 }),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: CHANGES_MAX_LIMIT })),
  },
  { additionalProperties: false },
);
export type SyncRequest = Static<typeof SyncRequest>;

/** The workflow actions a person may send (the SLA timer's flag_overdue is not one). */
type ActionRoutes = typeof ACTION_ROUTES;
export type ActName = ActionRoutes[keyof ActionRoutes]['action'];
export const ACT_NAMES = Object.values(ACTION_ROUTES).map((r) => r.action) as ActName[];

/**
 * `incident:act`: one workflow action on an item, the socket twin of
 * POST /api/v1/incidents/{incidentId}/{action} (`hand_down` is the route
 * `hand-down`). `body` is exactly that route's body, `expectedVersion`
 * included, checked against the same schema (ACTION_ROUTES in
 * schemas/dispatch.ts). The server runs the same dispatch-service call as
 * REST (one transaction: timeline, change log, audit, push) as the socket's
 * signed-in principal and answers `{ data: ActionResult }` (the REST 200
 * body) or an error: invalid (400), forbidden (403, kiosk, wrong role or
 * scope), not_found (unknown or outside the scope), conflict / illegal_transition
 * (409, with the fresh item), unauthorized, rate_limited.
 */
export const ActRequest = Type.Object(
  {
    incidentId: IncidentId,
    action: Type.Enum(ACT_NAMES),
    body: Type.Record(Type.String(), Type.Unknown()),
  },
  { additionalProperties: false },
);
/** Typed per action: `body` is that action's REST body. */
export type ActRequest = {
  [K in keyof ActionRoutes]: { incidentId: string; action: ActionRoutes[K]['action']; body: Static<ActionRoutes[K]['body']> };
}[keyof ActionRoutes];

export interface ClientToServerEvents {
  subscribe: (request: SubscribeRequest, ack: AckCallback<SubscribeResult>) => void;
  sync: (request: SyncRequest, ack: AckCallback<ChangesPage>) => void;
  'incident:act': (request: ActRequest, ack: AckCallback<ActionResult>) => void;
}
