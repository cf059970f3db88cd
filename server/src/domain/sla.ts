// Time limits (时限) and the clock of each item. The clock is computed from the
// item's timeline timestamps and nothing else, so it survives a restart: the
// state is in the database, never in memory.
//
// Three stages, each with a limit per item level:
// - response (响应): from the item's arrival at a tier's seat (report,
//   escalation, hand-down) until that seat accepts it;
// - handling (处置): from acceptance until the unit marks it resolved. It
//   pauses while the item is resolved or verified (waiting for the seat), and
//   resumes on rework, so rework gets no fresh time. A reopened item starts a
//   new handling clock. If the seat gave the unit a deadline, the item is also
//   overdue once that deadline has passed.
// - verification (核查): from resolution until the seat closes the item.
// Closed and rated items run no clock (the reporter's rating is not chased).
// No clock pauses at night or weekends: the seats are staffed around the clock.
//
// Past the first limit an item is overdue (marked, with an alert). Past the
// second limit (ESCALATE_FACTOR × the first, 2 by default) an item in the
// response or handling stage escalates itself to the next tier; the receiving
// tier's response clock starts at that escalation. Verification is the seat's
// own step, so a late verification is only marked, never escalated; at the
// New Area there is nowhere higher, so a late item there is only marked.
import { TIME_LIMITS } from '../../../shared/catalogue.ts';
import type { Level, TimeLimit } from '../../../shared/schemas/catalogue.ts';
import type { IncidentStatus, SlaStage, Tier } from '../../../shared/workflow.ts';
import { nextTier } from './tiers.ts';
import type { AlertArea, AlertDraft } from './alert-rules.ts';

export interface SlaLimits {
  responseMinutes: number;
  handlingMinutes: number;
  verificationMinutes: number;
}

export interface SlaTable {
  limits: Record<Level, SlaLimits>;
  /** The second limit, after which an item escalates itself, as a multiple of the first. */
  escalateFactor: number;
}

/**
 * Verification limits: our choice (the articles give none). The gravest
 * items must be checked the same shift; others within one or two days, so a
 * community liaison can visit the spot on a normal round.
 */
export const VERIFICATION_HOURS: Record<Level, number> = { 1: 4, 2: 24, 3: 48 };
export const DEFAULT_ESCALATE_FACTOR = 2;

export function slaTable(timeLimits: TimeLimit[] = TIME_LIMITS, escalateFactor = DEFAULT_ESCALATE_FACTOR, verificationHours = VERIFICATION_HOURS): SlaTable {
  if (!(escalateFactor > 1)) throw new Error('the escalation factor must be greater than 1');
  const limits = {} as Record<Level, SlaLimits>;
  for (const limit of timeLimits) {
    limits[limit.level] = {
      responseMinutes: limit.responseMinutes,
      handlingMinutes: limit.resolutionHours * 60,
      verificationMinutes: verificationHours[limit.level] * 60,
    };
  }
  for (const level of [1, 2, 3] as const) if (!limits[level]) throw new Error(`no time limit for level ${level}`);
  return { limits, escalateFactor };
}

export const DEFAULT_SLA_TABLE = slaTable();

/**
 * The shortest limit of any stage and level, in ms. A clock's elapsed time never exceeds the time
 * since the item was reported (every stage starts at or after the report), so an item reported
 * less than this long ago cannot be overdue by its limits (a seat's deadline aside): the SLA sweep
 * need not read it.
 */
export function shortestLimitMs(table: SlaTable): number {
  const all = Object.values(table.limits).flatMap((l) => [l.responseMinutes, l.handlingMinutes, l.verificationMinutes]);
  return 60_000 * Math.min(...all);
}

/** One timeline entry as the clock sees it: when, and the item's status and tier after it. */
export interface ClockEntry {
  at: Date;
  status: IncidentStatus;
  tier: Tier;
}

