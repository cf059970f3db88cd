// Data scope: the New Area, one town or one community. Every repository that
// returns or changes scoped rows puts scopeSql() into its WHERE clause, so a
// scope holds in SQL and not only in the UI; canAccess() answers the same
// question for one object already in hand (an id lookup, a socket event).
import type { Scope } from '../../../shared/schemas/auth.ts';

export type { Scope };

export interface AreaRef {
  townCode: string;
  communityCode?: string | null;
}

export interface ScopeColumns {
  town: string;
  community: string;
}

export interface SqlFragment {
  sql: string;
  params: unknown[];
}

const IDENTIFIER = /^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)?$/;

/**
 * A WHERE-clause fragment limiting rows to the scope. `alias` names the table
 * holding town_code / community_code columns (or pass the columns). Params
 * are numbered from `firstParam`, so the fragment can join an existing query.
 * District scope is `TRUE`: no parameters, the planner drops it.
 */
export function scopeSql(scope: Scope, alias: string | ScopeColumns, firstParam = 1): SqlFragment {
  const columns = typeof alias === 'string' ? { town: `${alias}.town_code`, community: `${alias}.community_code` } : alias;
  // Column names go into SQL text: accept identifiers only, never input.
  if (!IDENTIFIER.test(columns.town) || !IDENTIFIER.test(columns.community)) {
    throw new Error(`scopeSql: not an identifier: ${columns.town} / ${columns.community}`);
  }
  switch (scope.level) {
    case 'district':
      return { sql: 'TRUE', params: [] };
    case 'town':
      return { sql: `${columns.town} = $${firstParam}`, params: [scope.townCode] };
    case 'community':
      // The town too: cheap, and it lets an index on town_code help.
      return {
        sql: `(${columns.town} = $${firstParam} AND ${columns.community} = $${firstParam + 1})`,
        params: [scope.townCode, scope.communityCode],
      };
  }
}

/** May a caller with `scope` see or act on something located at `area`? */
export function canAccess(scope: Scope, area: AreaRef): boolean {
  switch (scope.level) {
    case 'district':
      return true;
    case 'town':
      return area.townCode === scope.townCode;
    case 'community':
      return area.townCode === scope.townCode && area.communityCode === scope.communityCode;
  }
}

/** Is `inner` entirely inside `outer`? (An administrator can only hand out what lies in their own scope.) */
export function scopeContains(outer: Scope, inner: Scope): boolean {
  if (outer.level === 'district') return true;
  if (inner.level === 'district') return false;
  if (outer.level === 'town') return inner.townCode === outer.townCode;
  return inner.level === 'community' && inner.communityCode === outer.communityCode && inner.townCode === outer.townCode;
}

/**
 * Narrows a listing's optional `?town=` / `?community=` filter by the caller's
 * scope. A filter outside the scope is refused (the route answers 403: asking
 * for another town is an error worth telling, not an empty list); no filter
 * means "all I may see", which scopeSql() then applies.
 */
export function narrowFilter(
  scope: Scope,
  filter: { town?: string; community?: string },
): { ok: true } | { ok: false; reason: string } {
  if (scope.level === 'district') return { ok: true };
  if (filter.town !== undefined && filter.town !== scope.townCode) {
    return { ok: false, reason: `town ${filter.town} is outside your data scope` };
  }
  if (scope.level === 'community' && filter.community !== undefined && filter.community !== scope.communityCode) {
    return { ok: false, reason: `community ${filter.community} is outside your data scope` };
  }
  return { ok: true };
}

/** The Socket.IO room a connection with this scope joins: one room, its own. */
export function scopeRoom(scope: Scope): string {
  switch (scope.level) {
    case 'district':
      return 'scope:district';
    case 'town':
      return `scope:town:${scope.townCode}`;
    case 'community':
      return `scope:community:${scope.communityCode}`;
  }
}

/** Rooms a connection with this scope joins (a list, so finer rooms can be added later). */
export function scopeRooms(scope: Scope): string[] {
  return [scopeRoom(scope)];
}

/**
 * Rooms an event about something at `area` goes to: the district room, its
 * town's and its community's. A town room never receives another town's
 * event, because the event is never emitted to it.
 */
export function roomsForArea(area: AreaRef): string[] {
  const rooms = ['scope:district', `scope:town:${area.townCode}`];
  if (area.communityCode) rooms.push(`scope:community:${area.communityCode}`);
  return rooms;
}

/** A stable one-line label for logs and the audit log: "district", "town:321171001", "community:321171001001". */
export function scopeLabel(scope: Scope): string {
  return scope.level === 'district' ? 'district' : scope.level === 'town' ? `town:${scope.townCode}` : `community:${scope.communityCode}`;
}
