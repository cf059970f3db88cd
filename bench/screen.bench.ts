// screen: the big screen in Chromium for `--minutes N` (default 30) with
// 10,000 open incidents and the dataset's ~2,000 cameras while 50 updates a
// second arrive as real pushes; the product's way (updateData diffs by id,
// camera feature-state, once per animation frame) against the naive way
// (setData of the whole collection for every update, `#/screen?bench=setdata`),
// both screens at once on the same stream so the machine's noise hits both.
//   npm run bench -- screen [--minutes 1]
// Measured per screen: main-thread long tasks per minute, event-to-frame lag,
// the JS heap after a forced GC at the start, every 5 minutes and at the end,
// and the CPU and memory of its Chromium processes.
import { mkdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import type { NewAreaData } from '../data/types.ts';
import type { IncidentList } from '../shared/schemas/incident.ts';
import type { Bench } from './types.ts';
import { ensureClientBuilt } from '../e2e/build-client.ts';
import { signIn, startProductChild } from './live/product-child.ts';
import { Api } from './screen/api.ts';
import { MIX_PER_SECOND, ScreenLoad } from './screen/load.ts';
import { ScreenProbe, histogramMax, histogramQuantile, type Counters, type HeapSample, type ProcessSample } from './screen/probe.ts';
import { renderReport, type MinuteRow, type VariantResult } from './screen/report.ts';

const DATA = fileURLToPath(new URL('../data/generated/newarea.json', import.meta.url));
const SHOTS = fileURLToPath(new URL('../var/bench-screen/', import.meta.url));
export const OPEN_INCIDENTS = 10_000;
const HEAP_EVERY_MINUTES = 5;
const MINUTE_MS = 60_000;

const VARIANTS = [
  { key: 'ours', label: 'updateData + feature-state, per frame', query: '' },
  { key: 'setdata', label: 'setData of everything, every update', query: '?bench=setdata' },
] as const;

/** `--minutes N` from the command line (bench/run.ts passes flags through). */
export function minutesArg(argv: readonly string[]): number {
  const i = argv.indexOf('--minutes');
  if (i === -1) return 30;
  const n = Number(argv[i + 1]);
  if (!(n > 0)) throw new Error(`--minutes needs a positive number, got ${argv[i + 1]}`);
  return n;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/**
 * A screen that has fallen behind (the baseline: a backlog of pushes, each a
 * setData) answers the benchmark's reads late: a read gets this long, then
 * the minute goes on without it, so the clock stays the wall's.
 */
const READ_TIMEOUT_MS = 20_000;

/** The value, or null when it did not come in time (the promise keeps running). */
function within<T>(work: Promise<T>, ms: number): Promise<T | null> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<null>((resolve) => { timer = setTimeout(() => resolve(null), ms); });
  return Promise.race([work.catch(() => null), late]).finally(() => clearTimeout(timer));
}

/** Open incidents the API gives the kiosk, paged to the end: what a fresh screen must show. */
async function openOnServer(api: Api, cookie: string): Promise<number> {
  let n = 0;
  let cursor: string | null = null;
  do {
    const res: { status: number; body: IncidentList } = await api.request<IncidentList>('GET', `api/v1/incidents?open=true&limit=500${cursor ? `&cursor=${cursor}` : ''}`, { cookie, csrf: '' });
    if (res.status !== 200) throw new Error(`GET /incidents?open=true: ${res.status}`);
    n += res.body.incidents.length;
    cursor = res.body.nextCursor;
  } while (cursor);
  return n;
}

interface Tracked {
  probe: ScreenProbe;
  messagesBefore: number;
  heaps: { minute: number; heap: HeapSample }[];
  procStart: ProcessSample;
  minutes: MinuteRow[];
  layerAtEnd?: Counters['layer'];
}

export default {
  name: 'screen',
  title: 'big screen: 10,000 live incidents, 50 updates/s, updateData vs setData',
  async run() {
    const minutes = minutesArg(process.argv);
    const data = JSON.parse(readFileSync(DATA, 'utf8')) as NewAreaData;
    ensureClientBuilt();
    const loadBefore = os.loadavg()[0];
    const product = await startProductChild({
      // A quiet product: only the benchmark's own traffic makes changes.
      ALERT_RULES_OFF: 'level1,overdue,cluster,cameraRate,fireAlarm',
      SLA_SWEEP_SECONDS: '0',
      CAMERA_OFFLINE_SECONDS: '1000000', SENSOR_OFFLINE_SECONDS: '1000000',
      SESSION_IDLE_MINUTES: String(Math.max(30, minutes * 2 + 30)),
    });
    const probes: ScreenProbe[] = [];
    const interrupted = () => {
      void Promise.allSettled(probes.map((p) => p.close())).then(() => product.stop()).finally(() => process.exit(130));
    };
    process.once('SIGINT', interrupted);
    process.once('SIGTERM', interrupted);
    try {
      const api = new Api(product.url);
      const load = new ScreenLoad(api, data);
      await load.prepare();
      const seedStart = performance.now();
      await load.seed(OPEN_INCIDENTS, (n) => console.log(`  seeded ${n}`));
      const seedS = (performance.now() - seedStart) / 1000;
      console.log(`seeded ${OPEN_INCIDENTS} open incidents in ${seedS.toFixed(0)} s`);

      const kiosk = await signIn(product.url, 'kiosk.district');
      const expected = await openOnServer(api, kiosk.cookie);
      for (const v of VARIANTS) probes.push(await ScreenProbe.open(v.key, product.url, kiosk.cookie, v.query));
      await Promise.all(probes.map((p) => p.waitForFeatures(expected)));
      console.log(`both screens live with ${expected} incidents on the map`);

      const tracked: Tracked[] = [];
      for (const probe of probes) {
        const heap = await probe.heap();
        tracked.push({ probe, heaps: [{ minute: 0, heap }], procStart: await probe.processes(), minutes: [], messagesBefore: (await probe.read()).messages });
      }
      for (const t of tracked) await t.probe.start();
      load.start();
      const started = performance.now();
      let previousOk = 0;
      const whole = Math.ceil(minutes);
      let previousAt = started;
      for (let minute = 1; minute <= whole; minute++) {
        const until = started + Math.min(minute, minutes) * MINUTE_MS;
        await sleep(Math.max(0, until - performance.now()));
        const okNow = Object.values(load.counts).reduce((a, c) => a + c.ok, 0);
        const at = performance.now();
        const updatesPerS = ((okNow - previousOk) * 1000) / (at - previousAt);
        previousOk = okNow;
        previousAt = at;
        const heapNow = minute % HEAP_EVERY_MINUTES === 0 && minute < minutes;
        await Promise.all(tracked.map((t) => sampleMinute(t, minute, updatesPerS, heapNow)));
        const [a, b] = tracked.map((t) => t.minutes[t.minutes.length - 1]);
        console.log(`minute ${minute} (${((performance.now() - started) / 60_000).toFixed(1)} min): ${updatesPerS.toFixed(1)} updates/s; lag p99 ${a.lagP99} vs ${b.lagP99} ms (ours vs setData); ${JSON.stringify(load.counts)}`);
      }
      await load.stop();
      // Long tasks are binned by the minute they started; the observer may deliver late, so read them all now.
      await sleep(5_000);
      for (const t of tracked) {
        const final = await within(t.probe.read(), 180_000);
        if (!final) throw new Error(`the ${t.probe.label} screen did not answer within 3 minutes after the load stopped`);
        for (const row of t.minutes) {
          row.longTaskMs = final.longTaskMs[row.minute - 1] ?? 0;
          row.longTasks = final.longTasks[row.minute - 1] ?? 0;
        }
        t.layerAtEnd = final.layer;
      }
      // The end state: the same open count on the server and on both maps.
      const finalOpen = await openOnServer(api, kiosk.cookie);
      const onMaps: number[] = [];
      for (const t of tracked) {
        try {
          await t.probe.waitForFeatures(finalOpen, 120_000);
        } catch {
          // reported below as a mismatch
        }
        onMaps.push((await within(t.probe.read(), 60_000))?.layer.features ?? NaN);
        const heap = await within(t.probe.heap(), 120_000);
        if (heap) t.heaps.push({ minute: minutes, heap });
      }
      mkdirSync(SHOTS, { recursive: true });
      const shots: string[] = [];
      for (const t of tracked) {
        const path = `${SHOTS}screen-${t.probe.label}.png`;
        await t.probe.page.screenshot({ path, timeout: 180_000 });
        shots.push(path);
      }
      const results: VariantResult[] = [];
      for (const [i, t] of tracked.entries()) {
        const procEnd = await t.probe.processes();
        results.push({
          key: VARIANTS[i].key, label: VARIANTS[i].label, minutes: t.minutes, heaps: t.heaps, procStart: t.procStart, procEnd,
          layer: t.layerAtEnd!, featuresAtEnd: onMaps[i], errors: t.probe.errors.slice(0, 5),
        });
      }
      const report = renderReport({
        minutes, openAtStart: expected, openAtEnd: finalOpen, cameras: load.cameraCount, seedS, loadBefore, loadAfter: os.loadavg()[0],
        mix: MIX_PER_SECOND, counts: load.counts, cameraTransitions: load.cameraTransitions, failures: load.failures, results, shots,
      });
      return report;
    } finally {
      process.off('SIGINT', interrupted);
      process.off('SIGTERM', interrupted);
      await Promise.allSettled(probes.map((p) => p.close()));
      await product.stop();
    }
  },
} satisfies Bench;

/**
 * Closes one minute of a screen (lag, messages); on heap minutes forces a GC,
 * whose long task is left out. A screen that does not answer in time gets a
 * row without lag (its long tasks are read at the end, binned by start time).
 */
async function sampleMinute(t: Tracked, minute: number, updatesPerS: number, heapNow: boolean): Promise<void> {
  const now = await within(t.probe.read(), READ_TIMEOUT_MS);
  t.minutes.push({
    minute,
    updatesPerS,
    longTaskMs: now?.longTaskMs[minute - 1] ?? 0,
    longTasks: now?.longTasks[minute - 1] ?? 0,
    messages: now ? now.messages - t.messagesBefore : NaN,
    lagP50: now ? histogramQuantile(now.lag, now.lagOver, 0.5) : NaN,
    lagP99: now ? histogramQuantile(now.lag, now.lagOver, 0.99) : NaN,
    lagMax: now ? histogramMax(now.lag, now.lagOver) : NaN,
    answered: now !== null,
  });
  if (now) t.messagesBefore = now.messages;
  if (!heapNow) return;
  const heap = await within(t.probe.heap(), READ_TIMEOUT_MS * 3);
  if (heap) t.heaps.push({ minute, heap });
  await within(t.probe.read(), READ_TIMEOUT_MS); // the GC's lag belongs to no minute
}
