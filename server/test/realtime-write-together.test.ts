// writeFlushesTogether: many events to one screen in one tick leave in one
// TCP write instead of one each, and still arrive all, once, in order; a
// socket in several of the target rooms gets each event once.
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Server } from 'socket.io';
import { io as connect, type Socket as ClientSocket } from 'socket.io-client';
import { writeFlushesTogether, type EngineConnection } from '../src/realtime/write-together.ts';

const EVENTS = 50;
const PAYLOAD = { description: '测试'.repeat(200) };

interface Rig {
  io: Server;
  client: ClientSocket;
  /** Calls of the server-side TCP socket's _write/_writev (each is one write to the kernel). */
  writes(): number;
}

let open: { http: HttpServer; io: Server; client: ClientSocket } | null = null;

async function rig(together: boolean): Promise<Rig> {
  const http = createServer();
  const io = new Server(http, { transports: ['websocket'], perMessageDeflate: false });
  let writes = 0;
  io.engine.on('connection', (conn: EngineConnection & { request: { socket: { _write: unknown; _writev: unknown } } }) => {
    if (together) writeFlushesTogether(conn);
    const raw = conn.request.socket as unknown as Record<'_write' | '_writev', (...args: unknown[]) => unknown>;
    for (const name of ['_write', '_writev'] as const) {
      const original = raw[name];
      raw[name] = function (this: unknown, ...args: unknown[]) {
        writes += 1;
        return original.apply(this, args);
      };
    }
  });
  io.on('connection', (socket) => {
    void socket.join(['scope:district', 'scope:town:321171001']);
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  const client = connect(`http://127.0.0.1:${port}`, { transports: ['websocket'], reconnection: false, forceNew: true });
  await new Promise<void>((resolve, reject) => {
    client.once('connect', () => resolve());
    client.once('connect_error', reject);
  });
  // The join above runs on the server's connection; one round trip makes sure it happened.
  await new Promise((resolve) => setTimeout(resolve, 50));
  open = { http, io, client };
  return { io, client, writes: () => writes };
}

/** Emits EVENTS events to both rooms in one tick; resolves with what the client received. */
async function burst(r: Rig): Promise<{ received: number[]; writes: number }> {
  const received: number[] = [];
  const all = new Promise<void>((resolve) => {
    r.client.on('incident:created', (p: { n: number }) => {
      received.push(p.n);
      if (received.length === EVENTS) resolve();
    });
  });
  const before = r.writes();
  for (let n = 0; n < EVENTS; n++) r.io.to(['scope:district', 'scope:town:321171001']).emit('incident:created', { ...PAYLOAD, n });
  await all;
  // Anything more (a duplicate) would have arrived with the rest; a round trip later there is none.
  await new Promise((resolve) => setTimeout(resolve, 100));
  return { received, writes: r.writes() - before };
}

afterEach(async () => {
  if (!open) return;
  open.client.disconnect();
  await open.io.close();
  open = null;
});

describe('writeFlushesTogether', () => {
  it('sends a burst of events in a couple of writes, all of them, once, in order', async () => {
    const { received, writes } = await burst(await rig(true));
    expect(received).toEqual(Array.from({ length: EVENTS }, (_, n) => n));
    // The first event goes out at once; the rest wait for it and leave together.
    expect(writes).toBeLessThanOrEqual(3);
  });

  it('without it, each event is a write of its own (what the above saves)', async () => {
    const { received, writes } = await burst(await rig(false));
    expect(received).toEqual(Array.from({ length: EVENTS }, (_, n) => n));
    expect(writes).toBeGreaterThanOrEqual(EVENTS - 1);
  });
});
