import { describe, expect, it } from 'vitest';
import { INCIDENT_STATUSES, WORKFLOW_ACTIONS, type IncidentStatus, type WorkflowAction } from '../../../shared/workflow.ts';
import {
  FROM,
  SYSTEM_ACTOR,
  WORKFLOW_ERROR_CODES,
  WORKFLOW_ERROR_STATUS,
  availableActions,
  transition,
  type ActionInput,
  type Actor,
  type WorkflowItem,
} from './workflow.ts';

const now = new Date('2026-06-01T02:00:00Z');
const later = (hours: number) => new Date(now.getTime() + hours * 3600_000).toISOString();

const TOWN = '321171001';
const COMMUNITY = '321171001001';
const OTHER_COMMUNITY = '321171001002';
const OTHER_TOWN = '321171002';

const user = (username: string, role: Actor['role'], scope: Actor['scope'], extra: Partial<Actor> = {}): Actor => ({
  kind: 'user',
  userId: username.length,
  username,
  role,
  scope,
  unitCode: null,
  ...extra,
});

const liaison = user('liaison.c1', 'liaison', { level: 'community', townCode: TOWN, communityCode: COMMUNITY });
const otherLiaison = user('liaison.c2', 'liaison', { level: 'community', townCode: TOWN, communityCode: OTHER_COMMUNITY });
const townDuty = user('duty.town', 'town_duty', { level: 'town', townCode: TOWN });
const otherTownDuty = user('duty.town2', 'town_duty', { level: 'town', townCode: OTHER_TOWN });
const districtDuty = user('duty.district', 'district_duty', { level: 'district' });
const leader = user('leader', 'leader', { level: 'district' });
const police = user('unit.police', 'unit_member', { level: 'district' }, { unitCode: 'police' });
const water = user('unit.water', 'unit_member', { level: 'district' }, { unitCode: 'water' });
const reporter = user('worker.g1', 'field_worker', { level: 'community', townCode: TOWN, communityCode: COMMUNITY }, { userId: 77 });
const kiosk = user('kiosk', 'kiosk', { level: 'district' });
const auditor = user('auditor', 'auditor', { level: 'district' });

function item(over: Partial<WorkflowItem> = {}): WorkflowItem {
  return {
    status: 'reported',
    tier: 'community',
    level: 3,
    townCode: TOWN,
    communityCode: COMMUNITY,
    version: 1,
    supervised: false,
    overdue: false,
    leadUnit: null,
    helperUnits: [],
    deadline: null,
    handedDownFrom: null,
    reporterUserId: 77,
    ...over,
  };
}

type Input = ActionInput extends infer A ? (A extends { type: infer T } ? Omit<A, 'expectedVersion'> & { type: T } : never) : never;

function act(state: WorkflowItem, input: Input, actor: Actor, at = now) {
  return transition(state, { ...input, expectedVersion: state.version } as ActionInput, actor, at);
}

function ok(state: WorkflowItem, input: Input, actor: Actor, at = now): WorkflowItem {
  const result = act(state, input, actor, at);
  if (!result.ok) throw new Error(`${input.type} refused: ${result.code} ${result.reason}`);
  return result.next;
}

function refused(state: WorkflowItem, input: Input, actor: Actor) {
  const result = act(state, input, actor);
  expect(result.ok).toBe(false);
  return result.ok ? null : result;
}

const dispatchInput = { type: 'dispatch' as const, leadUnit: 'police', helperUnits: ['water'], deadline: later(24) };

