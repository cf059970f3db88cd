import { describe, expect, it } from 'vitest';
import type { IncidentStatus, Tier } from '../../../shared/workflow.ts';
import { DEFAULT_SLA_TABLE } from './sla.ts';
import { computeFigures, creditItem, periodOf, type FigureEntry, type FigureItem } from './figures.ts';

const t0 = new Date('2026-06-01T00:00:00Z');
const min = (m: number) => new Date(t0.getTime() + m * 60_000);
const table = DEFAULT_SLA_TABLE;
const period = { from: t0, to: min(24 * 60) };

const T1 = '321171001';
const C1 = '321171001001';
const C2 = '321171001002';
const T2 = '321171002';
const C3 = '321171002001';

type Step = [minute: number, action: FigureEntry['action'], toStatus: IncidentStatus, toTier: Tier, extra?: Partial<FigureEntry>];

/** A timeline from a compact script; fromStatus/fromTier follow from the previous step. */
function timeline(id: string, steps: Step[]): FigureEntry[] {
  let previous: { status: IncidentStatus; tier: Tier } | null = null;
  return steps.map(([m, action, toStatus, toTier, extra]) => {
    const entry: FigureEntry = {
      incidentId: id,
      at: min(m),
      action,
      actorKind: 'user',
      actorUnit: null,
      fromStatus: previous?.status ?? null,
      toStatus,
      fromTier: previous?.tier ?? null,
      toTier,
      ...extra,
    };
    previous = { status: toStatus, tier: toTier };
    return entry;
  });
}

const item = (id: string, over: Partial<FigureItem> = {}): FigureItem => ({ id, level: 3, townCode: T1, communityCode: C1, reportedAt: min(0), ...over });
const unit = (code: string) => ({ actorUnit: code });
const dispatchTo = (code: string, deadlineMinute = 600) => ({ leadUnit: code, deadline: min(deadlineMinute) });

// A: level 3 at community C1, handled there start to finish, on time.
const A = timeline('A', [
  [0, 'report', 'reported', 'community'],
  [30, 'accept', 'accepted', 'community'],
  [40, 'dispatch', 'dispatched', 'community', dispatchTo('property')],
  [100, 'take', 'in_progress', 'community', unit('property')],
  [400, 'resolve', 'resolved', 'community', unit('property')],
  [460, 'verify', 'verified', 'community'],
  [470, 'close', 'closed', 'community'],
  [1000, 'rate', 'rated', 'community'],
]);
// B: level 3 at C1, accepted late (150 > 120 min), escalated by the seat to the town, solved there by police.
const B = timeline('B', [
  [0, 'report', 'reported', 'community'],
  [150, 'accept', 'accepted', 'community'],
  [200, 'escalate', 'reported', 'town'],
  [210, 'accept', 'accepted', 'town'],
  [220, 'dispatch', 'dispatched', 'town', dispatchTo('police', 300)],
  [230, 'take', 'in_progress', 'town', unit('police')],
  [320, 'resolve', 'resolved', 'town', unit('police')],
]);
// C: level 3 at C2, never responded; the timer escalated it to the town (no response), still waiting there.
const C = timeline('C', [
  [0, 'report', 'reported', 'community'],
  [240, 'escalate', 'reported', 'town', { actorKind: 'system' }],
]);
// D: level 2 in town T2, dispatched to water, returned by it, re-dispatched to police, in progress.
const D = timeline('D', [
  [0, 'report', 'reported', 'town'],
  [10, 'accept', 'accepted', 'town'],
  [20, 'dispatch', 'dispatched', 'town', dispatchTo('water')],
  [50, 'return', 'returned', 'town', unit('water')],
  [60, 'dispatch', 'dispatched', 'town', dispatchTo('police')],
]);
// E: level 3 at C1, closed directly as a duplicate.
const E = timeline('E', [
  [0, 'report', 'reported', 'community'],
  [5, 'accept', 'accepted', 'community'],
  [15, 'close', 'closed', 'community'],
]);

const items = [item('A'), item('B'), item('C', { communityCode: C2 }), item('D', { level: 2, townCode: T2, communityCode: C3 }), item('E')];
const entries = [...A, ...B, ...C, ...D, ...E];

