// The only importer of socket.io-client. One typed socket per screen, over
// websocket only (no long-polling fallback: a screen on a LAN either has a
// websocket or is offline, and says so). Reconnection is socket.io's, with
// backoff; what was missed meanwhile comes from the change log, never from
// socket.io's connection-state recovery.
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '@shared/realtime.ts';

export type ScreenSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export function createScreenSocket(): ScreenSocket {
  return io({
    transports: ['websocket'],
    autoConnect: false,
    reconnectionDelay: 1_000,
    reconnectionDelayMax: 10_000,
    // The handshake carries the session cookie (a kiosk has exchanged its token for one).
    withCredentials: true,
  });
}
