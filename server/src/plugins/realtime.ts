// Socket.IO on the app's own HTTP server (websocket transport), guarded by
// the REST sessions (guardSocketServer), pushing the change log: it LISTENs
// for appends (delivered at COMMIT), reads the rows after the last seq it
// pushed, in seq order, and emits them to the rooms of their area: what one
// read brings as one list per room and kind, camera status changes through
// the coalescer (one merged batch per room at most every 250 ms). No connection-state recovery: clients catch up through
// `sync` / GET /api/v1/changes (README in server/src/realtime/).
import fp from 'fastify-plugin';
import pg from 'pg';
import { Server, type Socket } from 'socket.io';
import { Value } from 'typebox/value';
import {
  PUSH_ORDER, SubscribeRequest, SyncRequest, type Ack, type PushedKind, type AckError, type ClientToServerEvents, type ServerToClientEvents, type SubscribeResult,
} from '../../../shared/realtime.ts';
import type { CameraStatusChange } from '../../../shared/schemas/device.ts';
import type { ChangesPage } from '../../../shared/schemas/changes.ts';
import type { Scope } from '../../../shared/schemas/auth.ts';
import type { ChangeRow } from '../db/repositories/changes-repository.ts';
import { Coalescer } from '../domain/coalesce.ts';
import { Pacer } from '../domain/pacer.ts';
import { batchByRoom, type Push } from '../domain/push-batches.ts';
import { roomsForArea, scopeContains, scopeRoom } from '../domain/scope.ts';
import { guardSocketServer, socketPrincipal, type SocketData } from '../services/socket-auth.ts';
import { ownFilterOf } from '../services/incidents-service.ts';
import { readChanges } from '../realtime/changes-feed.ts';
import type { LiveOptions } from '../realtime/live-options.ts';
import { writeFlushesTogether } from '../realtime/write-together.ts';

export type LiveSocketData = SocketData & { watching?: Scope };
export type LiveServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, LiveSocketData>;
type LiveSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, LiveSocketData>;

declare module 'fastify' {
  interface FastifyInstance {
    io: LiveServer;
    realtime: {
      /** The last seq pushed (or handed to the coalescer). */
      readonly pushedSeq: number;
      /** Reads and pushes what the log has beyond pushedSeq now (tests, and the NOTIFY handler). */
      drain(): Promise<void>;
      /** Sends waiting camera batches now. */
      flushCameras(): void;
    };
  }
}

const PAGE = 1000;
const LISTEN_RETRY_MS = 1000;
const SCOPE_ROOM_PREFIX = 'scope:';
/** A field worker follows their own reports only: their socket sits in this room instead of a scope room. */
export const reporterRoom = (accountId: number) => `reporter:${accountId}`;

function ackError(code: AckError['code'], message: string, extra: Partial<AckError> = {}): { error: AckError } {
  return { error: { code, message, ...extra } };
}

function validationMessage(schema: typeof SubscribeRequest | typeof SyncRequest, value: unknown): string {
  const [first] = Value.Errors(schema, value);
  return first ? `invalid request${first.instancePath ? ` at ${first.instancePath}` : ''}: ${first.message}` : 'invalid request';
}

