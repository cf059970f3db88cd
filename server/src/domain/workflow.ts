// The one state machine of an item's handling loop (集单—派单—接单—评单).
// Every path that changes an item (REST actions, socket commands, the SLA
// timer) calls transition(); it decides, from the item as it is now, whether
// this actor may take this action, and returns the next state and the
// timeline entry to write with it, or a refusal with a code and a reason.
//
//   reported --accept--> accepted --dispatch--> dispatched --take--> in_progress
//   in_progress --resolve--> resolved --verify--> verified --close--> closed --rate--> rated
//   dispatched|in_progress --return (unit)--> returned --dispatch--> dispatched
//   resolved --reject (rework)--> in_progress
//   reported|accepted --return (seat, handed-down item)--> returned, one tier up
//   accepted|returned --close (with a reason: duplicate, answered directly)--> closed
//   closed|rated --reopen--> accepted
//   escalate:  reported|accepted|dispatched|in_progress|returned --> reported at the next tier
//   hand_down: reported|accepted|returned --> reported one tier down, with instructions
//   progress, supervise and flag_overdue leave the status as it is.
//
// Decisions (the issue leaves them open):
// - Escalation and hand-down put the item back to `reported` at the receiving
//   tier: that seat must take it in (受理) like any new item, so its response
//   clock runs, its "new" queue shows it, and the old assignment is dropped
//   (the timeline keeps it). The lower tier stays informed through the
//   timeline and the live event, which reaches every room of the item's area.
// - A status or tier change clears the overdue mark: the next stage's clock
//   starts; the SLA timer sets it again if that stage runs late too.
// - Refusals that depend on who the actor is (role, data scope) are 403;
//   refusals that depend on the item's current state (status, tier, which unit
//   it was dispatched to, version) are 409; bad input is 400.
import type { IncidentStatus, SlaStage, Tier, WorkflowAction } from '../../../shared/workflow.ts';
import type { Level } from '../../../shared/schemas/catalogue.ts';
import type { Role } from '../../../shared/schemas/auth.ts';
import { can } from './roles.ts';
import { canAccess, type Scope } from './scope.ts';
import { lowerTier, nextTier, seatOfOfficer, sitsAtOwningSeat, tierFits, tierRank } from './tiers.ts';

/** The part of an item the state machine reads and writes. */
export interface WorkflowItem {
  status: IncidentStatus;
  /** Which tier's seat owns the item now. */
  tier: Tier;
  level: Level;
  townCode: string;
  communityCode: string | null;
  version: number;
  supervised: boolean;
  overdue: boolean;
  /** The unit dispatched to lead the work; null when none is. */
  leadUnit: string | null;
  helperUnits: string[];
  /** ISO time the lead unit must resolve by; null when not dispatched. */
  deadline: string | null;
  /** The highest tier that handed the item down and may get it back (seat return); null if none. */
  handedDownFrom: Tier | null;
  /** The account that reported it (a field worker), who may rate it; null for hotline, robot, sensors ... */
  reporterUserId: number | null;
}

/** Who acts: a signed-in account, or the system (the SLA timer). */
export interface Actor {
  kind: 'user' | 'system';
  userId: number | null;
  username: string;
  role: Role | null;
  scope: Scope;
  unitCode: string | null;
}

export const SYSTEM_ACTOR: Actor = { kind: 'system', userId: null, username: 'system', role: null, scope: { level: 'district' }, unitCode: null };

export const MAX_HELPER_UNITS = 5;
export const MAX_PHOTOS = 9;
export const MAX_TEXT = 2000;

interface Versioned {
  /** The version the actor saw; a different current version is a conflict. */
  expectedVersion: number;
}

/** An action with its input, as every path hands it to transition(). */
export type ActionInput = Versioned &
  (
    | { type: 'accept'; note?: string }
    | { type: 'dispatch'; leadUnit: string; helperUnits?: string[]; deadline: string; note?: string }
    | { type: 'take'; note?: string }
    | { type: 'return'; reason: string }
    | { type: 'progress'; note: string; photos?: string[] }
    | { type: 'resolve'; note: string; photos?: string[] }
    | { type: 'verify'; note?: string }
    | { type: 'reject'; reason: string }
    | { type: 'close'; note?: string; reason?: string }
    | { type: 'rate'; score: number; comment?: string }
    | { type: 'escalate'; reason: string }
    | { type: 'hand_down'; instructions: string }
    | { type: 'supervise'; note: string }
    | { type: 'reopen'; reason: string }
    | { type: 'flag_overdue'; stage: SlaStage }
  );

