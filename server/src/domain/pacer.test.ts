import { describe, expect, it } from 'vitest';
import { Pacer } from './pacer.ts';
import { fakeTimer } from './fake-timer.ts';

function setup(gap = 20) {
  const timer = fakeTimer();
  const runs: number[] = [];
  const pacer = new Pacer(gap, () => runs.push(timer.now()), timer);
  return { timer, runs, pacer };
}

describe('Pacer', () => {
  it('runs the first request after a quiet spell at once', () => {
    const { runs, pacer } = setup();
    pacer.poke();
    expect(runs).toEqual([1_000]);
  });

  it('serves every request within the gap with one run at its end', () => {
    const { timer, runs, pacer } = setup();
    pacer.poke();
    timer.advance(5);
    for (let i = 0; i < 10; i++) pacer.poke();
    expect(runs).toEqual([1_000]);
    expect(timer.pending()).toEqual([15]);
    timer.advance(15);
    expect(runs).toEqual([1_000, 1_020]);
    timer.advance(100);
    expect(runs).toEqual([1_000, 1_020]);
  });

  it('under a steady stream of requests runs once per gap, never more often', () => {
    const { timer, runs, pacer } = setup();
    for (let t = 0; t < 200; t += 2) {
      pacer.poke();
      timer.advance(2);
    }
    expect(runs.length).toBe(11); // at 0, 20, ... 200 ms
    for (let i = 1; i < runs.length; i++) expect(runs[i] - runs[i - 1]).toBeGreaterThanOrEqual(20);
  });

  it('with a gap of 0 runs at every request', () => {
    const { runs, pacer } = setup(0);
    pacer.poke();
    pacer.poke();
    pacer.poke();
    expect(runs).toEqual([1_000, 1_000, 1_000]);
  });

  it('close drops a waiting run', () => {
    const { timer, runs, pacer } = setup();
    pacer.poke();
    pacer.poke();
    pacer.close();
    timer.advance(100);
    expect(runs).toEqual([1_000]);
  });
});
