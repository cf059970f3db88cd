// Socket.IO with the REST sessions, through a real server on port 0 and real
// socket.io-client connections: no session, an expired session, a scoped
// room, and a socket dropped when its session ends.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Server } from 'socket.io';
import { io as connect, type Socket as ClientSocket } from 'socket.io-client';
import { buildTestApp, createTestDatabase, type TestDatabase } from './helpers.ts';
import { cookieHeader, manualClock, signedIn } from './helpers/sign-in.ts';
import { socketPrincipal } from '../src/services/socket-auth.ts';
import { roomsForArea } from '../src/domain/scope.ts';
import type { App } from '../src/app.ts';

let db: TestDatabase;
let app: App;
let io: Server;
let url: string;
const clock = manualClock(new Date('2026-05-01T08:00:00Z'));
const sockets: ClientSocket[] = [];
const TOWN = '321171001';
const OTHER_TOWN = '321171002';

beforeAll(async () => {
  db = await createTestDatabase();
  app = await buildTestApp(db.url, { security: { clock, sweepIntervalMs: 0, loginRateLimitPerMinute: 1000 } });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  // The app's own Socket.IO server (plugins/realtime.ts), guarded by guardSocketServer; untyped here for the test event.
  io = app.io as unknown as Server;
});

afterAll(async () => {
  for (const s of sockets) s.close();
  await app?.close();
  await db?.drop();
});

function open(options: { cookie?: string; kioskToken?: string } = {}): ClientSocket {
  const socket = connect(url, {
    transports: ['websocket'], reconnection: false, forceNew: true,
    extraHeaders: options.cookie ? { cookie: options.cookie } : {},
    auth: options.kioskToken ? { kioskToken: options.kioskToken } : {},
  });
  sockets.push(socket);
  return socket;
}

const outcome = (socket: ClientSocket) => new Promise<string>((resolve) => {
  socket.once('connect', () => resolve('connected'));
  socket.once('connect_error', (err) => resolve(`refused: ${err.message}`));
});
const disconnected = (socket: ClientSocket) => new Promise<string>((resolve) => socket.once('disconnect', (reason) => resolve(reason)));

describe('handshake', () => {
  it('refuses a connection without a session or with a made-up one', async () => {
    expect(await outcome(open())).toBe('refused: unauthorized');
    expect(await outcome(open({ cookie: 'gcc_session=forged-token-value-0000000000000000000' }))).toBe('refused: unauthorized');
    expect(await outcome(open({ kioskToken: 'forged-kiosk-token-00000000000000' }))).toBe('refused: unauthorized');
  });

  it('refuses an expired (idle) session', async () => {
    const client = await signedIn(app, { username: 'sock.idle', role: 'leader' });
    clock.advance(31 * 60_000);
    expect(await outcome(open({ cookie: cookieHeader(client.cookies) }))).toBe('refused: unauthorized');
  });

  it('refuses a session that must change its password first', async () => {
    const client = await signedIn(app, { username: 'sock.fresh', role: 'leader', mustChangePassword: true });
    expect(await outcome(open({ cookie: cookieHeader(client.cookies) }))).toBe('refused: unauthorized');
  });
});

describe('rooms and session end', () => {
  it('puts a town officer in their town\'s room only: another town\'s event never reaches them', async () => {
    const client = await signedIn(app, { username: 'sock.duty', role: 'town_duty', scope: { level: 'town', townCode: TOWN } });
    const socket = open({ cookie: cookieHeader(client.cookies) });
    expect(await outcome(socket)).toBe('connected');
    const [server] = [...io.sockets.sockets.values()].filter((s) => socketPrincipal(s).username === 'sock.duty');
    expect([...server.rooms].filter((r) => r.startsWith('scope:'))).toEqual([`scope:town:${TOWN}`]);

    const received: string[] = [];
    const mine = new Promise<void>((resolve) => socket.on('test:event', (town: string) => {
      received.push(town);
      if (town === TOWN) resolve();
    }));
    // The other town's event first; events to one socket arrive in order, so when ours arrives the other would have too.
    io.to(roomsForArea({ townCode: OTHER_TOWN, communityCode: `${OTHER_TOWN}001` })).emit('test:event', OTHER_TOWN);
    io.to(roomsForArea({ townCode: TOWN, communityCode: `${TOWN}001` })).emit('test:event', TOWN);
    await mine;
    expect(received).toEqual([TOWN]);
  });

  it('drops the socket when its session is signed out', async () => {
    const client = await signedIn(app, { username: 'sock.out', role: 'leader' });
    const socket = open({ cookie: cookieHeader(client.cookies) });
    expect(await outcome(socket)).toBe('connected');
    const dropped = disconnected(socket);
    expect((await client.request('POST', '/api/v1/auth/logout')).statusCode).toBe(200);
    expect(await dropped).toBe('io server disconnect');
  });

  it('drops the socket when the session idles out (sweeper)', async () => {
    const client = await signedIn(app, { username: 'sock.sweep', role: 'leader' });
    const socket = open({ cookie: cookieHeader(client.cookies) });
    expect(await outcome(socket)).toBe('connected');
    const dropped = disconnected(socket);
    clock.advance(31 * 60_000);
    await app.auth.sweep();
    expect(await dropped).toBe('io server disconnect');
  });

  it('drops a kiosk socket when its token is revoked', async () => {
    const sys = await signedIn(app, { username: 'sock.sys', role: 'sysadmin' });
    const issued = (await sys.request('POST', '/api/v1/admin/kiosk-tokens', { name: 'wall', scope: { level: 'district' } })).json();
    const socket = open({ kioskToken: issued.secret });
    expect(await outcome(socket)).toBe('connected');
    const dropped = disconnected(socket);
    expect((await sys.request('DELETE', `/api/v1/admin/kiosk-tokens/${issued.token.id}`)).statusCode).toBe(200);
    expect(await dropped).toBe('io server disconnect');
  });
});
