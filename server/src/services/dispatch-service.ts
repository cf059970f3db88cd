// Applies the workflow (domain/workflow.ts) to an incident: every action, by
// a person or by the SLA timer, goes through act(). Inside the incidents
// service's one transaction (row locked, version checked, timeline + audit +
// `incident:updated` change written) it reads the dispatch state, asks
// transition() and writes what the action adds (assignment, hand-down,
// progress record, rating). Two officers acting at once: the second waits
// for the row lock, finds a new version and gets a 409 with the fresh state.
// A step that ends the item's SLA stage runs the onStageLeft hooks in the
// same transaction (the alerts feature clears that stage's overdue alerts).
import fp from 'fastify-plugin';
import type pg from 'pg';
import type { ActionResult, DispatchDetail, DispatchState, QueueName } from '../../../shared/schemas/dispatch.ts';
import type { IncidentStatus, Tier } from '../../../shared/workflow.ts';
import type { Incident } from '../../../shared/schemas/incident.ts';
import type { Role, Scope } from '../../../shared/schemas/auth.ts';
import type { Queryable } from '../db/repositories/db.ts';
import * as dispatch from '../db/repositories/dispatch-repository.ts';
import { availableActions, transition, SYSTEM_ACTOR, WORKFLOW_ERROR_STATUS, type ActionInput, type Actor, type WorkflowErrorCode, type WorkflowItem } from '../domain/workflow.ts';
import { clockOf, DEFAULT_ESCALATE_FACTOR, leavesStage, slaTable, type SlaTable } from '../domain/sla.ts';
import { DEFAULT_START_TIERS, parseStartTiers, type StartTierTable } from '../domain/tiers.ts';
import { TIME_LIMITS } from '../../../shared/catalogue.ts';
import { ConfigError } from '../config.ts';
import { actorOf, LiveError, systemActor, type Actor as LiveActor } from '../realtime/actor.ts';
import type { IncidentPatch, IncidentsService } from './incidents-service.ts';
import { incidentView } from './incidents-service.ts';
import type { Principal } from './principal.ts';
import type { Permission } from '../domain/roles.ts';
import type { ActName } from '../../../shared/realtime.ts';

/**
 * Which permission an action needs before the state machine looks closer
 * (unit, tier, reporter): the REST routes and the socket command check the same.
 */
export const ACTION_PERMISSION: Record<ActName, Permission> = {
  accept: 'incident:dispatch',
  dispatch: 'incident:dispatch',
  take: 'incident:handle',
  return: 'incident:read', // a unit or a seat: the workflow tells them apart
  progress: 'incident:handle',
  resolve: 'incident:handle',
  verify: 'incident:dispatch',
  reject: 'incident:dispatch',
  close: 'incident:dispatch',
  rate: 'incident:read', // the reporter (a field worker) or a seat
  escalate: 'incident:dispatch',
  hand_down: 'incident:dispatch',
  supervise: 'incident:supervise',
  reopen: 'incident:dispatch',
};

/** A refusal with the workflow's code; a 409 carries the item as it is now. */
export class ActionRefused extends Error {
  override name = 'ActionRefused';
  constructor(
    readonly statusCode: 400 | 403 | 404 | 409,
    readonly code: WorkflowErrorCode | 'not_found' | 'unknown_unit',
    message: string,
    readonly fresh?: { incident: Incident; dispatch: DispatchState },
  ) {
    super(message);
  }
}

export interface DispatchOptions {
  sla: SlaTable;
  /** Which tier's seat a new item starts at, by level (START_TIERS); the reports service applies it. */
  startTiers: StartTierTable;
  /** How often the SLA timer sweeps; 0 = never by itself (tests call sweep()). */
  sweepMs: number;
  /** Items the sweep reads per round. */
  sweepBatch: number;
}

export const DISPATCH_DEFAULTS: DispatchOptions = { sla: slaTable(), startTiers: DEFAULT_START_TIERS, sweepMs: 30_000, sweepBatch: 500 };

/**
 * SLA_ESCALATE_FACTOR (second limit as a multiple of the first), SLA_SWEEP_SECONDS
 * and START_TIERS ("1:district,2:town,3:community") over the defaults.
 */
export function dispatchOptionsFromEnv(env: NodeJS.ProcessEnv): DispatchOptions {
  const factorRaw = env.SLA_ESCALATE_FACTOR?.trim();
  const factor = factorRaw ? Number(factorRaw) : DEFAULT_ESCALATE_FACTOR;
  if (!Number.isFinite(factor) || factor <= 1 || factor > 100) throw new ConfigError(`SLA_ESCALATE_FACTOR must be a number above 1, got "${factorRaw}"`);
  const sweepRaw = env.SLA_SWEEP_SECONDS?.trim();
  const sweep = sweepRaw ? Number(sweepRaw) : DISPATCH_DEFAULTS.sweepMs / 1000;
  if (!Number.isFinite(sweep) || sweep < 0) throw new ConfigError(`SLA_SWEEP_SECONDS must be 0 (off) or a number of seconds, got "${sweepRaw}"`);
  let startTiers: StartTierTable;
  try {
    startTiers = parseStartTiers(env.START_TIERS);
  } catch (err) {
    throw new ConfigError(`START_TIERS: ${(err as Error).message}`);
  }
  return { ...DISPATCH_DEFAULTS, sla: slaTable(TIME_LIMITS, factor), startTiers, sweepMs: sweep * 1000 };
}

