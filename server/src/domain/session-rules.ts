// When a session is still good, when an account is locked, and what an
// account must do before anything else. Times come in as arguments so the
// rules are testable without waiting.
import type { PendingStep, Role } from '../../../shared/schemas/auth.ts';
import { passwordExpired } from './password-policy.ts';
import { requiresTotp } from './roles.ts';

export interface SessionTimes {
  createdAt: Date;
  lastSeenAt: Date;
  endedAt: Date | null;
}

export interface SessionLimits {
  /** Idle timeout; 0 disables it (kiosk sessions). */
  idleMs: number;
  /** Absolute lifetime; 0 disables it. */
  absoluteMs: number;
}

export type SessionState = 'active' | 'ended' | 'idle' | 'expired';

export function sessionState(session: SessionTimes, now: Date, limits: SessionLimits): SessionState {
  if (session.endedAt) return 'ended';
  if (limits.absoluteMs > 0 && now.getTime() - session.createdAt.getTime() >= limits.absoluteMs) return 'expired';
  if (limits.idleMs > 0 && now.getTime() - session.lastSeenAt.getTime() >= limits.idleMs) return 'idle';
  return 'active';
}

/** Refreshing last-seen on every request would write on every request; a coarse step keeps the timeout honest. */
export function shouldTouch(lastSeenAt: Date, now: Date, stepMs = 30_000): boolean {
  return now.getTime() - lastSeenAt.getTime() >= stepMs;
}

export interface LockoutPolicy {
  maxFailures: number;
  lockMs: number;
}

export function isLocked(lockedUntil: Date | null, now: Date): boolean {
  return lockedUntil !== null && lockedUntil.getTime() > now.getTime();
}

/** The account's counters after one more failed sign-in. */
export function afterFailure(
  failedAttempts: number,
  now: Date,
  policy: LockoutPolicy,
): { failedAttempts: number; lockedUntil: Date | null } {
  const failures = failedAttempts + 1;
  if (failures >= policy.maxFailures) return { failedAttempts: 0, lockedUntil: new Date(now.getTime() + policy.lockMs) };
  return { failedAttempts: failures, lockedUntil: null };
}

export interface AccountState {
  role: Role;
  mustChangePassword: boolean;
  passwordChangedAt: Date;
  totpEnabled: boolean;
}

/** What the account must do before the rest of the API opens to it. */
export function pendingSteps(account: AccountState, now: Date, maxPasswordAgeDays: number): PendingStep[] {
  const steps: PendingStep[] = [];
  if (account.mustChangePassword || passwordExpired(account.passwordChangedAt, now, maxPasswordAgeDays)) steps.push('change-password');
  if (requiresTotp(account.role) && !account.totpEnabled) steps.push('enrol-totp');
  return steps;
}