/** What is written to the item's timeline with the change (the timeline is never edited). */
export interface TimelineDraft {
  action: WorkflowAction;
  at: Date;
  actor: string;
  actorUserId: number | null;
  actorRole: Role | 'system';
  /** The seat or unit the actor acted from: "district", "town:…", "community:…", "unit:police", "leader", "system". */
  actorSeat: string;
  fromStatus: IncidentStatus;
  toStatus: IncidentStatus;
  fromTier: Tier;
  toTier: Tier;
  note: string | null;
  /** Action details: units and deadline, photos, score, SLA stage. */
  data: Record<string, unknown>;
}

export const WORKFLOW_ERROR_CODES = [
  'invalid_input', // 400
  'forbidden', // 403: this role never does this
  'outside_scope', // 403: the item is outside the actor's data scope
  'version_conflict', // 409: someone else changed it first
  'illegal_transition', // 409: not from this status
  'not_owner', // 409: the item is at another seat now
  'not_assigned', // 409: the item is not dispatched to the actor's unit
  'no_higher_tier', // 409: escalation at the New Area
  'no_lower_tier', // 409: hand-down at the community, or to a community the item has not
  'not_handed_down', // 409: a seat return of an item no higher tier handed down
] as const;
export type WorkflowErrorCode = (typeof WORKFLOW_ERROR_CODES)[number];

export const WORKFLOW_ERROR_STATUS: Record<WorkflowErrorCode, 400 | 403 | 409> = {
  invalid_input: 400,
  forbidden: 403,
  outside_scope: 403,
  version_conflict: 409,
  illegal_transition: 409,
  not_owner: 409,
  not_assigned: 409,
  no_higher_tier: 409,
  no_lower_tier: 409,
  not_handed_down: 409,
};

export type Refusal = { ok: false; code: WorkflowErrorCode; reason: string };
export type TransitionResult = { ok: true; next: WorkflowItem; timelineEntry: TimelineDraft } | Refusal;

const refuse = (code: WorkflowErrorCode, reason: string): Refusal => ({ ok: false, code, reason });

/** Statuses each action starts from. */
export const FROM: Record<WorkflowAction, readonly IncidentStatus[]> = {
  accept: ['reported'],
  dispatch: ['accepted', 'returned'],
  take: ['dispatched'],
  // a unit: dispatched | in_progress; a seat: reported | accepted (handed-down items only)
  return: ['dispatched', 'in_progress', 'reported', 'accepted'],
  progress: ['in_progress'],
  resolve: ['in_progress'],
  verify: ['resolved'],
  reject: ['resolved'],
  close: ['verified', 'accepted', 'returned'],
  rate: ['closed'],
  escalate: ['reported', 'accepted', 'dispatched', 'in_progress', 'returned'],
  hand_down: ['reported', 'accepted', 'returned'],
  supervise: ['reported', 'accepted', 'dispatched', 'in_progress', 'resolved', 'verified', 'returned'],
  reopen: ['closed', 'rated'],
  flag_overdue: ['reported', 'accepted', 'dispatched', 'in_progress', 'resolved', 'verified', 'returned'],
};

const isUnitMember = (actor: Actor) => actor.kind === 'user' && actor.role === 'unit_member' && actor.unitCode !== null;
const isSeat = (actor: Actor) => actor.kind === 'user' && actor.role !== null && can(actor.role, 'incident:dispatch') && seatOfOfficer(actor.role, actor.scope) !== null;

function actorSeat(actor: Actor): string {
  if (actor.kind === 'system' || !actor.role) return 'system';
  if (actor.role === 'unit_member' && actor.unitCode) return `unit:${actor.unitCode}`;
  return seatOfOfficer(actor.role, actor.scope)?.key ?? actor.role;
}

