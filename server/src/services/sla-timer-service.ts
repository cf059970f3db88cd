// The SLA timer: a periodic sweep that reads the open items and their
// timelines from the database, computes each clock (domain/sla.ts) and
// applies what is due through the same state machine as people do: mark
// overdue (once), escalate to the next tier after the second limit. Nothing
// is kept in memory between sweeps, so an item that fell due while the
// server was down is handled by the first sweep after the restart. Running
// it twice, or on two servers at once, changes nothing more: the overdue
// mark is stored, and every step names the version it saw (a stale one is
// refused and left to the next sweep).
//
// It is the one source of overdue alerts: the mark and its alert (named
// after the stage that ran late, sent to the seat's officers on duty) are
// written in one transaction, and so is a self-escalation with its alert to
// the receiving seat. Any step that ends the stage clears them (the alerts
// feature's onStageLeft hook on the dispatch service).
import fp from 'fastify-plugin';
import type pg from 'pg';
import type { FastifyBaseLogger } from 'fastify';
import type { AlertDraft } from '../domain/alert-rules.ts';
import type { Alert } from '../../../shared/schemas/alert.ts';
import type { Incident } from '../../../shared/schemas/incident.ts';
import type { Queryable } from '../db/repositories/db.ts';
import * as dispatch from '../db/repositories/dispatch-repository.ts';
import { seatOfficers } from '../db/repositories/seats-repository.ts';
import { listShifts, toDomainShifts } from '../db/repositories/roster-repository.ts';
import { alertRecipients } from '../domain/duty-roster.ts';
import { clockOf, escalationAlertDraft, overdueAlertDraft, shortestLimitMs, sweepSteps, type SlaTable } from '../domain/sla.ts';
import { nextTier, owningSeat } from '../domain/tiers.ts';
import { ActionRefused, type DispatchService } from './dispatch-service.ts';
import type { AlertsService } from './alerts-service.ts';

export interface SweepResult {
  flagged: string[];
  escalated: string[];
}

export interface SlaTimerDeps {
  db: pg.Pool;
  dispatch: DispatchService;
  clock: () => Date;
  sla: SlaTable;
  batch: number;
  log: FastifyBaseLogger;
  /**
   * Raises an alert inside the step's transaction (the alerts feature), or
   * null when there is none or its overdue rule is off (the mark still is set).
   */
  raiseAlert?: () => ((draft: AlertDraft, tx: Queryable) => Promise<Alert | null>) | null;
}

