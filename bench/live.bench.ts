// live: the product under live-operations load, in one run on this machine.
//  - the product (server/src/main.ts + embedded PostgreSQL) in a child process;
//  - 100 screens (socket.io-client, signed in as kiosks and duty officers,
//    subscribed to the district or their town) in a second child process;
//  - reports POSTed by this process: warm-up, a fixed 500/s for 20 s
//    (the issue's target), then as fast as 64 concurrent clients go;
//  - 2,000 cameras (+ 300 fire sensors) heartbeating every 30 s, time-
//    compressed 10× (every 3 s), through POST /devices/heartbeats;
//  - camera updates batched (the product's coalescer) vs one emit per
//    change, on a bare Socket.IO server in a third child, same clients.
// CPU shares are read from /proc for the product's Node process and,
// separately, its PostgreSQL processes.
import { spawn, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { io as connect, type Socket } from 'socket.io-client';
import type { NewAreaData } from '../data/types.ts';
import type { CameraStatusChange } from '../shared/schemas/device.ts';
import type { ReportBody } from '../shared/schemas/incident.ts';
import { DEMO_FLEET, DeviceFleet } from '../server/src/domain/feed-devices.ts';
import { DEMO_LEVEL1_SHARE, ReportMix } from '../server/src/domain/feed-mix.ts';
import { PlacePicker } from '../server/src/domain/feed-place.ts';
import { seededRng } from '../server/src/domain/feed-random.ts';
import { heartbeatBody } from '../server/src/simulator/wire.ts';
import type { Bench } from './types.ts';
import { formatRate } from './stats.ts';
import { analysis } from './live/analysis.ts';
import { cpuShare, fdatasyncMs, sampleCpu, type CpuSample } from './live/proc-cpu.ts';
import { signIn, startProductChild, type RunningProductChild } from './live/product-child.ts';
import { connectToCluster, profile, type PgProfile } from './live/pg-profile.ts';
import { postJson } from './live/http-post.ts';
import type { FromScreens, Percentiles, ScreenSpec, ToScreens } from './live/screens-child.ts';
import type { FromEmitter, ToEmitter } from './live/emitter-child.ts';

const DATA = fileURLToPath(new URL('../data/generated/newarea.json', import.meta.url));
const SCREENS_CHILD = fileURLToPath(new URL('./live/screens-child.ts', import.meta.url));
const EMITTER_CHILD = fileURLToPath(new URL('./live/emitter-child.ts', import.meta.url));

const TARGET_RATE = 500;
const TARGET_P99_MS = 100;
const TARGET_HEARTBEAT_CORE_SHARE = 0.1;
const SCREENS = { kiosks: 40, districtDuty: 10, perTown: 10 };
const POSTING_SESSIONS = 8;
const WARMUP = { rate: 100, ms: 5_000 };
const SUSTAINED_MS = 20_000;
const KEEP_UP_MS = 15_000;
const MAX_IN_FLIGHT = 300;
const MAX = { concurrency: 64, ms: 15_000 };
const HEARTBEAT = { compression: 10, ms: 30_000, tickMs: 250 };
/** Pushes still on their way when the load stops get this long to arrive before counting. */
const GRACE_MS = 2_000;
/** A POST slower than this is counted by the second it was sent in (console). */
const SLOW_POST_MS = 80;
const RATIO = { changes: 2_000, spreadMs: 2_000, clients: 100 };

/** The machine's 1-minute load average when the run began (other work on the same 2 cores shows here). */
let loadBefore = 0;

const wallNow = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---- children over IPC ----

export function child<In, Out extends { type: string }>(file: string): { proc: ChildProcess; send(m: In): void; next<T extends Out>(type: T['type']): Promise<T> } {
  const proc = spawn(process.execPath, ['--import', 'tsx', file], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  // Messages nobody waits for yet are kept: a child may answer before the parent asks.
  const early: Out[] = [];
  const waiting: { type: string; resolve(m: Out): void; reject(e: Error): void }[] = [];
  const deliver = (m: Out) => {
    const i = waiting.findIndex((w) => w.type === m.type || m.type === 'error');
    if (i === -1) return early.push(m);
    const [w] = waiting.splice(i, 1);
    if (m.type === 'error') w.reject(new Error((m as { message?: string }).message));
    else w.resolve(m);
  };
  proc.on('message', (m: Out) => deliver(m));
  proc.on('exit', (code) => {
    for (const w of waiting.splice(0)) w.reject(new Error(`${file} exited (${code})`));
  });
  return {
    proc,
    send: (m) => proc.send(m as object),
    next: <T extends Out>(type: T['type']) => new Promise<T>((resolve, reject) => {
      const i = early.findIndex((m) => m.type === type || m.type === 'error');
      waiting.push({ type, resolve: resolve as (m: Out) => void, reject });
      if (i !== -1) deliver(early.splice(i, 1)[0]);
    }),
  };
}

// ---- reports ----

interface Sent { id: string; sentAt: number; townCode: string }
export interface PhaseResult {
  label: string;
  offeredPerSec?: number;
  ingestedPerSec: number;
  ok: number;
  failed: number;
  postMs: Percentiles;
  push: { latency: Percentiles; expected: number; delivered: number; duplicates: number; messages: number };
  cpu: { own: number; descendants: number; runQueue: number; bench: number; screens: number };
  /** Where the database connections waited (pg_stat_activity), when profiled. */
  profile?: PgProfile;
}

function percentilesOf(values: number[]): Percentiles {
  const sorted = Float64Array.from(values).sort();
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
  return { p50: at(0.5), p90: at(0.9), p99: at(0.99), max: sorted[sorted.length - 1] ?? NaN };
}

export function reportFactory(data: NewAreaData) {
  const rng = seededRng('bench-live');
  const mix = new ReportMix({ level1Share: DEMO_LEVEL1_SHARE });
  const places = new PlacePicker(data.grids);
  return (): { body: ReportBody; townCode: string } => {
    const item = mix.item(rng);
    const { grid, lon, lat } = places.place(rng, item.domain);
    return {
      body: { id: crypto.randomUUID(), itemCode: item.code, lon, lat, description: `${item.name}（压测）`, channel: 'hotline_12345', reporter: { name: '压测', phone: '19900000000' } },
      townCode: grid.townCode,
    };
  };
}

export default {
  name: 'live',
  title: 'live operations: reports in, pushes out, heartbeats',
  async run() {
    const data = JSON.parse(readFileSync(DATA, 'utf8')) as NewAreaData;
    loadBefore = os.loadavg()[0];
    const product = await startProductChild();
    const screens = child<ToScreens, FromScreens>(SCREENS_CHILD);
    const emitter = child<ToEmitter, FromEmitter>(EMITTER_CHILD);
    // Interrupted (Ctrl+C, a timeout): stop the product and its PostgreSQL rather than orphan them.
    const interrupted = () => {
      screens.proc.kill();
      emitter.proc.kill();
      void product.stop().finally(() => process.exit(130));
    };
    process.once('SIGINT', interrupted);
    process.once('SIGTERM', interrupted);
    try {
      return await measure(data, product, screens, emitter);
    } finally {
      process.off('SIGINT', interrupted);
      process.off('SIGTERM', interrupted);
      screens.send({ type: 'close' });
      emitter.send({ type: 'close' });
      await product.stop();
    }
  },
} satisfies Bench;

async function measure(
  data: NewAreaData, product: RunningProductChild,
  screens: ReturnType<typeof child<ToScreens, FromScreens>>, emitter: ReturnType<typeof child<ToEmitter, FromEmitter>>,
) {
  const { url } = product;
  console.log(`product at ${url} (pid ${product.pid})`);
  const pgClient = await connectToCluster(product.pgDataDir);
  const appDb = await connectToCluster(product.pgDataDir, 'gridcc');
  const alertLag = async () => Number((await appDb.query<{ lag: string }>(
    'SELECT (SELECT last_seq FROM change_counter) - COALESCE((SELECT last_seq FROM alert_engine_state), 0) AS lag')).rows[0].lag);
  const fsyncMs = fdatasyncMs(dirname(product.pgDataDir));
  const idleStart = sampleCpu(product.pid);
  await sleep(5_000);
  const idleFirst = cpuShare(idleStart, sampleCpu(product.pid));

  // ---- screens: kiosks and duty officers of the district, duty officers of each town ----
  // One sign-in per account, its session shared by that account's screens: each sign-in is a deliberately
  // slow password check (scrypt), and 100 of them only made the run longer; every screen is its own socket.
  const specs: ScreenSpec[] = [];
  const kiosk = (await signIn(url, 'kiosk.district')).cookie;
  const districtDuty = (await signIn(url, 'duty.district')).cookie;
  for (let i = 0; i < SCREENS.kiosks; i++) specs.push({ cookie: kiosk, scope: { level: 'district' } });
  for (let i = 0; i < SCREENS.districtDuty; i++) specs.push({ cookie: districtDuty, scope: { level: 'district' } });
  for (const town of data.towns) {
    const townDuty = (await signIn(url, `duty.${town.code}`)).cookie;
    for (let i = 0; i < SCREENS.perTown; i++) specs.push({ cookie: townDuty, scope: { level: 'town', townCode: town.code } });
  }
  const districtScreens = SCREENS.kiosks + SCREENS.districtDuty;
  const ready = screens.next<Extract<FromScreens, { type: 'ready' }>>('ready');
  screens.send({ type: 'connect', url, screens: specs });
  console.log(`screens connected: ${(await ready).connected}`);

  const posters = await Promise.all(Array.from({ length: POSTING_SESSIONS }, () => signIn(url, 'duty.district')));
  const nextReport = reportFactory(data);
  const reportsUrl = new URL('api/v1/reports', url);
  let turn = 0;
  const postReport = async (sent: Sent[], postMs: number[]): Promise<boolean> => {
    const { body, townCode } = nextReport();
    const session = posters[turn++ % posters.length];
    const sentAt = wallNow();
    try {
      const res = await postJson(reportsUrl, { cookie: session.cookie, 'x-csrf-token': session.csrf }, body);
      const ms = wallNow() - sentAt;
      postMs.push(ms);
      if (ms > SLOW_POST_MS) slowSentAt.push(sentAt);
      if (res.status !== 201) return false;
      sent.push({ id: body.id, sentAt, townCode });
      return true;
    } catch {
      return false;
    }
  };

  // When in a phase the slow answers were (console only): a tail spread evenly is queueing, one bunched is a stall.
  let slowSentAt: number[] = [];
  const runPhase = async (label: string, load: (sent: Sent[], postMs: number[]) => Promise<{ failed: number; seconds: number }>, offeredPerSec?: number): Promise<PhaseResult> => {
    const sent: Sent[] = [];
    slowSentAt = [];
    const phaseStart = wallNow();
    const lagBefore = await alertLag();
    const postMs: number[] = [];
    const sampler = profile(pgClient);
    const before = sampleCpu(product.pid);
    const screensBefore = sampleCpu(screens.proc.pid!);
    const benchBefore = process.cpuUsage();
    const { failed, seconds } = await load(sent, postMs);
    const after = sampleCpu(product.pid);
    const screensShare = cpuShare(screensBefore, sampleCpu(screens.proc.pid!)).own;
    const benchCpu = process.cpuUsage(benchBefore);
    const pgProfile = await sampler.stop();
    await sleep(GRACE_MS);
    const measured = screens.next<Extract<FromScreens, { type: 'measured' }>>('measured');
    screens.send({ type: 'measure', sent: sent.map((s) => [s.id, s.sentAt, districtScreens + (SCREENS.perTown)]) });
    const push = await measured;
    const share = cpuShare(before, after);
    const result: PhaseResult = {
      label, offeredPerSec, ingestedPerSec: sent.length / seconds, ok: sent.length, failed, postMs: percentilesOf(postMs), push,
      cpu: { ...share, bench: (benchCpu.user + benchCpu.system) / 1e6 / seconds, screens: screensShare }, profile: pgProfile,
    };
    console.log(`${label}: ${formatRate(result.ingestedPerSec)} reports/s, push p50 ${push.latency.p50.toFixed(1)} ms p99 ${push.latency.p99.toFixed(1)} ms, ` +
      `delivered ${push.delivered}/${push.expected}, server ${(share.own * 100).toFixed(0)}% PG ${(share.descendants * 100).toFixed(0)}% of a core`);
    console.log(`  alert engine behind the log by ${lagBefore} changes at the start, ${await alertLag()} at the end`);
    const bySecond = new Map<number, number>();
    for (const at of slowSentAt) bySecond.set(Math.floor((at - phaseStart) / 1000), (bySecond.get(Math.floor((at - phaseStart) / 1000)) ?? 0) + 1);
    console.log(`  POSTs over ${SLOW_POST_MS} ms by second of the phase: ${[...bySecond].map(([sec, n]) => `${sec}s:${n}`).join(' ') || 'none'}`);
    return result;
  };

  /** Open loop: sends at a fixed rate whatever the answers do (at most MAX_IN_FLIGHT in flight: beyond it the rate is simply not offered). */
  const openLoop = (rate: number, ms: number) => async (sent: Sent[], postMs: number[]) => {
    const start = performance.now();
    let launched = 0;
    let failed = 0;
    const inFlight = new Set<Promise<void>>();
    while (performance.now() - start < ms) {
      const due = Math.floor(((performance.now() - start) / 1000) * rate);
      while (launched < due && inFlight.size < MAX_IN_FLIGHT) {
        launched += 1;
        const p: Promise<void> = postReport(sent, postMs).then((ok) => {
          if (!ok) failed += 1;
          inFlight.delete(p);
        });
        inFlight.add(p);
      }
      await sleep(2);
    }
    await Promise.all(inFlight);
    return { failed, seconds: (performance.now() - start) / 1000 };
  };

  /** Closed loop: `concurrency` clients, each posting again as soon as answered. */
  const closedLoop = (concurrency: number, ms: number) => async (sent: Sent[], postMs: number[]) => {
    const start = performance.now();
    let failed = 0;
    await Promise.all(Array.from({ length: concurrency }, async () => {
      while (performance.now() - start < ms) if (!(await postReport(sent, postMs))) failed += 1;
    }));
    return { failed, seconds: (performance.now() - start) / 1000 };
  };

  await runPhase(`warm-up ${WARMUP.rate}/s`, openLoop(WARMUP.rate, WARMUP.ms), WARMUP.rate);
  const max = await runPhase(`as fast as ${MAX.concurrency} clients go, ${MAX.ms / 1000} s`, closedLoop(MAX.concurrency, MAX.ms));
  const sustained = await runPhase(`${TARGET_RATE}/s offered for ${SUSTAINED_MS / 1000} s`, openLoop(TARGET_RATE, SUSTAINED_MS), TARGET_RATE);
  // Push latency when the server keeps up: 80% of what it managed flat out (unless that is above the target anyway).
  const keepUpRate = Math.max(10, Math.floor(max.ingestedPerSec * 0.8));
  const phases = [max, sustained];
  if (keepUpRate < TARGET_RATE) phases.push(await runPhase(`${keepUpRate}/s offered (80% of flat out) for ${KEEP_UP_MS / 1000} s`, openLoop(keepUpRate, KEEP_UP_MS), keepUpRate));
  // Diagnostic, NOT the product's setting: the same flat-out run with commits not waiting for their
  // WAL fsync, to show how much of the limit is the fsync inside the change-log counter's row lock.
  await pgClient.query('ALTER SYSTEM SET synchronous_commit = off');
  await pgClient.query('SELECT pg_reload_conf()');
  await sleep(500);
  const asyncCommit = await runPhase(`diagnostic: flat out with synchronous_commit=off, ${MAX.ms / 1000} s`, closedLoop(MAX.concurrency, MAX.ms));
  await pgClient.query('ALTER SYSTEM RESET synchronous_commit');
  await pgClient.query('SELECT pg_reload_conf()');
  phases.push(asyncCommit);

  // ---- heartbeats: 2,000 cameras every 30 s, compressed ----
  await sleep(3_000);
  const idleBefore = sampleCpu(product.pid);
  await sleep(5_000);
  const idle = cpuShare(idleBefore, sampleCpu(product.pid));
  const duty = posters[0];
  const compressed = (range: [number, number]): [number, number] => [range[0] / HEARTBEAT.compression, range[1] / HEARTBEAT.compression];
  const fleetOptions = {
    ...DEMO_FLEET,
    cameraIntervalMs: DEMO_FLEET.cameraIntervalMs / HEARTBEAT.compression,
    sensorIntervalMs: DEMO_FLEET.sensorIntervalMs / HEARTBEAT.compression,
    // Events per hour × compression, and more faults than the demo so status changes flow to the screens.
    cameraOutagesPerHour: DEMO_FLEET.cameraOutagesPerHour * HEARTBEAT.compression,
    siteOutagesPerHour: DEMO_FLEET.siteOutagesPerHour * HEARTBEAT.compression,
    faultsPerHour: 600 * HEARTBEAT.compression,
    fireAlarmsPerHour: 0,
    outageMs: compressed(DEMO_FLEET.outageMs),
    siteOutageMs: compressed(DEMO_FLEET.siteOutageMs),
    faultMs: compressed(DEMO_FLEET.faultMs),
  };
  const fleetStart = Date.now();
  const fleet = new DeviceFleet(data.cameras, data.sensors, fleetOptions, fleetStart);
  const rng = seededRng('bench-live-heartbeats');
  const post = async (body: unknown) => {
    const res = await fetch(new URL('api/v1/devices/heartbeats', url), {
      method: 'POST', headers: { 'content-type': 'application/json', cookie: duty.cookie, 'x-csrf-token': duty.csrf }, body: JSON.stringify(body),
    });
    const answer = (await res.json()) as { accepted?: number; transitions?: number; message?: string };
    if (res.status !== 200) throw new Error(`heartbeats: ${res.status} ${answer.message}`);
    return answer;
  };
  // Every device once first (one interval: all of them come online), then the measured window.
  const primedAt = fleetStart + fleetOptions.sensorIntervalMs;
  await post(heartbeatBody(fleet.step(rng, primedAt).beats));
  const counters = () => {
    const next = screens.next<Extract<FromScreens, { type: 'counters' }>>('counters');
    screens.send({ type: 'counters' });
    return next;
  };
  await sleep(1_000);
  await counters();
  let beats = 0;
  let transitions = 0;
  let requests = 0;
  const hbBefore: CpuSample = sampleCpu(product.pid);
  const hbStart = performance.now();
  while (performance.now() - hbStart < HEARTBEAT.ms) {
    const tickStart = performance.now();
    const { beats: due } = fleet.step(rng, primedAt + (performance.now() - hbStart));
    if (due.length) {
      const answer = await post(heartbeatBody(due));
      beats += due.length;
      transitions += answer.transitions ?? 0;
      requests += 1;
    }
    await sleep(Math.max(0, HEARTBEAT.tickMs - (performance.now() - tickStart)));
  }
  const hbShare = cpuShare(hbBefore, sampleCpu(product.pid));
  await sleep(1_000);
  const camerasOnScreens = await counters();
  const heartbeatsPerSec = beats / (HEARTBEAT.ms / 1000);
  const realShare = { own: hbShare.own / HEARTBEAT.compression, descendants: hbShare.descendants / HEARTBEAT.compression };
  console.log(`heartbeats: ${formatRate(heartbeatsPerSec)}/s (${HEARTBEAT.compression}× real), server ${(hbShare.own * 100).toFixed(1)}% PG ${(hbShare.descendants * 100).toFixed(1)}% of a core; ` +
    `at real rate ≈ ${(realShare.own * 100).toFixed(2)}% + PG ${(realShare.descendants * 100).toFixed(2)}%`);

  // ---- batched vs one emit per change, bare Socket.IO server, same clients ----
  const ratio = await emitRatio(data, emitter);

  await pgClient.end();
  await appDb.end();
  return report({
    sustained, phases, idle, idleFirst, fsyncMs, ratio,
    heartbeat: { cameras: data.cameras.length, sensors: data.sensors.length, perSec: heartbeatsPerSec, requests, transitions, share: hbShare, realShare, screens: camerasOnScreens },
  });
}

interface RatioResult { mode: 'per-change' | 'batched'; cpuMs: number; emits: number; messages: number; changes: number; wallMs: number }

async function emitRatio(data: NewAreaData, emitter: ReturnType<typeof child<ToEmitter, FromEmitter>>): Promise<RatioResult[]> {
  const { port } = await emitter.next<Extract<FromEmitter, { type: 'listening' }>>('listening');
  const clients: Socket[] = [];
  let messages = 0;
  let changes = 0;
  for (let i = 0; i < RATIO.clients; i++) {
    const socket = connect(`http://127.0.0.1:${port}`, { transports: ['websocket'], reconnection: false, forceNew: true });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    socket.on('camera:status-changed', (batch: unknown[]) => {
      messages += 1;
      changes += batch.length;
    });
    clients.push(socket);
  }
  await sleep(500);
  const cameraChanges: CameraStatusChange[] = data.cameras.slice(0, RATIO.changes).map((c, i) => {
    const grid = data.grids.find((g) => g.code === c.gridCode)!;
    return { code: c.code, status: 'offline', previousStatus: 'online', faultCode: null, at: new Date().toISOString(), townCode: grid.townCode, communityCode: grid.communityCode, gridCode: grid.code, seq: 1000 + i };
  });
  const results: RatioResult[] = [];
  // Batched first, then per change, then batched again: the better of each mode's runs counts.
  for (const mode of ['batched', 'per-change', 'batched', 'per-change'] as const) {
    messages = 0;
    changes = 0;
    const emitted = emitter.next<Extract<FromEmitter, { type: 'emitted' }>>('emitted');
    emitter.send({ type: 'run', mode, changes: cameraChanges, spreadMs: RATIO.spreadMs });
    const { emits } = await emitted;
    while (changes < RATIO.changes * RATIO.clients) await sleep(5);
    const cpu = emitter.next<Extract<FromEmitter, { type: 'cpu' }>>('cpu');
    emitter.send({ type: 'finished' });
    const { cpuMs, wallMs } = await cpu;
    results.push({ mode, cpuMs, emits, messages, changes, wallMs });
    console.log(`emit ${mode}: ${emits} emits, ${messages} messages to ${RATIO.clients} clients, server CPU ${cpuMs.toFixed(0)} ms`);
    await sleep(500);
  }
  for (const s of clients) s.disconnect();
  const best = (mode: RatioResult['mode']) => results.filter((r) => r.mode === mode).sort((a, b) => a.cpuMs - b.cpuMs)[0];
  return [best('per-change'), best('batched')];
}

function report(r: {
  sustained: PhaseResult; phases: PhaseResult[]; idle: { own: number; descendants: number; runQueue: number };
  idleFirst: { own: number; descendants: number; runQueue: number }; fsyncMs: number;
  heartbeat: { cameras: number; sensors: number; perSec: number; requests: number; transitions: number; share: { own: number; descendants: number; runQueue: number }; realShare: { own: number; descendants: number };
    screens: { cameraMessages: number; cameraChanges: number } };
  ratio: RatioResult[];
}) {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const ms = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : '–');
  const rateMet = r.sustained.ingestedPerSec >= TARGET_RATE * 0.98 && r.sustained.failed === 0;
  const p99Met = r.sustained.push.latency.p99 < TARGET_P99_MS;
  const hbMet = r.heartbeat.realShare.own < TARGET_HEARTBEAT_CORE_SHARE;
  const [perChange, batched] = r.ratio;
  const cpuRatio = perChange.cpuMs / batched.cpuMs;
  const row = (p: PhaseResult) =>
    `| ${p.label} | ${p.offeredPerSec ? formatRate(p.offeredPerSec) : '–'} | **${formatRate(p.ingestedPerSec)}** | ${p.failed} | ${ms(p.postMs.p50)} / ${ms(p.postMs.p99)} | ` +
    `**${ms(p.push.latency.p50)} / ${ms(p.push.latency.p99)}** (max ${ms(p.push.latency.max)}) | ${p.push.delivered.toLocaleString('en-US')} / ${p.push.expected.toLocaleString('en-US')} | ${p.push.messages.toLocaleString('en-US')} | ` +
    `${pct(p.cpu.own)} | ${pct(p.cpu.runQueue)} | ${pct(p.cpu.descendants)} | ${pct(p.cpu.bench)} | ${pct(p.cpu.screens)} |`;
  const markdown = [
    `The product as \`npm start\` runs it (server/src/main.ts, embedded PostgreSQL) in a child process; ${SCREENS.kiosks + SCREENS.districtDuty + 5 * SCREENS.perTown} screens`,
    `(socket.io-client, websocket) in a second child: ${SCREENS.kiosks} kiosks and ${SCREENS.districtDuty} duty officers subscribed to the district, ${SCREENS.perTown} duty officers per town`,
    `subscribed to their town, so each report is pushed to ${SCREENS.kiosks + SCREENS.districtDuty + SCREENS.perTown} screens. Reports (catalogue mix, points inside their grids, the feed's model)`,
    `are POSTed to /api/v1/reports by this process over ${POSTING_SESSIONS} duty-officer sessions; push latency is from just before the POST to the`,
    '`incident:created` event at each screen (wall clock, shared by the processes). CPU is the share of one core read from /proc:',
    'the product\'s Node process ("server") and its PostgreSQL processes ("PG") separately; "bench" is this load generator, "screens" the 100 screens\' process. All on the same 2 cores,',
    `shared with whatever else ran: 1-minute load average ${loadBefore.toFixed(1)} when the run began, ${os.loadavg()[0].toFixed(1)} at its end.`,
    '',
    '"server waited" is the share of the phase the server\'s event-loop thread spent runnable but waiting for a CPU (/proc/PID/schedstat).',
    '"in messages": the `incident:created` messages the screens received; each carries a list (what one read of the change log brought for its room).',
    '',
    '| phase | offered / s | ingested / s | failed | POST p50 / p99 ms | push p50 / p99 ms | pushes delivered | in messages | server CPU | server waited | PG CPU | bench CPU | screens CPU |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...r.phases.map(row),
    '',
    'Where the database connections were during each phase (pg_stat_activity sampled every ~50 ms, few enough not to show in PG CPU; mean connections per sample in each state):',
    '',
    ...r.phases.map((p) => `- ${p.label}: ${(p.profile?.states ?? []).slice(0, 5).map(([k, n]) => `${k} ${n.toFixed(2)}`).join(', ')}`),
    '',
    `Heartbeats: ${r.heartbeat.cameras.toLocaleString('en-US')} cameras (every 30 s) and ${r.heartbeat.sensors} fire sensors (every 60 s), compressed ${HEARTBEAT.compression}× (every ${30 / HEARTBEAT.compression} s) for ${HEARTBEAT.ms / 1000} s: `
      + `${formatRate(r.heartbeat.perSec)} heartbeats/s in ${r.heartbeat.requests} batches (POST /api/v1/devices/heartbeats, one every ${HEARTBEAT.tickMs} ms), ${r.heartbeat.transitions} status transitions.`,
    '',
    '| heartbeats | server CPU | PG CPU |',
    '| --- | ---: | ---: |',
    `| idle product before any load, for reference | ${pct(r.idleFirst.own)} | ${pct(r.idleFirst.descendants)} |`,
    `| idle product after the report phases (thousands of open incidents), for reference | ${pct(r.idle.own)} | ${pct(r.idle.descendants)} |`,
    `| ${HEARTBEAT.compression}× compressed, measured | ${pct(r.heartbeat.share.own)} | ${pct(r.heartbeat.share.descendants)} |`,
    `| at the real rate (measured ÷ ${HEARTBEAT.compression}) | **${pct(r.heartbeat.realShare.own)}** | **${pct(r.heartbeat.realShare.descendants)}** |`,
    '',
    `On the screens meanwhile: ${r.heartbeat.screens.cameraChanges.toLocaleString('en-US')} camera changes arrived in ${r.heartbeat.screens.cameraMessages.toLocaleString('en-US')} \`camera:status-changed\` messages (the product's 250 ms coalescer).`,
    '',
    `Camera updates batched vs one emit per change: ${RATIO.changes.toLocaleString('en-US')} camera changes spread over ${RATIO.spreadMs / 1000} s to ${RATIO.clients} clients in one room, on a bare`,
    'Socket.IO server in its own process (only the emitting differs: the product\'s `Coalescer` at 250 ms vs `emit` per change); better of two runs each.',
    '',
    '| mode | emits | messages received | server CPU ms |',
    '| --- | ---: | ---: | ---: |',
    ...r.ratio.map((x) => `| ${x.mode} | ${x.emits.toLocaleString('en-US')} | ${x.messages.toLocaleString('en-US')} | ${x.cpuMs.toFixed(0)} |`),
    '',
    `Ratio: one emit per change costs **${cpuRatio.toFixed(1)}×** the server CPU of batching, and sends ${(perChange.messages / batched.messages).toFixed(0)}× the messages.`,
    '',
    ...analysis(r.phases, r.fsyncMs, r.idleFirst, r.idle, {
      targetRate: TARGET_RATE, pushesPerReport: SCREENS.kiosks + SCREENS.districtDuty + SCREENS.perTown, screens: SCREENS.kiosks + SCREENS.districtDuty + 5 * SCREENS.perTown,
    }),
    '',
    `Targets: ≥ ${TARGET_RATE} reports/s sustained with ${SCREENS.kiosks + SCREENS.districtDuty + 5 * SCREENS.perTown} screens: **${rateMet ? 'met' : 'NOT met'}** (${formatRate(r.sustained.ingestedPerSec)}/s, ${r.sustained.failed} failed); `
      + `push p99 < ${TARGET_P99_MS} ms at that rate: **${p99Met ? 'met' : 'NOT met'}** (${ms(r.sustained.push.latency.p99)} ms); `
      + `heartbeats under ${pct(TARGET_HEARTBEAT_CORE_SHARE)} of a core: **${hbMet ? 'met' : 'NOT met'}** (server ${pct(r.heartbeat.realShare.own)}, its PostgreSQL ${pct(r.heartbeat.realShare.descendants)}).`,
  ].join('\n');
  const summary = `sustained ${formatRate(r.sustained.ingestedPerSec)}/s (p50 ${ms(r.sustained.push.latency.p50)} ms, p99 ${ms(r.sustained.push.latency.p99)} ms), `
    + r.phases.filter((p) => p !== r.sustained).map((p) => `${p.label}: ${formatRate(p.ingestedPerSec)}/s (p99 ${ms(p.push.latency.p99)} ms)`).join(', ') + `, heartbeats ${pct(r.heartbeat.realShare.own)} + PG ${pct(r.heartbeat.realShare.descendants)} of a core, `
    + `per-change/batched CPU ${cpuRatio.toFixed(1)}× — targets: rate ${rateMet ? 'met' : 'NOT met'}, p99 ${p99Met ? 'met' : 'NOT met'}, heartbeats ${hbMet ? 'met' : 'NOT met'}`;
  return { summary, markdown };
}