describe('the whole loop', () => {
  it('carries an item from report to rating, one version per step, with a timeline entry each', () => {
    const steps: Array<[Input, Actor, IncidentStatus]> = [
      [{ type: 'accept' }, liaison, 'accepted'],
      [dispatchInput, liaison, 'dispatched'],
      [{ type: 'take' }, police, 'in_progress'],
      [{ type: 'progress', note: '已到现场', photos: ['/files/p1.jpg'] }, water, 'in_progress'],
      [{ type: 'resolve', note: '已处理完毕' }, police, 'resolved'],
      [{ type: 'verify' }, liaison, 'verified'],
      [{ type: 'close' }, liaison, 'closed'],
      [{ type: 'rate', score: 5, comment: '满意' }, reporter, 'rated'],
    ];
    let state = item();
    for (const [input, actor, status] of steps) {
      const result = act(state, input, actor);
      expect(result.ok, `${input.type}`).toBe(true);
      if (!result.ok) return;
      expect(result.next.status).toBe(status);
      expect(result.next.version).toBe(state.version + 1);
      expect(result.timelineEntry).toMatchObject({ action: input.type, at: now, actor: actor.username, fromStatus: state.status, toStatus: status });
      state = result.next;
    }
    expect(state.version).toBe(9);
    expect(state.leadUnit).toBe('police');
  });

  it('records the dispatch (lead, helpers, deadline) and the seat on the timeline', () => {
    const accepted = ok(item(), { type: 'accept' }, liaison);
    const result = act(accepted, { ...dispatchInput, note: '请尽快处理' }, liaison);
    if (!result.ok) throw new Error(result.reason);
    expect(result.next).toMatchObject({ leadUnit: 'police', helperUnits: ['water'], deadline: later(24) });
    expect(result.timelineEntry).toMatchObject({
      actorSeat: `community:${COMMUNITY}`,
      actorRole: 'liaison',
      note: '请尽快处理',
      data: { leadUnit: 'police', helperUnits: ['water'], deadline: later(24) },
    });
  });

  it('names the unit as the seat of a unit member, and "system" for the timer', () => {
    const dispatched = ok(ok(item(), { type: 'accept' }, liaison), dispatchInput, liaison);
    const taken = act(dispatched, { type: 'take' }, police);
    expect(taken.ok && taken.timelineEntry.actorSeat).toBe('unit:police');
    const flagged = act(item(), { type: 'flag_overdue', stage: 'response' }, SYSTEM_ACTOR);
    expect(flagged.ok && flagged.timelineEntry).toMatchObject({ actorSeat: 'system', actorRole: 'system', data: { stage: 'response' } });
  });
});

describe('which status each action starts from', () => {
  // For every (action, status) pair outside the table: refused as illegal, nothing else changes.
  const actors: Record<WorkflowAction, Actor> = {
    accept: liaison, dispatch: liaison, take: police, return: police, progress: police, resolve: police, verify: liaison, reject: liaison,
    close: liaison, rate: reporter, escalate: liaison, hand_down: townDuty, supervise: leader, reopen: liaison, flag_overdue: SYSTEM_ACTOR,
  };
  const inputs: Record<WorkflowAction, Input> = {
    accept: { type: 'accept' }, dispatch: dispatchInput, take: { type: 'take' }, return: { type: 'return', reason: '不属于本单位' },
    progress: { type: 'progress', note: 'n' }, resolve: { type: 'resolve', note: 'n' }, verify: { type: 'verify' },
    reject: { type: 'reject', reason: '未处理到位' }, close: { type: 'close', reason: '重复件' }, rate: { type: 'rate', score: 4 },
    escalate: { type: 'escalate', reason: '难以处置' }, hand_down: { type: 'hand_down', instructions: '请社区处理' },
    supervise: { type: 'supervise', note: '督办' }, reopen: { type: 'reopen', reason: '回头看' }, flag_overdue: { type: 'flag_overdue', stage: 'handling' },
  };
  for (const action of WORKFLOW_ACTIONS) {
    for (const status of INCIDENT_STATUSES) {
      if (FROM[action].includes(status)) continue;
      it(`refuses ${action} from ${status} with 409`, () => {
        const tier = action === 'hand_down' ? 'town' : 'community';
        const state = item({ status, tier, leadUnit: 'police' });
        const result = refused(state, inputs[action], actors[action]);
        expect(result?.code).toBe('illegal_transition');
        expect(WORKFLOW_ERROR_STATUS[result!.code]).toBe(409);
        expect(result?.reason).toContain(status);
      });
    }
  }

  it('maps every error code to a status', () => {
    for (const code of WORKFLOW_ERROR_CODES) expect([400, 403, 409]).toContain(WORKFLOW_ERROR_STATUS[code]);
  });
});

