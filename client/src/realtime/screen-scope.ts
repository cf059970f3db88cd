// The screen's scope comes from its URL (`#/screen?scope=town:321171001`):
// the integration center's wall shows the whole New Area, a town's wall its
// town. It can only narrow the signed-in principal's own scope, never widen it.
import type { Scope } from '@shared/schemas/auth.ts';
import { scopeContainsScope } from './scope-contains.ts';

export type ScreenScopeResult = { ok: true; scope: Scope } | { ok: false; reason: 'malformed' | 'unknown' | 'outside' };

/**
 * `param` is the raw `scope` query value (absent = the principal's own scope).
 * `townOfCommunity` looks a community code up in the loaded geography.
 */
export function resolveScreenScope(
  param: string | null | undefined,
  principal: Scope,
  known: { towns: ReadonlySet<string>; townOfCommunity: (code: string) => string | undefined },
): ScreenScopeResult {
  if (param === undefined || param === null || param === '') return { ok: true, scope: principal };
  let wanted: Scope;
  const match = /^(district|town|community)(?::([0-9A-Za-z_-]{1,40}))?$/.exec(param);
  if (!match) return { ok: false, reason: 'malformed' };
  const [, level, code] = match;
  if (level === 'district') {
    if (code) return { ok: false, reason: 'malformed' };
    wanted = { level: 'district' };
  } else if (!code) {
    return { ok: false, reason: 'malformed' };
  } else if (level === 'town') {
    if (!known.towns.has(code)) return { ok: false, reason: 'unknown' };
    wanted = { level: 'town', townCode: code };
  } else {
    const townCode = known.townOfCommunity(code);
    if (!townCode) return { ok: false, reason: 'unknown' };
    wanted = { level: 'community', townCode, communityCode: code };
  }
  return scopeContainsScope(principal, wanted) ? { ok: true, scope: wanted } : { ok: false, reason: 'outside' };
}

/** The `scope` query value naming a scope (the inverse of the parser). */
export function scopeParam(scope: Scope): string {
  return scope.level === 'district' ? 'district' : scope.level === 'town' ? `town:${scope.townCode}` : `community:${scope.communityCode}`;
}

/** Does something at this place belong on a screen of this scope? */
export function inScope(scope: Scope, area: { townCode: string; communityCode?: string | null }): boolean {
  if (scope.level === 'district') return true;
  if (area.townCode !== scope.townCode) return false;
  return scope.level === 'town' || area.communityCode === scope.communityCode;
}
