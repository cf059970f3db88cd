import { describe, expect, it } from 'vitest';
import { DEMO_COST, hashPassword, needsRehash, verifyAgainstDummy, verifyPassword } from './password-hash.ts';

const FAST = { N: 2 ** 10, r: 8, p: 1 };

describe('password hashing', () => {
  it('verifies the right password and refuses a wrong one', async () => {
    const hash = await hashPassword('Demo@2026!', FAST);
    expect(hash).toMatch(/^scrypt\$1024\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(await verifyPassword('Demo@2026!', hash)).toBe(true);
    expect(await verifyPassword('Demo@2026?', hash)).toBe(false);
  });
  it('salts every hash differently', async () => {
    const [a, b] = await Promise.all([hashPassword('Same-Password-1', FAST), hashPassword('Same-Password-1', FAST)]);
    expect(a).not.toBe(b);
  });
  it('uses the full cost by default', async () => {
    const hash = await hashPassword('Demo@2026!');
    expect(hash.startsWith('scrypt$65536$8$1$')).toBe(true);
    expect(needsRehash(hash)).toBe(false);
  });
  it('asks to rehash cheaper hashes, e.g. demo seeds', async () => {
    expect(needsRehash(await hashPassword('Demo@2026!', DEMO_COST))).toBe(true);
  });
  it('treats malformed or absurd stored values as not matching', async () => {
    expect(await verifyPassword('x', 'plaintext')).toBe(false);
    expect(await verifyPassword('x', 'scrypt$99999999$8$1$AAAA$BBBB')).toBe(false);
    expect(needsRehash('garbage')).toBe(true);
  });
  it('has a dummy check that never succeeds', async () => {
    expect(await verifyAgainstDummy('not a real password, only for timing', FAST)).toBe(false);
  });
});
