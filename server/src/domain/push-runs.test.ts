import { describe, expect, it } from 'vitest';
import { mergeRuns, type Push } from './push-runs.ts';

const mergeable = (kind: string) => kind.startsWith('incident:');
const push = (kind: string, payload: number, ...rooms: string[]): Push<string, number> => ({ kind, payload, rooms });

describe('mergeRuns', () => {
  it('sends a room one message for a run of one mergeable kind, in order', () => {
    const runs = mergeRuns([push('incident:created', 1, 'a'), push('incident:created', 2, 'a'), push('incident:created', 3, 'a')], mergeable);
    expect(runs).toEqual([{ room: 'a', kind: 'incident:created', payloads: [1, 2, 3] }]);
  });

  it('gives each room only the changes named for it', () => {
    const runs = mergeRuns(
      [push('incident:created', 1, 'd', 't1'), push('incident:created', 2, 'd', 't2'), push('incident:created', 3, 'd', 't1')],
      mergeable,
    );
    expect(runs).toEqual([
      { room: 'd', kind: 'incident:created', payloads: [1, 2, 3] },
      { room: 't1', kind: 'incident:created', payloads: [1, 3] },
      { room: 't2', kind: 'incident:created', payloads: [2] },
    ]);
  });

  it('starts a new run when the kind changes, so a room keeps the order of its changes', () => {
    const runs = mergeRuns(
      [
        push('incident:created', 1, 'a'),
        push('incident:updated', 2, 'a'),
        push('incident:updated', 3, 'a'),
        push('incident:created', 4, 'a'),
      ],
      mergeable,
    );
    expect(runs.map((r) => [r.kind, r.payloads])).toEqual([
      ['incident:created', [1]],
      ['incident:updated', [2, 3]],
      ['incident:created', [4]],
    ]);
  });

  it('never merges a kind that is not mergeable, and it splits the runs around it', () => {
    const runs = mergeRuns(
      [
        push('incident:created', 1, 'a'),
        push('alert:raised', 2, 'a'),
        push('alert:raised', 3, 'a'),
        push('incident:created', 4, 'a'),
      ],
      mergeable,
    );
    expect(runs.map((r) => [r.kind, r.payloads])).toEqual([
      ['incident:created', [1]],
      ['alert:raised', [2]],
      ['alert:raised', [3]],
      ['incident:created', [4]],
    ]);
  });

  it('keeps an entity changed twice in one run as two entries (the screen applies both by seq)', () => {
    const runs = mergeRuns([push('incident:updated', 7, 'a'), push('incident:updated', 7, 'a')], mergeable);
    expect(runs).toEqual([{ room: 'a', kind: 'incident:updated', payloads: [7, 7] }]);
  });

  it('sends nothing for nothing', () => {
    expect(mergeRuns([], mergeable)).toEqual([]);
  });
});
