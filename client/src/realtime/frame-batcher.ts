// Coalesces many changes into one flush: keys collect in a set and the
// listener runs once per scheduled tick (an animation frame for the map, a
// throttle interval for the panels), however many events arrived.
export type Schedule = (run: () => void) => void;

export class Batcher<K> {
  private pending = new Set<K>();
  private scheduled = false;
  private closed = false;

  constructor(private readonly schedule: Schedule, private readonly flush: (keys: Set<K>) => void) {}

  add(key: K): void {
    if (this.closed) return;
    this.pending.add(key);
    if (this.scheduled) return;
    this.scheduled = true;
    this.schedule(() => {
      this.scheduled = false;
      if (this.closed) return;
      const keys = this.pending;
      this.pending = new Set();
      if (keys.size > 0) this.flush(keys);
    });
  }

  close(): void {
    this.closed = true;
    this.pending.clear();
  }
}

/** Runs on the next animation frame; in a hidden tab frames stop, so fall back to a timer. */
export const nextFrame: Schedule = (run) => {
  if (typeof requestAnimationFrame === 'function' && typeof document !== 'undefined' && !document.hidden) {
    requestAnimationFrame(() => run());
  } else {
    setTimeout(run, 100);
  }
};

/**
 * A schedule that runs at most once per `intervalMs`: the first change after
 * a quiet spell shows at once, a stream of changes shows once per interval.
 */
export function throttled(intervalMs: number, now: () => number = Date.now, timer: (run: () => void, ms: number) => void = (r, ms) => { setTimeout(r, ms); }): Schedule {
  let last = -Infinity;
  return (run) => {
    const wait = Math.max(0, last + intervalMs - now());
    timer(() => { last = now(); run(); }, wait);
  };
}
