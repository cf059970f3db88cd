import { describe, expect, it } from 'vitest';
import type { IncidentStatus, Tier } from '../../../shared/workflow.ts';
import {
  DEFAULT_SLA_TABLE, VERIFICATION_HOURS, clockOf, shortestLimitMs, escalationAlertDraft, leavesStage, overdueAlertDraft, slaTable, sweepSteps, withinLimit, type ClockEntry,
} from './sla.ts';

const t0 = new Date('2026-06-01T00:00:00Z');
const min = (m: number) => new Date(t0.getTime() + m * 60_000);
const e = (m: number, status: IncidentStatus, tier: Tier = 'community'): ClockEntry => ({ at: min(m), status, tier });
const table = DEFAULT_SLA_TABLE;
// Level 3: response 120 min, handling 168 h, verification 48 h. Level 1: 15 min, 24 h, 4 h.

describe('the table', () => {
  it('takes response and handling limits from the catalogue and adds verification', () => {
    expect(table.limits[1]).toEqual({ responseMinutes: 15, handlingMinutes: 24 * 60, verificationMinutes: VERIFICATION_HOURS[1] * 60 });
    expect(table.limits[3]).toEqual({ responseMinutes: 120, handlingMinutes: 168 * 60, verificationMinutes: 48 * 60 });
    expect(table.escalateFactor).toBe(2);
  });
  it('is configurable, and refuses a factor that would escalate before the item is even overdue', () => {
    const custom = slaTable([{ level: 1, responseMinutes: 5, resolutionHours: 1 }, { level: 2, responseMinutes: 10, resolutionHours: 2 }, { level: 3, responseMinutes: 20, resolutionHours: 3 }], 3);
    expect(custom.limits[2].handlingMinutes).toBe(120);
    expect(custom.escalateFactor).toBe(3);
    expect(() => slaTable(undefined, 1)).toThrow(/greater than 1/);
    expect(() => slaTable([{ level: 1, responseMinutes: 5, resolutionHours: 1 }])).toThrow(/level 2/);
  });
});

describe('the shortest limit (what the sweep may skip)', () => {
  it('is the smallest limit of any stage and level: level 1\'s 15-minute response here', () => {
    expect(shortestLimitMs(table)).toBe(15 * 60_000);
    const custom = slaTable([{ level: 1, responseMinutes: 30, resolutionHours: 0.1 }, { level: 2, responseMinutes: 60, resolutionHours: 2 }, { level: 3, responseMinutes: 90, resolutionHours: 3 }]);
    expect(shortestLimitMs(custom)).toBe(6 * 60_000);
  });
  it('no clock of an item reported less than that long ago is overdue or escalating, whatever its steps', () => {
    const just = 15 - 0.01;
    const timelines: ClockEntry[][] = [
      [e(0, 'reported', 'district')],
      [e(0, 'reported'), e(1, 'accepted'), e(2, 'dispatched'), e(3, 'in_progress')],
      [e(0, 'reported'), e(1, 'accepted'), e(2, 'in_progress'), e(3, 'resolved')],
      [e(0, 'reported', 'community'), e(5, 'reported', 'town')],
    ];
    for (const timeline of timelines) {
      for (const level of [1, 2, 3] as const) {
        const clk = clockOf(timeline, level, timeline[timeline.length - 1]!.tier, table, min(just));
        expect(clk?.overdue ?? false).toBe(false);
        expect(clk?.shouldEscalate ?? false).toBe(false);
      }
    }
  });
});

