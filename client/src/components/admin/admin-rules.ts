// What the account forms offer, mirroring the server's rules
// (server/src/domain/roles.ts, services/accounts-service.ts) so a form only
// shows choices that can succeed. The server stays the judge; the test beside
// this file holds the two in step.
import { ADMIN_ROLES, ROLES, type Account, type Role, type ScopeLevel } from '../../../../shared/schemas/auth.ts';
import { ApiRequestError } from '../../api/http.ts';
import { characterClasses, containsUsername, PASSWORD_MIN_CLASSES, PASSWORD_MIN_LENGTH } from '../auth/password-rules.ts';

/** Administrators are made only by the create-admin command: the forms never offer them. */
export const ASSIGNABLE_ROLES: readonly Role[] = ROLES.filter((r) => !(ADMIN_ROLES as readonly Role[]).includes(r));

export function isAdminAccount(role: Role): boolean {
  return (ADMIN_ROLES as readonly Role[]).includes(role);
}

export function scopeLevelsFor(role: Role): readonly ScopeLevel[] {
  switch (role) {
    case 'sysadmin': case 'secadmin': case 'auditor': case 'district_duty': return ['district'];
    case 'town_duty': return ['town'];
    case 'liaison': case 'field_worker': return ['community'];
    case 'leader': case 'unit_member': return ['district', 'town'];
    case 'kiosk': return ['district', 'town', 'community'];
  }
}

export function roleNeeds(role: Role): { unit: boolean; grid: boolean } {
  return { unit: role === 'unit_member', grid: role === 'field_worker' };
}

export const USERNAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{2,63}$/;

export type AccountStatus = 'active' | 'disabled' | 'locked' | 'mustChange';

/** The states an account is in, most serious first (an account can be several). */
export function accountStatuses(a: Pick<Account, 'disabled' | 'locked' | 'mustChangePassword'>): AccountStatus[] {
  const out: AccountStatus[] = [];
  if (a.disabled) out.push('disabled');
  if (a.locked) out.push('locked');
  if (a.mustChangePassword) out.push('mustChange');
  return out.length ? out : ['active'];
}

/** True when the password meets the length, class and username rules the server checks. */
export function meetsPolicy(password: string, username: string): boolean {
  return password.length >= PASSWORD_MIN_LENGTH && characterClasses(password) >= PASSWORD_MIN_CLASSES
    && !containsUsername(password, username);
}

// No look-alikes (0/O, 1/l/I): a temporary password is read out or typed from paper.
const LOWER = 'abcdefghijkmnpqrstuvwxyz';
const UPPER = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const DIGITS = '23456789';
const SYMBOLS = '!@#%&*-_+=?';

/** A random temporary password with all four character classes (crypto.getRandomValues). */
export function generatePassword(length = 14, random: (n: number) => Uint32Array = (n) => crypto.getRandomValues(new Uint32Array(n))): string {
  const sets = [LOWER, UPPER, DIGITS, SYMBOLS];
  const all = sets.join('');
  const r = random(length * 2);
  const chars = Array.from({ length }, (_, i) => (i < sets.length ? sets[i]! : all)[r[i]! % (i < sets.length ? sets[i]! : all).length]!);
  // Shuffle so the guaranteed classes are not always in front (Fisher–Yates).
  for (let i = chars.length - 1; i > 0; i--) {
    const j = r[length + i]! % (i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return chars.join('');
}

type Translate = (key: string, values?: Record<string, unknown>) => string;

/** The server's refusal in the user's words: the kind of failure, then the server's own message. */
export function errorText(t: Translate, err: unknown): string {
  const e = err instanceof ApiRequestError ? err : new ApiRequestError(0, null);
  if (e.status === 0) return t('admin.errors.network');
  const message = e.serverMessage ?? '';
  if ([400, 403, 404, 409].includes(e.status)) return t(`admin.errors.${e.status}`, { message });
  return t('admin.errors.other', { status: e.status, message });
}

/** A timestamp in the page's language, to the minute (seconds for the audit log). */
export function formatTime(locale: string, iso: string | null | undefined, seconds = false): string {
  if (!iso) return '';
  return new Intl.DateTimeFormat(locale, {
    year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', ...(seconds ? { second: '2-digit' } : {}), hour12: false,
  }).format(new Date(iso));
}

export interface FieldChange { field: string; before: unknown; after: unknown }

/**
 * What an audit row's before/after changed, field by field (top level), so
 * the auditor sees "role: town_duty → leader" first and the full JSON below.
 * Rows without two objects (a creation, a revocation) have no field changes.
 */
export function changedFields(before: unknown, after: unknown): FieldChange[] {
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObject(before) || !isObject(after)) return [];
  const fields = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  return fields
    .filter((f) => JSON.stringify(before[f]) !== JSON.stringify(after[f]))
    .map((f) => ({ field: f, before: before[f], after: after[f] }));
}
