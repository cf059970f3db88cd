// A child process holding the benchmark's screens: N real socket.io-client
// connections, each signed in (session cookie) and subscribed to its scope,
// timestamping every pushed event. Apart from the load generator so the two
// do not share one event loop, and so each one's CPU shows on its own.
// Talks to the parent over IPC (messages below).
import { io as connect, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents, SubscribeRequest } from '../../shared/realtime.ts';

export interface ScreenSpec { cookie: string; scope: SubscribeRequest['scope'] }

export type ToScreens =
  | { type: 'connect'; url: string; screens: ScreenSpec[] }
  /** Latencies of these reports: [id, sent-at wall ms, screens that should get it]. */
  | { type: 'measure'; sent: [string, number, number][] }
  | { type: 'counters' }
  | { type: 'close' };

export type FromScreens =
  | { type: 'ready'; connected: number }
  | { type: 'error'; message: string }
  /** `messages`: incident:created messages (each a list) received since the last measure. */
  | { type: 'measured'; latency: Percentiles; expected: number; delivered: number; duplicates: number; messages: number }
  | { type: 'counters'; cameraMessages: number; cameraChanges: number; incidentMessages: number };

type ScreenSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface Percentiles { p50: number; p90: number; p99: number; max: number }

export function percentiles(values: number[]): Percentiles {
  if (values.length === 0) return { p50: NaN, p90: NaN, p99: NaN, max: NaN };
  const sorted = Float64Array.from(values).sort();
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { p50: at(0.5), p90: at(0.9), p99: at(0.99), max: sorted[sorted.length - 1] };
}

/** Wall-clock milliseconds with sub-millisecond precision, comparable across processes. */
const wallNow = () => performance.timeOrigin + performance.now();

const sockets: ScreenSocket[] = [];
/** Report id -> arrival times at the screens. */
const arrivals = new Map<string, number[]>();
let cameraMessages = 0;
let cameraChanges = 0;
let incidentMessages = 0;
let messagesSinceMeasure = 0;

const send = (message: FromScreens) => process.send?.(message);

async function open(url: string, spec: ScreenSpec): Promise<void> {
  const socket: ScreenSocket = connect(url, { transports: ['websocket'], reconnection: false, forceNew: true, extraHeaders: { cookie: spec.cookie } });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  socket.on('incident:created', (incidents) => {
    const at = wallNow();
    incidentMessages += 1;
    messagesSinceMeasure += 1;
    for (const incident of incidents) {
      const list = arrivals.get(incident.id);
      if (list) list.push(at);
      else arrivals.set(incident.id, [at]);
    }
  });
  socket.on('camera:status-changed', (changes) => {
    cameraMessages += 1;
    cameraChanges += changes.length;
  });
  const answer = await socket.emitWithAck('subscribe', { scope: spec.scope });
  if ('error' in answer) throw new Error(`subscribe ${JSON.stringify(spec.scope)}: ${answer.error.message}`);
  sockets.push(socket);
}

process.on('message', (message: ToScreens) => {
  switch (message.type) {
    case 'connect': {
      // A few at a time: 100 handshakes at once would measure the handshake, not the screens.
      const queue = [...message.screens];
      const worker = async () => {
        for (let spec = queue.shift(); spec; spec = queue.shift()) await open(message.url, spec);
      };
      Promise.all(Array.from({ length: 8 }, worker)).then(
        () => send({ type: 'ready', connected: sockets.length }),
        (err: unknown) => send({ type: 'error', message: err instanceof Error ? err.message : String(err) }),
      );
      return;
    }
    case 'measure': {
      const latenciesMs: number[] = [];
      let expected = 0;
      let duplicates = 0;
      for (const [id, sentAt, screens] of message.sent) {
        expected += screens;
        const times = arrivals.get(id) ?? [];
        if (times.length > screens) duplicates += times.length - screens;
        for (const t of times.slice(0, screens)) latenciesMs.push(t - sentAt);
        arrivals.delete(id);
      }
      send({ type: 'measured', latency: percentiles(latenciesMs), expected, delivered: latenciesMs.length, duplicates, messages: messagesSinceMeasure });
      messagesSinceMeasure = 0;
      return;
    }
    case 'counters':
      send({ type: 'counters', cameraMessages, cameraChanges, incidentMessages });
      cameraMessages = 0;
      cameraChanges = 0;
      incidentMessages = 0;
      return;
    case 'close':
      for (const s of sockets) s.disconnect();
      process.exit(0);
  }
});
