// The alert engine: evaluates the rules (domain/alert-rules.ts) and keeps
// alerts. Each alert change is one transaction: the alert row and its
// change-log row commit together, and the realtime layer pushes it from the
// log (server/src/realtime/README.md).
//
// What it evaluates, when:
//  - incident:created (level-1, cluster) and camera:status-changed (the
//    community online rate): read from the change log after a cursor kept in
//    the database, so an incident filed while the engine was busy or the
//    server was restarting is still evaluated, exactly once per rule key;
//  - on a timer: every community's camera rate, and the change-log read
//    again (a safety net if a nudge was missed).
// Overdue items are not judged here: the SLA timer (sla-timer-service.ts) is
// the one source. It raises the overdue alert in the transaction that marks
// the item overdue, by the stage the item is in (domain/sla.ts), and every
// workflow step that ends that stage clears it here (clearOverdueOf), in the
// step's transaction.
import { randomUUID } from 'node:crypto';
import fp from 'fastify-plugin';
import pMap from 'p-map';
import type pg from 'pg';
import type { FastifyBaseLogger } from 'fastify';
import { catalogueItem } from '../../../shared/catalogue.ts';
import type { Alert, AlertKind, AlertStatus } from '../../../shared/schemas/alert.ts';
import {
  ALERT_RULE_DEFAULTS, alertMessage, cameraRateRule, clusterRule, clusterWindowStart, level1Rule, mayCluster,
  type AlertDraft, type AlertRulesConfig, type IncidentFacts,
} from '../domain/alert-rules.ts';
import type { Scope } from '../domain/scope.ts';
import * as alerts from '../db/repositories/alerts-repository.ts';
import { appendChange } from '../db/repositories/changes-repository.ts';
import { inTransaction, type Queryable } from '../db/repositories/db.ts';
import { cameraCountsByCommunity } from '../db/repositories/devices-repository.ts';
import { HttpError } from './http-error.ts';
import { ConfigError } from '../config.ts';
import { systemActor } from '../realtime/actor.ts';

export interface AlertsOptions {
  rules: AlertRulesConfig;
  /** How often the timer evaluates camera rates; 0 = never (tests call tick()). */
  tickMs: number;
  /** How often the change log is read for new incidents and camera changes; 0 = never (tests call drain()). */
  pollMs: number;
  /** Changes read from the log per step. */
  batchSize: number;
}

/** Alerts the engine raises (and links) at once: a few, leaving the pool's other connections to reports and reads. */
const RAISE_CONCURRENCY = 4;

export const ALERTS_DEFAULTS: AlertsOptions = { rules: ALERT_RULE_DEFAULTS, tickMs: 15_000, pollMs: 1000, batchSize: 500 };

/** Who acknowledges or clears an alert (recorded on it). */
export interface AlertActor {
  username: string;
  userId: number | null;
}

/** Who the engine acts as when it clears an alert by itself. */
export const SYSTEM_ACTOR: AlertActor = { username: 'system:alerts', userId: null };

/** Called after an alert about an incident is raised (links it on the incident). */
export type IncidentLinker = (alert: Alert) => Promise<void>;

export interface AlertsServiceDeps {
  pool: pg.Pool;
  log: FastifyBaseLogger;
  clock: () => Date;
  options: AlertsOptions;
  /** Links an alert back to its incident (the plugin wires it to app.incidents); without it alerts are only not linked. */
  linkIncident?: IncidentLinker;
}

const ALERT_CHANGE: Record<AlertStatus, 'alert:raised' | 'alert:acknowledged' | 'alert:cleared'> = {
  raised: 'alert:raised',
  acknowledged: 'alert:acknowledged',
  cleared: 'alert:cleared',
};

function factsOf(row: alerts.IncidentFactsRow | Record<string, unknown>): IncidentFacts {
  const r = row as Record<string, unknown>;
  return {
    id: String(r.id), itemCode: String(r.itemCode), level: Number(r.level) as 1 | 2 | 3, status: String(r.status),
    reportedAt: new Date(r.reportedAt as string | Date), sensorCode: (r.sensorCode as string | null | undefined) ?? null,
    area: { townCode: String(r.townCode), communityCode: (r.communityCode as string) ?? null, gridCode: (r.gridCode as string) ?? null },
  };
}