describe('the response clock', () => {
  it('runs from the report until accepted; overdue at the limit, escalates at twice the limit', () => {
    const timeline = [e(0, 'reported')];
    expect(clockOf(timeline, 3, 'community', table, min(119))).toMatchObject({ stage: 'response', overdue: false, shouldEscalate: false, elapsedMs: 119 * 60_000 });
    const atLimit = clockOf(timeline, 3, 'community', table, min(120))!;
    expect(atLimit).toMatchObject({ overdue: true, shouldEscalate: false, dueAt: min(120), escalateAt: min(240) });
    expect(clockOf(timeline, 3, 'community', table, min(239))!.shouldEscalate).toBe(false);
    expect(clockOf(timeline, 3, 'community', table, min(240))!.shouldEscalate).toBe(true);
  });
  it('uses the level\'s limit: a level-1 item is overdue after 15 minutes', () => {
    expect(clockOf([e(0, 'reported', 'district')], 1, 'district', table, min(15))!.overdue).toBe(true);
    expect(clockOf([e(0, 'reported', 'town')], 2, 'town', table, min(29))!.overdue).toBe(false);
    expect(clockOf([e(0, 'reported', 'town')], 2, 'town', table, min(30))!.overdue).toBe(true);
  });
  it('restarts at the receiving tier after an escalation, and an overdue mark entry does not restart it', () => {
    const timeline = [e(0, 'reported'), e(120, 'reported'), e(240, 'reported', 'town')];
    const clock = clockOf(timeline, 3, 'town', table, min(250))!;
    expect(clock).toMatchObject({ stage: 'response', startedAt: min(240), elapsedMs: 10 * 60_000, overdue: false });
  });
  it('never escalates at the New Area: marked only', () => {
    const clock = clockOf([e(0, 'reported', 'district')], 1, 'district', table, min(600))!;
    expect(clock).toMatchObject({ overdue: true, shouldEscalate: false, escalateAt: null });
  });
});

describe('the handling clock', () => {
  it('runs from acceptance through dispatch and work until resolved', () => {
    const timeline = [e(0, 'reported'), e(10, 'accepted'), e(20, 'dispatched'), e(60, 'in_progress')];
    const clock = clockOf(timeline, 1, 'community', table, min(10 + 24 * 60))!;
    expect(clock).toMatchObject({ stage: 'handling', startedAt: min(10), overdue: true, shouldEscalate: false });
    expect(clockOf(timeline, 1, 'community', table, min(10 + 24 * 60 - 1))!.overdue).toBe(false);
    expect(clockOf(timeline, 1, 'community', table, min(10 + 48 * 60))!.shouldEscalate).toBe(true);
  });
  it('pauses while resolved or verified and resumes on rework without fresh time', () => {
    // accepted at 0; resolved at 600 (10 h handled); rejected at 1600 (paused 1000 min); now 1600 + 14 h
    const timeline = [e(-5, 'reported'), e(0, 'accepted'), e(5, 'dispatched'), e(10, 'in_progress'), e(600, 'resolved'), e(1600, 'in_progress')];
    const clock = clockOf(timeline, 1, 'community', table, min(1600 + 14 * 60))!;
    expect(clock.elapsedMs).toBe((600 + 14 * 60) * 60_000);
    expect(clock.overdue).toBe(true); // 24 h of handling reached
    expect(clockOf(timeline, 1, 'community', table, min(1600 + 14 * 60 - 1))!.overdue).toBe(false);
  });
  it('counts time spent returned to the seat', () => {
    const timeline = [e(0, 'accepted'), e(10, 'dispatched'), e(20, 'returned')];
    expect(clockOf(timeline, 3, 'community', table, min(168 * 60))!.overdue).toBe(true);
  });
  it('starts a fresh clock when an item is reopened', () => {
    const timeline = [e(0, 'accepted'), e(10, 'dispatched'), e(20, 'in_progress'), e(30, 'resolved'), e(40, 'verified'), e(50, 'closed'), e(10_000, 'accepted')];
    expect(clockOf(timeline, 3, 'community', table, min(10_060))).toMatchObject({ stage: 'handling', startedAt: min(10_000), elapsedMs: 60 * 60_000 });
  });
  it('is overdue once the unit\'s deadline passed, even inside the table\'s limit', () => {
    const timeline = [e(0, 'accepted'), e(10, 'dispatched')];
    const deadline = min(120);
    expect(clockOf(timeline, 3, 'community', table, min(119), deadline)!.overdue).toBe(false);
    const clock = clockOf(timeline, 3, 'community', table, min(120), deadline)!;
    expect(clock).toMatchObject({ overdue: true, dueAt: deadline, shouldEscalate: false });
  });
  it('a hand-down or seat return starts the receiving tier\'s own clocks', () => {
    const timeline = [e(0, 'reported', 'district'), e(5, 'accepted', 'district'), e(30, 'reported', 'town'), e(40, 'accepted', 'town')];
    expect(clockOf(timeline, 1, 'town', table, min(100))).toMatchObject({ stage: 'handling', startedAt: min(40) });
    const back = [...timeline, e(50, 'returned', 'district')];
    expect(clockOf(back, 1, 'district', table, min(100))).toMatchObject({ stage: 'handling', startedAt: min(50) });
  });
});