describe('optimistic versioning', () => {
  it('refuses a stale version with 409 and says which is current', () => {
    const state = item({ version: 4 });
    const result = transition(state, { type: 'accept', expectedVersion: 3 }, liaison, now);
    expect(result).toMatchObject({ ok: false, code: 'version_conflict' });
    expect(!result.ok && result.reason).toContain('version 4');
  });

  it('lets exactly one of two officers acting on the same version win', () => {
    const accepted = ok(item(), { type: 'accept' }, liaison);
    const first = transition(accepted, { ...dispatchInput, expectedVersion: accepted.version }, liaison, now);
    expect(first.ok).toBe(true);
    const next = first.ok ? first.next : accepted;
    const second = transition(next, { ...dispatchInput, leadUnit: 'water', helperUnits: [], expectedVersion: accepted.version }, liaison, now);
    expect(second).toMatchObject({ ok: false, code: 'version_conflict' });
  });
});

describe('accept (受理)', () => {
  it('is for the owning seat only', () => {
    expect(ok(item(), { type: 'accept' }, liaison).status).toBe('accepted');
    expect(refused(item(), { type: 'accept' }, townDuty)?.code).toBe('not_owner');
    expect(refused(item(), { type: 'accept' }, districtDuty)?.code).toBe('not_owner');
    expect(refused(item({ tier: 'town' }), { type: 'accept' }, liaison)?.code).toBe('not_owner');
    expect(ok(item({ tier: 'town' }), { type: 'accept' }, townDuty).status).toBe('accepted');
    expect(ok(item({ tier: 'district' }), { type: 'accept' }, districtDuty).status).toBe('accepted');
  });

  it('refuses seats outside the item\'s area (403) and roles that are no seat (403)', () => {
    expect(refused(item(), { type: 'accept' }, otherLiaison)?.code).toBe('outside_scope');
    expect(refused(item({ tier: 'town' }), { type: 'accept' }, otherTownDuty)?.code).toBe('outside_scope');
    for (const actor of [leader, police, reporter, kiosk, auditor]) {
      const result = refused(item(), { type: 'accept' }, actor);
      expect(result?.code).toBe('forbidden');
      expect(WORKFLOW_ERROR_STATUS[result!.code]).toBe(403);
    }
    expect(refused(item(), { type: 'accept' }, SYSTEM_ACTOR)?.code).toBe('forbidden');
  });
});

describe('dispatch (派遣)', () => {
  const accepted = item({ status: 'accepted', version: 2 });
  it('needs a lead unit and a deadline in the future', () => {
    expect(refused(accepted, { ...dispatchInput, leadUnit: ' ' }, liaison)?.code).toBe('invalid_input');
    expect(refused(accepted, { ...dispatchInput, deadline: now.toISOString() }, liaison)?.code).toBe('invalid_input');
    expect(refused(accepted, { ...dispatchInput, deadline: 'tomorrow' }, liaison)?.code).toBe('invalid_input');
    expect(WORKFLOW_ERROR_STATUS.invalid_input).toBe(400);
  });
  it('refuses a lead unit that is also a helper, repeated helpers, too many helpers', () => {
    expect(refused(accepted, { ...dispatchInput, helperUnits: ['police'] }, liaison)?.reason).toContain('lead unit');
    expect(refused(accepted, { ...dispatchInput, helperUnits: ['water', 'water'] }, liaison)?.reason).toContain('twice');
    expect(refused(accepted, { ...dispatchInput, helperUnits: ['a1', 'a2', 'a3', 'a4', 'a5', 'a6'] }, liaison)?.reason).toContain('at most');
  });
  it('re-dispatches a returned item to another unit', () => {
    const returned = item({ status: 'returned' });
    const next = ok(returned, { ...dispatchInput, leadUnit: 'water', helperUnits: [] }, liaison);
    expect(next).toMatchObject({ status: 'dispatched', leadUnit: 'water', helperUnits: [] });
  });
  it('is refused to a unit member and to a leader', () => {
    expect(refused(accepted, dispatchInput, police)?.code).toBe('forbidden');
    expect(refused(accepted, dispatchInput, leader)?.code).toBe('forbidden');
  });
});

