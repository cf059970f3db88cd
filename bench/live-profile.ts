// `npx tsx bench/live-profile.ts [rate] [seconds]`: where the CPU of one
// report goes, at a fixed offered rate (default 200/s for 20 s) with the
// live bench's 100 screens. Not a benchmark (nothing is written to
// docs/BENCHMARKS.md): a diagnostic for cutting the cost per report.
//  - server: the product's Node process runs with --cpu-prof; only the
//    samples inside the measured window are counted, by function (self time);
//  - PostgreSQL: pg_stat_statements (the cluster is restarted once with it
//    preloaded), statements by total time over the window;
//  - per report: server and PostgreSQL CPU from /proc, as the live bench reads them.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NewAreaData } from '../data/types.ts';
import { child, reportFactory } from './live.bench.ts';
import { cpuShare, sampleCpu } from './live/proc-cpu.ts';
import { signIn, startProductChild } from './live/product-child.ts';
import { connectToCluster } from './live/pg-profile.ts';
import { postJson } from './live/http-post.ts';
import type { FromScreens, ScreenSpec, ToScreens } from './live/screens-child.ts';

const DATA = fileURLToPath(new URL('../data/generated/newarea.json', import.meta.url));
const SCREENS_CHILD = fileURLToPath(new URL('./live/screens-child.ts', import.meta.url));
const rate = Number(process.argv[2] ?? 200);
const seconds = Number(process.argv[3] ?? 20);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const monoUs = () => Number(process.hrtime.bigint() / 1000n);

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  startTime: number; samples: number[]; timeDeltas: number[];
}

