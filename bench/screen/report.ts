// The screen benchmark's section of docs/BENCHMARKS.md: the set-up, the two
// screens side by side with the baseline's ratio, the heap trend and the
// minutes.
import type { BenchResult } from '../types.ts';
import type { HeapSample, ProcessSample } from './probe.ts';
import { MAX_IN_FLIGHT, type KindCount } from './load.ts';

export interface MinuteRow {
  minute: number;
  updatesPerS: number;
  longTaskMs: number;
  longTasks: number;
  messages: number;
  lagP50: number;
  lagP99: number;
  lagMax: number;
  /** False when the screen did not answer the minute's read in time (it was behind). */
  answered: boolean;
}

export interface VariantResult {
  key: string;
  label: string;
  minutes: MinuteRow[];
  heaps: { minute: number; heap: HeapSample }[];
  procStart: ProcessSample;
  procEnd: ProcessSample;
  layer: { setData: number; updateData: number; features: number };
  featuresAtEnd: number;
  errors: string[];
}

export interface ScreenRun {
  minutes: number;
  openAtStart: number;
  openAtEnd: number;
  cameras: number;
  seedS: number;
  loadBefore: number;
  loadAfter: number;
  mix: Record<string, number>;
  counts: Record<string, KindCount>;
  cameraTransitions: number;
  failures: Map<string, number>;
  results: VariantResult[];
  shots: string[];
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const median = (xs: number[]) => sorted(xs)[Math.floor(xs.length / 2)] ?? NaN;
const f0 = (x: number) => (Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : x === Infinity ? '> 2,000' : '–');
const f1 = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : '–');
const ratio = (base: number, ours: number) => (ours > 0 ? `${(base / ours).toFixed(1)}×` : base > 0 ? '∞ (ours 0)' : '–');

function summaryOf(v: VariantResult) {
  const lt = v.minutes.map((m) => m.longTaskMs);
  const first = v.heaps[0].heap;
  const last = v.heaps[v.heaps.length - 1].heap;
  const cpu = (pattern: RegExp) => Object.keys(v.procEnd.cpu).filter((k) => pattern.test(k))
    .reduce((a, k) => a + v.procEnd.cpu[k] - (v.procStart.cpu[k] ?? 0), 0);
  return {
    ltMean: mean(lt),
    ltWorst: Math.max(...lt),
    ltCount: v.minutes.reduce((a, m) => a + m.longTasks, 0),
    lagP50: median(v.minutes.filter((m) => m.answered).map((m) => m.lagP50)),
    lagP99: median(v.minutes.filter((m) => m.answered).map((m) => m.lagP99)),
    lagWorst: Math.max(...v.minutes.filter((m) => m.answered).map((m) => m.lagMax)),
    unanswered: v.minutes.filter((m) => !m.answered).length,
    heapStart: first.usedMB,
    heapEnd: last.usedMB,
    nodes: [first.nodes, last.nodes],
    listeners: [first.listeners, last.listeners],
    scriptPerMin: ((last.scriptS - first.scriptS) * 1000) / Math.max(1, v.minutes.length),
    rendererCpu: cpu(/^renderer$/i),
    gpuCpu: cpu(/gpu/i),
    allCpu: cpu(/./),
    rssEnd: v.procEnd.rssMB.renderer ?? NaN,
    rssStart: v.procStart.rssMB.renderer ?? NaN,
  };
}

