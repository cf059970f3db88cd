// locate: the GridIndex (flatbush + exact ray crossing) against a brute-force
// loop of turf's booleanPointInPolygon over every grid, on the same points.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { booleanPointInPolygon, point } from '@turf/turf';
import { Delaunay } from 'd3-delaunay';
import seedrandom from 'seedrandom';
import { GridIndex, type LocatableGrid } from '../server/src/domain/locate.ts';
import type { Bench } from './types.ts';
import { formatRate, median, timeMs } from './stats.ts';

const DATA = fileURLToPath(new URL('../data/generated/newarea.json', import.meta.url));
const TARGET_SPEEDUP = 100;
const POINTS = 2000;
const ROUNDS = 5;
/** Index rounds repeat the points until they last this long, for a stable timing. */
const MIN_INDEX_ROUND_MS = 200;

interface GridSet { grids: LocatableGrid[]; source: string }

function loadGrids(): GridSet {
  if (existsSync(DATA)) {
    const data = JSON.parse(readFileSync(DATA, 'utf8')) as { grids: LocatableGrid[] };
    return { grids: data.grids.map(({ code, geometry }) => ({ code, geometry })), source: 'data/generated/newarea.json' };
  }
  // Fallback until the generator has run: 371 Voronoi cells (283 + 88 grids)
  // over the New Area's rough extent. Fewer vertices than real grids.
  const rng = seedrandom('bench-locate-synthetic');
  const box: [number, number, number, number] = [119.45, 32.1, 119.75, 32.26];
  const sites = Array.from({ length: 371 }, () => [box[0] + rng() * (box[2] - box[0]), box[1] + rng() * (box[3] - box[1])] as [number, number]);
  const voronoi = Delaunay.from(sites).voronoi(box);
  const grids = sites.map((_, i) => ({ code: `S${String(i).padStart(4, '0')}`, geometry: { type: 'Polygon' as const, coordinates: [voronoi.cellPolygon(i)] } }));
  return { grids, source: 'SYNTHETIC Voronoi cells (data/generated/newarea.json was missing)' };
}

function bbox(grids: readonly LocatableGrid[]): [number, number, number, number] {
  let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const g of grids) {
    const polygons = g.geometry.type === 'Polygon' ? [g.geometry.coordinates] : g.geometry.coordinates;
    for (const [outer] of polygons) for (const [x, y] of outer) {
      x0 = Math.min(x0, x); y0 = Math.min(y0, y); x1 = Math.max(x1, x); y1 = Math.max(y1, y);
    }
  }
  return [x0, y0, x1, y1];
}

const bench: Bench = {
  name: 'locate',
  title: 'locate: spatial index vs brute-force turf',
  async run() {
    const { grids, source } = loadGrids();
    const index = new GridIndex(grids);
    // The reference answers with the same rule (smallest code wins), so grids go in code order.
    const byCode = [...grids].sort((a, b) => (a.code < b.code ? -1 : 1));
    const bruteForce = (lon: number, lat: number) => {
      const pt = point([lon, lat]);
      for (const g of byCode) if (booleanPointInPolygon(pt, g.geometry)) return g;
      return undefined;
    };

    const [x0, y0, x1, y1] = bbox(grids);
    const rng = seedrandom('bench-locate-points');
    const lons = Float64Array.from({ length: POINTS }, () => x0 + rng() * (x1 - x0));
    const lats = Float64Array.from({ length: POINTS }, () => y0 + rng() * (y1 - y0));

    // Same answers first: a fast wrong index is worth nothing.
    let mismatches = 0, inside = 0;
    for (let i = 0; i < POINTS; i++) {
      const a = index.locate(lons[i], lats[i]);
      if (a !== bruteForce(lons[i], lats[i])) mismatches++;
      if (a) inside++;
    }

    let sink = 0; // keeps the JIT from dropping the calls
    const indexRound = (reps: number) => timeMs(() => {
      for (let r = 0; r < reps; r++) for (let i = 0; i < POINTS; i++) if (index.locate(lons[i], lats[i])) sink++;
    });
    let reps = 1;
    while (indexRound(reps) < MIN_INDEX_ROUND_MS) reps *= 2; // also the warm-up
    const indexRates: number[] = [], bruteRates: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      indexRates.push((POINTS * reps) / (indexRound(reps) / 1000));
      bruteRates.push(POINTS / (timeMs(() => { for (let i = 0; i < POINTS; i++) if (bruteForce(lons[i], lats[i])) sink++; }) / 1000));
    }
    if (sink < 0) console.log(sink);

    const indexRate = median(indexRates), bruteRate = median(bruteRates);
    const ratio = indexRate / bruteRate;
    const met = ratio > TARGET_SPEEDUP && mismatches === 0;
    const vertices = grids.reduce((n, g) => n + (g.geometry.type === 'Polygon' ? [g.geometry.coordinates] : g.geometry.coordinates)
      .flat().reduce((m, ring) => m + ring.length - 1, 0), 0);
    const markdown = [
      `Grids: ${grids.length} from ${source} (about ${Math.round(vertices / grids.length)} vertices each).`,
      `Points: ${POINTS.toLocaleString('en-US')} seeded random points in the grids' bounding box (${inside} inside a grid); both methods answer the same points; median of ${ROUNDS} interleaved rounds after a warm-up.`,
      '',
      '| method | points / s (median) |',
      '| --- | ---: |',
      `| \`GridIndex.locate\` (flatbush-built cell table + ray crossing) | ${formatRate(indexRate)} |`,
      `| brute force: turf \`booleanPointInPolygon\` over the grids in code order, first hit | ${formatRate(bruteRate)} |`,
      '',
      `Speed-up: **${ratio.toFixed(0)}×**. Answers that differ from brute force: ${mismatches}.`,
      `Target (> ${TARGET_SPEEDUP}× with identical answers): **${met ? 'met' : 'NOT met'}**.`,
    ].join('\n');
    const summary = `${source}: index ${formatRate(indexRate)} pts/s, brute force ${formatRate(bruteRate)} pts/s, ` +
      `${ratio.toFixed(0)}× (target >${TARGET_SPEEDUP}×: ${met ? 'met' : 'NOT met'}), ${mismatches} mismatches`;
    return { summary, markdown };
  },
};

export default bench;
