import { describe, expect, it } from 'vitest';
import { ROLES, ADMIN_ROLES } from '../../../shared/schemas/auth.ts';
import { allowedScopeLevels, can, isAdminRole, PERMISSIONS, permissionsOf, requiresTotp, roleNeeds } from './roles.ts';

const ADMIN_PERMISSIONS = PERMISSIONS.filter((p) => p.startsWith('account:') || p.startsWith('audit:') || p.startsWith('kiosk:'));
const WRITE_PERMISSIONS = PERMISSIONS.filter((p) => !/:read/.test(p));

describe('three separate administrators', () => {
  it('gives each administrator a set no other administrator holds (apart from reading accounts)', () => {
    const own = (role: (typeof ADMIN_ROLES)[number]) => permissionsOf(role).filter((p) => ADMIN_PERMISSIONS.includes(p) && p !== 'account:read');
    const [sys, sec, aud] = ADMIN_ROLES.map(own);
    expect(sys.length && sec.length && aud.length).toBeTruthy();
    for (const [a, b] of [[sys, sec], [sys, aud], [sec, aud]]) {
      expect(a.filter((p) => b.includes(p))).toEqual([]);
    }
  });
  it('lets only the system administrator create accounts, only the security administrator grant, only the auditor read the log', () => {
    expect(ROLES.filter((r) => can(r, 'account:create'))).toEqual(['sysadmin']);
    expect(ROLES.filter((r) => can(r, 'account:grant'))).toEqual(['secadmin']);
    expect(ROLES.filter((r) => can(r, 'audit:read'))).toEqual(['auditor']);
    expect(ROLES.filter((r) => can(r, 'audit:export'))).toEqual(['auditor']);
    expect(ROLES.filter((r) => can(r, 'kiosk:manage'))).toEqual(['sysadmin']);
  });
  it('gives no business role an administrative permission and no administrator business data', () => {
    for (const role of ROLES.filter((r) => !isAdminRole(r))) {
      expect(permissionsOf(role).filter((p) => ADMIN_PERMISSIONS.includes(p))).toEqual([]);
    }
    for (const role of ADMIN_ROLES) {
      expect(can(role, 'incident:read') || can(role, 'staff:read') || can(role, 'resident:read-contact')).toBe(false);
    }
  });
});

describe('business roles', () => {
  it('keeps the kiosk read-only', () => {
    expect(permissionsOf('kiosk').filter((p) => WRITE_PERMISSIONS.includes(p))).toEqual([]);
  });
  it('lets a leader change nothing but supervision marks', () => {
    expect(permissionsOf('leader').filter((p) => WRITE_PERMISSIONS.includes(p))).toEqual(['incident:supervise', 'export:run']);
  });
  it('lets field workers report but not dispatch', () => {
    expect(can('field_worker', 'incident:report')).toBe(true);
    expect(can('field_worker', 'incident:dispatch')).toBe(false);
  });
  it('masks staff contacts for leaders and field workers, not for duty officers', () => {
    expect(can('leader', 'staff:read-contact')).toBe(false);
    expect(can('field_worker', 'staff:read-contact')).toBe(false);
    expect(can('town_duty', 'staff:read-contact')).toBe(true);
  });
});

describe('account shape rules', () => {
  it('requires TOTP for the administrators only', () => {
    expect(ROLES.filter(requiresTotp)).toEqual(['sysadmin', 'secadmin', 'auditor']);
  });
  it('binds roles to scope levels', () => {
    expect(allowedScopeLevels('town_duty')).toEqual(['town']);
    expect(allowedScopeLevels('liaison')).toEqual(['community']);
    expect(allowedScopeLevels('sysadmin')).toEqual(['district']);
    for (const role of ROLES) expect(allowedScopeLevels(role).length).toBeGreaterThan(0);
  });
  it('asks units of unit members and grids of field workers', () => {
    expect(roleNeeds('unit_member')).toEqual({ unit: true, grid: false });
    expect(roleNeeds('field_worker')).toEqual({ unit: false, grid: true });
    expect(roleNeeds('leader')).toEqual({ unit: false, grid: false });
  });
});
