import { describe, expect, it } from 'vitest';
import { TokenBucket } from './token-bucket.ts';

describe('TokenBucket', () => {
  it('allows a burst, then refills at its rate, never above the burst', () => {
    const bucket = new TokenBucket({ burst: 3, perSecond: 2 }, 0);
    expect([bucket.take(0), bucket.take(0), bucket.take(0), bucket.take(0)]).toEqual([true, true, true, false]);
    expect(bucket.take(400)).toBe(false); // 0.8 of a token
    expect(bucket.take(500)).toBe(true); // 1 token after half a second
    expect(bucket.take(500)).toBe(false);
    // A long pause refills to the burst only.
    expect([0, 1, 2, 3].map(() => bucket.take(60_000))).toEqual([true, true, true, false]);
  });

  it('ignores a clock that goes backwards', () => {
    const bucket = new TokenBucket({ burst: 1, perSecond: 1 }, 10_000);
    expect(bucket.take(10_000)).toBe(true);
    expect(bucket.take(5_000)).toBe(false);
    expect(bucket.take(10_999)).toBe(false);
    expect(bucket.take(11_000)).toBe(true);
  });

  it('refuses nonsense limits', () => {
    expect(() => new TokenBucket({ burst: 0, perSecond: 1 }, 0)).toThrow();
    expect(() => new TokenBucket({ burst: 1, perSecond: 0 }, 0)).toThrow();
  });
});