function ownsItem(actor: Actor, item: WorkflowItem): boolean {
  return actor.role !== null && sitsAtOwningSeat(actor.role, actor.scope, item.tier, item);
}

/**
 * Is the actor, by role and scope, someone who may do this action to this
 * item at all (ignoring its current state)? Seats, units, leaders, the
 * system, the reporter each have their own actions.
 */
function whoRefusal(item: WorkflowItem, type: WorkflowAction, actor: Actor): Refusal | null {
  if (actor.kind === 'system') {
    return type === 'flag_overdue' || type === 'escalate' ? null : refuse('forbidden', `the system does not ${type} items`);
  }
  if (type === 'flag_overdue') return refuse('forbidden', 'only the SLA timer marks items overdue');
  if (!actor.role) return refuse('forbidden', 'no role');
  if (!canAccess(actor.scope, item)) return refuse('outside_scope', 'the item is outside your data scope');
  switch (type) {
    case 'take':
    case 'progress':
    case 'resolve':
      return isUnitMember(actor) && can(actor.role, 'incident:handle') ? null : refuse('forbidden', `only a handling unit may ${type} an item`);
    case 'return':
      return isUnitMember(actor) || isSeat(actor) ? null : refuse('forbidden', 'only the handling unit or a seat may return an item');
    case 'supervise':
      return can(actor.role, 'incident:supervise') ? null : refuse('forbidden', 'only leaders supervise (督办) items');
    case 'rate':
      if (item.reporterUserId !== null && actor.userId === item.reporterUserId) return null;
      return isSeat(actor) ? null : refuse('forbidden', 'only the reporter or a seat (follow-up call) rates an item');
    default:
      return isSeat(actor) ? null : refuse('forbidden', `only a duty seat may ${type} an item`);
  }
}

/** Refusal from the item's current state: status, owner, assignment, tiers. */
function stateRefusal(item: WorkflowItem, type: WorkflowAction, actor: Actor): Refusal | null {
  if (!FROM[type].includes(item.status)) return refuse('illegal_transition', `cannot ${type} an item that is ${item.status}`);
  const unitActor = isUnitMember(actor);
  switch (type) {
    case 'take':
    case 'resolve':
      return item.leadUnit === actor.unitCode ? null : refuse('not_assigned', `the item is not dispatched to your unit`);
    case 'progress':
      return item.leadUnit === actor.unitCode || item.helperUnits.includes(actor.unitCode ?? '')
        ? null
        : refuse('not_assigned', 'the item is not dispatched to your unit');
    case 'return':
      if (unitActor) {
        if (item.status !== 'dispatched' && item.status !== 'in_progress') return refuse('illegal_transition', `a unit cannot return an item that is ${item.status}`);
        return item.leadUnit === actor.unitCode ? null : refuse('not_assigned', 'the item is not dispatched to your unit');
      }
      if (item.status !== 'reported' && item.status !== 'accepted') return refuse('illegal_transition', `a seat cannot return an item that is ${item.status}`);
      if (!ownsItem(actor, item)) return refuse('not_owner', `the item is at the ${item.tier} seat, not yours`);
      if (!item.handedDownFrom || tierRank(item.handedDownFrom) <= tierRank(item.tier)) {
        return refuse('not_handed_down', 'only an item handed down from a higher tier can be returned up; escalate it instead');
      }
      return null;
    case 'supervise':
      return null;
    case 'rate':
      if (actor.kind === 'user' && item.reporterUserId !== null && actor.userId === item.reporterUserId) return null;
      return ownsItem(actor, item) ? null : refuse('not_owner', `the item is at the ${item.tier} seat, not yours`);
    case 'flag_overdue':
      return item.overdue ? refuse('illegal_transition', 'the item is already marked overdue') : null;
    case 'escalate':
      if (actor.kind === 'user' && !ownsItem(actor, item)) return refuse('not_owner', `the item is at the ${item.tier} seat, not yours`);
      return nextTier(item.tier) ? null : refuse('no_higher_tier', 'the New Area is the highest tier');
    case 'hand_down': {
      if (!ownsItem(actor, item)) return refuse('not_owner', `the item is at the ${item.tier} seat, not yours`);
      const lower = lowerTier(item.tier);
      if (!lower) return refuse('no_lower_tier', 'the community is the lowest tier');
      return tierFits(lower, item) ? null : refuse('no_lower_tier', 'the item lies in no community, so no community seat can take it');
    }
    default:
      return ownsItem(actor, item) ? null : refuse('not_owner', `the item is at the ${item.tier} seat, not yours`);
  }
}

