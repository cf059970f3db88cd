// Guards a Socket.IO server with the same sessions as the REST API: a
// handshake must carry the session cookie (browsers send it by themselves) or
// `auth.kioskToken`; the socket joins its scope's room only; and it is
// disconnected the moment its session ends (sign-out, idle sweep, disabled
// account, changed scope, revoked kiosk token). The realtime feature calls
// this once on its server and emits events with roomsForArea().
import type { Server, Socket } from 'socket.io';
import { scopeRooms } from '../domain/scope.ts';
import type { AuthService } from './auth-service.ts';
import type { Principal } from './principal.ts';

export interface SocketData {
  principal: Principal;
}

/** The principal a guarded socket was authenticated as. */
export function socketPrincipal(socket: Socket): Principal {
  return (socket.data as SocketData).principal;
}

/** Installs the handshake check and the drop-on-session-end; returns a function that removes the latter. */
export function guardSocketServer(io: Server, auth: AuthService): () => void {
  io.use((socket, next) => {
    auth.authenticateHandshake({ headers: socket.handshake.headers, auth: socket.handshake.auth })
      .then(async (principal) => {
        // Same rule as the REST hook: nothing before a forced password change / TOTP enrolment.
        if (!principal || principal.pending.length) return next(new Error('unauthorized'));
        (socket.data as SocketData).principal = principal;
        await socket.join(scopeRooms(principal.scope));
        next();
      })
      .catch(() => next(new Error('unauthorized')));
  });
  return auth.onSessionEnded(({ sessionId }) => {
    for (const socket of io.sockets.sockets.values()) {
      if ((socket.data as Partial<SocketData>).principal?.sessionId === sessionId) socket.disconnect(true);
    }
  });
}
