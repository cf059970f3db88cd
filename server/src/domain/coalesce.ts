// Burst control for high-rate changes (camera status): changes are merged
// per room by key (the latest wins) and each room gets one batch per flush,
// with flushes at least `intervalMs` apart. One broadcast of 100 merged
// changes costs about what one change costs; a quiet room costs nothing.
// Pure: time comes from the injected timer, so tests use a fake clock.

export interface CoalesceTimer {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const SYSTEM_TIMER: CoalesceTimer = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export type FlushBatch<T> = (room: string, items: T[]) => void;

export class Coalescer<T> {
  private readonly pending = new Map<string, Map<string, T>>();
  private handle: unknown = null;
  private lastFlushAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly intervalMs: number,
    private readonly emit: FlushBatch<T>,
    private readonly timer: CoalesceTimer = SYSTEM_TIMER,
  ) {}

  /** Queues `item` for each room, replacing an earlier item of the same key there (and moving it to the end: batches keep arrival order). */
  add(rooms: readonly string[], key: string, item: T): void {
    for (const room of rooms) {
      let byKey = this.pending.get(room);
      if (!byKey) this.pending.set(room, (byKey = new Map()));
      byKey.delete(key);
      byKey.set(key, item);
    }
    this.schedule();
  }

  /** Items waiting, over all rooms (for tests and metrics). */
  get size(): number {
    let n = 0;
    for (const byKey of this.pending.values()) n += byKey.size;
    return n;
  }

  /** Sends every room's batch now. */
  flush(): void {
    if (this.handle !== null) this.timer.clearTimeout(this.handle);
    this.handle = null;
    if (this.pending.size === 0) return;
    this.lastFlushAt = this.timer.now();
    const batches = [...this.pending];
    this.pending.clear();
    for (const [room, byKey] of batches) this.emit(room, [...byKey.values()]);
  }

  /** Flushes what is waiting and stops the timer. */
  close(): void {
    this.flush();
  }

  private schedule(): void {
    if (this.handle !== null) return;
    // The first change after a quiet spell goes out on the next tick (gathering its siblings); later ones wait for the interval.
    const wait = Math.max(0, this.lastFlushAt + this.intervalMs - this.timer.now());
    this.handle = this.timer.setTimeout(() => {
      this.handle = null;
      this.flush();
    }, wait);
  }
}
