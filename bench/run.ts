// `npm run bench [-- name ...]`: runs every `bench/*.bench.ts` (or those
// whose name matches an argument) and rewrites its section of
// docs/BENCHMARKS.md. A new benchmark is just a new `*.bench.ts` file.
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';
import type { Bench } from './types.ts';
import { describeMachine } from './machine.ts';
import { writeSection } from './report.ts';

const BENCH_DIR = fileURLToPath(new URL('.', import.meta.url));
const DOC = fileURLToPath(new URL('../docs/BENCHMARKS.md', import.meta.url));

async function loadBenches(): Promise<Bench[]> {
  const files = readdirSync(BENCH_DIR).filter((f) => f.endsWith('.bench.ts')).sort();
  const benches: Bench[] = [];
  for (const file of files) {
    const mod = (await import(pathToFileURL(join(BENCH_DIR, file)).href)) as { default?: Bench };
    if (!mod.default?.name || typeof mod.default.run !== 'function') {
      throw new Error(`${file} must export default { name, title, run }`);
    }
    benches.push(mod.default);
  }
  return benches;
}

async function main(): Promise<void> {
  // Flags (`--minutes 1`) belong to the benchmarks, which read process.argv themselves.
  const filters = process.argv.slice(2).filter((a, i, all) => !a.startsWith('--') && !all[i - 1]?.startsWith('--'));
  const all = await loadBenches();
  const chosen = filters.length ? all.filter((b) => filters.some((f) => b.name.includes(f))) : all;
  if (chosen.length === 0) {
    console.error(`no benchmark matches ${filters.join(' ')}; known: ${all.map((b) => b.name).join(', ')}`);
    process.exitCode = 1;
    return;
  }
  const machine = describeMachine();
  console.log(`machine: ${machine}`);
  for (const bench of chosen) {
    console.log(`\n== ${bench.name}: ${bench.title}`);
    const result = await bench.run();
    const date = new Date().toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
    writeSection(DOC, bench.name, `## ${bench.title}\n\nRun ${date} on ${machine}.\n\n${result.markdown}`);
    console.log(result.summary);
  }
  console.log(`\nwrote ${DOC}`);
}

await main();
