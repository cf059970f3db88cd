// Is `inner` entirely inside `outer`? The same rule as the server's
// domain/scope.ts scopeContains (the client may not import the server);
// the server enforces it again on `subscribe`, this only words the refusal.
import type { Scope } from '@shared/schemas/auth.ts';

export function scopeContainsScope(outer: Scope, inner: Scope): boolean {
  if (outer.level === 'district') return true;
  if (inner.level === 'district') return false;
  if (outer.level === 'town') return inner.townCode === outer.townCode;
  return inner.level === 'community' && inner.communityCode === outer.communityCode && inner.townCode === outer.townCode;
}
