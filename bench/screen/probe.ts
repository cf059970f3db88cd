// One big screen under measurement: its own Chromium (own renderer and GPU
// process, so the two variants do not share a compositor), #/screen signed
// in as the district kiosk, and what the benchmark reads from it:
// - long tasks (PerformanceObserver 'longtask'), summed;
// - event-to-frame lag: from a WebSocket message's arrival to the start of
//   the next animation frame (counted in 1 ms buckets, no growing arrays);
// - the main thread's JS heap after a forced GC (CDP HeapProfiler +
//   Runtime.getHeapUsage), DOM nodes and listeners, script and task time;
// - CPU time and resident memory of the browser's processes (CDP SystemInfo).
import { readFileSync } from 'node:fs';
import type { Browser, CDPSession, Page } from 'playwright-core';
import { launchBrowser } from '../../e2e/browser.ts';
import { waitForLiveScreen } from '../../e2e/screen-page.ts';

const LAG_BUCKETS = 2_000;
/** Minutes of long tasks a page keeps (by the minute they started in). */
const MAX_MINUTES = 240;

interface PageProbe {
  /** performance.now() when the load started; long tasks are binned by start time from here. */
  t0: number | null;
  longTaskMs: Float64Array;
  longTasks: Uint32Array;
  /** [start, end] windows (page time) whose long tasks are ours (forced GC), not the screen's. */
  excluded: number[];
  lag: Uint32Array;
  lagOver: number;
  messages: number;
}

/**
 * Runs in the page before its own scripts. Long tasks are binned by the
 * minute they started in, not when the observer delivers them: under load
 * the callbacks come late, in bursts.
 */
function installProbe(sizes: { buckets: number; minutes: number }): void {
  const probe: PageProbe = {
    t0: null, longTaskMs: new Float64Array(sizes.minutes), longTasks: new Uint32Array(sizes.minutes), excluded: [],
    lag: new Uint32Array(sizes.buckets), lagOver: 0, messages: 0,
  };
  (window as unknown as { __bench: PageProbe }).__bench = probe;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      if (probe.t0 === null || e.startTime < probe.t0) continue;
      let ours = false;
      for (let i = 0; i < probe.excluded.length; i += 2) if (e.startTime >= probe.excluded[i] && e.startTime <= probe.excluded[i + 1]) ours = true;
      if (ours) continue;
      const minute = Math.floor((e.startTime - probe.t0) / 60_000);
      if (minute >= probe.longTaskMs.length) continue;
      probe.longTaskMs[minute] += e.duration;
      probe.longTasks[minute]++;
    }
  }).observe({ type: 'longtask', buffered: true });
  const Native = window.WebSocket;
  // Registered in the constructor, so it runs before socket.io's own onmessage.
  window.WebSocket = class extends Native {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      this.addEventListener('message', () => {
        probe.messages++;
        const t = performance.now();
        requestAnimationFrame(() => {
          const ms = Math.round(performance.now() - t);
          if (ms < probe.lag.length) probe.lag[ms]++;
          else probe.lagOver++;
        });
      });
    }
  };
}

/**
 * The probe as page source. tsx (esbuild, keepNames) wraps named functions
 * and classes in a `__name` helper that the page does not have: give it one.
 */
const PROBE_SCRIPT = `var __name = (f) => f;\n(${installProbe.toString()})(${JSON.stringify({ buckets: LAG_BUCKETS, minutes: MAX_MINUTES })});`;

export interface Counters {
  /** Long-task ms and count by minute since start(). */
  longTaskMs: number[];
  longTasks: number[];
  messages: number;
  /** Lag counts by ms since the last read (the page's buckets are zeroed by reading). */
  lag: number[];
  lagOver: number;
  /** What the incident layer holds and how it was fed (client/src/map/layers/IncidentLayer.vue). */
  layer: { setData: number; updateData: number; features: number };
}

export interface HeapSample {
  usedMB: number;
  totalMB: number;
  nodes: number;
  listeners: number;
  /** Cumulative main-thread seconds: scripts, all tasks. */
  scriptS: number;
  taskS: number;
}

export interface ProcessSample {
  /** Cumulative CPU seconds by process type (renderer, gpu, browser, utility). */
  cpu: Record<string, number>;
  /** Resident MB by process type, summed. */
  rssMB: Record<string, number>;
}

export class ScreenProbe {
  private constructor(
    readonly label: string,
    readonly browser: Browser,
    readonly page: Page,
    private readonly cdp: CDPSession,
    readonly errors: string[],
  ) {}