describe('the unit: take (接单), progress, resolve (办结), return (退回)', () => {
  const dispatched = item({ status: 'dispatched', leadUnit: 'police', helperUnits: ['water'], deadline: later(24) });
  it('only the lead unit takes and resolves', () => {
    expect(ok(dispatched, { type: 'take' }, police).status).toBe('in_progress');
    expect(refused(dispatched, { type: 'take' }, water)?.code).toBe('not_assigned');
    const inProgress = { ...dispatched, status: 'in_progress' as const };
    expect(refused(inProgress, { type: 'resolve', note: 'done' }, water)?.code).toBe('not_assigned');
    expect(ok(inProgress, { type: 'resolve', note: 'done' }, police).status).toBe('resolved');
  });
  it('a seat cannot take or resolve in a unit\'s place', () => {
    expect(refused(dispatched, { type: 'take' }, liaison)?.code).toBe('forbidden');
  });
  it('lead and helpers record progress with photos; the status stays', () => {
    const inProgress = { ...dispatched, status: 'in_progress' as const };
    const result = act(inProgress, { type: 'progress', note: '已清理一半', photos: ['/p/1.jpg', '/p/2.jpg'] }, water);
    expect(result.ok && result.next.status).toBe('in_progress');
    expect(result.ok && result.timelineEntry.data).toEqual({ unit: 'water', photos: ['/p/1.jpg', '/p/2.jpg'] });
    expect(result.ok && result.next.version).toBe(inProgress.version + 1);
    expect(refused(inProgress, { type: 'progress', note: 'x' }, user('unit.gas', 'unit_member', { level: 'district' }, { unitCode: 'gas' }))?.code).toBe('not_assigned');
  });
  it('progress and resolve need a note; at most 9 photos', () => {
    const inProgress = { ...dispatched, status: 'in_progress' as const };
    expect(refused(inProgress, { type: 'progress', note: '  ' }, police)?.code).toBe('invalid_input');
    expect(refused(inProgress, { type: 'resolve', note: '' }, police)?.code).toBe('invalid_input');
    const photos = Array.from({ length: 10 }, (_, i) => `/p/${i}.jpg`);
    expect(refused(inProgress, { type: 'resolve', note: 'ok', photos }, police)?.reason).toContain('9');
  });
  it('the lead unit returns a dispatched or taken item to the seat with a reason; the assignment is dropped', () => {
    for (const status of ['dispatched', 'in_progress'] as const) {
      const result = act({ ...dispatched, status }, { type: 'return', reason: '不属于本单位职责' }, police);
      if (!result.ok) throw new Error(result.reason);
      expect(result.next).toMatchObject({ status: 'returned', tier: 'community', leadUnit: null, helperUnits: [], deadline: null });
      expect(result.timelineEntry).toMatchObject({ note: '不属于本单位职责', data: { by: 'unit', unit: 'police' } });
    }
    expect(refused(dispatched, { type: 'return', reason: '' }, police)?.code).toBe('invalid_input');
    expect(refused(dispatched, { type: 'return', reason: 'x' }, water)?.code).toBe('not_assigned');
    expect(refused({ ...dispatched, status: 'resolved' }, { type: 'return', reason: 'x' }, police)?.code).toBe('illegal_transition');
  });
  it('a unit cannot return a reported item (only the seat route exists there)', () => {
    expect(refused(item({ leadUnit: 'police' }), { type: 'return', reason: 'x' }, police)?.code).toBe('illegal_transition');
  });
});

