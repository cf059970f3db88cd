import { describe, expect, it } from 'vitest';
import type { Change, ChangesPage } from '@shared/schemas/changes.ts';
import { ChangeSync, LATE_WINDOW_MS, MAX_CATCH_UP_PAGES, type PageResult } from './change-sync.ts';

// A fake change log: seqs with the scope they belong to, and a retention floor.
function change(seq: number): Change {
  return { seq, at: new Date(seq * 1000).toISOString(), kind: 'camera:status-changed', payload: { seq } } as unknown as Change;
}

class FakeServer {
  log: { seq: number; mine: boolean }[] = [];
  oldest = 1;
  pageSize = 3;
  snapshots = 0;
  add(n: number, mine = true): number[] {
    const out: number[] = [];
    for (let i = 0; i < n; i++) {
      const seq = (this.log.at(-1)?.seq ?? 0) + 1;
      this.log.push({ seq, mine });
      if (mine) out.push(seq);
    }
    return out;
  }
  head(): number {
    return this.log.at(-1)?.seq ?? 0;
  }
  page(since: number): PageResult {
    if (since < this.oldest - 1) return { gone: true };
    const after = this.log.filter((c) => c.seq > since);
    const slice = after.slice(0, this.pageSize);
    const hasMore = after.length > this.pageSize;
    const page: ChangesPage = {
      changes: slice.filter((c) => c.mine).map((c) => change(c.seq)),
      lastSeq: hasMore ? slice.at(-1)!.seq : this.head(),
      hasMore,
    };
    return { page };
  }
}

function setup(server = new FakeServer()) {
  let clock = 0;
  const applied: number[] = [];
  const snapshotState: number[] = [];
  const sync = new ChangeSync({
    fetchPage: async (since) => server.page(since),
    loadSnapshot: async () => {
      server.snapshots++;
      applied.length = 0; // a snapshot replaces the state
      snapshotState.splice(0, snapshotState.length, ...server.log.filter((c) => c.mine).map((c) => c.seq));
      return server.head();
    },
    apply: (c) => applied.push(c.seq),
    now: () => clock,
  });
  const state = () => [...new Set([...snapshotState, ...applied])].sort((a, b) => a - b);
  const mine = () => server.log.filter((c) => c.mine).map((c) => c.seq);
  return { server, sync, applied, state, mine, tick: (ms: number) => { clock += ms; } };
}

