// The change log as clients read it: every change (incident, camera status,
// alert) numbered by one global, gap-free sequence, in commit order. A screen
// loads a snapshot (whose `lastSeq` it keeps), applies pushed events, and on
// reconnect asks GET /api/v1/changes?since=<last seq it applied>.
import { Type, type Static } from 'typebox';
import { Incident } from './incident.ts';
import { Alert } from './alert.ts';
import { CameraStatusChange } from './device.ts';

export const CHANGE_KINDS = [
  'incident:created',
  'incident:updated',
  'camera:status-changed',
  'alert:raised',
  'alert:acknowledged',
  'alert:cleared',
] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];
export const ChangeKindSchema = Type.Enum(CHANGE_KINDS);

const Seq = Type.Integer({ minimum: 1 });
const At = Type.String({ format: 'date-time' });

/** One change; `payload` is what the realtime event of the same name carries (its `seq` equals the change's). */
export const Change = Type.Union([
  Type.Object({ seq: Seq, at: At, kind: Type.Literal('incident:created'), payload: Incident }),
  Type.Object({ seq: Seq, at: At, kind: Type.Literal('incident:updated'), payload: Incident }),
  Type.Object({ seq: Seq, at: At, kind: Type.Literal('camera:status-changed'), payload: CameraStatusChange }),
  Type.Object({ seq: Seq, at: At, kind: Type.Literal('alert:raised'), payload: Alert }),
  Type.Object({ seq: Seq, at: At, kind: Type.Literal('alert:acknowledged'), payload: Alert }),
  Type.Object({ seq: Seq, at: At, kind: Type.Literal('alert:cleared'), payload: Alert }),
]);
export type Change = Static<typeof Change>;

/** Default and maximum page size of GET /api/v1/changes. */
export const CHANGES_DEFAULT_LIMIT = 500;
export const CHANGES_MAX_LIMIT = 2000;

export const ChangesQuery = Type.Object(
  {
    /** The last seq the client has applied; 0 = from the beginning of what is kept. */
    since: Type.Integer({ minimum: 0 }),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: CHANGES_MAX_LIMIT })),
  },
  { additionalProperties: false },
);
export type ChangesQuery = Static<typeof ChangesQuery>;

export const ChangesPage = Type.Object({
  /** The caller's scope's changes after `since`, in seq order (seqs of other scopes are skipped: gaps are normal). */
  changes: Type.Array(Change),
  /**
   * Continue from here (since=lastSeq): the last seq this page covers. When
   * hasMore is false it is the log's head at read time, so a client with no
   * changes in its scope still moves forward.
   */
  lastSeq: Type.Integer({ minimum: 0 }),
  hasMore: Type.Boolean(),
});
export type ChangesPage = Static<typeof ChangesPage>;

/**
 * 410 Gone from GET /api/v1/changes (and `too_old` from the socket's `sync`):
 * the changes after `since` are no longer all kept; reload a snapshot
 * (GET /api/v1/incidents etc., which carry lastSeq) and continue from there.
 */
export const ChangesGone = Type.Object({
  statusCode: Type.Literal(410),
  error: Type.String(),
  message: Type.String(),
  reload: Type.Literal(true),
  /** The oldest seq still kept: `since` must be at least oldestSeq - 1. */
  oldestSeq: Type.Integer({ minimum: 0 }),
});
export type ChangesGone = Static<typeof ChangesGone>;
