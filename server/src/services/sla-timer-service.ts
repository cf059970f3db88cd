// The SLA timer: a periodic sweep that reads the open items and their
// timelines from the database, computes each clock (domain/sla.ts) and
// applies what is due through the same state machine as people do: mark
// overdue (once), escalate to the next tier after the second limit. Nothing
// is kept in memory between sweeps, so an item that fell due while the
// server was down is handled by the first sweep after the restart. Running
// it twice, or on two servers at once, changes nothing more: the overdue
// mark is stored, and every step names the version it saw (a stale one is
// refused and left to the next sweep).
import fp from 'fastify-plugin';
import type pg from 'pg';
import type { FastifyBaseLogger } from 'fastify';
import type { AlertDraft } from '../domain/alert-rules.ts';
import * as dispatch from '../db/repositories/dispatch-repository.ts';
import { seatOfficers } from '../db/repositories/seats-repository.ts';
import { listShifts, toDomainShifts } from '../db/repositories/roster-repository.ts';
import { alertRecipients } from '../domain/duty-roster.ts';
import { clockOf, sweepSteps, type SlaTable } from '../domain/sla.ts';
import { nextTier, owningSeat } from '../domain/tiers.ts';
import { ActionRefused, type DispatchService } from './dispatch-service.ts';

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
  /** Raises an alert (the alerts feature), when it is there. */
  raiseAlert?: () => ((draft: AlertDraft) => Promise<unknown>) | null;
}

export function createSlaTimer({ db, dispatch: service, clock, sla, batch, log, raiseAlert }: SlaTimerDeps) {
  /** Officers on duty at the seat owning an item at `tier` (everyone of the seat when nobody is rostered). */
  async function recipients(tier: Parameters<typeof owningSeat>[0], area: { townCode: string; communityCode: string }, now: Date) {
    const seat = owningSeat(tier, area);
    const shifts = toDomainShifts(await listShifts(db, [seat.key]));
    return { seat, ...alertRecipients(shifts, seat.key, now, await seatOfficers(db, seat)) };
  }

  async function alert(draft: AlertDraft): Promise<void> {
    const raise = raiseAlert?.();
    if (!raise) return;
    try {
      await raise(draft);
    } catch (err) {
      // The step itself is committed; a failed alert is logged, not retried into a second step.
      log.error({ err, ruleKey: draft.ruleKey }, 'SLA alert could not be raised');
    }
  }

  /**
   * One step due on one item, with its alert. Returns false when nothing is
   * due (or someone acted meanwhile: the next sweep looks again).
   */
  async function stepOnce(item: dispatch.SlaCandidate, now: Date, result: SweepResult): Promise<boolean> {
    const clk = clockOf(item.entries, item.level, item.tier, sla, now, item.deadline);
    const [step] = sweepSteps(item, clk, sla);
    if (!step || !clk) return false;
    try {
      await service.apply(null, item.id, { ...step, expectedVersion: item.version } as Parameters<DispatchService['apply']>[2]);
    } catch (err) {
      if (!(err instanceof ActionRefused)) throw err;
      log.info({ incidentId: item.id, step: step.type, code: err.code }, 'SLA step skipped');
      return false;
    }
    const area = { townCode: item.townCode, communityCode: item.communityCode, gridCode: item.gridCode };
    if (step.type === 'flag_overdue') {
      result.flagged.push(item.id);
      const to = await recipients(item.tier, item, now);
      // The first response stage is the alert engine's "overdue acceptance" too: one rule key, one alert.
      const firstResponse = step.stage === 'response' && item.entries.every((e) => e.tier === item.entries[0]!.tier);
      await alert({
        kind: 'overdue', level: item.level, area, incidentId: item.id, deviceCode: null,
        ruleKey: firstResponse ? `overdue:${item.id}` : `overdue:${item.id}:${step.stage}:${item.tier}:${clk.startedAt.getTime()}`,
        detail: {
          itemCode: item.itemCode, stage: step.stage, responseMinutes: Math.round(clk.limitMs / 60_000),
          minutesLate: Math.max(0, Math.floor((clk.elapsedMs - clk.limitMs) / 60_000)), seat: to.seat.key, recipients: to.usernames.join(','),
        },
      });
    } else {
      result.escalated.push(item.id);
      // The escalation went one tier up: its officers on duty are told.
      const up = nextTier(item.tier)!;
      const to = await recipients(up, item, now);
      await alert({
        // No incidentId: the alerts feature would link it back and mark the item overdue, but at its
        // new tier its clock has only just started. The item is named in the detail instead.
        kind: 'overdue', level: item.level, area, incidentId: null, deviceCode: null,
        ruleKey: `escalated:${item.id}:v${item.version + 1}`,
        detail: {
          incidentId: item.id, itemCode: item.itemCode, stage: clk.stage, responseMinutes: Math.round(clk.limitMs / 60_000), escalatedTo: up,
          seat: to.seat.key, recipients: to.usernames.join(','),
        },
      });
    }
    return true;
  }

  async function sweep(now = clock()): Promise<SweepResult> {
    const result: SweepResult = { flagged: [], escalated: [] };
    // Every open item, a page at a time, so none waits behind others that need nothing.
    let afterId: string | undefined;
    for (;;) {
      const page = await dispatch.slaCandidates(db, batch, { afterId });
      for (const candidate of page) {
        // A step at a time, re-reading the item after each: the alert's link back to it moves its version,
        // and a restart may have skipped past both limits (mark, then escalate).
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
      // Looked up when needed: the alerts feature may register after this plugin.
      raiseAlert: () => (app.hasDecorator('alerts') ? (draft) => (app as unknown as { alerts: { raise(d: AlertDraft): Promise<unknown> } }).alerts.raise(draft) : null),
    });
    app.decorate('slaTimer', timer);
    app.addHook('onReady', async () => timer.start(app.dispatchOptions.sweepMs));
    app.addHook('onClose', async () => timer.stop());
  },
  { name: 'sla-timer', dependencies: ['dispatch'] },
);
