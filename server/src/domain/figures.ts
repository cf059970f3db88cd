// The figures the daily (community), weekly (town) and monthly (New Area)
// reviews look at, as pure functions over timeline rows: response rate,
// disposal rate, on-time rate, average time per stage, items escalated and
// returned, per tier, town, community or handling unit.
//
// Counting rules:
// - The cohort is the items reported in the period; each is followed to now.
// - By town or community an item counts once, where it lies. By tier, each
//   tier it reached is credited with its own part: the community that took
//   an item in and escalated it is credited with a response and an
//   escalation, the town that then solved it with a response and a disposal.
//   By unit, each unit an item was dispatched to (as lead) is credited.
// - Response: the first thing the receiving seat does with an arrived item
//   (accept, or escalate, hand down, return up, close it directly); the
//   timer's automatic escalation is no response. For a unit: taking or
//   returning what was dispatched to it.
// - Disposal (办结): the unit marks it resolved, or the seat closes it
//   directly with a reason. The disposal rate's denominator leaves out items
//   the group passed on (escalated, handed down or returned) without
//   disposing of them: those are credited to whoever took them over.
// - On time: a response within the level's response limit; a disposal within
//   the handling limit (the SLA clock, pauses excluded), or for a unit before
//   the deadline it was given. The on-time rate is disposals on time over
//   disposals.
// - Average time per stage: the time an item spent in each status (waiting
//   for response, for dispatch, for the unit to take it, being handled,
//   waiting for verification, for closing, for rating), summed per item and
//   averaged over the items that completed that stage in the group.
import type { IncidentStatus, Tier, WorkflowAction } from '../../../shared/workflow.ts';
import type { Level } from '../../../shared/schemas/catalogue.ts';
import { clockOf, withinLimit, type ClockEntry, type SlaTable } from './sla.ts';

export const FIGURE_GROUPINGS = ['tier', 'town', 'community', 'unit'] as const;
export type FigureGrouping = (typeof FIGURE_GROUPINGS)[number];

export interface FigureItem {
  id: string;
  level: Level;
  townCode: string;
  communityCode: string | null;
  reportedAt: Date;
}

/** One timeline entry as the figures read it. The first entry of an item is its report. */
export interface FigureEntry {
  incidentId: string;
  at: Date;
  /** A workflow action, or 'report' for the entry that created the item. */
  action: WorkflowAction | 'report';
  /** 'system' for the SLA timer. */
  actorKind: 'user' | 'system';
  /** The acting unit for unit actions (take, return, progress, resolve). */
  actorUnit: string | null;
  fromStatus: IncidentStatus | null;
  toStatus: IncidentStatus;
  fromTier: Tier | null;
  toTier: Tier;
  /** For dispatch: the lead unit and its deadline. */
  leadUnit?: string | null;
  deadline?: Date | null;
}

export interface Credit {
  received: boolean;
  responded: boolean;
  respondedOnTime: boolean;
  disposed: boolean;
  disposedOnTime: boolean;
  passedOn: boolean;
  escalated: boolean;
  returned: number;
  dwellMs: Partial<Record<IncidentStatus, number>>;
}

const newCredit = (): Credit => ({
  received: true,
  responded: false,
  respondedOnTime: false,
  disposed: false,
  disposedOnTime: false,
  passedOn: false,
  escalated: false,
  returned: 0,
  dwellMs: {},
});

export interface ItemCredits {
  overall: Credit;
  byTier: Map<Tier, Credit>;
  byUnit: Map<string, Credit>;
}

const SEAT_RESPONSES: ReadonlySet<string> = new Set(['accept', 'escalate', 'hand_down', 'return', 'close']);