describe('the verification clock', () => {
  it('runs from resolution until closed, is marked overdue but never escalates', () => {
    const timeline = [e(0, 'accepted'), e(10, 'dispatched'), e(20, 'in_progress'), e(30, 'resolved'), e(100, 'verified')];
    const clock = clockOf(timeline, 1, 'community', table, min(30 + 4 * 60))!;
    expect(clock).toMatchObject({ stage: 'verification', startedAt: min(30), overdue: true, shouldEscalate: false, escalateAt: null });
    expect(clockOf(timeline, 1, 'community', table, min(30 + 100 * 60))!.shouldEscalate).toBe(false);
  });
  it('stops once closed or rated', () => {
    const timeline = [e(0, 'accepted'), e(30, 'resolved'), e(40, 'verified'), e(50, 'closed')];
    expect(clockOf(timeline, 1, 'community', table, min(100_000))).toBeNull();
    expect(clockOf([...timeline, e(60, 'rated')], 1, 'community', table, min(100_000))).toBeNull();
    expect(clockOf([], 1, 'community', table, min(0))).toBeNull();
  });
});

describe('the clock survives a restart: it depends only on the timeline and now', () => {
  it('gives the same answer whatever order the rows arrive in', () => {
    const timeline = [e(0, 'reported'), e(10, 'accepted'), e(20, 'dispatched')];
    const a = clockOf(timeline, 2, 'community', table, min(500));
    const b = clockOf([...timeline].reverse(), 2, 'community', table, min(500));
    expect(b).toEqual(a);
  });
});

describe('sweepSteps', () => {
  const timeline = [e(0, 'reported')];
  it('does nothing before the limit', () => {
    expect(sweepSteps({ overdue: false }, clockOf(timeline, 3, 'community', table, min(100)), table)).toEqual([]);
  });
  it('marks overdue once', () => {
    const clock = clockOf(timeline, 3, 'community', table, min(130));
    expect(sweepSteps({ overdue: false }, clock, table)).toEqual([{ type: 'flag_overdue', stage: 'response' }]);
    expect(sweepSteps({ overdue: true }, clock, table)).toEqual([]);
  });
  it('marks and escalates in one sweep when a restart skipped past both limits', () => {
    const steps = sweepSteps({ overdue: false }, clockOf(timeline, 3, 'community', table, min(500)), table);
    expect(steps.map((s) => s.type)).toEqual(['flag_overdue', 'escalate']);
    expect(steps[1]).toMatchObject({ reason: expect.stringContaining('自动提级') });
  });
  it('escalates an item already marked', () => {
    expect(sweepSteps({ overdue: true }, clockOf(timeline, 3, 'community', table, min(240)), table).map((s) => s.type)).toEqual(['escalate']);
  });
  it('does nothing for closed items', () => {
    expect(sweepSteps({ overdue: false }, null, table)).toEqual([]);
  });
});

describe('withinLimit', () => {
  it('judges a finished stage against the table', () => {
    expect(withinLimit('response', 1, 15 * 60_000, table)).toBe(true);
    expect(withinLimit('response', 1, 15 * 60_000 + 1, table)).toBe(false);
    expect(withinLimit('handling', 3, 168 * 3600_000, table)).toBe(true);
    expect(withinLimit('verification', 2, 25 * 3600_000, table)).toBe(false);
  });
});

