// Password hashing with scrypt from node:crypto (no native module). The hash
// string carries its own parameters, so the cost can be raised later and old
// hashes upgraded at the holder's next sign-in (needsRehash).
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

export interface ScryptCost {
  N: number;
  r: number;
  p: number;
}

/**
 * 2^16 × 8 = 64 MiB and ~120 ms per hash on the reference 2-core machine.
 * OWASP suggests 2^17; 2^16 halves the memory a burst of sign-ins can pin
 * (the sign-in rate limit bounds the burst). Raise it with the hardware.
 */
export const DEFAULT_COST: ScryptCost = { N: 2 ** 16, r: 8, p: 1 };
/**
 * For demo accounts only, whose password is printed at start-up anyway:
 * seeding 450 accounts at full cost would take a minute. Upgraded to
 * DEFAULT_COST at the first sign-in.
 */
export const DEMO_COST: ScryptCost = { N: 2 ** 12, r: 8, p: 1 };

const KEY_LENGTH = 32;
const SALT_LENGTH = 16;

function derive(password: string, salt: Buffer, cost: ScryptCost): Promise<Buffer> {
  const options: ScryptOptions = { ...cost, maxmem: 256 * cost.N * cost.r + 1024 * 1024 };
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, options, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

/** `scrypt$N$r$p$salt$hash`, base64url parts; every call gets its own random salt. */
export async function hashPassword(password: string, cost: ScryptCost = DEFAULT_COST): Promise<string> {
  const salt = randomBytes(SALT_LENGTH);
  const key = await derive(password, salt, cost);
  return ['scrypt', cost.N, cost.r, cost.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

function parse(stored: string): { cost: ScryptCost; salt: Buffer; key: Buffer } | undefined {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return undefined;
  const [N, r, p] = parts.slice(1, 4).map(Number);
  if (![N, r, p].every((n) => Number.isInteger(n) && n > 0) || N > 2 ** 20 || r > 32 || p > 16) return undefined;
  return { cost: { N, r, p }, salt: Buffer.from(parts[4], 'base64url'), key: Buffer.from(parts[5], 'base64url') };
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parse(stored);
  if (!parsed || parsed.key.length !== KEY_LENGTH) return false;
  const key = await derive(password, parsed.salt, parsed.cost);
  return timingSafeEqual(key, parsed.key);
}

/** Was this hash made with less than the current cost? */
export function needsRehash(stored: string, cost: ScryptCost = DEFAULT_COST): boolean {
  const parsed = parse(stored);
  return !parsed || parsed.cost.N < cost.N || parsed.cost.r < cost.r || parsed.cost.p < cost.p;
}

let dummy: Promise<string> | undefined;
/**
 * Spends the same time as a real check, for unknown usernames and locked
 * accounts, so response time does not tell them apart from a wrong password.
 */
export async function verifyAgainstDummy(password: string, cost: ScryptCost = DEFAULT_COST): Promise<false> {
  dummy ??= hashPassword('not a real password, only for timing', cost);
  await verifyPassword(password, await dummy);
  return false;
}