/** Follows one item's timeline and credits each tier, unit and the item as a whole. */
export function creditItem(item: FigureItem, entries: FigureEntry[], table: SlaTable): ItemCredits {
  const sorted = [...entries].sort((a, b) => a.at.getTime() - b.at.getTime());
  const overall = newCredit();
  const byTier = new Map<Tier, Credit>();
  const byUnit = new Map<string, Credit>();
  if (sorted.length === 0) return { overall, byTier, byUnit };

  const tierCredit = (tier: Tier) => byTier.get(tier) ?? byTier.set(tier, newCredit()).get(tier)!;
  const unitCredit = (unit: string) => byUnit.get(unit) ?? byUnit.set(unit, newCredit()).get(unit)!;
  const addDwell = (credit: Credit, status: IncidentStatus, ms: number) => {
    credit.dwellMs[status] = (credit.dwellMs[status] ?? 0) + ms;
  };
  const responseLimitMs = table.limits[item.level].responseMinutes * 60_000;

  const first = sorted[0]!;
  let tier = first.toTier;
  let status = first.toStatus;
  let since = first.at.getTime();
  let arrivedAt = since;
  let awaitingSeat = true;
  let lead: string | null = null;
  let dispatchedAt = 0;
  let deadline: Date | null = null;
  let awaitingUnit = false;
  let overallResponded = false;
  tierCredit(tier);
  const clockEntries: ClockEntry[] = [{ at: first.at, status, tier }];

  for (const entry of sorted.slice(1)) {
    const at = entry.at.getTime();
    const seat = tierCredit(tier);
    if (entry.toStatus !== status || entry.toTier !== tier) {
      addDwell(seat, status, at - since);
      addDwell(overall, status, at - since);
      if (lead && (status === 'dispatched' || status === 'in_progress')) addDwell(unitCredit(lead), status, at - since);
      since = at;
    }

    const bySeat = entry.actorKind === 'user' && entry.actorUnit === null;
    if (awaitingSeat && bySeat && SEAT_RESPONSES.has(entry.action)) {
      awaitingSeat = false;
      seat.responded = true;
      seat.respondedOnTime = at - arrivedAt <= responseLimitMs;
      if (!overallResponded) {
        overallResponded = true;
        overall.responded = true;
        overall.respondedOnTime = seat.respondedOnTime;
      }
    }

    switch (entry.action) {
      case 'dispatch': {
        lead = entry.leadUnit ?? null;
        deadline = entry.deadline ?? null;
        dispatchedAt = at;
        awaitingUnit = true;
        if (lead) unitCredit(lead);
        break;
      }
      case 'take':
        if (lead && awaitingUnit) {
          const unit = unitCredit(lead);
          unit.responded = true;
          unit.respondedOnTime = at - dispatchedAt <= responseLimitMs;
          awaitingUnit = false;
        }
        break;
      case 'return':
        seat.returned += 1;
        overall.returned += 1;
        if (entry.actorUnit && lead) {
          const unit = unitCredit(lead);
          unit.returned += 1;
          if (awaitingUnit) {
            unit.responded = true;
            unit.respondedOnTime = at - dispatchedAt <= responseLimitMs;
          }
          if (!unit.disposed) unit.passedOn = true;
          lead = null;
          awaitingUnit = false;
        } else if (!seat.disposed) {
          seat.passedOn = true;
        }
        break;
      case 'resolve': {
        const handled = clockOf(clockEntries, item.level, tier, table, entry.at);
        seat.disposed = true;
        seat.disposedOnTime = handled !== null && withinLimit('handling', item.level, handled.elapsedMs, table);
        overall.disposed = true;
        overall.disposedOnTime = seat.disposedOnTime;
        if (lead) {
          const unit = unitCredit(lead);
          unit.disposed = true;
          unit.disposedOnTime = deadline === null || at <= deadline.getTime();
          unit.passedOn = false;
        }
        break;
      }
      case 'close':
        if (entry.fromStatus !== 'verified' && entry.fromStatus !== 'resolved') {
          // Closed directly by the seat (duplicate, answered on the phone): disposed here.
          const handled = clockOf(clockEntries, item.level, tier, table, entry.at);
          seat.disposed = true;
          seat.disposedOnTime = handled === null || withinLimit('handling', item.level, handled.elapsedMs, table);
          seat.passedOn = false;
          overall.disposed = true;
          overall.disposedOnTime = seat.disposedOnTime;
        }
        break;
      case 'escalate':
        seat.escalated = true;
        overall.escalated = true;
        if (!seat.disposed) seat.passedOn = true;
        if (lead) {
          const unit = unitCredit(lead);
          unit.escalated = true;
          if (!unit.disposed) unit.passedOn = true;
        }
        lead = null;
        awaitingUnit = false;
        break;
      case 'hand_down':
        if (!seat.disposed) seat.passedOn = true;
        lead = null;
        break;
      case 'reopen':
        // Open again: what was disposed is not disposed any more.
        seat.disposed = false;
        overall.disposed = false;
        lead = null;
        break;
    }

    if (entry.toTier !== tier) {
      tier = entry.toTier;
      arrivedAt = at;
      awaitingSeat = true;
      const arriving = tierCredit(tier);
      // Coming back to a tier it passed on: no longer passed on unless it leaves again.
      arriving.passedOn = false;
    }
    status = entry.toStatus;
    clockEntries.push({ at: entry.at, status, tier });
  }
  return { overall, byTier, byUnit };
}

export interface FigureRow {
  key: string;
  received: number;
  responded: number;
  respondedOnTime: number;
  disposed: number;
  disposedOnTime: number;
  escalated: number;
  returned: number;
  /** Shares 0-1, null when nothing to divide by. */
  responseRate: number | null;
  disposalRate: number | null;
  onTimeRate: number | null;
  /** Average minutes an item spent in each status, over the items that left it. */
  averageMinutes: Partial<Record<IncidentStatus, number>>;
}

interface Tally {
  received: number;
  responded: number;
  respondedOnTime: number;
  disposed: number;
  disposedOnTime: number;
  passedOn: number;
  escalated: number;
  returned: number;
  dwell: Partial<Record<IncidentStatus, { sum: number; n: number }>>;
}

