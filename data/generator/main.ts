// `npm run generate`: writes data/generated/newarea.json (commit it; the server loads it at start).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { generateNewArea } from './generate.ts';
import { GENERATED_FILE_PATH as GENERATED_FILE } from './paths.ts';

const started = performance.now();
const data = generateNewArea();
mkdirSync(dirname(GENERATED_FILE), { recursive: true });
writeFileSync(GENERATED_FILE, `${JSON.stringify(data)}\n`);
const ms = Math.round(performance.now() - started);
console.log(
  `newarea.json version ${data.version}: ${data.towns.length} towns, ${data.communities.length} communities, ` +
    `${data.grids.length} grids, ${data.stations.length} stations, ${data.cameras.length} cameras, ` +
    `${data.sensors.length} sensors, ${data.staff.length} staff (${ms} ms)`,
);
