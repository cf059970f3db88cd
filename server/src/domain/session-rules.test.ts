import { describe, expect, it } from 'vitest';
import { afterFailure, isLocked, pendingSteps, sessionState, shouldTouch } from './session-rules.ts';

const t0 = new Date('2026-05-01T08:00:00Z');
const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);
const limits = { idleMs: 30 * 60_000, absoluteMs: 12 * 3600_000 };

describe('sessionState', () => {
  it('is active within the idle timeout', () => {
    expect(sessionState({ createdAt: t0, lastSeenAt: at(10), endedAt: null }, at(39), limits)).toBe('active');
  });
  it('ends after 30 idle minutes', () => {
    expect(sessionState({ createdAt: t0, lastSeenAt: at(10), endedAt: null }, at(40), limits)).toBe('idle');
  });
  it('ends after the absolute lifetime even when busy', () => {
    expect(sessionState({ createdAt: t0, lastSeenAt: at(719), endedAt: null }, at(720), limits)).toBe('expired');
  });
  it('stays ended once ended', () => {
    expect(sessionState({ createdAt: t0, lastSeenAt: t0, endedAt: at(1) }, at(2), limits)).toBe('ended');
  });
  it('never idles out when the idle timeout is 0 (kiosks)', () => {
    expect(sessionState({ createdAt: t0, lastSeenAt: t0, endedAt: null }, at(60 * 24 * 30), { idleMs: 0, absoluteMs: 0 })).toBe('active');
  });
  it('touches last-seen at most every step', () => {
    expect(shouldTouch(t0, new Date(t0.getTime() + 29_999))).toBe(false);
    expect(shouldTouch(t0, new Date(t0.getTime() + 30_000))).toBe(true);
  });
});

describe('lockout', () => {
  const policy = { maxFailures: 5, lockMs: 15 * 60_000 };
  it('locks on the 5th failure for 15 minutes', () => {
    let state = { failedAttempts: 0, lockedUntil: null as Date | null };
    for (let i = 0; i < 4; i++) state = afterFailure(state.failedAttempts, t0, policy);
    expect(state).toEqual({ failedAttempts: 4, lockedUntil: null });
    state = afterFailure(state.failedAttempts, t0, policy);
    expect(state.lockedUntil).toEqual(at(15));
    expect(isLocked(state.lockedUntil, at(14))).toBe(true);
    expect(isLocked(state.lockedUntil, at(15))).toBe(false);
  });
});

describe('pendingSteps', () => {
  const base = { role: 'town_duty' as const, mustChangePassword: false, passwordChangedAt: t0, totpEnabled: false };
  it('asks nothing of a fresh business account', () => {
    expect(pendingSteps(base, at(1), 90)).toEqual([]);
  });
  it('forces a change at first sign-in and after the maximum age', () => {
    expect(pendingSteps({ ...base, mustChangePassword: true }, at(1), 90)).toEqual(['change-password']);
    expect(pendingSteps(base, at(90 * 24 * 60), 90)).toEqual(['change-password']);
  });
  it('forces TOTP enrolment on administrators only', () => {
    expect(pendingSteps({ ...base, role: 'auditor' }, at(1), 90)).toEqual(['enrol-totp']);
    expect(pendingSteps({ ...base, role: 'auditor', totpEnabled: true }, at(1), 90)).toEqual([]);
  });
});
