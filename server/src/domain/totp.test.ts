import { describe, expect, it } from 'vitest';
import { newTotpSecret, totpCode, totpUri, verifyTotp } from './totp.ts';

const now = new Date('2026-05-01T08:00:10Z');

describe('TOTP', () => {
  const secret = newTotpSecret();
  it('accepts the current code and returns its step', () => {
    expect(verifyTotp(secret, totpCode(secret, now), now, null)).toBe(Math.floor(now.getTime() / 30_000));
  });
  it('accepts one step of drift, not two', () => {
    expect(verifyTotp(secret, totpCode(secret, new Date(now.getTime() - 30_000)), now, null)).not.toBeNull();
    expect(verifyTotp(secret, totpCode(secret, new Date(now.getTime() - 90_000)), now, null)).toBeNull();
  });
  it('refuses a replayed code', () => {
    const code = totpCode(secret, now);
    const step = verifyTotp(secret, code, now, null);
    expect(verifyTotp(secret, code, now, step)).toBeNull();
  });
  it('refuses a wrong code and another secret', () => {
    const code = totpCode(secret, now);
    expect(verifyTotp(newTotpSecret(), code, now, null)).toBeNull();
  });
  it('makes an otpauth URI for authenticator apps', () => {
    expect(totpUri(secret, 'sysadmin')).toMatch(/^otpauth:\/\/totp\/.*sysadmin\?.*secret=/);
  });
});
