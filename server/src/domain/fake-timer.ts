// A clock a test moves by hand, for the pure timing rules (coalescer, pacer).
import type { CoalesceTimer } from './coalesce.ts';

/** A clock the test moves: timers fire only when advance() passes them. */
export function fakeTimer() {
  let now = 1_000;
  let nextId = 1;
  const timers = new Map<number, { at: number; fn: () => void }>();
  const timer: CoalesceTimer & { advance(ms: number): void; pending(): number[] } = {
    now: () => now,
    setTimeout(fn, ms) {
      const id = nextId++;
      timers.set(id, { at: now + ms, fn });
      return id;
    },
    clearTimeout(handle) {
      timers.delete(handle as number);
    },
    advance(ms) {
      const until = now + ms;
      for (;;) {
        const due = [...timers].filter(([, t]) => t.at <= until).sort((a, b) => a[1].at - b[1].at)[0];
        if (!due) break;
        timers.delete(due[0]);
        now = due[1].at;
        due[1].fn();
      }
      now = until;
    },
    pending: () => [...timers.values()].map((t) => t.at - now),
  };
  return timer;
}