describe('verify (核查), reject (返工), close (结案), rate (评价)', () => {
  const resolved = item({ status: 'resolved', leadUnit: 'police' });
  it('the seat verifies or sends the work back to the same unit with a reason', () => {
    expect(ok(resolved, { type: 'verify', note: '现场核实' }, liaison).status).toBe('verified');
    const back = ok(resolved, { type: 'reject', reason: '仍有垃圾未清' }, liaison);
    expect(back).toMatchObject({ status: 'in_progress', leadUnit: 'police' });
    expect(refused(resolved, { type: 'reject', reason: ' ' }, liaison)?.code).toBe('invalid_input');
    expect(refused(resolved, { type: 'verify' }, police)?.code).toBe('forbidden');
    expect(refused(resolved, { type: 'verify' }, townDuty)?.code).toBe('not_owner');
  });
  it('closes a verified item; closing an accepted or returned one needs a reason', () => {
    expect(ok(item({ status: 'verified' }), { type: 'close' }, liaison).status).toBe('closed');
    expect(refused(item({ status: 'accepted' }), { type: 'close' }, liaison)?.code).toBe('invalid_input');
    const result = act(item({ status: 'returned' }), { type: 'close', reason: '重复上报' }, liaison);
    expect(result.ok && result.timelineEntry).toMatchObject({ note: '重复上报', data: { withoutDispatch: true } });
    expect(refused(item({ status: 'dispatched' }), { type: 'close', reason: 'x' }, liaison)?.code).toBe('illegal_transition');
  });
  it('the reporter or the owning seat (follow-up call) rates 1-5', () => {
    const closed = item({ status: 'closed' });
    const byReporter = act(closed, { type: 'rate', score: 5 }, reporter);
    expect(byReporter.ok && byReporter.timelineEntry.data).toEqual({ score: 5, byReporter: true });
    const bySeat = act(closed, { type: 'rate', score: 3, comment: '电话回访' }, liaison);
    expect(bySeat.ok && bySeat.timelineEntry.data).toEqual({ score: 3, byReporter: false });
    expect(refused(closed, { type: 'rate', score: 0 }, reporter)?.code).toBe('invalid_input');
    expect(refused(closed, { type: 'rate', score: 4.5 }, reporter)?.code).toBe('invalid_input');
    expect(refused(closed, { type: 'rate', score: 6 }, reporter)?.code).toBe('invalid_input');
    const otherWorker = user('worker.g2', 'field_worker', reporter.scope, { userId: 78 });
    expect(refused(closed, { type: 'rate', score: 4 }, otherWorker)?.code).toBe('forbidden');
    expect(refused(closed, { type: 'rate', score: 4 }, police)?.code).toBe('forbidden');
    expect(refused({ ...closed, tier: 'town' }, { type: 'rate', score: 4 }, liaison)?.code).toBe('not_owner');
  });
  it('a hotline item (no reporter account) is rated by the seat only', () => {
    const closed = item({ status: 'closed', reporterUserId: null });
    expect(refused(closed, { type: 'rate', score: 4 }, reporter)?.code).toBe('forbidden');
    expect(ok(closed, { type: 'rate', score: 4 }, liaison).status).toBe('rated');
  });
});

describe('escalate (提级)', () => {
  it('moves the item to the next tier\'s seat as reported, drops the assignment and says why', () => {
    const inProgress = item({ status: 'in_progress', leadUnit: 'police', helperUnits: ['water'], deadline: later(5), overdue: true });
    const result = act(inProgress, { type: 'escalate', reason: '涉及多部门，社区无法协调' }, liaison);
    if (!result.ok) throw new Error(result.reason);
    expect(result.next).toMatchObject({ status: 'reported', tier: 'town', leadUnit: null, helperUnits: [], deadline: null, overdue: false });
    expect(result.timelineEntry).toMatchObject({ fromTier: 'community', toTier: 'town', note: '涉及多部门，社区无法协调', data: { toTier: 'town', automatic: false } });
  });
  it('goes town -> district; the New Area has nowhere higher', () => {
    const atTown = ok(item({ tier: 'town' }), { type: 'escalate', reason: 'x' }, townDuty);
    expect(atTown.tier).toBe('district');
    const result = refused(item({ tier: 'district' }), { type: 'escalate', reason: 'x' }, districtDuty);
    expect(result?.code).toBe('no_higher_tier');
    expect(WORKFLOW_ERROR_STATUS.no_higher_tier).toBe(409);
  });
  it('needs a reason, and only the owning seat (or the timer) escalates', () => {
    expect(refused(item(), { type: 'escalate', reason: '' }, liaison)?.code).toBe('invalid_input');
    expect(refused(item(), { type: 'escalate', reason: 'x' }, townDuty)?.code).toBe('not_owner');
    expect(refused(item(), { type: 'escalate', reason: 'x' }, leader)?.code).toBe('forbidden');
    expect(refused(item({ status: 'dispatched', leadUnit: 'police' }), { type: 'escalate', reason: 'x' }, police)?.code).toBe('forbidden');
    const auto = act(item({ status: 'accepted' }), { type: 'escalate', reason: '超时自动提级' }, SYSTEM_ACTOR);
    expect(auto.ok && auto.next.tier).toBe('town');
    expect(auto.ok && auto.timelineEntry.data).toMatchObject({ automatic: true });
  });
  it('is not possible once resolved (verify or reject first)', () => {
    expect(refused(item({ status: 'resolved' }), { type: 'escalate', reason: 'x' }, liaison)?.code).toBe('illegal_transition');
  });
});

