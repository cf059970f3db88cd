import { describe, expect, it } from 'vitest';
import { Coalescer } from './coalesce.ts';
import { fakeTimer } from './fake-timer.ts';

interface Item { code: string; status: string; seq: number }

function setup(interval = 250) {
  const timer = fakeTimer();
  const sent: { at: number; room: string; items: Item[] }[] = [];
  const c = new Coalescer<Item>(interval, (room, items) => sent.push({ at: timer.now(), room, items }), timer);
  return { timer, sent, c };
}

describe('Coalescer', () => {
  it('sends the first change after a quiet spell on the next tick, not 250 ms later', () => {
    const { timer, sent, c } = setup();
    c.add(['a'], 'cam1', { code: 'cam1', status: 'offline', seq: 1 });
    expect(sent).toEqual([]);
    expect(timer.pending()).toEqual([0]);
    timer.advance(0);
    expect(sent).toEqual([{ at: 1_000, room: 'a', items: [{ code: 'cam1', status: 'offline', seq: 1 }] }]);
  });

  it('merges a burst per room by key, latest wins, one batch per room per interval', () => {
    const { timer, sent, c } = setup();
    c.add(['a'], 'warm', { code: 'warm', status: 'online', seq: 1 });
    timer.advance(0);
    sent.length = 0;
    for (let i = 0; i < 100; i++) c.add(['a', 'b'], `cam${i % 10}`, { code: `cam${i % 10}`, status: i % 2 ? 'online' : 'offline', seq: 10 + i });
    c.add(['b'], 'only-b', { code: 'only-b', status: 'fault', seq: 200 });
    timer.advance(249);
    expect(sent).toEqual([]);
    timer.advance(1);
    expect(sent.map((s) => [s.at, s.room, s.items.length])).toEqual([[1_250, 'a', 10], [1_250, 'b', 11]]);
    const a = sent[0].items;
    // Each camera's last change (seq 100..109), in arrival order of that last change.
    expect(a.map((x) => x.seq)).toEqual([100, 101, 102, 103, 104, 105, 106, 107, 108, 109]);
    expect(a.find((x) => x.code === 'cam3')).toEqual({ code: 'cam3', status: 'online', seq: 103 });
    expect(sent[1].items.at(-1)).toEqual({ code: 'only-b', status: 'fault', seq: 200 });
  });

  it('never flushes twice within the interval, and sends nothing when idle', () => {
    const { timer, sent, c } = setup();
    for (let t = 0; t < 1_000; t += 10) {
      c.add(['r'], `k${t}`, { code: `k${t}`, status: 'offline', seq: t });
      timer.advance(10);
    }
    timer.advance(1_000);
    const times = sent.map((s) => s.at);
    for (let i = 1; i < times.length; i++) expect(times[i] - times[i - 1]).toBeGreaterThanOrEqual(250);
    expect(sent.flatMap((s) => s.items).length).toBe(100);
    const before = sent.length;
    timer.advance(10_000);
    expect(sent.length).toBe(before);
    expect(timer.pending()).toEqual([]);
  });

  it('flushes what waits on close', () => {
    const { timer, sent, c } = setup();
    c.add(['r'], 'x', { code: 'x', status: 'online', seq: 1 });
    timer.advance(0);
    c.add(['r'], 'y', { code: 'y', status: 'offline', seq: 2 });
    expect(c.size).toBe(1);
    c.close();
    expect(sent.at(-1)).toEqual({ at: 1_000, room: 'r', items: [{ code: 'y', status: 'offline', seq: 2 }] });
    expect(c.size).toBe(0);
    expect(timer.pending()).toEqual([]);
  });
});
