import { describe, expect, it } from 'vitest';
import { batchByRoom, type Push } from './push-batches.ts';

const ORDER = ['incident:created', 'incident:updated', 'alert:raised', 'alert:cleared'];
const push = (kind: string, payload: number, ...rooms: string[]): Push<string, number> => ({ kind, payload, rooms });
const shape = (batches: ReturnType<typeof batchByRoom<string, number>>) => batches.map((b) => [b.room, b.kind, b.payloads]);

describe('batchByRoom', () => {
  it('sends a room one message per kind, its payloads in seq order', () => {
    expect(shape(batchByRoom([push('incident:created', 1, 'a'), push('incident:created', 2, 'a'), push('incident:created', 3, 'a')], ORDER)))
      .toEqual([['a', 'incident:created', [1, 2, 3]]]);
  });

  it('gives each room only the changes named for it', () => {
    const batches = batchByRoom(
      [push('incident:created', 1, 'd', 't1'), push('incident:created', 2, 'd', 't2'), push('incident:created', 3, 'd', 't1')],
      ORDER,
    );
    expect(shape(batches)).toEqual([
      ['d', 'incident:created', [1, 2, 3]],
      ['t1', 'incident:created', [1, 3]],
      ['t2', 'incident:created', [2]],
    ]);
  });

  it('merges interleaved kinds, sending them in lifecycle order: an entity created and updated in one read arrives created first', () => {
    // seq 1: X updated; 2: A created; 3: alert on A raised; 4: A updated (linked); 5: B created; 6: the alert cleared.
    const batches = batchByRoom(
      [
        push('incident:updated', 1, 'a'),
        push('incident:created', 2, 'a'),
        push('alert:raised', 3, 'a'),
        push('incident:updated', 4, 'a'),
        push('incident:created', 5, 'a'),
        push('alert:cleared', 6, 'a'),
      ],
      ORDER,
    );
    expect(shape(batches)).toEqual([
      ['a', 'incident:created', [2, 5]],
      ['a', 'incident:updated', [1, 4]],
      ['a', 'alert:raised', [3]],
      ['a', 'alert:cleared', [6]],
    ]);
  });

  it('keeps an entity changed twice in one read as two entries (the screen applies both by seq)', () => {
    expect(shape(batchByRoom([push('incident:updated', 7, 'a'), push('incident:updated', 7, 'a')], ORDER)))
      .toEqual([['a', 'incident:updated', [7, 7]]]);
  });

  it('refuses a kind with no place in the order', () => {
    expect(() => batchByRoom([push('camera:status-changed', 1, 'a')], ORDER)).toThrow(/no push order for camera:status-changed/);
  });

  it('sends nothing for nothing', () => {
    expect(batchByRoom([], ORDER)).toEqual([]);
  });
});