export default fp<Pick<LiveOptions, 'cameraBatchMs' | 'pollMs' | 'pushGapMs'>>(
  async (app, options) => {
    const io: LiveServer = new Server(app.server, { transports: ['websocket'], serveClient: false, perMessageDeflate: false });
    const unguard = guardSocketServer(io as unknown as Server, app.auth);
    io.engine.on('connection', writeFlushesTogether);
    app.decorate('io', io);

    // ---- pushing the log ----
    const cameras = new Coalescer<CameraStatusChange>(options.cameraBatchMs, (room, batch) => {
      io.to(room).emit('camera:status-changed', batch);
    });
    let pushedSeq = (await app.repos.changes.bounds()).headSeq;
    let draining: Promise<void> | null = null;
    let again = false;

    // One page of the log at a time: camera changes to the coalescer, the rest one list per room and kind (domain/push-batches.ts).
    const emitPage = (rows: readonly ChangeRow[]) => {
      const pushes: Push<PushedKind, unknown>[] = [];
      for (const row of rows) {
        const rooms = roomsForArea(row);
        if (row.kind === 'camera:status-changed') {
          cameras.add(rooms, row.entityId, row.payload as unknown as CameraStatusChange);
          continue;
        }
        const accountId = (row.payload as { reporter?: { accountId?: number | null } }).reporter?.accountId;
        if (row.kind.startsWith('incident:') && typeof accountId === 'number') rooms.push(reporterRoom(accountId));
        pushes.push({ rooms, kind: row.kind, payload: row.payload });
      }
      // Payloads were validated against the contract when appended; the event name is the kind.
      for (const batch of batchByRoom(pushes, PUSH_ORDER)) {
        (io.to(batch.room).emit as (event: string, payloads: unknown[]) => boolean)(batch.kind, batch.payloads);
      }
    };

    const drainOnce = async () => {
      do {
        again = false;
        for (;;) {
          const rows = await app.repos.changes.after(pushedSeq, PAGE);
          emitPage(rows);
          if (rows.length > 0) pushedSeq = rows[rows.length - 1].seq;
          if (rows.length < PAGE) break;
        }
      } while (again);
    };
    // One reader at a time; a notification during a read makes it read once more.
    const drain = (): Promise<void> => {
      if (draining) {
        again = true;
        return draining;
      }
      draining = drainOnce()
        .catch((err: unknown) => app.log.error({ err }, 'pushing the change log failed'))
        .finally(() => {
          draining = null;
        });
      return draining;
    };

    // On notification: at most one read per pushGapMs (domain/pacer.ts); the notifications of a gap share one read.
    const paced = new Pacer(options.pushGapMs, () => void drain());

    app.decorate('realtime', {
      get pushedSeq() {
        return pushedSeq;
      },
      drain,
      flushCameras: () => cameras.flush(),
    });

    // LISTEN on a connection of its own; reconnects after a failure, and the poll covers the gap.
    let listener: pg.Client | null = null;
    let closing = false;
    const listen = async () => {
      const client = new pg.Client({ connectionString: (app.db as unknown as { options: pg.PoolConfig }).options.connectionString });
      client.on('notification', () => paced.poke());
      client.on('error', (err) => {
        app.log.warn({ err }, 'change-log listener failed; reconnecting');
        client.end().catch(() => undefined);
        if (listener === client) listener = null;
        relisten();
      });
      try {
        await client.connect();
        await client.query('LISTEN change_log');
      } catch (err) {
        client.removeAllListeners('error');
        client.on('error', () => undefined);
        await client.end().catch(() => undefined);
        throw err;
      }
      listener = client;
    };
    // Until it works again (the database may be restarting); the poll keeps screens fed meanwhile.
    const relisten = () => {
      if (closing) return;
      setTimeout(() => {
        listen().then(() => drain(), relisten);
      }, LISTEN_RETRY_MS).unref();
    };
    await listen();
    const poll = setInterval(() => void drain(), options.pollMs);
    poll.unref();

    // ---- client commands ----
    io.on('connection', (socket: LiveSocket) => {
      const principal = socketPrincipal(socket as unknown as Socket);
      const own = ownFilterOf(principal);
      if (own) {
        for (const room of socket.rooms) if (room.startsWith(SCOPE_ROOM_PREFIX)) void socket.leave(room);
        void socket.join(reporterRoom(own.reporterAccountId));
      }

      socket.on('subscribe', async (request, ack) => {
        if (typeof ack !== 'function') return;
        const answer = async (): Promise<Ack<SubscribeResult>> => {
          if (!Value.Check(SubscribeRequest, request)) return ackError('invalid', validationMessage(SubscribeRequest, request));
          if (own) return ackError('forbidden', 'a field worker follows their own reports; there is no scope to subscribe to');
          const wanted = request.scope;
          let target: Scope;
          if (wanted.level === 'community') {
            const townCode = await app.repos.changes.townOfCommunity(wanted.communityCode);
            if (!townCode) return ackError('not_found', `no community ${wanted.communityCode}`);
            target = { level: 'community', townCode, communityCode: wanted.communityCode };
          } else {
            target = wanted;
          }
          if (!scopeContains(principal.scope, target)) return ackError('forbidden', 'that scope is outside your data scope');
          for (const room of socket.rooms) if (room.startsWith(SCOPE_ROOM_PREFIX)) await socket.leave(room);
          await socket.join(scopeRoom(target));
          socket.data.watching = target;
          return { data: { scope: target, headSeq: (await app.repos.changes.bounds()).headSeq } };
        };
        ack(await answer().catch((err: unknown) => {
          app.log.error({ err }, 'socket subscribe failed');
          return ackError('internal', 'the server could not do that; it has been logged');
        }));
      });

      socket.on('sync', async (request, ack) => {
        if (typeof ack !== 'function') return;
        const answer = async (): Promise<Ack<ChangesPage>> => {
          if (!Value.Check(SyncRequest, request)) return ackError('invalid', validationMessage(SyncRequest, request));
          const scope = socket.data.watching ?? principal.scope;
          const result = await readChanges(app.repos, scope, request.since, request.limit, own);
          if (result.ok) return { data: result.page };
          return result.reason === 'too_old'
            ? ackError('too_old', result.message, { oldestSeq: result.oldestSeq })
            : ackError('invalid', result.message);
        };
        ack(await answer().catch((err: unknown) => {
          app.log.error({ err }, 'socket sync failed');
          return ackError('internal', 'the server could not do that; it has been logged');
        }));
      });
    });

    // Sockets first (they would hold the HTTP server open), then the rest.
    app.addHook('preClose', async () => {
      closing = true;
      clearInterval(poll);
      paced.close();
      io.disconnectSockets(true);
      io.engine.close();
    });
    app.addHook('onClose', async () => {
      unguard();
      cameras.close();
      await draining;
      await listener?.end().catch(() => undefined);
    });
  },
  { name: 'realtime', dependencies: ['db', 'repositories', 'auth'] },
);
