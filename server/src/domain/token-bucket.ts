// A token bucket: at most `burst` actions at once, refilled at `perSecond`.
// Used per socket for its commands, so one runaway client (a stuck key, a
// loop) cannot flood the workflow, while a person clicking through an item
// never meets it. Time is passed in (ms), so tests need no waiting.
export interface BucketLimits {
  burst: number;
  perSecond: number;
}

export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(private readonly limits: BucketLimits, now: number) {
    if (!(limits.burst >= 1) || !(limits.perSecond > 0)) throw new Error('a token bucket needs burst >= 1 and perSecond > 0');
    this.tokens = limits.burst;
    this.last = now;
  }

  /** Takes one token if there is one; false when the caller must wait. */
  take(now: number): boolean {
    const elapsed = Math.max(0, now - this.last);
    this.tokens = Math.min(this.limits.burst, this.tokens + (elapsed / 1000) * this.limits.perSecond);
    this.last = Math.max(this.last, now);
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