function topFunctions(profile: CpuProfile, fromUs: number, toUs: number, n = 40): string[] {
  const byId = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const self = new Map<string, number>();
  let t = profile.startTime;
  let total = 0;
  profile.samples.forEach((id, i) => {
    t += profile.timeDeltas[i];
    if (t < fromUs || t > toUs) return;
    const f = byId.get(id)!;
    const where = f.url.replace(/^.*node_modules\//, '~').replace(/^file:\/\/.*\/work\/main\//, '');
    const key = `${f.functionName || '(anon)'} ${where}:${f.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + 1);
    total += 1;
  });
  const idle = (self.get('(idle) :0') ?? 0);
  return [`samples in window: ${total} (idle ${idle})`,
    ...[...self].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, c]) => `${((c / Math.max(1, total - idle)) * 100).toFixed(1).padStart(5)}%  ${k}`)];
}

const data = JSON.parse(readFileSync(DATA, 'utf8')) as NewAreaData;
const profDir = mkdtempSync(join(tmpdir(), 'gcc-prof-'));
// First start: only to switch pg_stat_statements on in the cluster's configuration.
let product = await startProductChild();
{
  const su = await connectToCluster(product.pgDataDir);
  await su.query(`ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'`);
  await su.end();
  await product.stop(true);
}
product = await startProductChild({}, { dir: product.dir, nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${profDir}`] });
const su = await connectToCluster(product.pgDataDir);
const app = await connectToCluster(product.pgDataDir, 'gridcc');
await app.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
const { url } = product;
const screens = child<ToScreens, FromScreens>(SCREENS_CHILD);
const specs: ScreenSpec[] = [];
// One session per account, shared by its screens (as the live bench does).
const kiosk = (await signIn(url, 'kiosk.district')).cookie;
const districtDuty = (await signIn(url, 'duty.district')).cookie;
for (let i = 0; i < 40; i++) specs.push({ cookie: kiosk, scope: { level: 'district' } });
for (let i = 0; i < 10; i++) specs.push({ cookie: districtDuty, scope: { level: 'district' } });
for (const town of data.towns) {
  const townDuty = (await signIn(url, `duty.${town.code}`)).cookie;
  for (let i = 0; i < 10; i++) specs.push({ cookie: townDuty, scope: { level: 'town', townCode: town.code } });
}
const ready = screens.next<Extract<FromScreens, { type: 'ready' }>>('ready');
screens.send({ type: 'connect', url, screens: specs });
await ready;
const posters = await Promise.all(Array.from({ length: 8 }, () => signIn(url, 'duty.district')));
const next = reportFactory(data);
let turn = 0;
let ok = 0;
let failed = 0;
const post = async () => {
  const { body } = next();
  const s = posters[turn++ % posters.length];
  const res = await postJson(new URL('api/v1/reports', url), { cookie: s.cookie, 'x-csrf-token': s.csrf }, body);
  if (res.status === 201) ok += 1;
  else failed += 1;
};
const openLoop = async (r: number, ms: number) => {
  const start = performance.now();
  let launched = 0;
  const inFlight = new Set<Promise<void>>();
  while (performance.now() - start < ms) {
    const due = Math.floor(((performance.now() - start) / 1000) * r);
    while (launched < due && inFlight.size < 300) {
      launched += 1;
      const p: Promise<void> = post().catch(() => { failed += 1; }).finally(() => inFlight.delete(p));
      inFlight.add(p);
    }
    await sleep(2);
  }
  await Promise.all(inFlight);
};
await openLoop(100, 5_000);
await sleep(2_000);
ok = failed = 0;
await app.query('SELECT pg_stat_statements_reset()');
const bench0 = process.cpuUsage();
const before = sampleCpu(product.pid);
const fromUs = monoUs();
// PERF=1: the whole machine sampled by `perf record` (cpu-clock) over the window, to read PostgreSQL's own hot spots.
const { spawn } = await import('node:child_process');
const perf = process.env.PERF === '1'
  ? spawn('perf', ['record', '-e', 'cpu-clock', '-F', '499', '-a', '-g', '-o', join(profDir, 'perf.data'), '--', 'sleep', String(seconds)], { stdio: 'ignore' })
  : null;
await openLoop(rate, seconds * 1000);
if (perf) await new Promise((r) => perf.once('exit', r));
await sleep(1_500); // the pushes and the alert engine finish what the window started
const toUs = monoUs();
const after = sampleCpu(product.pid);
const benchCpu = process.cpuUsage(bench0);
const share = cpuShare(before, after);
const windowS = (toUs - fromUs) / 1e6;
const stmts = await app.query<{ calls: string; total: number; mean: number; rows: string; query: string }>(`
  SELECT calls, total_exec_time + total_plan_time AS total, mean_exec_time AS mean, rows, query FROM pg_stat_statements
  ORDER BY total_exec_time + total_plan_time DESC LIMIT 25`);
screens.send({ type: 'close' });
await app.end();
await su.end();
await product.stop();
const file = readdirSync(profDir).find((f) => f.endsWith('.cpuprofile'));
console.log(`\n${ok} reports filed (${failed} failed) at ${rate}/s offered over ${seconds} s; load average ${(await import('node:os')).loadavg().map((x) => x.toFixed(1)).join(' ')}`);
console.log(`per report: server ${((share.own * windowS * 1000) / ok).toFixed(2)} ms CPU, PostgreSQL ${((share.descendants * windowS * 1000) / ok).toFixed(2)} ms CPU` +
  ` (server ${(share.own * 100).toFixed(0)}% of a core, waited ${(share.runQueue * 100).toFixed(0)}%, PG ${(share.descendants * 100).toFixed(0)}%, load generator ${((benchCpu.user + benchCpu.system) / 1e4 / windowS).toFixed(0)}%)`);
console.log('\nPostgreSQL statements (ms over the window, calls, ms per report):');
for (const s of stmts.rows) console.log(`${s.total.toFixed(0).padStart(7)} ms ${String(s.calls).padStart(7)} calls ${(s.total / ok).toFixed(3)} ms/report  ${s.query.replace(/\s+/g, ' ').slice(0, 150)}`);
if (file) {
  const profile = JSON.parse(readFileSync(join(profDir, file), 'utf8')) as CpuProfile;
  console.log('\nserver self time by function, in the window (share of non-idle samples):');
  for (const line of topFunctions(profile, fromUs, toUs)) console.log(line);
  console.log(`\nprofile: ${join(profDir, file)}${perf ? `, perf: ${join(profDir, 'perf.data')}` : ''}`);
} else {
  console.log('no CPU profile was written');
  rmSync(profDir, { recursive: true, force: true });
}
process.exit(0);