describe('hand down with instructions, and a seat return back up', () => {
  it('hands an item one tier down as reported, with instructions, remembering who handed it', () => {
    const atDistrict = item({ tier: 'district', status: 'accepted' });
    const result = act(atDistrict, { type: 'hand_down', instructions: '请大港街道牵头处理' }, districtDuty);
    if (!result.ok) throw new Error(result.reason);
    expect(result.next).toMatchObject({ tier: 'town', status: 'reported', handedDownFrom: 'district' });
    expect(result.timelineEntry).toMatchObject({ note: '请大港街道牵头处理', fromTier: 'district', toTier: 'town' });
    expect(refused(atDistrict, { type: 'hand_down', instructions: ' ' }, districtDuty)?.code).toBe('invalid_input');
  });
  it('cannot go below the community, nor to a community the item lies in none of', () => {
    expect(refused(item(), { type: 'hand_down', instructions: 'x' }, liaison)?.code).toBe('no_lower_tier');
    const noCommunity = item({ tier: 'town', communityCode: null });
    expect(refused(noCommunity, { type: 'hand_down', instructions: 'x' }, townDuty)?.code).toBe('no_lower_tier');
  });
  it('the receiving seat may send it back up one tier at a time ("not ours")', () => {
    const atTown = ok(item({ tier: 'district', status: 'accepted' }), { type: 'hand_down', instructions: 'x' }, districtDuty);
    const atCommunity = ok(atTown, { type: 'hand_down', instructions: 'y' }, townDuty);
    expect(atCommunity).toMatchObject({ tier: 'community', handedDownFrom: 'district' });
    const backToTown = ok(atCommunity, { type: 'return', reason: '不属于社区职责' }, liaison);
    expect(backToTown).toMatchObject({ tier: 'town', status: 'returned', handedDownFrom: 'district' });
    // the town seat re-accepts? no: it is "returned" at the town, which can return it further, dispatch or escalate
    const accepted = { ...backToTown, status: 'accepted' as const };
    const backToDistrict = ok(accepted, { type: 'return', reason: '需新区协调' }, townDuty);
    expect(backToDistrict).toMatchObject({ tier: 'district', status: 'returned', handedDownFrom: null });
  });
  it('a seat cannot return an item no higher tier handed down (escalate instead)', () => {
    expect(refused(item(), { type: 'return', reason: 'x' }, liaison)?.code).toBe('not_handed_down');
    expect(refused(item({ tier: 'town', handedDownFrom: 'district' }), { type: 'return', reason: 'x' }, liaison)?.code).toBe('not_owner');
  });
  it('escalating a handed-down item forgets the hand-down once it reaches that tier', () => {
    const handed = item({ handedDownFrom: 'town' });
    expect(ok(handed, { type: 'escalate', reason: 'x' }, liaison)).toMatchObject({ tier: 'town', handedDownFrom: null });
    const fromDistrict = item({ handedDownFrom: 'district' });
    expect(ok(fromDistrict, { type: 'escalate', reason: 'x' }, liaison)).toMatchObject({ tier: 'town', handedDownFrom: 'district' });
  });
});

describe('supervise (督办)', () => {
  it('is a leader\'s mark with a note, not a status, on any open item', () => {
    for (const status of ['reported', 'dispatched', 'in_progress', 'resolved', 'returned'] as const) {
      const result = act(item({ status }), { type: 'supervise', note: '限期三日办结' }, leader);
      if (!result.ok) throw new Error(result.reason);
      expect(result.next).toMatchObject({ status, supervised: true, version: 2 });
      expect(result.timelineEntry).toMatchObject({ action: 'supervise', fromStatus: status, toStatus: status, note: '限期三日办结' });
    }
  });
  it('can be repeated (再次督办), needs a note, and is for leaders only', () => {
    expect(ok(item({ supervised: true }), { type: 'supervise', note: '再次督办' }, leader).supervised).toBe(true);
    expect(refused(item(), { type: 'supervise', note: '' }, leader)?.code).toBe('invalid_input');
    for (const actor of [liaison, townDuty, districtDuty, police, kiosk]) expect(refused(item(), { type: 'supervise', note: 'x' }, actor)?.code).toBe('forbidden');
  });
  it('a town-scoped leader cannot supervise another town\'s item', () => {
    const townLeader = user('leader.t2', 'leader', { level: 'town', townCode: OTHER_TOWN });
    expect(refused(item(), { type: 'supervise', note: 'x' }, townLeader)?.code).toBe('outside_scope');
  });
  it('keeps the overdue mark (no new stage)', () => {
    expect(ok(item({ overdue: true }), { type: 'supervise', note: 'x' }, leader).overdue).toBe(true);
  });
});