const text = (value: string | undefined) => (value === undefined ? '' : value.trim());

function inputRefusal(item: WorkflowItem, input: ActionInput, now: Date): Refusal | null {
  const tooLong = (value: string | undefined) => (value?.length ?? 0) > MAX_TEXT;
  const required = (value: string | undefined, what: string) =>
    text(value) === '' ? refuse('invalid_input', `${what} is required`) : tooLong(value) ? refuse('invalid_input', `${what} is longer than ${MAX_TEXT} characters`) : null;
  const photos = (list: string[] | undefined) =>
    (list?.length ?? 0) > MAX_PHOTOS ? refuse('invalid_input', `at most ${MAX_PHOTOS} photos`) : null;
  if ('note' in input && input.type !== 'progress' && input.type !== 'resolve' && input.type !== 'supervise' && tooLong(input.note)) {
    return refuse('invalid_input', `the note is longer than ${MAX_TEXT} characters`);
  }
  switch (input.type) {
    case 'dispatch': {
      if (text(input.leadUnit) === '') return refuse('invalid_input', 'a lead unit is required');
      const helpers = input.helperUnits ?? [];
      if (helpers.length > MAX_HELPER_UNITS) return refuse('invalid_input', `at most ${MAX_HELPER_UNITS} helper units`);
      if (helpers.includes(input.leadUnit)) return refuse('invalid_input', 'the lead unit cannot also be a helper');
      if (new Set(helpers).size !== helpers.length) return refuse('invalid_input', 'a helper unit is named twice');
      const deadline = Date.parse(input.deadline);
      if (Number.isNaN(deadline)) return refuse('invalid_input', 'the deadline is not a date-time');
      if (deadline <= now.getTime()) return refuse('invalid_input', 'the deadline has already passed');
      return null;
    }
    case 'return':
    case 'reject':
    case 'escalate':
    case 'reopen':
      return required(input.reason, 'a reason');
    case 'hand_down':
      return required(input.instructions, 'instructions');
    case 'progress':
    case 'resolve':
      return required(input.note, 'a note') ?? photos(input.photos);
    case 'supervise':
      return required(input.note, 'a supervision note');
    case 'close':
      // Closing without the unit's work (duplicate, answered on the phone) must say why.
      if (item.status !== 'verified') return required(input.reason, 'a reason for closing without dispatch');
      return tooLong(input.reason) ? refuse('invalid_input', 'the reason is too long') : null;
    case 'rate':
      if (!Number.isInteger(input.score) || input.score < 1 || input.score > 5) return refuse('invalid_input', 'the score is an integer 1-5');
      return tooLong(input.comment) ? refuse('invalid_input', 'the comment is too long') : null;
    default:
      return null;
  }
}