describe('creditItem', () => {
  it('credits a community-handled item to the community and the unit', () => {
    const credits = creditItem(items[0]!, A, table);
    expect([...credits.byTier.keys()]).toEqual(['community']);
    expect(credits.byTier.get('community')).toMatchObject({ responded: true, respondedOnTime: true, disposed: true, disposedOnTime: true, escalated: false });
    expect(credits.byUnit.get('property')).toMatchObject({ responded: true, disposed: true, disposedOnTime: true });
    expect(credits.overall.dwellMs).toEqual({
      reported: 30 * 60_000, accepted: 10 * 60_000, dispatched: 60 * 60_000, in_progress: 300 * 60_000,
      resolved: 60 * 60_000, verified: 10 * 60_000, closed: 530 * 60_000,
    });
  });

  it('credits each tier its part of an escalated item', () => {
    const credits = creditItem(items[1]!, B, table);
    expect(credits.byTier.get('community')).toMatchObject({ responded: true, respondedOnTime: false, disposed: false, escalated: true, passedOn: true });
    expect(credits.byTier.get('town')).toMatchObject({ responded: true, respondedOnTime: true, disposed: true, disposedOnTime: true, escalated: false });
    expect(credits.overall).toMatchObject({ responded: true, respondedOnTime: false, disposed: true, escalated: true });
    expect(credits.byUnit.get('police')).toMatchObject({ disposed: true, disposedOnTime: false }); // resolved at 320, deadline 300
  });

  it('does not count the timer\'s escalation as a response', () => {
    const credits = creditItem(items[2]!, C, table);
    expect(credits.byTier.get('community')).toMatchObject({ responded: false, escalated: true, passedOn: true });
    expect(credits.byTier.get('town')).toMatchObject({ responded: false, disposed: false });
  });

  it('credits a unit\'s return as its response and passes the item on', () => {
    const credits = creditItem(items[3]!, D, table);
    expect(credits.byUnit.get('water')).toMatchObject({ responded: true, returned: 1, passedOn: true, disposed: false });
    expect(credits.byUnit.get('police')).toMatchObject({ responded: false, disposed: false });
    expect(credits.byTier.get('town')!.returned).toBe(1);
  });

  it('judges handling on time by the SLA clock, pauses excluded', () => {
    // level 1: 24 h of handling. Resolved at 20 h, rejected after 10 h paused, resolved again 3 h later: 23 h handled.
    const steps = timeline('F', [
      [0, 'report', 'reported', 'district'],
      [10, 'accept', 'accepted', 'district'],
      [20, 'dispatch', 'dispatched', 'district', dispatchTo('police', 10_000)],
      [30, 'take', 'in_progress', 'district', unit('police')],
      [10 + 20 * 60, 'resolve', 'resolved', 'district', unit('police')],
      [10 + 30 * 60, 'reject', 'in_progress', 'district'],
      [10 + 33 * 60, 'resolve', 'resolved', 'district', unit('police')],
    ]);
    const credits = creditItem(item('F', { level: 1 }), steps, table);
    expect(credits.byTier.get('district')).toMatchObject({ disposed: true, disposedOnTime: true });
    const late = steps.map((e, i) => (i === 6 ? { ...e, at: min(10 + 35 * 60) } : e));
    expect(creditItem(item('F', { level: 1 }), late, table).byTier.get('district')!.disposedOnTime).toBe(false);
  });

  it('a reopened item is not disposed until resolved again', () => {
    const steps = [...E, ...timeline('E', [[15, 'close', 'closed', 'community'], [900, 'reopen', 'accepted', 'community']]).slice(1)];
    const credits = creditItem(item('E'), steps, table);
    expect(credits.overall.disposed).toBe(false);
  });
});