describe('reopen', () => {
  it('opens a closed or rated item again as accepted at the same tier, with a reason', () => {
    for (const status of ['closed', 'rated'] as const) {
      const next = ok(item({ status, leadUnit: 'police' }), { type: 'reopen', reason: '回头看发现复发' }, liaison);
      expect(next).toMatchObject({ status: 'accepted', tier: 'community', leadUnit: null });
    }
    expect(refused(item({ status: 'closed' }), { type: 'reopen', reason: '' }, liaison)?.code).toBe('invalid_input');
    expect(refused(item({ status: 'closed' }), { type: 'reopen', reason: 'x' }, leader)?.code).toBe('forbidden');
  });
});

describe('flag_overdue (the SLA timer)', () => {
  it('marks an open item overdue once, without a status change', () => {
    const result = act(item({ status: 'in_progress' }), { type: 'flag_overdue', stage: 'handling' }, SYSTEM_ACTOR);
    expect(result.ok && result.next).toMatchObject({ overdue: true, status: 'in_progress' });
    expect(refused(item({ overdue: true }), { type: 'flag_overdue', stage: 'response' }, SYSTEM_ACTOR)?.code).toBe('illegal_transition');
  });
  it('is the system\'s alone; the system does nothing else but escalate', () => {
    expect(refused(item(), { type: 'flag_overdue', stage: 'response' }, districtDuty)?.code).toBe('forbidden');
    expect(refused(item(), { type: 'accept' }, SYSTEM_ACTOR)?.code).toBe('forbidden');
  });
  it('a new stage clears the mark', () => {
    expect(ok(item({ overdue: true }), { type: 'accept' }, liaison).overdue).toBe(false);
    expect(ok(item({ status: 'in_progress', leadUnit: 'police', overdue: true }), { type: 'progress', note: 'x' }, police).overdue).toBe(true);
  });
});

describe('availableActions', () => {
  it('lists what each actor can do now', () => {
    expect(availableActions(item(), liaison)).toEqual(['accept', 'escalate']);
    expect(availableActions(item({ status: 'accepted' }), liaison)).toEqual(['dispatch', 'close', 'escalate']);
    expect(availableActions(item({ status: 'dispatched', leadUnit: 'police' }), police)).toEqual(['take', 'return']);
    expect(availableActions(item({ status: 'dispatched', leadUnit: 'police' }), water)).toEqual([]);
    expect(availableActions(item({ status: 'in_progress', leadUnit: 'police', helperUnits: ['water'] }), water)).toEqual(['progress']);
    expect(availableActions(item({ status: 'resolved' }), liaison)).toEqual(['verify', 'reject']);
    expect(availableActions(item({ status: 'accepted', tier: 'town' }), townDuty)).toEqual(['dispatch', 'close', 'escalate', 'hand_down']);
    expect(availableActions(item(), leader)).toEqual(['supervise']);
    expect(availableActions(item({ status: 'closed' }), reporter)).toEqual(['rate']);
    expect(availableActions(item(), kiosk)).toEqual([]);
    expect(availableActions(item(), SYSTEM_ACTOR)).toEqual(['escalate', 'flag_overdue']);
  });
});

describe('purity', () => {
  it('never changes the item it is given', () => {
    const state = item({ status: 'in_progress', leadUnit: 'police', helperUnits: ['water'] });
    const copy = structuredClone(state);
    act(state, { type: 'escalate', reason: 'x' }, liaison);
    act(state, { type: 'return', reason: 'x' }, police);
    expect(state).toEqual(copy);
  });
  it('a refusal changes nothing and returns no next state', () => {
    const result = act(item(), { type: 'verify' }, liaison);
    expect(result).toEqual({ ok: false, code: 'illegal_transition', reason: 'cannot verify an item that is reported' });
  });
});
