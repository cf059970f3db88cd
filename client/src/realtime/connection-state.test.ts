import { describe, expect, it } from 'vitest';
import { clockTime, INITIAL_CONNECTION, nextConnection, OFFLINE_AFTER_MS, type ConnectionEvent, type ConnectionState } from './connection-state.ts';

function run(events: [ConnectionEvent['type'], number][], from: ConnectionState = INITIAL_CONNECTION): ConnectionState {
  return events.reduce((s, [type, at]) => nextConnection(s, { type } as ConnectionEvent, at), from);
}

describe('connection indicator', () => {
  it('is live only after the first sync, not on connect', () => {
    expect(run([['connected', 1]]).phase).toBe('syncing');
    expect(run([['connected', 1], ['synced', 2]])).toEqual({ phase: 'live', downSince: null, freshAt: 2 });
  });

  it('goes reconnecting on a drop, and live again only after the catch-up', () => {
    const dropped = run([['connected', 1], ['synced', 2], ['disconnected', 10]]);
    expect(dropped).toMatchObject({ phase: 'reconnecting', downSince: 10, freshAt: 2 });
    const back = nextConnection(dropped, { type: 'connected' }, 15);
    expect(back.phase).toBe('syncing');
    expect(back.downSince).toBe(10);
    expect(nextConnection(back, { type: 'synced' }, 16)).toEqual({ phase: 'live', downSince: null, freshAt: 16 });
  });

  it('says offline (since the drop) when the drop lasts', () => {
    const dropped = run([['connected', 1], ['synced', 2], ['disconnected', 1000]]);
    expect(nextConnection(dropped, { type: 'tick' }, 1000 + OFFLINE_AFTER_MS - 1).phase).toBe('reconnecting');
    const offline = nextConnection(dropped, { type: 'tick' }, 1000 + OFFLINE_AFTER_MS);
    expect(offline).toMatchObject({ phase: 'offline', downSince: 1000 });
    // A failed reconnection attempt keeps the original time.
    expect(nextConnection(offline, { type: 'disconnected' }, 99_999)).toBe(offline);
  });

  it('counts a screen that never connected as down from its first failure', () => {
    const s = run([['disconnected', 5], ['tick', 5 + OFFLINE_AFTER_MS]]);
    expect(s).toMatchObject({ phase: 'offline', downSince: 5, freshAt: null });
  });

  it('refreshes the data time on live events only', () => {
    const live = run([['connected', 1], ['synced', 2], ['event', 7]]);
    expect(live.freshAt).toBe(7);
    const down = nextConnection(live, { type: 'disconnected' }, 8);
    expect(nextConnection(down, { type: 'event' }, 9).freshAt).toBe(7);
  });

  it('formats hh:mm on a 24-hour clock', () => {
    const at = new Date(2026, 10, 30, 14, 5).getTime();
    expect(clockTime(at, 'en')).toBe('14:05');
    expect(clockTime(at, 'zh-CN')).toBe('14:05');
  });
});