const ratio = (part: number, whole: number) => (whole > 0 ? part / whole : null);

function tallyRow(key: string, t: Tally): FigureRow {
  const averageMinutes: Partial<Record<IncidentStatus, number>> = {};
  for (const [status, { sum, n }] of Object.entries(t.dwell) as [IncidentStatus, { sum: number; n: number }][]) {
    averageMinutes[status] = Math.round((sum / n / 60_000) * 10) / 10;
  }
  return {
    key,
    received: t.received,
    responded: t.responded,
    respondedOnTime: t.respondedOnTime,
    disposed: t.disposed,
    disposedOnTime: t.disposedOnTime,
    escalated: t.escalated,
    returned: t.returned,
    responseRate: ratio(t.responded, t.received),
    disposalRate: ratio(t.disposed, t.received - t.passedOn),
    onTimeRate: ratio(t.disposedOnTime, t.disposed),
    averageMinutes,
  };
}

function add(tallies: Map<string, Tally>, key: string, credit: Credit): void {
  const t = tallies.get(key) ?? tallies.set(key, { received: 0, responded: 0, respondedOnTime: 0, disposed: 0, disposedOnTime: 0, passedOn: 0, escalated: 0, returned: 0, dwell: {} }).get(key)!;
  t.received += 1;
  if (credit.responded) t.responded += 1;
  if (credit.respondedOnTime) t.respondedOnTime += 1;
  if (credit.disposed) t.disposed += 1;
  if (credit.disposedOnTime) t.disposedOnTime += 1;
  if (credit.passedOn && !credit.disposed) t.passedOn += 1;
  if (credit.escalated) t.escalated += 1;
  t.returned += credit.returned;
  for (const [status, ms] of Object.entries(credit.dwellMs) as [IncidentStatus, number][]) {
    const d = t.dwell[status] ?? (t.dwell[status] = { sum: 0, n: 0 });
    d.sum += ms;
    d.n += 1;
  }
}

export interface Figures {
  /** Every item of the cohort counted once. */
  total: FigureRow;
  rows: FigureRow[];
}

/**
 * Figures of the items reported in [from, to), grouped `by`. `entries` holds
 * the timelines of (at least) those items; others are ignored.
 */
export function computeFigures(
  items: FigureItem[],
  entries: FigureEntry[],
  by: FigureGrouping,
  period: { from: Date; to: Date },
  table: SlaTable,
): Figures {
  const cohort = items.filter((i) => i.reportedAt >= period.from && i.reportedAt < period.to);
  const entriesOf = new Map<string, FigureEntry[]>();
  for (const entry of entries) {
    const list = entriesOf.get(entry.incidentId) ?? entriesOf.set(entry.incidentId, []).get(entry.incidentId)!;
    list.push(entry);
  }
  const totals = new Map<string, Tally>();
  const groups = new Map<string, Tally>();
  for (const item of cohort) {
    const credits = creditItem(item, entriesOf.get(item.id) ?? [], table);
    add(totals, 'total', credits.overall);
    if (by === 'tier') for (const [tier, credit] of credits.byTier) add(groups, tier, credit);
    else if (by === 'unit') for (const [unit, credit] of credits.byUnit) add(groups, unit, credit);
    else if (by === 'town') add(groups, item.townCode, credits.overall);
    else if (item.communityCode) add(groups, item.communityCode, credits.overall);
  }
  const empty: Tally = { received: 0, responded: 0, respondedOnTime: 0, disposed: 0, disposedOnTime: 0, passedOn: 0, escalated: 0, returned: 0, dwell: {} };
  const rows = [...groups.entries()].map(([key, t]) => tallyRow(key, t)).sort((a, b) => a.key.localeCompare(b.key));
  return { total: tallyRow('total', totals.get('total') ?? empty), rows };
}

/** The period a review looks at: the day, ISO week (from Monday) or month containing `now`, in local time. */
export function periodOf(kind: 'day' | 'week' | 'month', now: Date, offsetMinutes = 8 * 60): { from: Date; to: Date } {
  const local = new Date(now.getTime() + offsetMinutes * 60_000);
  const y = local.getUTCFullYear();
  const m = local.getUTCMonth();
  const d = local.getUTCDate();
  const shift = (ms: number) => new Date(ms - offsetMinutes * 60_000);
  if (kind === 'day') return { from: shift(Date.UTC(y, m, d)), to: shift(Date.UTC(y, m, d + 1)) };
  if (kind === 'month') return { from: shift(Date.UTC(y, m, 1)), to: shift(Date.UTC(y, m + 1, 1)) };
  const weekday = local.getUTCDay() === 0 ? 7 : local.getUTCDay();
  return { from: shift(Date.UTC(y, m, d - weekday + 1)), to: shift(Date.UTC(y, m, d - weekday + 8)) };
}
