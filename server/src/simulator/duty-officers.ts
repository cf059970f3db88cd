// The demo's duty officers at work: they read the open items and raised
// alerts through the public API (as duty.district, who sees the whole New
// Area), and act as the person whose turn it is (the owning seat's duty
// officer or liaison, the handling unit's account) after the delays of
// domain/feed-ops.ts. Requests go through the feed's outbox (retries, paced
// sign-ins, kept sessions); a 409 means someone else acted first: the next
// read sees the item as it is now and decides again. Nothing here throws
// into the host.
import type { Alert, AlertList } from '../../../shared/schemas/alert.ts';
import type { IncidentList } from '../../../shared/schemas/incident.ts';
import type { IncidentStatus } from '../../../shared/workflow.ts';
import { acknowledgeDelayMs, decide, type OpsDecision, type OpsItem, type OpsShares } from '../domain/feed-ops.ts';
import { ApiError, type ApiClient } from './api-client.ts';
import { WaitError, type CredentialPool } from './credentials.ts';
import type { Job, Outbox } from './outbox.ts';

export interface OfficersOptions {
  /** How often the officers look at the lists (ms). */
  pollMs?: number;
  /** Shares of late, escalated, returned and rated items (DEMO_OPS_SHARES by default). */
  shares?: OpsShares;
  /**
   * New sign-ins per minute for the officers' own accounts (their own budget, so
   * they are not stuck behind the feed's 371 grid workers at start; with the
   * feed's 8 it stays under the server's 20 per address, leaving room for people).
   */
  signInsPerMinute?: number;
}

export interface OfficersStats {
  polls: number;
  planned: number;
  acted: number;
  acknowledged: number;
}

export interface RunningOfficers {
  stats(): OfficersStats;
  /** The outbox delivered one of the officers' jobs. */
  delivered(job: Job): void;
  /** One of the officers' jobs ended without delivery. */
  finished(job: Job, why: 'gave-up' | 'superseded' | 'expired' | 'dropped'): void;
  stop(): void;
}

interface Deps {
  api: ApiClient;
  credentials: CredentialPool;
  outbox: Outbox;
  speed: number;
  seed: string;
  /** The account that reads the lists (district scope). */
  reader: string;
  problem(message: string, err: unknown): void;
}

/** Statuses someone still acts on; closed items may get a rating. */
const WORKED: IncidentStatus[] = ['reported', 'accepted', 'returned', 'dispatched', 'in_progress', 'resolved', 'verified', 'closed'];
const PAGE = 200;
const DEFAULT_POLL_MS = 3000;

export function startDutyOfficers(deps: Deps, options: OfficersOptions = {}): RunningOfficers {
  const ops = { speed: deps.speed, seed: `${deps.seed}/officers`, shares: options.shares };
  // Per item: the version a step was planned for; `sent` once it is in the outbox.
  const plans = new Map<string, { version: number; decision: OpsDecision | null; sent: boolean }>();
  const alerts = new Map<string, { at: number; sent: boolean }>();
  const stats: OfficersStats = { polls: 0, planned: 0, acted: 0, acknowledged: 0 };
  let busy = false;
  let stopped = false;

  const read = async <T>(path: string): Promise<T | null> => {
    try {
      const credential = await deps.credentials.session(deps.reader);
      return (await deps.api.request<T>(credential, 'GET', path)).body;
    } catch (err) {
      if (err instanceof WaitError) return null;
      if (err instanceof ApiError && err.status === 401) deps.credentials.forget(deps.reader);
      deps.problem(`officers could not read ${path.split('?')[0]}`, err);
      return null;
    }
  };

  const planItems = async (now: number) => {
    const seen = new Set<string>();
    for (const status of WORKED) {
      const list = await read<IncidentList>(`api/v1/incidents?status=${status}&limit=${PAGE}`);
      if (!list) return; // try the whole round again next time; keep what is planned
      for (const incident of list.incidents) {
        seen.add(incident.id);
        const known = plans.get(incident.id);
        if (known && known.version === incident.version) continue;
        const decision = decide(incident as OpsItem, ops);
        plans.set(incident.id, { version: incident.version, decision, sent: false });
        if (decision) stats.planned += 1;
      }
    }
    // Items gone from every list (rated, or out of the pages) need nothing more.
    for (const id of plans.keys()) if (!seen.has(id)) plans.delete(id);
    for (const [id, plan] of plans) {
      if (!plan.decision || plan.sent || plan.decision.at > now) continue;
      plan.sent = true;
      const { route, body } = plan.decision.action;
      deps.outbox.add({
        kind: 'action', label: `${route} ${id} as ${plan.decision.username}`, as: { username: plan.decision.username },
        path: `api/v1/incidents/${id}/${route}`, body: { expectedVersion: plan.version, ...body },
        attempts: 0, notBefore: 0, conflictMeansDone: true,
      });
    }
  };

  const planAlerts = async (now: number) => {
    const list = await read<AlertList>(`api/v1/alerts?status=raised&limit=${PAGE}`);
    if (!list) return;
    const raised = new Set(list.alerts.map((a) => a.id));
    for (const id of alerts.keys()) if (!raised.has(id)) alerts.delete(id);
    for (const alert of list.alerts) {
      const known = alerts.get(alert.id) ?? { at: Date.parse(alert.raisedAt) + acknowledgeDelayMs(alert.id, alert.level, ops), sent: false };
      alerts.set(alert.id, known);
      if (known.sent || known.at > now) continue;
      known.sent = true;
      deps.outbox.add({
        kind: 'acknowledge', label: `acknowledge alert ${alert.id}`, as: { username: deskOf(alert) },
        path: `api/v1/alerts/${alert.id}/acknowledge`, body: {}, attempts: 0, notBefore: 0, conflictMeansDone: true,
      });
    }
  };

  const round = async () => {
    if (busy || stopped) return;
    busy = true;
    try {
      const now = Date.now();
      await planAlerts(now);
      await planItems(now);
      stats.polls += 1;
      deps.outbox.pump();
    } catch (err) {
      deps.problem('officers round failed', err);
    } finally {
      busy = false;
    }
  };

  const timer = setInterval(() => void round(), options.pollMs ?? DEFAULT_POLL_MS);
  timer.unref();

  return {
    stats: () => ({ ...stats }),
    delivered(job) {
      // The item's version moved on: the next read plans its next step.
      if (job.kind === 'action') stats.acted += 1;
      if (job.kind === 'acknowledge') stats.acknowledged += 1;
    },
    finished(job, why) {
      // Someone else acted first (409): forget the plan, the next read decides again.
      // Refused otherwise: leave it planned-and-sent, so it is not tried again at this version.
      if (why !== 'superseded') return;
      if (job.kind === 'action') plans.delete(job.path.split('/')[3]);
      if (job.kind === 'acknowledge') alerts.delete(job.path.split('/')[3]);
    },
    stop() {
      stopped = true;
      clearInterval(timer);
    },
  };
}

/** The level-1 and district-wide alerts go to the New Area desk, the rest to the town's. */
function deskOf(alert: Alert): string {
  return alert.level === 1 || !alert.townCode ? 'duty.district' : `duty.${alert.townCode}`;
}