export function createAlertsService(deps: AlertsServiceDeps) {
  const { pool, log, clock, options } = deps;
  const rules = options.rules;
  const linkIncident = deps.linkIncident;

  /**
   * Appends the alert's change and records its seq, in the caller's transaction;
   * with `commit`, the last statement of an inTransaction of this service's, committing it.
   */
  async function publish(tx: Queryable, row: alerts.AlertRow, commit = false): Promise<Alert> {
    const { seq: _old, ...payload } = alerts.publicAlert(row);
    const seq = await appendChange(tx, {
      kind: ALERT_CHANGE[row.status],
      area: { townCode: row.townCode, communityCode: row.communityCode },
      entityId: row.id,
      payload,
    }, { stamp: { table: 'alerts', id: row.id }, commit });
    return { ...payload, seq };
  }

  // Place names for alert messages, by area: they change only when a new data set is loaded at
  // start-up, and a burst of reports raised one name query per alert.
  const placeNames = new Map<string, string | undefined>();
  async function placeNameOf(area: AlertDraft['area']): Promise<string | undefined> {
    const key = `${area.gridCode ?? ''}|${area.communityCode ?? ''}|${area.townCode}`;
    if (placeNames.has(key)) return placeNames.get(key);
    const name = (await alerts.placeName(pool, area)) ?? undefined;
    if (placeNames.size >= 10_000) placeNames.clear();
    placeNames.set(key, name);
    return name;
  }

  /**
   * Raises an alert unless its rule key was raised before; returns it, or
   * null. Inside the caller's transaction `tx` it is not linked back to its
   * incident: the caller does that in the same transaction.
   */
  async function raise(draft: AlertDraft, tx?: Queryable): Promise<Alert | null> {
    const alert = tx ? await insertAndPublish(tx, draft, false) : await inTransaction(pool, (client) => insertAndPublish(client, draft, true));
    if (alert && alert.incidentId && linkIncident && !tx) await linkSafely(alert);
    return alert;
  }

  /** The alert row and its change; `commit`: the last statement of the caller's (this service's) transaction. */
  async function insertAndPublish(client: Queryable, draft: AlertDraft, commit: boolean): Promise<Alert | null> {
    const item = typeof draft.detail.itemCode === 'string' ? catalogueItem(draft.detail.itemCode)?.name : undefined;
    const place = await placeNameOf(draft.area);
    const text = alertMessage(draft, { item, place: draft.kind === 'fire_alarm' ? (typeof draft.detail.sensorName === 'string' ? draft.detail.sensorName : undefined) : place });
    const row = await alerts.insertAlert(client, { id: randomUUID(), draft, message: text.message, messageKey: text.messageKey, raisedAt: clock() });
    return row ? publish(client, row, commit) : null;
  }

  async function linkSafely(alert: Alert): Promise<void> {
    try {
      await linkIncident?.(alert);
    } catch (err) {
      // The alert stands (it is committed and pushed); only the back-link failed.
      log.error({ err, alertId: alert.id }, 'could not link the alert to its incident');
    }
  }

  async function change(id: string, scope: Scope, actor: AlertActor, to: 'acknowledged' | 'cleared'): Promise<Alert> {
    return inTransaction(pool, async (tx) => {
      const found = await alerts.lockAlertInScope(tx, id, scope);
      // Outside the scope answers as unknown, as incidents do: an alert's existence is not revealed.
      if (!('found' in found)) throw new HttpError(404, `no alert ${id} in your data scope`);
      const current = found.found;
      if (current.status === 'cleared') {
        throw new HttpError(409, `alert ${id} is already cleared (by ${current.clearedBy} at ${current.clearedAt}); nothing to ${to === 'cleared' ? 'clear' : 'acknowledge'}`);
      }
      if (to === 'acknowledged' && current.status === 'acknowledged') {
        throw new HttpError(409, `alert ${id} is already acknowledged (by ${current.acknowledgedBy} at ${current.acknowledgedAt})`);
      }
      const row = to === 'acknowledged'
        ? await alerts.acknowledgeAlert(tx, id, actor, clock())
        : await alerts.clearAlert(tx, id, actor, clock());
      return publish(tx, row, true);
    });
  }

  /**
   * Level-1 and cluster rules for a batch of new incidents. Clusters are
   * judged for the whole batch from two queries; only a grid that looks like
   * a cluster is then decided again under its lock, so 500 reports a second
   * cost two queries per batch, not five per report.
   */
  async function onIncidentsCreated(list: readonly IncidentFacts[]): Promise<void> {
    // A few at a time: one by one, each alert's round trips (raise, then link) waited on a busy event loop in turn,
    // and under a burst the engine fell thousands of changes behind the log. Each has its own rule key and incident.
    const level1 = list.map((facts) => level1Rule(facts, rules)).filter((d): d is AlertDraft => d !== null);
    await pMap(level1, (draft) => raise(draft), { concurrency: RAISE_CONCURRENCY });
    const gridded = list.filter((f) => f.area.gridCode);
    if (!rules.cluster.enabled || gridded.length === 0) return;
    const last = await alerts.lastClusterByGrid(pool, [...new Set(gridded.map((f) => f.area.gridCode!))]);
    // Report times are read only for grids that can still cluster (under a burst every grid has its alert, and
    // reading every grid's times was thousands of rows a batch).
    const open = mayCluster(gridded, last, rules);
    if (open.length === 0) return;
    const byGrid = new Map<string, IncidentFacts[]>();
    for (const f of open) byGrid.set(f.area.gridCode!, [...(byGrid.get(f.area.gridCode!) ?? []), f]);
    const grids = [...byGrid.keys()];
    const from = clusterWindowStart(new Date(Math.min(...open.map((f) => f.reportedAt.getTime()))), rules);
    const to = new Date(Math.max(...open.map((f) => f.reportedAt.getTime())));
    const times = await alerts.reportTimesByGrid(pool, grids, from, to);
    // Grids a few at a time, each grid's incidents in order (a grid's alert makes its next ones moot).
    await pMap(grids, async (gridCode) => {
      for (const facts of byGrid.get(gridCode)!) {
        if (!clusterRule(facts, times.get(gridCode) ?? [], last.get(gridCode) ?? null, rules)) continue;
        // Decided again under a per-grid lock: two evaluators at once raise one cluster alert.
        const raised = await inTransaction(pool, async (tx) => {
          await alerts.lockGrid(tx, gridCode);
          const exact = await alerts.gridReportTimes(tx, gridCode, clusterWindowStart(facts.reportedAt, rules), facts.reportedAt);
          const draft = clusterRule(facts, exact, await alerts.lastClusterAt(tx, gridCode), rules);
          return draft ? insertAndPublish(tx, draft, true) : null;
        });
        if (raised) {
          last.set(gridCode, new Date(raised.raisedAt));
          if (linkIncident) await linkSafely(raised);
        }
      }
    }, { concurrency: RAISE_CONCURRENCY });
  }

  /** Community camera online rates: raise below the threshold, clear on recovery. */
  async function evaluateCameraRates(communities?: readonly string[]): Promise<void> {
    if (communities && communities.length === 0) return;
    const stats = await cameraCountsByCommunity(pool, communities);
    const open = await alerts.openCameraRateAlerts(pool);
    const { raise: toRaise, clear } = cameraRateRule(stats, open, clock(), rules);
    for (const draft of toRaise) await raise(draft);
    for (const ruleKey of clear) {
      await inTransaction(pool, async (tx) => {
        const row = await alerts.lockOpenByRuleKey(tx, ruleKey);
        if (!row) return;
        await publish(tx, await alerts.clearAlert(tx, row.id, SYSTEM_ACTOR, clock()), true);
      });
    }
  }

  /**
   * The item left the SLA stage its overdue alerts were about (taken in,
   * resolved, escalated ...): they clear themselves, as the system, in the
   * caller's transaction (the workflow step's), each pushed as alert:cleared.
   */
  async function clearOverdueOf(tx: Queryable, incidentId: string): Promise<Alert[]> {
    const cleared: Alert[] = [];
    for (const row of await alerts.lockOpenOverdueOf(tx, incidentId)) {
      cleared.push(await publish(tx, await alerts.clearAlert(tx, row.id, SYSTEM_ACTOR, clock())));
    }
    return cleared;
  }

  /** Reads the change log from the engine's cursor to the head and evaluates what it finds. */
  async function drainOnce(): Promise<void> {
    let cursor = await alerts.engineCursor(pool);
    if (cursor === null) {
      // First start on this database: begin at the head, history is not re-judged.
      cursor = (await alerts.watchedChanges(pool, Number.MAX_SAFE_INTEGER, 1)).head;
      await alerts.setEngineCursor(pool, cursor);
    }
    for (;;) {
      const { rows, head } = await alerts.watchedChanges(pool, cursor, options.batchSize);
      const communities = new Set<string>();
      const created: IncidentFacts[] = [];
      for (const change of rows) {
        if (change.kind === 'incident:created') created.push(factsOf(change.payload));
        else if (typeof change.payload.communityCode === 'string') communities.add(change.payload.communityCode);
      }
      await onIncidentsCreated(created);
      if (rules.cameraRate.enabled) await evaluateCameraRates([...communities]);
      cursor = rows.length === options.batchSize ? rows[rows.length - 1].seq : head;
      await alerts.setEngineCursor(pool, cursor);
      if (rows.length < options.batchSize) return;
    }
  }

  // One evaluation at a time; a nudge during a run asks for one more run after it.
  let running: Promise<void> | null = null;
  let again = false;
  function drain(): Promise<void> {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      try {
        do {
          again = false;
          await drainOnce();
        } while (again);
      } finally {
        running = null;
      }
    })();
    return running;
  }

  /** Everything the timer does; tests call it with a hand-moved clock. */
  async function tick(): Promise<void> {
    await drain();
    await evaluateCameraRates();
  }

  let timer: NodeJS.Timeout | null = null;
  let poller: NodeJS.Timeout | null = null;
  let ticking: Promise<void> | null = null;

  return {
    rules,
    raise,
    clearOverdueOf,
    acknowledge: (id: string, scope: Scope, actor: AlertActor) => change(id, scope, actor, 'acknowledged'),
    clear: (id: string, scope: Scope, actor: AlertActor) => change(id, scope, actor, 'cleared'),
    list: (scope: Scope, filter: alerts.AlertFilter) => alerts.listAlerts(pool, scope, filter),
    /** Evaluate what the change log holds beyond the cursor now (after a report, a heartbeat batch). */
    nudge(): void {
      drain().catch((err: unknown) => log.error({ err }, 'alert evaluation failed'));
    },
    drain,
    tick,
    start(): void {
      if (options.tickMs > 0 && !timer) {
        timer = setInterval(() => {
          if (ticking) return;
          ticking = tick().catch((err: unknown) => log.error({ err }, 'alert tick failed')).finally(() => {
            ticking = null;
          });
        }, options.tickMs);
        timer.unref();
      }
      if (options.pollMs > 0 && !poller) {
        poller = setInterval(() => {
          if (!running) drain().catch((err: unknown) => log.error({ err }, 'alert evaluation failed'));
        }, options.pollMs);
        poller.unref();
      }
    },
    async stop(): Promise<void> {
      if (timer) clearInterval(timer);
      if (poller) clearInterval(poller);
      timer = poller = null;
      await ticking;
      await running?.catch(() => undefined);
    },
  };
}