describe('ChangeSync', () => {
  it('starts from a snapshot, then applies live events once each', async () => {
    const t = setup();
    t.server.add(5);
    expect(await t.sync.resync()).toEqual({ snapshot: true, applied: 0, recovered: 0 });
    expect(t.sync.lastSeq).toBe(5);
    const [six] = t.server.add(1);
    expect(t.sync.receive(change(six))).toBe(true);
    expect(t.sync.receive(change(six))).toBe(false); // the same event twice
    expect(t.sync.receive(change(3))).toBe(false); // already in the snapshot
    expect(t.applied).toEqual([6]);
  });

  it('catches up after a drop with exactly what it missed, in order, across pages', async () => {
    const t = setup();
    t.server.add(3);
    await t.sync.resync();
    const live = t.server.add(2);
    live.forEach((s) => t.sync.receive(change(s)));
    t.tick(10);
    t.sync.disconnected();
    t.server.add(4, false); // other towns' changes: gaps in my seqs
    t.server.add(7);
    const result = await t.sync.resync();
    expect(result.snapshot).toBe(false);
    expect(result.recovered).toBe(7);
    expect(t.applied).toEqual([4, 5, 10, 11, 12, 13, 14, 15, 16]);
    expect(t.state()).toEqual(t.mine());
    expect(t.sync.lastSeq).toBe(t.server.head());
  });

  it('applies nothing twice when live events and the catch-up overlap', async () => {
    const t = setup();
    await t.sync.resync();
    t.sync.disconnected();
    const missed = t.server.add(4);
    // The first live events after reconnecting arrive before the catch-up runs.
    t.sync.receive(change(missed[3]));
    t.sync.receive(change(missed[2]));
    await t.sync.resync();
    expect(t.applied.sort((a, b) => a - b)).toEqual([1, 2, 3, 4]);
    expect(new Set(t.applied).size).toBe(t.applied.length);
  });

  it('keeps a late camera batch: a lower seq arriving after a higher one is still applied', async () => {
    const t = setup();
    await t.sync.resync();
    const [cam, inc] = t.server.add(2);
    expect(t.sync.receive(change(inc))).toBe(true);
    t.tick(250);
    expect(t.sync.receive(change(cam))).toBe(true);
    expect(t.applied).toEqual([2, 1]);
  });

  it('does not trust seqs that arrived just before a drop: the catch-up starts below them', async () => {
    const t = setup();
    await t.sync.resync();
    const [cam, inc] = t.server.add(2);
    t.sync.receive(change(inc)); // 2 arrives; 1 is still held in the server's camera batch...
    t.tick(100);
    t.sync.disconnected(); // ...and the connection drops before the batch is sent
    t.tick(LATE_WINDOW_MS * 5);
    expect(t.sync.lastSeq).toBe(0);
    const result = await t.sync.resync();
    expect(result.recovered).toBe(1);
    expect(t.applied).toEqual([inc, cam]);
    expect(t.state()).toEqual(t.mine());
  });

  it('moves the watermark past live seqs once they are older than the late window', async () => {
    const t = setup();
    await t.sync.resync();
    const [a, b] = t.server.add(2);
    t.sync.receive(change(a));
    t.tick(LATE_WINDOW_MS);
    t.sync.receive(change(b));
    expect(t.sync.lastSeq).toBe(a);
    t.tick(LATE_WINDOW_MS);
    t.sync.disconnected();
    expect(t.sync.lastSeq).toBe(b);
  });

  it('never advances on time alone while a catch-up has not succeeded', async () => {
    const t = setup();
    await t.sync.resync();
    t.sync.disconnected();
    const missed = t.server.add(3);
    const [fresh, later] = t.server.add(2);
    t.sync.receive(change(fresh)); // live again, catch-up not done yet
    t.tick(LATE_WINDOW_MS * 2);
    t.sync.receive(change(later));
    expect(t.sync.lastSeq).toBe(0);
    await t.sync.resync();
    expect(t.applied.sort((x, y) => x - y)).toEqual([...missed, fresh, later]);
  });

  it('reloads the snapshot when the log no longer holds `since`', async () => {
    const t = setup();
    t.server.add(2);
    await t.sync.resync();
    t.sync.disconnected();
    t.server.add(10);
    t.server.oldest = 8; // retention dropped 3..7
    const result = await t.sync.resync();
    expect(result.snapshot).toBe(true);
    expect(t.server.snapshots).toBe(2);
    expect(t.state()).toEqual(t.mine());
    expect(t.sync.lastSeq).toBe(12);
  });

  it('reloads the snapshot instead of paging through a very long absence', async () => {
    const t = setup();
    await t.sync.resync();
    t.sync.disconnected();
    t.server.add(t.server.pageSize * (MAX_CATCH_UP_PAGES + 5));
    const result = await t.sync.resync();
    expect(result.snapshot).toBe(true);
    expect(t.state()).toEqual(t.mine());
  });

  it('merges resync calls made while one runs into one more run', async () => {
    const t = setup();
    t.server.add(1);
    const first = t.sync.resync();
    const second = t.sync.resync();
    t.server.add(2);
    expect(second).toBe(first);
    await first;
    expect(t.state()).toEqual([1, 2, 3]);
    expect(t.sync.lastSeq).toBe(3);
  });

  it('moves forward on an empty page (no changes in my scope)', async () => {
    const t = setup();
    await t.sync.resync();
    t.server.add(5, false);
    await t.sync.resync();
    expect(t.sync.lastSeq).toBe(5);
    expect(t.applied).toEqual([]);
  });
});