export interface DispatchDeps {
  db: pg.Pool;
  incidents: IncidentsService;
  clock: () => Date;
  sla: SlaTable;
}

/** Runs in the transaction of a step that ended the item's SLA stage (the alerts feature clears that stage's overdue alerts). */
export type StageLeftHook = (tx: Queryable, incidentId: string) => Promise<unknown>;

/**
 * Work the caller adds to a step, in its transaction, after the state machine
 * allowed it (the SLA timer raises its alert with the overdue mark); what it
 * returns is added to the incident's patch.
 */
export type Alongside = (tx: Queryable, current: Incident, next: WorkflowItem) => Promise<Partial<IncidentPatch> | void>;

export function workflowActorOf(principal: Principal): Actor {
  return { kind: 'user', userId: principal.userId, username: principal.username, role: principal.role, scope: principal.scope, unitCode: principal.unitCode };
}

function workflowItem(incident: Incident, extras: dispatch.WorkflowExtras): WorkflowItem {
  return {
    status: incident.status,
    tier: incident.tier,
    level: incident.level,
    townCode: incident.townCode,
    communityCode: incident.communityCode,
    version: incident.version,
    supervised: incident.supervised,
    overdue: incident.overdue,
    leadUnit: extras.assignment?.leadUnit ?? null,
    helperUnits: extras.assignment?.helperUnits ?? [],
    deadline: extras.assignment ? extras.assignment.deadline.toISOString() : null,
    handedDownFrom: extras.handedDownFrom,
    reporterUserId: incident.reporter.accountId ?? null,
  };
}

/** What an allowed action writes beside the incident row, in the same transaction. */
async function writeSideEffects(tx: Queryable, incident: Incident, before: WorkflowItem, next: WorkflowItem, input: ActionInput, actor: Actor, at: Date): Promise<void> {
  const id = incident.id;
  if (before.leadUnit !== null && (next.leadUnit === null || input.type === 'close')) {
    await dispatch.endAssignment(tx, id, at, input.type === 'close' ? 'close' : input.type === 'return' ? 'return' : input.type === 'escalate' ? 'escalate' : input.type === 'hand_down' ? 'hand_down' : 'reopen');
  }
  if (next.handedDownFrom !== before.handedDownFrom) await dispatch.setHandedDownFrom(tx, id, next.handedDownFrom, at);
  switch (input.type) {
    case 'dispatch':
      await dispatch.openAssignment(tx, {
        incidentId: id, leadUnit: input.leadUnit, helperUnits: input.helperUnits ?? [], deadline: new Date(input.deadline), tier: before.tier, at, by: actor.userId,
      });
      break;
    case 'progress':
    case 'resolve':
      await dispatch.addProgress(tx, { incidentId: id, unitCode: actor.unitCode!, kind: input.type, note: input.note.trim(), photos: input.photos ?? [], actorId: actor.userId, at });
      break;
    case 'rate':
      await dispatch.addRating(tx, {
        incidentId: id, score: input.score, comment: input.comment?.trim() || null, byReporter: actor.userId !== null && actor.userId === before.reporterUserId, actorId: actor.userId, at,
      });
      break;
  }
}

