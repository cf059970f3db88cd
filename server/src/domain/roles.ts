// Who may do what. Permissions are named actions; a role is the set it holds.
// The three administrators hold disjoint sets (三员分立): the system
// administrator runs accounts and kiosks, the security administrator grants
// roles and scopes, the audit administrator reads the audit log; none holds
// business data permissions, and no business role holds theirs.
import { ADMIN_ROLES, type Role, type ScopeLevel } from '../../../shared/schemas/auth.ts';

export const PERMISSIONS = [
  // administration
  'account:read',
  'account:create', // sysadmin
  'account:disable', // sysadmin
  'account:reset-password', // sysadmin
  'kiosk:manage', // sysadmin
  'integration:manage', // sysadmin: machine clients' keys (hotline, Open311 app, chat robot, device gateway)
  'account:grant', // secadmin: change role / scope (a permission change)
  'account:unlock', // secadmin
  'account:reset-totp', // secadmin
  'audit:read', // auditor
  'audit:export', // auditor
  // business
  'geo:read', // towns, grids, cameras ... (no personal data)
  'staff:read', // grid workers, names and phones masked
  'staff:read-contact', // ... unmasked (those who call them)
  'resident:read-contact', // residents' phone / ID numbers unmasked
  'incident:read',
  'incident:report',
  'incident:dispatch',
  'incident:handle',
  'incident:supervise', // a leader's supervision mark (督办)
  'alert:read',
  'alert:acknowledge',
  'stats:read',
  'export:run',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const READ_ALL: Permission[] = ['geo:read', 'staff:read', 'incident:read', 'alert:read', 'stats:read'];

const GRANTS: Record<Role, readonly Permission[]> = {
  sysadmin: ['account:read', 'account:create', 'account:disable', 'account:reset-password', 'kiosk:manage', 'integration:manage', 'geo:read'],
  secadmin: ['account:read', 'account:grant', 'account:unlock', 'account:reset-totp', 'geo:read'],
  auditor: ['audit:read', 'audit:export', 'geo:read'],
  district_duty: [...READ_ALL, 'staff:read-contact', 'resident:read-contact', 'incident:report', 'incident:dispatch', 'alert:acknowledge', 'export:run'],
  town_duty: [...READ_ALL, 'staff:read-contact', 'resident:read-contact', 'incident:report', 'incident:dispatch', 'alert:acknowledge', 'export:run'],
  liaison: [...READ_ALL, 'staff:read-contact', 'resident:read-contact', 'incident:report', 'incident:dispatch', 'alert:acknowledge'],
  // Reads everything in scope, changes nothing but supervision marks; sees no raw personal data.
  leader: [...READ_ALL, 'incident:supervise', 'export:run'],
  unit_member: ['geo:read', 'incident:read', 'incident:handle', 'resident:read-contact'],
  // Reports and follows their own reports (the incident repository adds reporter = self).
  field_worker: ['geo:read', 'staff:read', 'incident:read', 'incident:report'],
  // Read-only by construction: no permission here changes anything.
  kiosk: ['geo:read', 'incident:read', 'alert:read', 'stats:read'],
};

export function permissionsOf(role: Role): readonly Permission[] {
  return GRANTS[role];
}

export function can(role: Role, permission: Permission): boolean {
  return GRANTS[role].includes(permission);
}

export function isAdminRole(role: Role): boolean {
  return (ADMIN_ROLES as readonly Role[]).includes(role);
}

/** TOTP is mandatory for the three administrators, optional for everyone else. */
export function requiresTotp(role: Role): boolean {
  return isAdminRole(role);
}

/** Which scope levels a role may be given. Administrators and leaders of the New Area work district-wide. */
export function allowedScopeLevels(role: Role): readonly ScopeLevel[] {
  switch (role) {
    case 'sysadmin':
    case 'secadmin':
    case 'auditor':
    case 'district_duty':
      return ['district'];
    case 'town_duty':
      return ['town'];
    case 'liaison':
    case 'field_worker':
      return ['community'];
    case 'leader':
    case 'unit_member':
      return ['district', 'town'];
    case 'kiosk':
      return ['district', 'town', 'community'];
  }
}

/** What else an account of this role must name: a handling unit, or a grid. */
export function roleNeeds(role: Role): { unit: boolean; grid: boolean } {
  return { unit: role === 'unit_member', grid: role === 'field_worker' };
}
