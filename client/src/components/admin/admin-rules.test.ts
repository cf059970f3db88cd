import { describe, expect, it } from 'vitest';
import { ROLES } from '../../../../shared/schemas/auth.ts';
// The server's rules, to hold the forms' mirror of them in step (a test may look across; the client never does).
import { allowedScopeLevels, isAdminRole, roleNeeds as serverRoleNeeds } from '../../../../server/src/domain/roles.ts';
import { passwordProblems } from '../../../../server/src/domain/password-policy.ts';
import { ApiRequestError } from '../../api/http.ts';
import { ASSIGNABLE_ROLES, accountStatuses, changedFields, errorText, generatePassword, meetsPolicy, roleNeeds, scopeLevelsFor, USERNAME_PATTERN } from './admin-rules.ts';

describe('the account forms mirror the server', () => {
  it('offer the scope levels and the unit / grid the server asks of each role', () => {
    for (const role of ROLES) {
      expect(scopeLevelsFor(role), role).toEqual(allowedScopeLevels(role));
      expect(roleNeeds(role), role).toEqual(serverRoleNeeds(role));
    }
  });

  it('never offer an administrator role', () => {
    expect(ASSIGNABLE_ROLES.some((r) => isAdminRole(r))).toBe(false);
    expect(ASSIGNABLE_ROLES.length).toBe(ROLES.length - 3);
  });

  it('accept as a temporary password what the server accepts', () => {
    for (const [pw, user] of [['Harbour-Lights-42', 'new.duty'], ['short1A!', 'x.y'], ['alllowercase123', 'abc'], ['New.Duty-2026x', 'new.duty']] as const) {
      expect(meetsPolicy(pw, user), pw).toBe(passwordProblems(pw, user).length === 0);
    }
  });
});

describe('generatePassword', () => {
  it('makes passwords the server accepts, different each time', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 50; i++) {
      const pw = generatePassword();
      expect(passwordProblems(pw, 'worker.321171001001001')).toEqual([]);
      expect(pw).toHaveLength(14);
      seen.add(pw);
    }
    expect(seen.size).toBe(50);
  });

  it('holds all four character classes even when the random source is all zeros', () => {
    const pw = generatePassword(12, (n) => new Uint32Array(n));
    expect(pw).toMatch(/[a-z]/);
    expect(pw).toMatch(/[A-Z]/);
    expect(pw).toMatch(/[0-9]/);
    expect(pw).toMatch(/[^A-Za-z0-9]/);
  });
});

describe('accountStatuses', () => {
  it('lists every state, or active', () => {
    expect(accountStatuses({ disabled: false, locked: false, mustChangePassword: false })).toEqual(['active']);
    expect(accountStatuses({ disabled: true, locked: true, mustChangePassword: true })).toEqual(['disabled', 'locked', 'mustChange']);
  });
});

describe('USERNAME_PATTERN', () => {
  it('is the server contract\'s pattern', () => {
    expect(USERNAME_PATTERN.test('duty.321171001')).toBe(true);
    expect(USERNAME_PATTERN.test('.dot-first')).toBe(false);
    expect(USERNAME_PATTERN.test('ab')).toBe(false);
  });
});

describe('errorText', () => {
  const t = (key: string, values?: Record<string, unknown>) => `${key} ${JSON.stringify(values ?? {})}`;
  it('names the kind of refusal and keeps the server\'s message', () => {
    expect(errorText(t, new ApiRequestError(409, 'username x is taken'))).toBe('admin.errors.409 {"message":"username x is taken"}');
    expect(errorText(t, new ApiRequestError(403, 'no'))).toContain('admin.errors.403');
    expect(errorText(t, new ApiRequestError(500, null))).toBe('admin.errors.other {"status":500,"message":""}');
    expect(errorText(t, new ApiRequestError(0, null))).toBe('admin.errors.network {}');
    expect(errorText(t, new Error('boom'))).toBe('admin.errors.network {}');
  });
});

describe('changedFields', () => {
  it('names the fields a permission change changed, nested values compared whole', () => {
    const before = { username: 'a', role: 'town_duty', scope: { level: 'town', townCode: '321171001' }, disabled: false };
    const after = { username: 'a', role: 'leader', scope: { level: 'town', townCode: '321171002' }, disabled: false };
    expect(changedFields(before, after)).toEqual([
      { field: 'role', before: 'town_duty', after: 'leader' },
      { field: 'scope', before: before.scope, after: after.scope },
    ]);
  });

  it('has nothing to say when either side is missing or not an object', () => {
    expect(changedFields(null, { a: 1 })).toEqual([]);
    expect(changedFields({ a: 1 }, undefined)).toEqual([]);
    expect(changedFields([1], [2])).toEqual([]);
  });

  it('lists a field that appeared or went', () => {
    expect(changedFields({ locked: true }, { locked: false, failedAttempts: 0 })).toEqual([
      { field: 'locked', before: true, after: false },
      { field: 'failedAttempts', before: undefined, after: 0 },
    ]);
  });
});