describe('computeFigures', () => {
  it('counts each item once in the total, whatever tiers it passed', () => {
    const { total } = computeFigures(items, entries, 'tier', period, table);
    expect(total).toMatchObject({ received: 5, responded: 4, respondedOnTime: 3, disposed: 3, escalated: 2, returned: 1 });
    expect(total.responseRate).toBeCloseTo(4 / 5);
    expect(total.disposalRate).toBeCloseTo(3 / 5);
    expect(total.onTimeRate).toBeCloseTo(1);
  });

  it('by tier, credits each tier its part', () => {
    const { rows } = computeFigures(items, entries, 'tier', period, table);
    const community = rows.find((r) => r.key === 'community')!;
    const town = rows.find((r) => r.key === 'town')!;
    // community: A, B, C, E received; A, B, E responded (B late); A, E disposed; B and C passed on
    expect(community).toMatchObject({ received: 4, responded: 3, respondedOnTime: 2, disposed: 2, escalated: 2, returned: 0 });
    expect(community.disposalRate).toBeCloseTo(2 / 2);
    // town: B, C (escalated up), D (started there): B, D responded; B disposed
    expect(town).toMatchObject({ received: 3, responded: 2, disposed: 1, escalated: 0, returned: 1 });
    expect(town.disposalRate).toBeCloseTo(1 / 3);
    expect(rows.map((r) => r.key)).toEqual(['community', 'town']);
  });

  it('by town and community, counts items where they lie', () => {
    const byTown = computeFigures(items, entries, 'town', period, table).rows;
    expect(byTown.map((r) => [r.key, r.received])).toEqual([[T1, 4], [T2, 1]]);
    const byCommunity = computeFigures(items, entries, 'community', period, table).rows;
    expect(byCommunity.map((r) => [r.key, r.received, r.disposed])).toEqual([[C1, 3, 3], [C2, 1, 0], [C3, 1, 0]]);
  });

  it('by unit, credits each unit dispatched to as lead', () => {
    const { rows } = computeFigures(items, entries, 'unit', period, table);
    expect(rows.map((r) => r.key)).toEqual(['police', 'property', 'water']);
    const police = rows.find((r) => r.key === 'police')!;
    expect(police).toMatchObject({ received: 2, responded: 1, disposed: 1, disposedOnTime: 0 });
    expect(police.onTimeRate).toBe(0);
    const water = rows.find((r) => r.key === 'water')!;
    expect(water).toMatchObject({ received: 1, responded: 1, returned: 1, disposed: 0 });
    expect(water.disposalRate).toBeNull(); // passed on: nothing left to dispose of
  });

  it('averages the time per stage over the items that completed it', () => {
    const { rows } = computeFigures(items, entries, 'community', period, table);
    const c1 = rows.find((r) => r.key === C1)!;
    // waiting for response: A 30, B 150 + 10 at the town (one item, summed), E 5
    expect(c1.averageMinutes.reported).toBeCloseTo((30 + 160 + 5) / 3, 1);
    expect(c1.averageMinutes.in_progress).toBeCloseTo((300 + 90) / 2, 1);
  });

  it('keeps to the period: items reported outside it are not counted', () => {
    const late = computeFigures([...items, item('Z', { reportedAt: min(24 * 60) })], entries, 'tier', period, table);
    expect(late.total.received).toBe(5);
    const empty = computeFigures(items, entries, 'town', { from: min(-100), to: min(-1) }, table);
    expect(empty.total).toMatchObject({ received: 0, responseRate: null, disposalRate: null, onTimeRate: null });
    expect(empty.rows).toEqual([]);
  });
});

describe('periodOf', () => {
  const now = new Date('2026-06-03T18:00:00Z'); // Thursday 02:00 local
  it('gives the local day, ISO week from Monday and month', () => {
    expect(periodOf('day', now)).toEqual({ from: new Date('2026-06-03T16:00:00Z'), to: new Date('2026-06-04T16:00:00Z') });
    expect(periodOf('week', now)).toEqual({ from: new Date('2026-05-31T16:00:00Z'), to: new Date('2026-06-07T16:00:00Z') });
    expect(periodOf('month', now)).toEqual({ from: new Date('2026-05-31T16:00:00Z'), to: new Date('2026-06-30T16:00:00Z') });
  });
  it('puts a Sunday into the week that began the Monday before', () => {
    expect(periodOf('week', new Date('2026-06-07T04:00:00Z')).from).toEqual(new Date('2026-05-31T16:00:00Z'));
  });
});