export interface Clock {
  stage: SlaStage;
  /** When the stage began (for handling: the acceptance that opened it). */
  startedAt: Date;
  /**
   * When the item last came into this stage: startedAt, except for handling
   * resumed after rework (the rejection). Names one spell of a stage.
   */
  enteredAt: Date;
  /** Time counted against the limit (handling excludes paused spans). */
  elapsedMs: number;
  limitMs: number;
  /** When the item becomes (or became) overdue, if the clock keeps running. */
  dueAt: Date;
  /** When it escalates itself, or null if this stage never does (verification, or at the New Area). */
  escalateAt: Date | null;
  overdue: boolean;
  shouldEscalate: boolean;
}

const HANDLING: readonly IncidentStatus[] = ['accepted', 'dispatched', 'in_progress', 'returned'];
const VERIFYING: readonly IncidentStatus[] = ['resolved', 'verified'];

/** The stage whose clock runs in this status, or null (closed, rated). */
export function stageOf(status: IncidentStatus): SlaStage | null {
  if (status === 'reported') return 'response';
  if (HANDLING.includes(status)) return 'handling';
  if (VERIFYING.includes(status)) return 'verification';
  return null;
}

/** Index of the entry that opened the current stage. */
function stageStart(entries: ClockEntry[], stage: SlaStage): number {
  const last = entries.length - 1;
  const tier = entries[last]!.tier;
  let i = last;
  if (stage === 'response') {
    // The run of `reported` at this tier: an escalation or hand-down starts a new one.
    while (i > 0 && entries[i - 1]!.status === 'reported' && entries[i - 1]!.tier === tier) i--;
    return i;
  }
  if (stage === 'verification') {
    while (i > 0 && VERIFYING.includes(entries[i - 1]!.status)) i--;
    return i;
  }
  // Handling: back to the acceptance at this tier, across paused (resolved, verified) spans.
  while (i > 0) {
    const previous = entries[i - 1]!;
    if (previous.tier !== tier) break;
    if (!HANDLING.includes(previous.status) && !VERIFYING.includes(previous.status)) break;
    i--;
  }
  return i;
}

/**
 * The clock of an item now, from its timeline (oldest first), or null when no
 * clock runs (closed, rated, or an empty timeline).
 */
export function clockOf(entries: ClockEntry[], level: Level, tier: Tier, table: SlaTable, now: Date, deadline: Date | null = null): Clock | null {
  if (entries.length === 0) return null;
  const sorted = [...entries].sort((a, b) => a.at.getTime() - b.at.getTime());
  const stage = stageOf(sorted[sorted.length - 1]!.status);
  if (!stage) return null;
  const start = stageStart(sorted, stage);
  const limits = table.limits[level];
  const limitMs = 60_000 * (stage === 'response' ? limits.responseMinutes : stage === 'handling' ? limits.handlingMinutes : limits.verificationMinutes);

  let elapsedMs = 0;
  for (let i = start; i < sorted.length; i++) {
    const from = sorted[i]!.at.getTime();
    const to = i + 1 < sorted.length ? sorted[i + 1]!.at.getTime() : now.getTime();
    const paused = stage === 'handling' && VERIFYING.includes(sorted[i]!.status);
    if (!paused) elapsedMs += Math.max(0, to - from);
  }

  let entered = sorted.length - 1;
  while (entered > start && stageOf(sorted[entered - 1]!.status) === stage) entered--;
  const remaining = limitMs - elapsedMs;
  const dueAt = new Date(now.getTime() + remaining);
  const escalates = stage !== 'verification' && nextTier(tier) !== null;
  const escalateAt = escalates ? new Date(now.getTime() + limitMs * table.escalateFactor - elapsedMs) : null;
  const pastDeadline = stage === 'handling' && deadline !== null && now.getTime() >= deadline.getTime();
  return {
    stage,
    startedAt: sorted[start]!.at,
    enteredAt: sorted[entered]!.at,
    elapsedMs,
    limitMs,
    dueAt: pastDeadline && deadline!.getTime() < dueAt.getTime() ? deadline! : dueAt,
    escalateAt,
    overdue: elapsedMs >= limitMs || pastDeadline,
    shouldEscalate: escalateAt !== null && elapsedMs >= limitMs * table.escalateFactor,
  };
}

export type SweepStep = { type: 'flag_overdue'; stage: SlaStage } | { type: 'escalate'; reason: string };

const STAGE_NAMES: Record<SlaStage, string> = { response: '响应', handling: '处置', verification: '核查' };