describe('leavesStage: when an overdue alert is moot', () => {
  it('a new stage or a new tier ends the stage', () => {
    expect(leavesStage({ status: 'reported', tier: 'community' }, { status: 'accepted', tier: 'community' })).toBe(true);
    expect(leavesStage({ status: 'reported', tier: 'community' }, { status: 'reported', tier: 'town' })).toBe(true); // escalated
    expect(leavesStage({ status: 'accepted', tier: 'town' }, { status: 'reported', tier: 'community' })).toBe(true); // handed down
    expect(leavesStage({ status: 'in_progress', tier: 'community' }, { status: 'resolved', tier: 'community' })).toBe(true);
    expect(leavesStage({ status: 'resolved', tier: 'community' }, { status: 'in_progress', tier: 'community' })).toBe(true); // rework
    expect(leavesStage({ status: 'verified', tier: 'community' }, { status: 'closed', tier: 'community' })).toBe(true);
  });
  it('moves inside the handling stage, and steps that change no status, keep it', () => {
    expect(leavesStage({ status: 'accepted', tier: 'community' }, { status: 'dispatched', tier: 'community' })).toBe(false);
    expect(leavesStage({ status: 'dispatched', tier: 'community' }, { status: 'in_progress', tier: 'community' })).toBe(false);
    expect(leavesStage({ status: 'in_progress', tier: 'community' }, { status: 'returned', tier: 'community' })).toBe(false);
    expect(leavesStage({ status: 'reported', tier: 'town' }, { status: 'reported', tier: 'town' })).toBe(false); // supervised, flagged
    expect(leavesStage({ status: 'resolved', tier: 'town' }, { status: 'verified', tier: 'town' })).toBe(false);
    expect(leavesStage({ status: 'closed', tier: 'town' }, { status: 'accepted', tier: 'town' })).toBe(false); // reopened: no clock ran
  });
});

describe('overdue alert drafts', () => {
  const facts = {
    incidentId: 'i1', itemCode: 'ZF-09', level: 3 as const, tier: 'community' as const, version: 4,
    area: { townCode: '321171001', communityCode: '321171001001', gridCode: 'g1' }, seat: 'community:321171001001', recipients: ['a', 'b'],
  };
  it('name the stage the clock is in, its limit, how late, and one key per spell of the stage', () => {
    const entries = [e(0, 'reported'), e(10, 'accepted'), e(20, 'dispatched')];
    const handling = clockOf(entries, 3, 'community', table, min(10 + 168 * 60 + 5))!;
    const draft = overdueAlertDraft(facts, handling);
    expect(draft).toMatchObject({
      kind: 'overdue', level: 3, incidentId: 'i1', ruleKey: `overdue:i1:handling:community:${min(10).getTime()}`,
      detail: { stage: 'handling', tier: 'community', startedAt: min(10).toISOString(), limitMinutes: 168 * 60, minutesLate: 5, seat: 'community:321171001001', recipients: 'a,b' },
    });
    // Later in the same spell (taken by the unit, the mark set again): the same key, so no second alert.
    const taken = clockOf([...entries, e(30, 'in_progress')], 3, 'community', table, min(10 + 168 * 60 + 50))!;
    expect(overdueAlertDraft({ ...facts, version: 6 }, taken).ruleKey).toBe(draft.ruleKey);
    // Rework after a rejected resolution is a new spell (handling time still counts from the acceptance).
    const rework = clockOf([...entries, e(30, 'in_progress'), e(40, 'resolved'), e(50, 'in_progress')], 3, 'community', table, min(168 * 60 + 100))!;
    expect(rework.startedAt).toEqual(min(10));
    expect(rework.enteredAt).toEqual(min(50));
    expect(overdueAlertDraft(facts, rework).ruleKey).not.toBe(draft.ruleKey);
  });
  it('for a self-escalation, say where it went', () => {
    const response = clockOf([e(0, 'reported')], 3, 'community', table, min(240))!;
    expect(escalationAlertDraft(facts, response, 'town', table)).toMatchObject({
      kind: 'overdue', incidentId: 'i1', ruleKey: 'escalated:i1:v5', detail: { stage: 'response', escalatedTo: 'town', factor: 2, limitMinutes: 120 },
    });
  });
});