export function createSlaTimer({ db, dispatch: service, clock, sla, batch, log, raiseAlert }: SlaTimerDeps) {
  /** Officers on duty at the seat owning an item at `tier` (everyone of the seat when nobody is rostered). */
  async function recipients(tier: Parameters<typeof owningSeat>[0], area: { townCode: string; communityCode: string }, now: Date) {
    const seat = owningSeat(tier, area);
    const shifts = toDomainShifts(await listShifts(db, [seat.key]));
    return { seat, ...alertRecipients(shifts, seat.key, now, await seatOfficers(db, seat)) };
  }

  /**
   * The alert goes into the step's own transaction and onto the incident's
   * alert list there: the overdue mark and its alert commit together (or
   * neither does, and the next sweep tries again), one version step.
   */
  const withAlert = (draft: AlertDraft | null) => async (tx: Queryable, current: Incident) => {
    const raise = draft && raiseAlert?.();
    const alert = raise ? await raise(draft, tx) : null;
    return alert ? { alertIds: [...(current.alertIds ?? []), alert.id] } : undefined;
  };

  /**
   * One step due on one item, with its alert. Returns false when nothing is
   * due (or someone acted meanwhile: the next sweep looks again).
   */
  async function stepOnce(item: dispatch.SlaCandidate, now: Date, result: SweepResult): Promise<boolean> {
    const clk = clockOf(item.entries, item.level, item.tier, sla, now, item.deadline);
    const [step] = sweepSteps(item, clk, sla);
    if (!step || !clk) return false;
    const area = { townCode: item.townCode, communityCode: item.communityCode, gridCode: item.gridCode };
    // Overdue: the officers on duty at the item's seat. Escalation: those of the seat it goes up to.
    const toTier = step.type === 'flag_overdue' ? item.tier : nextTier(item.tier)!;
    const to = await recipients(toTier, item, now);
    const facts = {
      incidentId: item.id, itemCode: item.itemCode, level: item.level, tier: item.tier, version: item.version, area, seat: to.seat.key, recipients: to.usernames,
    };
    const draft = step.type === 'flag_overdue' ? overdueAlertDraft(facts, clk) : escalationAlertDraft(facts, clk, toTier, sla);
    try {
      await service.apply(null, item.id, { ...step, expectedVersion: item.version } as Parameters<DispatchService['apply']>[2], null, withAlert(draft));
    } catch (err) {
      if (!(err instanceof ActionRefused)) throw err;
      log.info({ incidentId: item.id, step: step.type, code: err.code }, 'SLA step skipped');
      return false;
    }
    (step.type === 'flag_overdue' ? result.flagged : result.escalated).push(item.id);
    return true;
  }

  async function sweep(now = clock()): Promise<SweepResult> {
    const result: SweepResult = { flagged: [], escalated: [] };
    // Items reported within the shortest limit cannot be due yet: a burst of new reports
    // (thousands open) is not read, timeline and all, every sweep.
    const dueBy = { reportedBefore: new Date(now.getTime() - shortestLimitMs(sla)), now };
    // Every open item that can be due, a page at a time, so none waits behind others that need nothing.
    let afterId: string | undefined;
    for (;;) {
      const page = await dispatch.slaCandidates(db, batch, { afterId, dueBy });
      for (const candidate of page) {
        // A step at a time, re-reading the item after each (each moves its version): a restart may have
        // skipped past both limits (mark, then escalate).
        let item: dispatch.SlaCandidate | undefined = candidate;
        for (let round = 0; item && round < 3 && (await stepOnce(item, now, result)); round++) {
          item = (await dispatch.slaCandidates(db, 1, { onlyId: item.id }))[0];
        }
      }
      if (page.length < batch) break;
      afterId = page[page.length - 1]!.id;
    }
    return result;
  }

  let timer: NodeJS.Timeout | null = null;
  let running: Promise<unknown> | null = null;
  return {
    sweep,
    start(everyMs: number): void {
      if (everyMs <= 0 || timer) return;
      timer = setInterval(() => {
        if (running) return;
        running = sweep()
          .catch((err: unknown) => log.error({ err }, 'SLA sweep failed'))
          .finally(() => {
            running = null;
          });
      }, everyMs);
      timer.unref();
    },
    async stop(): Promise<void> {
      if (timer) clearInterval(timer);
      timer = null;
      await running;
    },
  };
}

export type SlaTimer = ReturnType<typeof createSlaTimer>;

declare module 'fastify' {
  interface FastifyInstance {
    slaTimer: SlaTimer;
  }
}

export const slaTimerPlugin = fp(
  async (app) => {
    const timer = createSlaTimer({
      db: app.db,
      dispatch: app.dispatch,
      clock: app.securityOptions.clock,
      sla: app.dispatchOptions.sla,
      batch: app.dispatchOptions.sweepBatch,
      log: app.log,
      // Looked up when needed: the alerts feature registers after this plugin. ALERT_RULES_OFF=overdue
      // keeps the overdue marks and escalations, without their alerts.
      raiseAlert: () => {
        if (!app.hasDecorator('alerts')) return null;
        const alerts = (app as unknown as { alerts: AlertsService }).alerts;
        return alerts.rules.overdue.enabled ? (draft, tx) => alerts.raise(draft, tx) : null;
      },
    });
    app.decorate('slaTimer', timer);
    app.addHook('onReady', async () => timer.start(app.dispatchOptions.sweepMs));
    app.addHook('onClose', async () => timer.stop());
  },
  { name: 'sla-timer', dependencies: ['dispatch'] },
);
