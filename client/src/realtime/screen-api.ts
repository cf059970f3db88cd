// REST reads the screen's sync needs: the snapshot (incidents, alerts,
// cameras) and the change log. Types come from the shared contract.
import type { Incident, IncidentList, IncidentWithTimeline } from '@shared/schemas/incident.ts';
import type { AlertList } from '@shared/schemas/alert.ts';
import type { ChangesPage } from '@shared/schemas/changes.ts';
import type { Scope } from '@shared/schemas/auth.ts';
import type { Heat, HeatPeriod, ScreenStats } from '@shared/schemas/stats.ts';
import { ApiRequestError, getJson, type Query } from '../api/http.ts';
import { scopeParam } from './screen-scope.ts';
import type { PageResult } from './change-sync.ts';

const BASE = '/api/v1';
/** Incidents a snapshot loads at most (newest first); older open ones are rare and stay off the map. */
export const SNAPSHOT_MAX_INCIDENTS = 5_000;
const PAGE = 500;
const CHANGES_PAGE = 2_000;

function areaFilter(scope: Scope): Query {
  if (scope.level === 'town') return { town: scope.townCode };
  if (scope.level === 'community') return { town: scope.townCode, community: scope.communityCode };
  return {};
}

export async function fetchIncidentSnapshot(scope: Scope): Promise<{ incidents: Incident[]; lastSeq: number }> {
  const incidents: Incident[] = [];
  let cursor: string | undefined;
  let lastSeq: number | null = null;
  do {
    const page = await getJson<IncidentList>(`${BASE}/incidents`, { ...areaFilter(scope), limit: PAGE, cursor });
    // The first page's head: later pages only add older incidents.
    lastSeq ??= page.lastSeq;
    incidents.push(...page.incidents);
    cursor = page.nextCursor ?? undefined;
  } while (cursor && incidents.length < SNAPSHOT_MAX_INCIDENTS);
  return { incidents, lastSeq: lastSeq ?? 0 };
}

export function fetchRaisedAlerts(scope: Scope): Promise<AlertList> {
  return getJson<AlertList>(`${BASE}/alerts`, { ...areaFilter(scope), status: 'raised', limit: 500 });
}

/** One page of the change log after `since`; `{gone}` when the log no longer reaches back that far. */
export async function fetchChanges(since: number): Promise<PageResult> {
  try {
    return { page: await getJson<ChangesPage>(`${BASE}/changes`, { since, limit: CHANGES_PAGE }) };
  } catch (err) {
    if (err instanceof ApiRequestError && err.status === 410) return { gone: true };
    throw err;
  }
}

export function fetchIncident(id: string, signal?: AbortSignal): Promise<IncidentWithTimeline> {
  return getJson<IncidentWithTimeline>(`${BASE}/incidents/${encodeURIComponent(id)}`, undefined, signal);
}

export function fetchScreenStats(scope: Scope): Promise<ScreenStats> {
  return getJson<ScreenStats>(`${BASE}/stats/screen`, { scope: scopeParam(scope) });
}

export function fetchHeat(scope: Scope, days: HeatPeriod): Promise<Heat> {
  return getJson<Heat>(`${BASE}/stats/heat`, { scope: scopeParam(scope), days });
}
