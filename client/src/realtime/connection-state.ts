// What the connection indicator shows. A screen is "live" only when the
// socket is up AND the catch-up after (re)connecting has finished, so the
// green light never claims more than the data. A drop shows "reconnecting";
// a drop that lasts shows "offline since hh:mm", so a screen nobody watches
// can never look current while it is stale.
export type ConnectionPhase = 'connecting' | 'syncing' | 'live' | 'reconnecting' | 'offline';

export interface ConnectionState {
  phase: ConnectionPhase;
  /** When the screen stopped being live (ms since epoch); null while live or before the first sync. */
  downSince: number | null;
  /** When the data was last known current: the last sync or live event. */
  freshAt: number | null;
}

export type ConnectionEvent =
  | { type: 'connected' }
  | { type: 'synced' }
  | { type: 'event' }
  | { type: 'disconnected' }
  | { type: 'tick' };

/** After this long without a connection the indicator says "offline since". */
export const OFFLINE_AFTER_MS = 20_000;

export const INITIAL_CONNECTION: ConnectionState = { phase: 'connecting', downSince: null, freshAt: null };

export function nextConnection(state: ConnectionState, event: ConnectionEvent, now: number): ConnectionState {
  switch (event.type) {
    case 'connected':
      // Up again, but not live until the catch-up is done.
      return { ...state, phase: 'syncing' };
    case 'synced':
      return { phase: 'live', downSince: null, freshAt: now };
    case 'event':
      return state.phase === 'live' ? { ...state, freshAt: now } : state;
    case 'disconnected': {
      if (state.phase === 'reconnecting' || state.phase === 'offline') return state;
      const downSince = state.downSince ?? now;
      return { ...state, phase: state.freshAt === null ? 'connecting' : 'reconnecting', downSince };
    }
    case 'tick': {
      const down = state.phase === 'reconnecting' || state.phase === 'connecting';
      if (down && state.downSince !== null && now - state.downSince >= OFFLINE_AFTER_MS) {
        return { ...state, phase: 'offline' };
      }
      return state;
    }
  }
}

/** hh:mm in the screen's locale, 24-hour clock. */
export function clockTime(at: number, locale: string): string {
  return new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', hour12: false }).format(new Date(at));
}
