// Helpers for tests against a whole running product (startProduct on a real
// port): poll until something the product does on its own clock shows up,
// and read its API as a signed-in user.
import { expect } from 'vitest';
import type { RunningProduct } from '../../src/start.ts';

/** Polls `check` until it returns a value; no fixed sleeps. The error names what was awaited and the feed's counters. */
export async function eventually<T>(
  product: RunningProduct,
  check: () => Promise<T | undefined>,
  what: string,
  { timeoutMs = 90_000, everyMs = 250 } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; feed: ${JSON.stringify(product.feed?.stats())}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** GET `path` on the product with a session cookie, expecting 200. */
export async function getJson<T>(product: RunningProduct, cookie: string, path: string): Promise<T> {
  const res = await fetch(new URL(path, product.url), { headers: { cookie } });
  expect(res.status, `${path}: ${res.status}`).toBe(200);
  return (await res.json()) as T;
}
