// Time-based one-time passwords (RFC 6238) through the otpauth library, with
// replay protection: a code's time step is remembered, and a code from the
// same or an earlier step is refused even while it is still "valid".
import { Secret, TOTP } from 'otpauth';

const ISSUER = 'Zhenjiang New Area Command Center';
const PERIOD_SECONDS = 30;
/** One step either side: clocks drift, people type slowly. */
const WINDOW = 1;

export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

function totp(secretBase32: string, label: string) {
  return new TOTP({ issuer: ISSUER, label, algorithm: 'SHA1', digits: 6, period: PERIOD_SECONDS, secret: Secret.fromBase32(secretBase32) });
}

export function totpUri(secretBase32: string, username: string): string {
  return totp(secretBase32, username).toString();
}

/** The code for a moment (tests and the CLI's self-check). */
export function totpCode(secretBase32: string, now: Date): string {
  return totp(secretBase32, 'x').generate({ timestamp: now.getTime() });
}

/**
 * The time step the code belongs to, or null when it is wrong, or was used
 * already (its step is not after `lastStep`).
 */
export function verifyTotp(secretBase32: string, code: string, now: Date, lastStep: number | null): number | null {
  const delta = totp(secretBase32, 'x').validate({ token: code, timestamp: now.getTime(), window: WINDOW });
  if (delta === null) return null;
  const step = Math.floor(now.getTime() / 1000 / PERIOD_SECONDS) + delta;
  if (lastStep !== null && step <= lastStep) return null;
  return step;
}
