// Keeps a screen exactly in step with the server's change log: a snapshot
// first, live events as they come, and on every (re)connect a catch-up from
// the last seq the screen is sure of (GET /api/v1/changes?since=), in order.
//
// Rules (see shared/realtime.ts):
// - Nothing twice: a change is applied once per seq. Everything at or below
//   the watermark counts as applied; seqs above it that came live are
//   remembered until the watermark passes them.
// - Nothing missed: the watermark only moves to a point below which every
//   change of this scope has certainly arrived: the end of a complete
//   catch-up page, or a live seq received more than LATE_WINDOW_MS before
//   now (camera batches are held back up to CAMERA_BATCH_INTERVAL_MS by the
//   server, so a lower seq can arrive after a higher one). Gaps in the seqs
//   are normal (other scopes' changes), so a gap alone proves nothing; what
//   a catch-up finds above the watermark that never came live is the gap
//   that was real, and it is counted.
// - Too old: when the log no longer holds `since`, reload the snapshot.
// Stores additionally ignore a change older than the entity's own seq, so
// applying out of order can never move an incident backwards.
import type { Change, ChangesPage } from '@shared/schemas/changes.ts';

export const LATE_WINDOW_MS = 3_000;
/** A catch-up that needs more pages than this reloads the snapshot instead (faster, same result). */
export const MAX_CATCH_UP_PAGES = 20;

export type PageResult = { page: ChangesPage } | { gone: true };

export interface ChangeSyncDeps {
  /** Changes of the screen's scope after `since`, one page. */
  fetchPage(since: number): Promise<PageResult>;
  /** Replaces the state with a snapshot; resolves with the seq it is current to. */
  loadSnapshot(): Promise<number>;
  apply(change: Change): void;
  now(): number;
}

export interface ResyncResult {
  snapshot: boolean;
  /** Changes applied from the log. */
  applied: number;
  /** ... of them, changes this screen should have had live but never got. */
  recovered: number;
}

export class ChangeSync {
  private watermark = -1; // no snapshot yet
  private readonly liveAbove = new Set<number>();
  /** Live seqs above the watermark with their arrival time, in arrival order. */
  private readonly recent: { seq: number; at: number }[] = [];
  /** Caught up since the last (re)connect: only then does time make live seqs certain. */
  private synced = false;
  private running: Promise<ResyncResult> | null = null;
  private again = false;
  recoveredTotal = 0;

  constructor(private readonly deps: ChangeSyncDeps) {}

  /** The seq the next catch-up starts after (-1 before the first snapshot). */
  get lastSeq(): number {
    return this.watermark;
  }

  get loaded(): boolean {
    return this.watermark >= 0;
  }

  /** A live event. Returns whether it was applied (false: seen before). */
  receive(change: Change): boolean {
    const now = this.deps.now();
    if (this.synced) this.advance(now);
    if (change.seq <= this.watermark || this.liveAbove.has(change.seq)) return false;
    this.deps.apply(change);
    if (this.watermark >= 0) {
      this.liveAbove.add(change.seq);
      this.recent.push({ seq: change.seq, at: now });
    }
    return true;
  }

  /** The socket dropped: only what arrived well before this moment is certain. */
  disconnected(): void {
    if (this.synced) this.advance(this.deps.now());
    this.synced = false;
  }

  /**
   * Snapshot (first time, or when the log is too old) and catch-up. Calls
   * while one runs are merged into one more run after it.
   */
  resync(): Promise<ResyncResult> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    const run = async (): Promise<ResyncResult> => {
      const total: ResyncResult = { snapshot: false, applied: 0, recovered: 0 };
      do {
        this.again = false;
        const r = await this.once();
        total.snapshot ||= r.snapshot;
        total.applied += r.applied;
        total.recovered += r.recovered;
      } while (this.again);
      return total;
    };
    this.running = run().finally(() => { this.running = null; });
    return this.running;
  }

  private async once(): Promise<ResyncResult> {
    const result: ResyncResult = { snapshot: false, applied: 0, recovered: 0 };
    if (this.watermark < 0) {
      await this.snapshot();
      result.snapshot = true;
    }
    for (let pages = 0; ; pages++) {
      if (pages >= MAX_CATCH_UP_PAGES) {
        await this.snapshot();
        result.snapshot = true;
        pages = 0;
      }
      const answer = await this.deps.fetchPage(this.watermark);
      if ('gone' in answer) {
        await this.snapshot();
        result.snapshot = true;
        continue;
      }
      const { page } = answer;
      const ordered = [...page.changes].sort((a, b) => a.seq - b.seq);
      for (const change of ordered) {
        if (change.seq <= this.watermark || this.liveAbove.has(change.seq)) continue;
        this.deps.apply(change);
        result.applied++;
        if (!result.snapshot) result.recovered++;
      }
      this.moveWatermark(Math.max(this.watermark, page.lastSeq, ordered.at(-1)?.seq ?? 0));
      if (!page.hasMore) break;
    }
    this.recoveredTotal += result.recovered;
    this.synced = true;
    return result;
  }

  private async snapshot(): Promise<void> {
    const seq = await this.deps.loadSnapshot();
    // Live events above the snapshot stay applied; those below are in it.
    this.watermark = Math.max(-1, seq);
    this.moveWatermark(seq);
  }

  /** Live seqs older than the late window are certain: the watermark may pass them. */
  private advance(now: number): void {
    let certain = this.watermark;
    while (this.recent.length > 0 && now - this.recent[0].at >= LATE_WINDOW_MS) {
      certain = Math.max(certain, this.recent.shift()!.seq);
    }
    if (certain > this.watermark) this.moveWatermark(certain);
  }

  private moveWatermark(seq: number): void {
    this.watermark = seq;
    for (const s of this.liveAbove) if (s <= seq) this.liveAbove.delete(s);
    if (this.recent.some((r) => r.seq <= seq)) {
      const keep = this.recent.filter((r) => r.seq > seq);
      this.recent.length = 0;
      this.recent.push(...keep);
    }
  }
}