export type AlertsService = ReturnType<typeof createAlertsService>;
export type { AlertKind };

function positive(env: NodeJS.ProcessEnv, name: string, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0 || value > max) throw new ConfigError(`${name} must be a number in (0, ${max}], got "${raw}"`);
  return value;
}

const RULE_NAMES = ['level1', 'overdue', 'cluster', 'cameraRate', 'fireAlarm'] as const;

/**
 * ALERT_CLUSTER_COUNT, ALERT_CLUSTER_MINUTES, ALERT_CAMERA_RATE_PERCENT,
 * ALERT_CAMERA_RECOVER_PERCENT, ALERT_TICK_SECONDS, and ALERT_RULES_OFF (a
 * comma list of rule names: level1, overdue, cluster, cameraRate, fireAlarm)
 * over the defaults. Overdue times are the catalogue's response minutes.
 */
export function alertsOptionsFromEnv(env: NodeJS.ProcessEnv): AlertsOptions {
  const d = ALERTS_DEFAULTS.rules;
  const off = new Set((env.ALERT_RULES_OFF ?? '').split(',').map((s) => s.trim()).filter(Boolean));
  for (const name of off) {
    if (!(RULE_NAMES as readonly string[]).includes(name)) throw new ConfigError(`ALERT_RULES_OFF: unknown rule "${name}" (rules: ${RULE_NAMES.join(', ')})`);
  }
  const threshold = positive(env, 'ALERT_CAMERA_RATE_PERCENT', d.cameraRate.threshold * 100, 100) / 100;
  const recoverAt = positive(env, 'ALERT_CAMERA_RECOVER_PERCENT', Math.max(d.cameraRate.recoverAt * 100, threshold * 100), 100) / 100;
  if (recoverAt < threshold) throw new ConfigError('ALERT_CAMERA_RECOVER_PERCENT must be at least ALERT_CAMERA_RATE_PERCENT');
  return {
    ...ALERTS_DEFAULTS,
    tickMs: positive(env, 'ALERT_TICK_SECONDS', ALERTS_DEFAULTS.tickMs / 1000) * 1000,
    rules: {
      level1: { enabled: !off.has('level1') },
      overdue: { ...d.overdue, enabled: !off.has('overdue') },
      cluster: {
        enabled: !off.has('cluster'),
        count: Math.round(positive(env, 'ALERT_CLUSTER_COUNT', d.cluster.count)),
        windowMinutes: positive(env, 'ALERT_CLUSTER_MINUTES', d.cluster.windowMinutes),
      },
      cameraRate: { ...d.cameraRate, enabled: !off.has('cameraRate'), threshold, recoverAt },
      fireAlarm: { enabled: !off.has('fireAlarm') },
    },
  };
}

