// A child process with a bare Socket.IO server, for one question: what does
// sending camera changes cost the server, one emit per change versus the
// product's coalescer (server/src/domain/coalesce.ts: merged per room,
// flushed at most every 250 ms)? Same payloads, same clients, same process;
// the CPU this process spends is the answer.
import { createServer } from 'node:http';
import { Server } from 'socket.io';
import type { CameraStatusChange } from '../../shared/schemas/device.ts';
import { Coalescer } from '../../server/src/domain/coalesce.ts';
import { CAMERA_BATCH_INTERVAL_MS } from '../../shared/realtime.ts';

export type ToEmitter =
  | { type: 'run'; mode: 'per-change' | 'batched'; changes: CameraStatusChange[]; spreadMs: number }
  | { type: 'finished' }
  | { type: 'close' };

export type FromEmitter =
  | { type: 'listening'; port: number }
  | { type: 'emitted'; emits: number }
  | { type: 'cpu'; cpuMs: number; wallMs: number };

export const EMITTER_ROOM = 'scope:district';

const send = (message: FromEmitter) => process.send?.(message);
const http = createServer();
const io = new Server(http, { transports: ['websocket'], serveClient: false });
io.on('connection', (socket) => void socket.join(EMITTER_ROOM));

let started: { cpu: NodeJS.CpuUsage; at: number } | null = null;

process.on('message', (message: ToEmitter) => {
  if (message.type === 'close') {
    io.close();
    process.exit(0);
  }
  if (message.type === 'finished') {
    // The parent's screens have everything: the CPU spent since 'run' is this mode's cost.
    const cpu = process.cpuUsage(started!.cpu);
    send({ type: 'cpu', cpuMs: (cpu.user + cpu.system) / 1000, wallMs: performance.now() - started!.at });
    return;
  }
  const { mode, changes, spreadMs } = message;
  started = { cpu: process.cpuUsage(), at: performance.now() };
  let emits = 0;
  const coalescer = new Coalescer<CameraStatusChange>(CAMERA_BATCH_INTERVAL_MS, (room, batch) => {
    io.to(room).emit('camera:status-changed', batch);
    emits += 1;
  });
  // The changes arrive evenly over spreadMs, in 10 ms ticks, as a heartbeat storm would.
  const ticks = Math.max(1, Math.round(spreadMs / 10));
  let next = 0;
  let tick = 0;
  const timer = setInterval(() => {
    tick += 1;
    const until = Math.round((tick * changes.length) / ticks);
    for (; next < until; next++) {
      const change = changes[next];
      if (mode === 'per-change') {
        io.to(EMITTER_ROOM).emit('camera:status-changed', [change]);
        emits += 1;
      } else {
        coalescer.add([EMITTER_ROOM], change.code, change);
      }
    }
    if (next >= changes.length) {
      clearInterval(timer);
      coalescer.close();
      send({ type: 'emitted', emits });
    }
  }, 10);
});

http.listen(0, '127.0.0.1', () => {
  const address = http.address();
  send({ type: 'listening', port: typeof address === 'object' && address ? address.port : 0 });
});