  static async open(label: string, baseUrl: string, cookie: string, query: string): Promise<ScreenProbe> {
    const browser = await launchBrowser();
    const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    await context.addCookies(cookie.split('; ').map((pair) => {
      const [name, ...rest] = pair.split('=');
      return { name, value: rest.join('='), url: baseUrl };
    }));
    await context.addInitScript({ content: PROBE_SCRIPT });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    await page.goto(`${new URL('/', baseUrl).href}#/screen${query}`, { timeout: 180_000 });
    await waitForLiveScreen(page);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    return new ScreenProbe(label, browser, page, cdp, errors);
  }

  /** Waits until the map's incident source holds `count` features. */
  async waitForFeatures(count: number, timeoutMs = 300_000): Promise<void> {
    await this.page.waitForFunction((n) => window.__incidentLayer?.features === n, count, { timeout: timeoutMs, polling: 1_000 });
  }

  /** Starts the minutes: long tasks from now on count. */
  async start(): Promise<void> {
    await this.page.evaluate(() => { (window as unknown as { __bench: PageProbe }).__bench.t0 = performance.now(); });
  }

  async read(): Promise<Counters> {
    return this.page.evaluate(() => {
      const p = (window as unknown as { __bench: PageProbe }).__bench;
      const lag = Array.from(p.lag);
      p.lag.fill(0);
      const over = p.lagOver;
      p.lagOver = 0;
      const layer = window.__incidentLayer ?? { setData: 0, updateData: 0, features: 0 };
      return { longTaskMs: Array.from(p.longTaskMs), longTasks: Array.from(p.longTasks), messages: p.messages, lag, lagOver: over, layer: { ...layer } };
    });
  }

  /** The heap after a forced GC; the GC's own long task is excluded from the minutes. */
  async heap(): Promise<HeapSample> {
    // Open-ended until the GC is over: the observer may deliver its long task before the window closes.
    await this.page.evaluate(() => { (window as unknown as { __bench: PageProbe }).__bench.excluded.push(performance.now(), Infinity); });
    const sample = await this.heapNow();
    await this.page.evaluate(() => {
      const windows = (window as unknown as { __bench: PageProbe }).__bench.excluded;
      windows[windows.length - 1] = performance.now();
    });
    return sample;
  }

  private async heapNow(): Promise<HeapSample> {
    await this.cdp.send('HeapProfiler.collectGarbage');
    const usage = await this.cdp.send('Runtime.getHeapUsage');
    const { metrics } = await this.cdp.send('Performance.getMetrics');
    const m = (name: string) => metrics.find((x) => x.name === name)?.value ?? NaN;
    return {
      usedMB: usage.usedSize / 2 ** 20,
      totalMB: usage.totalSize / 2 ** 20,
      nodes: m('Nodes'),
      listeners: m('JSEventListeners'),
      scriptS: m('ScriptDuration'),
      taskS: m('TaskDuration'),
    };
  }

  async processes(): Promise<ProcessSample> {
    const session = await this.browser.newBrowserCDPSession();
    try {
      const { processInfo } = (await session.send('SystemInfo.getProcessInfo')) as { processInfo: { type: string; id: number; cpuTime: number }[] };
      const cpu: Record<string, number> = {};
      const rssMB: Record<string, number> = {};
      for (const p of processInfo) {
        cpu[p.type] = (cpu[p.type] ?? 0) + p.cpuTime;
        rssMB[p.type] = (rssMB[p.type] ?? 0) + rssOf(p.id);
      }
      return { cpu, rssMB };
    } finally {
      await session.detach();
    }
  }

  async close(): Promise<void> {
    await this.browser.close();
  }
}

function rssOf(pid: number): number {
  try {
    const kB = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kB ? Number(kB) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** Quantile of a 1 ms histogram (counts by ms), with the overflow counted as beyond the last bucket. */
export function histogramQuantile(counts: readonly number[], over: number, q: number): number {
  const total = counts.reduce((a, b) => a + b, 0) + over;
  if (total === 0) return NaN;
  const want = Math.ceil(q * total);
  let seen = 0;
  for (let ms = 0; ms < counts.length; ms++) {
    seen += counts[ms];
    if (seen >= want) return ms;
  }
  return Infinity;
}

/** The largest lag seen (Infinity when one went past the last bucket). */
export function histogramMax(counts: readonly number[], over: number): number {
  if (over > 0) return Infinity;
  for (let ms = counts.length - 1; ms >= 0; ms--) if (counts[ms] > 0) return ms;
  return NaN;
}
