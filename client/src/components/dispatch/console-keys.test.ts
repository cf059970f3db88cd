import { describe, expect, it } from 'vitest';
import { ACTION_KEYS, keyCommand } from './console-keys.ts';

describe('console keys', () => {
  it('gives every action its own key, none taken by moving, the help, search or the queue tabs', () => {
    const keys = Object.values(ACTION_KEYS);
    expect(new Set(keys).size).toBe(keys.length);
    for (const taken of ['j', 'k', '?', '/', '1', '2', '3', '4', '5']) expect(keys).not.toContain(taken);
  });

  it('maps letters to actions whatever the case, and j/k and the arrows to moves', () => {
    expect(keyCommand({ key: 'd' }, false)).toEqual({ kind: 'action', action: 'dispatch' });
    expect(keyCommand({ key: 'D' }, false)).toEqual({ kind: 'action', action: 'dispatch' });
    expect(keyCommand({ key: 'f' }, false)).toEqual({ kind: 'action', action: 'resolve' });
    expect(keyCommand({ key: 'j' }, false)).toEqual({ kind: 'move', step: 1 });
    expect(keyCommand({ key: 'ArrowUp' }, false)).toEqual({ kind: 'move', step: -1 });
    expect(keyCommand({ key: '/' }, false)).toEqual({ kind: 'other', key: '/' });
    expect(keyCommand({ key: '3' }, false)).toEqual({ kind: 'other', key: '3' });
  });

  it('leaves keys typed into a field, and browser shortcuts, alone', () => {
    expect(keyCommand({ key: 'a', inField: true }, false)).toEqual({ kind: 'none' });
    expect(keyCommand({ key: 'c', ctrlKey: true }, false)).toEqual({ kind: 'none' });
    expect(keyCommand({ key: 'r', metaKey: true }, false)).toEqual({ kind: 'none' });
    expect(keyCommand({ key: '?', inField: true }, false)).toEqual({ kind: 'none' });
  });

  it('toggles the help with ?; while it is open only Esc acts, closing it', () => {
    expect(keyCommand({ key: '?' }, false)).toEqual({ kind: 'help', open: true });
    expect(keyCommand({ key: '?' }, true)).toEqual({ kind: 'help', open: false });
    expect(keyCommand({ key: 'Escape' }, true)).toEqual({ kind: 'help', open: false });
    expect(keyCommand({ key: 'a' }, true)).toEqual({ kind: 'none' });
    expect(keyCommand({ key: 'j' }, true)).toEqual({ kind: 'none' });
    expect(keyCommand({ key: 'Escape' }, false)).toEqual({ kind: 'other', key: 'Escape' });
  });
});
