// `npm run import-grids -- <grids.geojson> [--crs wgs84|gcj02] [--out var/imported/newarea.json] [--base data/generated/newarea.json]`
// Prints a report (counts, notes, every problem) and writes the data set only when there are no problems.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import type { NewAreaData } from '../types.ts';
import { importGrids, type Crs } from './import-grids.ts';

function fail(message: string, exitCode = 2): never {
  console.error(`import-grids: ${message}`);
  process.exit(exitCode);
}

function readJson(file: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    fail(`cannot read ${what} ${file}`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    fail(`${what} ${file} is not valid JSON (${(err as Error).message})`);
  }
}

const { values, positionals } = (() => {
  try {
    return parseArgs({
      allowPositionals: true,
      options: {
        crs: { type: 'string', default: 'wgs84' },
        out: { type: 'string', default: 'var/imported/newarea.json' },
        base: { type: 'string', default: 'data/generated/newarea.json' },
      },
    });
  } catch (err) {
    fail((err as Error).message);
  }
})();
if (positionals.length !== 1) fail('usage: npm run import-grids -- <grids.geojson> [--crs wgs84|gcj02] [--out FILE] [--base FILE]');
if (values.crs !== 'wgs84' && values.crs !== 'gcj02') fail(`--crs must be wgs84 or gcj02, not "${values.crs}"`);

const input = readJson(positionals[0], 'grid file');
const base = readJson(values.base!, 'base data set') as NewAreaData;
const result = importGrids(input, { crs: values.crs as Crs, base });

const s = result.summary;
console.log(`Imported ${positionals[0]} (${values.crs})`);
if (s) {
  console.log(`  towns ${s.towns}, villages/communities ${s.communities}`);
  console.log(`  grids ${s.grids.total} (${s.grids.comprehensive} comprehensive, ${s.grids.enterprise} enterprise), ${s.households} households, ${s.population} people`);
  console.log(`  area: district ${s.areaKm2.district} km², grids ${s.areaKm2.grids} km²`);
  console.log(`  stations ${s.stations}, cameras ${s.cameras}, sensors ${s.sensors}`);
  console.log(`  staff: ${s.staff.secretary} secretaries, ${s.staff.center_household} center households, ${s.staff.info_officer} information officers`);
}
for (const note of result.notes) console.log(`  note: ${note}`);
if (result.problems.length > 0 || !result.data) {
  console.log(`\n${result.problems.length} problem${result.problems.length === 1 ? '' : 's'}; nothing written:`);
  for (const p of result.problems) console.log(`  [${p.kind}] ${p.message}`);
  process.exit(1);
}
mkdirSync(dirname(values.out!), { recursive: true });
writeFileSync(values.out!, `${JSON.stringify(result.data)}\n`);
console.log(`\nNo problems. Wrote ${values.out} (version ${result.data.version}); start the server with DATA_FILE=${values.out}`);
