import { describe, expect, it } from 'vitest';
import { CATALOGUE_ITEMS, timeLimitOf } from '../../../shared/catalogue.ts';
import { INCIDENT_STATUSES, type IncidentStatus } from '../../../shared/workflow.ts';
import { HANDLING_UNITS } from '../services/handling-units.ts';
import { acknowledgeDelayMs, decide, leadUnitFor, seatAccount, type OpsItem } from './feed-ops.ts';

const T0 = Date.parse('2026-11-30T08:00:00Z');
const opts = { speed: 30, seed: 'ops-test' };

function item(n: number, over: Partial<OpsItem> = {}): OpsItem {
  const entry = CATALOGUE_ITEMS[n % CATALOGUE_ITEMS.length];
  return {
    id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`, itemCode: entry.code, domain: entry.domain, level: entry.level,
    status: 'reported', tier: 'community', townCode: 'T1', communityCode: 'C1', unitCode: null, version: 1,
    updatedAt: new Date(T0).toISOString(), ...over,
  };
}

const many = (over: Partial<OpsItem>, n = 2000) => Array.from({ length: n }, (_, i) => decide(item(i, over), opts));

describe('who works an item next', () => {
  it('walks the loop: seat accepts and dispatches, the unit takes and resolves, the seat verifies and closes', () => {
    const steps: [IncidentStatus, string, string][] = [
      ['reported', 'accept', 'liaison.C1'],
      ['dispatched', 'take', 'unit.police'],
      ['in_progress', 'resolve', 'unit.police'],
      ['resolved', 'verify', 'liaison.C1'],
      ['verified', 'close', 'liaison.C1'],
    ];
    for (const [status, route, username] of steps) {
      const d = decide(item(7, { status, unitCode: 'police', version: 3 }), { ...opts, shares: { late: 0, escalate: 0, returnByUnit: 0, rate: 0 } });
      expect(d?.action.route, status).toBe(route);
      expect(d?.username).toBe(username);
      expect(d!.at).toBeGreaterThan(T0);
    }
    const accepted = decide(item(7, { status: 'accepted', tier: 'town' }), { ...opts, shares: { late: 0, escalate: 0, returnByUnit: 0, rate: 0 } });
    expect(accepted?.action.route).toBe('dispatch');
    expect(accepted?.username).toBe('duty.T1');
  });

  it('acts as the owning seat of each tier', () => {
    expect(seatAccount('district', 'T1', 'C1')).toBe('duty.district');
    expect(seatAccount('town', 'T1', 'C1')).toBe('duty.T1');
    expect(seatAccount('community', 'T1', 'C1')).toBe('liaison.C1');
  });

  it('is the same for the same item, version and seed, and changes with the version', () => {
    expect(decide(item(3), opts)).toEqual(decide(item(3), opts));
    const ats = new Set(Array.from({ length: 20 }, (_, v) => decide(item(3, { version: v + 1 }), opts)!.at));
    expect(ats.size).toBeGreaterThan(15);
  });

  it('accepts most items within the response limit and a few late, in real time', () => {
    const decisions = many({});
    let late = 0;
    decisions.forEach((d, i) => {
      const limitMs = timeLimitOf(item(i).level).responseMinutes * 60_000;
      if (d!.at - T0 > limitMs) late += 1;
      else expect(d!.at - T0).toBeLessThanOrEqual(limitMs * 0.75 / opts.speed + 1);
    });
    expect(late / decisions.length).toBeGreaterThan(0.04);
    expect(late / decisions.length).toBeLessThan(0.13);
  });

  it('dispatches to a real handling unit with a future deadline; sometimes escalates below the district', () => {
    const codes = new Set(HANDLING_UNITS.map((u) => u.code));
    const decisions = many({ status: 'accepted' });
    const escalated = decisions.filter((d) => d?.action.route === 'escalate').length;
    expect(escalated).toBeGreaterThan(20);
    expect(escalated).toBeLessThan(120);
    for (const d of decisions) {
      if (d?.action.route !== 'dispatch') continue;
      expect(codes.has(d.action.body.leadUnit)).toBe(true);
      expect(Date.parse(d.action.body.deadline)).toBeGreaterThan(d.at);
    }
    expect(many({ status: 'accepted', tier: 'district' }).every((d) => d?.action.route === 'dispatch')).toBe(true);
  });

  it('maps every catalogue item to a handling unit, utilities by their words', () => {
    const codes = new Set(HANDLING_UNITS.map((u) => u.code));
    for (const entry of CATALOGUE_ITEMS) expect(codes.has(leadUnitFor(entry.code, entry.domain))).toBe(true);
    const gas = CATALOGUE_ITEMS.find((e) => /燃气/.test(e.name));
    if (gas) expect(leadUnitFor(gas.code, gas.domain)).toBe('gas');
    expect(leadUnitFor(CATALOGUE_ITEMS.find((e) => e.domain === 'public_order' && !/燃气|水|电|物业|电梯|楼道|小区/.test(e.name))!.code, 'public_order')).toBe('police');
  });

  it('has units return a few items, and rates about a third of closed ones', () => {
    const returned = many({ status: 'dispatched', unitCode: 'water' }).filter((d) => d?.action.route === 'return').length;
    expect(returned).toBeGreaterThan(40);
    expect(returned).toBeLessThan(140);
    const rated = many({ status: 'closed' }).filter((d) => d?.action.route === 'rate');
    expect(rated.length / 2000).toBeGreaterThan(0.25);
    expect(rated.length / 2000).toBeLessThan(0.35);
    for (const d of rated) if (d?.action.route === 'rate') expect([3, 4, 5]).toContain(d.action.body.score);
  });

  it('leaves rated items and unassigned dispatches alone', () => {
    expect(decide(item(1, { status: 'rated' }), opts)).toBeNull();
    expect(decide(item(1, { status: 'dispatched', unitCode: null }), opts)).toBeNull();
    for (const status of INCIDENT_STATUSES) expect(() => decide(item(2, { status, unitCode: 'police' }), opts)).not.toThrow();
  });

  it('runs faster at a higher demo speed', () => {
    const slow = decide(item(5, { status: 'in_progress', unitCode: 'police' }), opts)!;
    const fast = decide(item(5, { status: 'in_progress', unitCode: 'police' }), { ...opts, speed: 300 })!;
    expect((fast.at - T0) * 10).toBeCloseTo(slow.at - T0, 0);
  });
});

describe('alert acknowledgement delay', () => {
  it('is 20-90 s at the demo speed, 5-25 s for level 1, and scales with the speed', () => {
    for (let i = 0; i < 200; i++) {
      const ms = acknowledgeDelayMs(`alert-${i}`, 2, opts);
      expect(ms).toBeGreaterThanOrEqual(20_000);
      expect(ms).toBeLessThanOrEqual(90_000);
      const l1 = acknowledgeDelayMs(`alert-${i}`, 1, opts);
      expect(l1).toBeGreaterThanOrEqual(5_000);
      expect(l1).toBeLessThanOrEqual(25_000);
      expect(acknowledgeDelayMs(`alert-${i}`, 2, { ...opts, speed: 300 })).toBeCloseTo(ms / 10, 6);
    }
  });
});