declare module 'fastify' {
  interface FastifyInstance {
    alerts: AlertsService;
  }
}

/** Decorates app.alerts, links alerts back to their incidents, runs the timers while the app is up. */
export const alertsPlugin = fp<Partial<AlertsOptions>>(
  async (app, opts) => {
    const options: AlertsOptions = { ...ALERTS_DEFAULTS, ...opts, rules: { ...ALERTS_DEFAULTS.rules, ...opts.rules } };
    const actor = systemActor('alerts');
    const service = createAlertsService({
      pool: app.db, log: app.log, clock: app.securityOptions.clock, options,
      // The incident records which alerts concern it. (Overdue alerts are linked, and the item
      // marked overdue, by the SLA timer's step that raises them.)
      linkIncident: async (alert) => {
        if (!alert.incidentId) return;
        await app.incidents.update(alert.incidentId, actor, (current) => {
          const ids = current.alertIds ?? [];
          if (ids.includes(alert.id)) return null;
          return {
            patch: { alertIds: [...ids, alert.id] },
            timeline: { action: `alert.${alert.kind}`, note: alert.message, data: { alertId: alert.id, kind: alert.kind, level: alert.level } },
          };
        });
      },
    });
    app.decorate('alerts', service);
    // A workflow step that ends an SLA stage clears that stage's overdue alerts, in its transaction.
    if (app.hasDecorator('dispatch')) app.dispatch.onStageLeft((tx, incidentId) => service.clearOverdueOf(tx, incidentId));
    app.addHook('onReady', async () => service.start());
    app.addHook('onClose', async () => service.stop());
  },
  { name: 'alerts', dependencies: ['db', 'auth', 'live-services'] },
);