export function renderReport(run: ScreenRun): BenchResult {
  const [ours, base] = run.results;
  const o = summaryOf(ours);
  const b = summaryOf(base);
  const seconds = run.minutes * 60;
  const sent = Object.entries(run.counts).map(([k, c]) => `${k} ${f1(c.ok / seconds)}/s` + (c.failed || c.skipped ? ` (${c.failed} failed, ${c.skipped} skipped)` : '')).join(', ');
  const totalOk = Object.values(run.counts).reduce((a, c) => a + c.ok, 0);
  const mins = Math.max(1, run.minutes);
  const lines: string[] = [];
  lines.push(
    `Two big screens (\`#/screen\`, district kiosk, 1920×1080, Debian Chromium with software WebGL, each in its own browser) on one product (embedded PostgreSQL, demo feed, alert rules and SLA timer off), fed by the same stream for ${run.minutes} min: ` +
    `**${run.openAtStart.toLocaleString('en-US')} open incidents** on the map at the start (filed as reports through the API, ${f0(run.seedS)} s; the screens' snapshot pages through all of them), ${run.cameras.toLocaleString('en-US')} cameras, and ` +
    `${Object.values(run.mix).reduce((a, b2) => a + b2, 0)} updates/s offered through the public API (${Object.entries(run.mix).map(([k, n]) => `${n} ${k}`).join(', ')}; creations and closures balance so the open count stays put). ` +
    `Delivered: **${f1(totalOk / seconds)} updates/s** (${sent}; skipped = not sent because ${MAX_IN_FLIGHT} requests were already waiting on the server, or nothing was waiting for that step yet); ${run.cameraTransitions.toLocaleString('en-US')} camera transitions` +
    (run.failures.size ? ` (refusals: ${[...run.failures].map(([k, n]) => `${k}: ${n}`).join(', ')})` : '') + '. ' +
    `*ours*: incidents as \`updateData\` diffs by id and camera status as feature-state, coalesced to one per animation frame; *setData*: the same screen with \`?bench=setdata\`, which hands the whole incident (or camera) collection to \`setData\` on every pushed update. ` +
    `Load average ${run.loadBefore.toFixed(1)} before, ${run.loadAfter.toFixed(1)} after (2 cores, shared with other work).`,
    '',
    `| | ours | setData | setData / ours |`,
    `| --- | --- | --- | --- |`,
    `| main-thread long tasks, ms per minute (mean) | ${f0(o.ltMean)} | ${f0(b.ltMean)} | **${ratio(b.ltMean, o.ltMean)}** |`,
    `| long tasks, worst minute (ms) | ${f0(o.ltWorst)} | ${f0(b.ltWorst)} | ${ratio(b.ltWorst, o.ltWorst)} |`,
    `| long tasks, count | ${f0(o.ltCount)} | ${f0(b.ltCount)} | |`,
    `| script time, ms per minute | ${f0(o.scriptPerMin)} | ${f0(b.scriptPerMin)} | ${ratio(b.scriptPerMin, o.scriptPerMin)} |`,
    `| event-to-frame lag p50 / p99 (median of minutes), ms | ${f0(o.lagP50)} / ${f0(o.lagP99)} | ${f0(b.lagP50)} / ${f0(b.lagP99)} | |`,
    `| event-to-frame lag, worst, ms | ${f0(o.lagWorst)} | ${f0(b.lagWorst)} | |`,
    `| minutes whose read the screen did not answer within 20 s (it was behind) | ${o.unanswered} | ${b.unanswered} | |`,
    `| JS heap after GC, start → end (MB) | ${f1(o.heapStart)} → ${f1(o.heapEnd)} | ${f1(b.heapStart)} → ${f1(b.heapEnd)} | |`,
    `| JS heap growth (MB) | ${f1(o.heapEnd - o.heapStart)} | ${f1(b.heapEnd - b.heapStart)} | |`,
    `| DOM nodes, start → end | ${f0(o.nodes[0])} → ${f0(o.nodes[1])} | ${f0(b.nodes[0])} → ${f0(b.nodes[1])} | |`,
    `| JS event listeners, start → end | ${f0(o.listeners[0])} → ${f0(o.listeners[1])} | ${f0(b.listeners[0])} → ${f0(b.listeners[1])} | |`,
    `| renderer CPU, s per minute (main thread + map workers) | ${f1(o.rendererCpu / mins)} | ${f1(b.rendererCpu / mins)} | ${ratio(b.rendererCpu, o.rendererCpu)} |`,
    `| GPU process CPU (software GL), s per minute | ${f1(o.gpuCpu / mins)} | ${f1(b.gpuCpu / mins)} | ${ratio(b.gpuCpu, o.gpuCpu)} |`,
    `| all of its Chromium's processes, CPU s per minute | ${f1(o.allCpu / mins)} | ${f1(b.allCpu / mins)} | ${ratio(b.allCpu, o.allCpu)} |`,
    `| renderer resident memory, start → end (MB) | ${f0(o.rssStart)} → ${f0(o.rssEnd)} | ${f0(b.rssStart)} → ${f0(b.rssEnd)} | |`,
    `| incident source: setData / updateData calls | ${f0(ours.layer.setData)} / ${f0(ours.layer.updateData)} | ${f0(base.layer.setData)} / ${f0(base.layer.updateData)} | |`,
    `| incidents on the map at the end (server: ${run.openAtEnd.toLocaleString('en-US')} open) | ${f0(ours.featuresAtEnd)} | ${f0(base.featuresAtEnd)} | |`,
    '',
    `JS heap after a forced GC (CDP \`HeapProfiler.collectGarbage\`, then \`Runtime.getHeapUsage\`; the main thread's isolate, the map's workers not included: their share shows in the renderer's resident memory), MB:`,
    '',
    `| minute | ${run.results.map((r) => r.key).join(' | ')} |`,
    `| --- | ${run.results.map(() => '---').join(' | ')} |`,
    ...[...new Set(run.results.flatMap((r) => r.heaps.map((h) => h.minute)))].sort((x, y) => x - y)
      .map((minute) => `| ${minute} | ${run.results.map((r) => f1(r.heaps.find((h) => h.minute === minute)?.heap.usedMB ?? NaN)).join(' | ')} |`),
    '',
    `Per minute (long tasks in ms; lag = from a WebSocket message's arrival to the next animation frame, p99 in ms):`,
    '',
    `| minute | updates/s | long tasks ours | long tasks setData | lag p99 ours | lag p99 setData |`,
    `| --- | --- | --- | --- | --- | --- |`,
    ...ours.minutes.map((m, i) => {
      const n = base.minutes[i];
      const lag = (r: MinuteRow | undefined) => (r?.answered ? f0(r.lagP99) : 'no answer');
      return `| ${m.minute} | ${f1(m.updatesPerS)} | ${f0(m.longTaskMs)} | ${f0(n?.longTaskMs ?? NaN)} | ${lag(m)} | ${lag(n)} |`;
    }),
    '',
    `Method: long tasks from \`PerformanceObserver('longtask')\` (tasks over 50 ms), summed per minute; binned by the minute they started in; the forced GCs of the heap samples are left out. CPU and resident memory of each browser's processes from CDP \`SystemInfo.getProcessInfo\` and /proc. ` +
    `Screenshots at the end: ${run.shots.map((s) => `\`${s.replace(/^.*\/var\//, 'var/')}\``).join(', ')} (git-ignored).` +
    (ours.errors.length || base.errors.length ? ` Page errors: ${[...ours.errors, ...base.errors].join('; ').slice(0, 400)}.` : ''),
  );
  const summary = `screen: long tasks ${f0(o.ltMean)} ms/min (ours) vs ${f0(b.ltMean)} ms/min (setData), ${ratio(b.ltMean, o.ltMean)}; heap ${f1(o.heapStart)}→${f1(o.heapEnd)} MB vs ${f1(b.heapStart)}→${f1(b.heapEnd)} MB; ${f1(totalOk / seconds)} updates/s delivered`;
  return { summary, markdown: lines.join('\n') };
}