export function createDispatchService({ db, incidents, clock, sla }: DispatchDeps) {
  const stageLeft: StageLeftHook[] = [];

  async function state(incident: Incident, now = clock()): Promise<DispatchState> {
    const extras = await dispatch.workflowExtras(db, incident.id);
    const clk = clockOf(await dispatch.clockEntries(db, incident.id), incident.level, incident.tier, sla, now, extras.assignment?.deadline ?? null);
    return {
      leadUnit: extras.assignment?.leadUnit ?? null,
      helperUnits: extras.assignment?.helperUnits ?? [],
      deadline: extras.assignment ? extras.assignment.deadline.toISOString() : null,
      handedDownFrom: extras.handedDownFrom,
      clock: clk && {
        stage: clk.stage,
        startedAt: clk.startedAt.toISOString(),
        dueAt: clk.dueAt.toISOString(),
        escalateAt: clk.escalateAt ? clk.escalateAt.toISOString() : null,
        overdue: clk.overdue,
      },
    };
  }

  async function actionsFor(incident: Incident, actor: Actor) {
    return availableActions(workflowItem(incident, await dispatch.workflowExtras(db, incident.id)), actor).filter((a) => a !== 'flag_overdue');
  }

  /** The incident as it is now, for a 409 (null if it vanished from the caller's reach). */
  async function freshFor(principal: Principal | null, id: string) {
    const incident = principal ? await incidents.get(principal, id) : null;
    return incident ? { incident: incidentView(incident, principal!.role), dispatch: await state(incident) } : undefined;
  }

  /**
   * One action. `principal` null is the SLA timer (the system actor). Throws
   * ActionRefused with the workflow's code; returns the changed incident.
   */
  async function apply(principal: Principal | null, id: string, input: ActionInput, sourceIp: string | null = null, alongside?: Alongside): Promise<Incident> {
    const actor = principal ? workflowActorOf(principal) : SYSTEM_ACTOR;
    const liveActor: LiveActor = principal ? actorOf(principal, sourceIp) : systemActor('sla-timer');
    if (input.type === 'dispatch') {
      const unknown = await dispatch.unknownUnits(db, [input.leadUnit, ...(input.helperUnits ?? [])]);
      if (unknown.length > 0) throw new ActionRefused(400, 'unknown_unit', `no handling unit ${unknown.join(', ')}`);
    }
    try {
      return await incidents.update(id, liveActor, async (current, tx) => {
        const extras = await dispatch.workflowExtras(tx, id);
        const before = workflowItem(current, extras);
        const now = clock();
        const result = transition(before, input, actor, now);
        if (!result.ok) throw new ActionRefused(WORKFLOW_ERROR_STATUS[result.code], result.code, result.reason);
        await writeSideEffects(tx, current, before, result.next, input, actor, now);
        if (leavesStage(before, result.next)) for (const hook of stageLeft) await hook(tx, id);
        const more = alongside ? await alongside(tx, current, result.next) : undefined;
        const entry = result.timelineEntry;
        return {
          patch: {
            ...more,
            status: result.next.status,
            tier: result.next.tier,
            supervised: result.next.supervised,
            overdue: result.next.overdue,
            // The incident keeps naming the unit that handled it once closed; a new dispatch or a hand-back changes it.
            ...(result.next.leadUnit !== before.leadUnit && input.type !== 'close' ? { unitCode: result.next.leadUnit } : {}),
          },
          timeline: { action: entry.action, note: entry.note, data: { ...entry.data, seat: entry.actorSeat, fromTier: entry.fromTier } },
        };
      }, { expectedVersion: input.expectedVersion });
    } catch (err) {
      if (err instanceof ActionRefused) {
        if (err.statusCode === 409) throw new ActionRefused(409, err.code, err.message, await freshFor(principal, id));
        throw err;
      }
      if (err instanceof LiveError) {
        if (err.statusCode === 404) throw new ActionRefused(404, 'not_found', err.message);
        if (err.statusCode === 409) throw new ActionRefused(409, 'version_conflict', err.message, await freshFor(principal, id));
      }
      throw err;
    }
  }

  return {
    sla,
    state,
    apply,
    /** Registers work for every step that ends an item's SLA stage (in that step's transaction). */
    onStageLeft(hook: StageLeftHook): void {
      stageLeft.push(hook);
    },
    queue: (name: QueueName, tier: Tier | null, scope: Scope, filter: dispatch.QueueFilter) => dispatch.queue(db, name, tier, scope, filter),
    unitItems: (unit: string, scope: Scope, status: IncidentStatus | null, limit: number) => dispatch.unitItems(db, unit, scope, status, limit),
    unitExists: async (unit: string) => (await dispatch.unknownUnits(db, [unit])).length === 0,
    /** A person's action, answered with the incident as that person may see it and what they may do next. */
    async act(principal: Principal, id: string, input: ActionInput, sourceIp: string | null): Promise<ActionResult> {
      const incident = await apply(principal, id, input, sourceIp);
      return {
        incident: incidentView(incident, principal.role as Role),
        dispatch: await state(incident),
        actions: await actionsFor(incident, workflowActorOf(principal)),
      };
    },
    async detail(principal: Principal, id: string): Promise<DispatchDetail | null> {
      const incident = await incidents.get(principal, id);
      if (!incident) return null;
      return {
        incident: incidentView(incident, principal.role),
        dispatch: await state(incident),
        actions: await actionsFor(incident, workflowActorOf(principal)),
        progress: await dispatch.listProgress(db, id),
        ratings: await dispatch.listRatings(db, id),
      };
    },
  };
}

export type DispatchService = ReturnType<typeof createDispatchService>;

declare module 'fastify' {
  interface FastifyInstance {
    dispatch: DispatchService;
    dispatchOptions: DispatchOptions;
  }
}

/** Decorates app.dispatch (after the incidents service). The SLA timer is its own plugin (sla-timer-service.ts). */
export const dispatchPlugin = fp<Partial<DispatchOptions>>(
  async (app, opts) => {
    const options: DispatchOptions = { ...DISPATCH_DEFAULTS, ...opts };
    app.decorate('dispatchOptions', options);
    app.decorate('dispatch', createDispatchService({ db: app.db, incidents: app.incidents, clock: app.securityOptions.clock, sla: options.sla }));
  },
  { name: 'dispatch', dependencies: ['db', 'auth', 'live-services'] },
);
