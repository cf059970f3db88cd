import { describe, expect, it } from 'vitest';
import { Batcher, throttled } from './frame-batcher.ts';

describe('Batcher', () => {
  it('flushes every key once per tick, however many events came', () => {
    const ticks: (() => void)[] = [];
    const flushed: string[][] = [];
    const b = new Batcher<string>((run) => ticks.push(run), (keys) => flushed.push([...keys]));
    for (let i = 0; i < 100; i++) b.add(i % 2 ? 'a' : 'b');
    expect(ticks).toHaveLength(1);
    ticks.shift()!();
    expect(flushed).toEqual([['b', 'a']]);
    b.add('c');
    expect(ticks).toHaveLength(1);
    ticks.shift()!();
    expect(flushed).toEqual([['b', 'a'], ['c']]);
  });

  it('does nothing after close', () => {
    const ticks: (() => void)[] = [];
    let calls = 0;
    const b = new Batcher<string>((run) => ticks.push(run), () => calls++);
    b.add('a');
    b.close();
    ticks.forEach((t) => t());
    b.add('b');
    expect(calls).toBe(0);
  });
});

describe('throttled', () => {
  it('shows the first change at once and then at most once per interval', () => {
    let clock = 0;
    const timers: { at: number; run: () => void }[] = [];
    const schedule = throttled(1000, () => clock, (run, ms) => timers.push({ at: clock + ms, run }));
    const runs: number[] = [];
    const fire = () => { timers.sort((a, b) => a.at - b.at); const t = timers.shift()!; clock = Math.max(clock, t.at); t.run(); };

    schedule(() => runs.push(clock));
    fire();
    expect(runs).toEqual([0]);
    clock = 200;
    schedule(() => runs.push(clock));
    fire();
    expect(runs).toEqual([0, 1000]);
    clock = 5000;
    schedule(() => runs.push(clock));
    fire();
    expect(runs).toEqual([0, 1000, 5000]);
  });
});