/**
 * What the SLA timer does to one item now: mark it overdue (once), and/or
 * escalate it. Idempotent by construction: the overdue mark is stored on the
 * item, and an escalation moves the item to a new tier whose clock starts over.
 */
export function sweepSteps(item: { overdue: boolean }, clock: Clock | null, table: SlaTable): SweepStep[] {
  if (!clock) return [];
  const steps: SweepStep[] = [];
  if (clock.overdue && !item.overdue) steps.push({ type: 'flag_overdue', stage: clock.stage });
  if (clock.shouldEscalate) {
    steps.push({ type: 'escalate', reason: `超过${STAGE_NAMES[clock.stage]}时限${table.escalateFactor}倍，系统自动提级 (past ${table.escalateFactor}× the ${clock.stage} limit)` });
  }
  return steps;
}

/** Did a finished stage keep to its limit? For figures: `elapsedMs` against the table. */
export function withinLimit(stage: SlaStage, level: Level, elapsedMs: number, table: SlaTable): boolean {
  const limits = table.limits[level];
  const minutes = stage === 'response' ? limits.responseMinutes : stage === 'handling' ? limits.handlingMinutes : limits.verificationMinutes;
  return elapsedMs <= minutes * 60_000;
}

/**
 * Does a step from `before` to `after` end the stage the item was in? A new
 * stage, or the same stage at another tier (escalation, hand-down, a seat's
 * return upwards), starts a new clock: an overdue alert of the old one is
 * moot and clears itself. Moves inside the handling stage (accepted ->
 * dispatched -> in progress, a unit's return) keep its clock, and its alert.
 */
export function leavesStage(before: { status: IncidentStatus; tier: Tier }, after: { status: IncidentStatus; tier: Tier }): boolean {
  const stage = stageOf(before.status);
  return stage !== null && (stageOf(after.status) !== stage || after.tier !== before.tier);
}

/** What an overdue alert is about: the item, and the seat (and its officers on duty) that should act. */
export interface OverdueFacts {
  incidentId: string;
  itemCode: string;
  level: Level;
  tier: Tier;
  /** The item's version the SLA step saw. */
  version: number;
  area: AlertArea;
  seat: string;
  recipients: readonly string[];
}

/**
 * The alert of an item past its limit in the stage it is in now: named
 * after the stage (the client words it: not accepted / not resolved / not
 * verified in time) with the clock's numbers. Raised with the overdue mark,
 * in its transaction; cleared when the item leaves the stage.
 */
export function overdueAlertDraft(facts: OverdueFacts, clock: Clock): AlertDraft {
  return {
    kind: 'overdue', level: facts.level, area: facts.area, incidentId: facts.incidentId, deviceCode: null,
    // One alert per spell of a stage: a step inside the stage clears the mark (the sweep sets it again)
    // but not the alert; rework (handling resumed) is a new spell and alerts again.
    ruleKey: `overdue:${facts.incidentId}:${clock.stage}:${facts.tier}:${clock.enteredAt.getTime()}`,
    detail: {
      itemCode: facts.itemCode, stage: clock.stage, tier: facts.tier, startedAt: clock.startedAt.toISOString(),
      limitMinutes: Math.round(clock.limitMs / 60_000), minutesLate: Math.max(0, Math.floor((clock.elapsedMs - clock.limitMs) / 60_000)),
      seat: facts.seat, recipients: facts.recipients.join(','),
    },
  };
}

/** The alert to the receiving seat of an item that escalated itself (past the second limit of `clock`'s stage). */
export function escalationAlertDraft(facts: OverdueFacts, clock: Clock, to: Tier, table: SlaTable): AlertDraft {
  return {
    kind: 'overdue', level: facts.level, area: facts.area, incidentId: facts.incidentId, deviceCode: null,
    ruleKey: `escalated:${facts.incidentId}:v${facts.version + 1}`,
    detail: {
      itemCode: facts.itemCode, stage: clock.stage, tier: facts.tier, escalatedTo: to, factor: table.escalateFactor,
      limitMinutes: Math.round(clock.limitMs / 60_000), seat: facts.seat, recipients: facts.recipients.join(','),
    },
  };
}
