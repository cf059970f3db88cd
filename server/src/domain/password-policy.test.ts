import { describe, expect, it } from 'vitest';
import { passwordExpired, passwordProblems } from './password-policy.ts';

describe('passwordProblems', () => {
  it('accepts the demo password and a long mixed one', () => {
    expect(passwordProblems('Demo@2026!', 'duty.district')).toEqual([]);
    expect(passwordProblems('correct horse Battery 9', 'zhang')).toEqual([]);
  });
  it('refuses short passwords', () => {
    expect(passwordProblems('Ab1!', 'zhang')).toEqual(['must be at least 10 characters long']);
  });
  it('refuses fewer than three character classes', () => {
    expect(passwordProblems('abcdefghij12', 'zhang')[0]).toMatch(/at least 3 of/);
    expect(passwordProblems('abcdefghijKL', 'zhang')[0]).toMatch(/at least 3 of/);
    expect(passwordProblems('abcdefghijK1', 'zhang')).toEqual([]);
  });
  it('refuses the username, in any case and reversed', () => {
    expect(passwordProblems('Sysadmin2026!', 'sysadmin')).toEqual(['must not contain the username']);
    expect(passwordProblems('NIMDASYS-2026', 'sysadmin')).toEqual(['must not contain the username']);
  });
  it('refuses absurdly long ones', () => {
    expect(passwordProblems(`Aa1!${'x'.repeat(200)}`, 'zhang')).toContain('must be at most 128 characters long');
  });
});

describe('passwordExpired', () => {
  const changed = new Date('2026-01-01T00:00:00Z');
  it('expires after the maximum age and not before', () => {
    expect(passwordExpired(changed, new Date('2026-03-31T23:59:59Z'), 90)).toBe(false);
    expect(passwordExpired(changed, new Date('2026-04-01T00:00:00Z'), 90)).toBe(true);
  });
});
