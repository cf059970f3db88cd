// Runs a job at most once per gap, however often it is asked for: the first
// request after a quiet spell runs it at once, requests within the gap are
// served by one run at its end. The push uses it for reading the change log
// on notifications: under a burst every commit notifies, and each read meant
// one websocket write to every screen (a system call each, and on loopback
// the receiving side's work too). Pure: time comes from the injected timer.
import { SYSTEM_TIMER, type CoalesceTimer } from './coalesce.ts';

export class Pacer {
  private lastRunAt = Number.NEGATIVE_INFINITY;
  private handle: unknown = null;

  constructor(
    private readonly gapMs: number,
    private readonly run: () => void,
    private readonly timer: CoalesceTimer = SYSTEM_TIMER,
  ) {}

  /** Asks for a run: now, or at the end of the gap (one run for every request until then). */
  poke(): void {
    if (this.handle !== null) return;
    const wait = this.lastRunAt + this.gapMs - this.timer.now();
    if (wait <= 0) {
      this.fire();
      return;
    }
    this.handle = this.timer.setTimeout(() => {
      this.handle = null;
      this.fire();
    }, wait);
  }

  /** Drops a waiting run. */
  close(): void {
    if (this.handle !== null) this.timer.clearTimeout(this.handle);
    this.handle = null;
  }

  private fire(): void {
    this.lastRunAt = this.timer.now();
    this.run();
  }
}
