// Role and data-scope names for the header and the account menu, worded
// through i18n; place names come from the geo data when it is loaded.
import type { Role, Scope } from '@shared/schemas/auth.ts';

type Translate = (key: string, values?: Record<string, unknown>) => string;

export interface PlaceNames {
  town(code: string): string | undefined;
  community(code: string): string | undefined;
}

export function roleLabel(t: Translate, role: Role): string {
  return t(`auth.roles.${role}`);
}

/** "镇江新区（全区）", a town's name, or "town · community"; codes stand in for names not loaded yet. */
export function scopeLabel(t: Translate, scope: Scope, names: PlaceNames): string {
  if (scope.level === 'district') return t('auth.scope.district');
  const town = names.town(scope.townCode) ?? scope.townCode;
  if (scope.level === 'town') return t('auth.scope.town', { name: town });
  return t('auth.scope.community', { town, name: names.community(scope.communityCode) ?? scope.communityCode });
}