/** The change an allowed action makes, and what its timeline entry notes. */
function apply(item: WorkflowItem, input: ActionInput, actor: Actor): { change: Partial<WorkflowItem>; note: string | null; data: Record<string, unknown> } {
  const unassigned = { leadUnit: null, helperUnits: [], deadline: null };
  switch (input.type) {
    case 'accept':
      return { change: { status: 'accepted' }, note: input.note ?? null, data: {} };
    case 'dispatch': {
      const helperUnits = input.helperUnits ?? [];
      const deadline = new Date(input.deadline).toISOString();
      return {
        change: { status: 'dispatched', leadUnit: input.leadUnit, helperUnits, deadline },
        note: input.note ?? null,
        data: { leadUnit: input.leadUnit, helperUnits, deadline },
      };
    }
    case 'take':
      return { change: { status: 'in_progress' }, note: input.note ?? null, data: { unit: actor.unitCode } };
    case 'return':
      if (isUnitMember(actor)) {
        return { change: { status: 'returned', ...unassigned }, note: input.reason, data: { by: 'unit', unit: actor.unitCode } };
      } else {
        const up = nextTier(item.tier)!;
        return {
          change: { status: 'returned', tier: up, handedDownFrom: item.handedDownFrom === up ? null : item.handedDownFrom },
          note: input.reason,
          data: { by: 'seat', toTier: up },
        };
      }
    case 'progress':
      return { change: {}, note: input.note, data: { unit: actor.unitCode, photos: input.photos ?? [] } };
    case 'resolve':
      return { change: { status: 'resolved' }, note: input.note, data: { unit: actor.unitCode, photos: input.photos ?? [] } };
    case 'verify':
      return { change: { status: 'verified' }, note: input.note ?? null, data: {} };
    case 'reject':
      return { change: { status: 'in_progress' }, note: input.reason, data: { rework: true, unit: item.leadUnit } };
    case 'close':
      return {
        change: { status: 'closed' },
        note: input.reason ?? input.note ?? null,
        data: { withoutDispatch: item.status !== 'verified' },
      };
    case 'rate':
      return { change: { status: 'rated' }, note: input.comment ?? null, data: { score: input.score, byReporter: actor.userId !== null && actor.userId === item.reporterUserId } };
    case 'escalate': {
      const up = nextTier(item.tier)!;
      const keep = item.handedDownFrom && tierRank(item.handedDownFrom) > tierRank(up) ? item.handedDownFrom : null;
      return {
        change: { status: 'reported', tier: up, handedDownFrom: keep, ...unassigned },
        note: input.reason,
        data: { toTier: up, automatic: actor.kind === 'system' },
      };
    }
    case 'hand_down': {
      const down = lowerTier(item.tier)!;
      const from = item.handedDownFrom && tierRank(item.handedDownFrom) > tierRank(item.tier) ? item.handedDownFrom : item.tier;
      return { change: { status: 'reported', tier: down, handedDownFrom: from, ...unassigned }, note: input.instructions, data: { toTier: down } };
    }
    case 'supervise':
      return { change: { supervised: true }, note: input.note, data: {} };
    case 'reopen':
      return { change: { status: 'accepted', ...unassigned }, note: input.reason, data: {} };
    case 'flag_overdue':
      return { change: { overdue: true }, note: null, data: { stage: input.stage } };
  }
}

/**
 * Who may do what, and what happens. Pure: the caller loads the item, calls
 * this, and writes `next` (with `UPDATE … WHERE version = expected`) and
 * `timelineEntry` in one transaction.
 */
export function transition(item: WorkflowItem, input: ActionInput, actor: Actor, now: Date): TransitionResult {
  const who = whoRefusal(item, input.type, actor);
  if (who) return who;
  const bad = inputRefusal(item, input, now);
  if (bad) return bad;
  if (input.expectedVersion !== item.version) {
    return refuse('version_conflict', `the item changed (version ${item.version}, you saw ${input.expectedVersion}); reload it`);
  }
  const state = stateRefusal(item, input.type, actor);
  if (state) return state;

  const { change, note, data } = apply(item, input, actor);
  const next: WorkflowItem = { ...item, ...change, version: item.version + 1 };
  // A new stage (or a new owner) starts a new clock: the overdue mark belongs to the old one.
  if (input.type !== 'flag_overdue' && (next.status !== item.status || next.tier !== item.tier)) next.overdue = false;
  const timelineEntry: TimelineDraft = {
    action: input.type,
    at: now,
    actor: actor.username,
    actorUserId: actor.userId,
    actorRole: actor.role ?? 'system',
    actorSeat: actorSeat(actor),
    fromStatus: item.status,
    toStatus: next.status,
    fromTier: item.tier,
    toTier: next.tier,
    note: note === null ? null : note.trim() || null,
    data,
  };
  return { ok: true, next, timelineEntry };
}

/**
 * The actions this actor could take on the item now, for the console's
 * buttons (the inputs — reasons, units — are asked for by the forms).
 */
export function availableActions(item: WorkflowItem, actor: Actor): WorkflowAction[] {
  return (Object.keys(FROM) as WorkflowAction[]).filter((type) => !whoRefusal(item, type, actor) && !stateRefusal(item, type, actor));
}
