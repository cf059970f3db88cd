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
/**
 * A snapshot reads every open incident (the map must show all of them: the
 * benchmark holds 10,000), page by page, plus the newest page of any status
 * (the ticker's latest reports, closed ones included). Past this many open
 * incidents it stops paging: a memory guard far above the New Area's real
 * load (a few hundred open), below the incident book's cap.
 */
export const SNAPSHOT_MAX_OPEN = 19_000;
const PAGE = 500;
const CHANGES_PAGE = 2_000;

function areaFilter(scope: Scope): Query {
  if (scope.level === 'town') return { town: scope.townCode };
  if (scope.level === 'community') return { town: scope.townCode, community: scope.communityCode };
  return {};
}

export async function fetchIncidentSnapshot(scope: Scope): Promise<{ incidents: Incident[]; lastSeq: number }> {
  // Read first: its head is the oldest of the snapshot's reads, so the change
  // log from there covers anything that moved while the open pages were read.
  const newest = await getJson<IncidentList>(`${BASE}/incidents`, { ...areaFilter(scope), limit: PAGE });
  const byId = new Map(newest.incidents.map((i) => [i.id, i]));
  let cursor: string | undefined;
  let open = 0;
  do {
    const page = await getJson<IncidentList>(`${BASE}/incidents`, { ...areaFilter(scope), open: 'true', limit: PAGE, cursor });
    for (const i of page.incidents) {
      const held = byId.get(i.id);
      if (!held || held.seq < i.seq) byId.set(i.id, i);
    }
    open += page.incidents.length;
    cursor = page.nextCursor ?? undefined;
  } while (cursor && open < SNAPSHOT_MAX_OPEN);
  return { incidents: [...byId.values()], lastSeq: newest.lastSeq };
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
