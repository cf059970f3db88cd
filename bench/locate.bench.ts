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
    const randomPoint = (): [number, number] => [x0 + rng() * (x1 - x0), y0 + rng() * (y1 - y0)];
    // Reports come from inside the district: that set decides the target.
    // The bbox set adds points outside, where brute force must try every grid.
    const inside: [number, number][] = [];
    while (inside.length < POINTS) {
      const p = randomPoint();
      if (bruteForce(...p)) inside.push(p);
    }
    const sets = [
      { label: 'inside the district', points: inside },
      { label: "anywhere in the grids' bounding box", points: Array.from({ length: POINTS }, randomPoint) },
    ];

    let sink = 0; // keeps the JIT from dropping the calls
    const rows = sets.map(({ label, points }) => {
      const lons = Float64Array.from(points, (p) => p[0]);
      const lats = Float64Array.from(points, (p) => p[1]);
      // Same answers first: a fast wrong index is worth nothing.
      let mismatches = 0, found = 0;
      for (let i = 0; i < POINTS; i++) {
        const a = index.locate(lons[i], lats[i]);
        if (a !== bruteForce(lons[i], lats[i])) mismatches++;
        if (a) found++;
      }
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
      const indexRate = median(indexRates), bruteRate = median(bruteRates);
      return { label, found, mismatches, indexRate, bruteRate, ratio: indexRate / bruteRate };
    });
    if (sink < 0) console.log(sink);

    const decisive = rows[0];
    const mismatches = rows.reduce((n, r) => n + r.mismatches, 0);
    const met = decisive.ratio > TARGET_SPEEDUP && mismatches === 0;
    const vertices = grids.reduce((n, g) => n + (g.geometry.type === 'Polygon' ? [g.geometry.coordinates] : g.geometry.coordinates)
      .flat().reduce((m, ring) => m + ring.length - 1, 0), 0);
    const markdown = [
      `Grids: ${grids.length} from ${source} (about ${Math.round(vertices / grids.length)} vertices each).`,
      `Points: two sets of ${POINTS.toLocaleString('en-US')} seeded random points; both methods answer the same points; median of ${ROUNDS} interleaved rounds after a warm-up.`,
      'Index: `GridIndex.locate` (a cell table built with flatbush over grid bounding boxes, then exact ray crossing).',
      'Brute force: turf `booleanPointInPolygon` over the grids in code order, stopping at the first hit.',
      '',
      '| points | in a grid | index points / s | brute force points / s | speed-up | answers differing |',
      '| --- | ---: | ---: | ---: | ---: | ---: |',
      ...rows.map((r) => `| ${r.label} | ${r.found} | ${formatRate(r.indexRate)} | ${formatRate(r.bruteRate)} | **${r.ratio.toFixed(0)}×** | ${r.mismatches} |`),
      '',
      `Target (> ${TARGET_SPEEDUP}× on points inside the district, identical answers): **${met ? 'met' : 'NOT met'}** (${decisive.ratio.toFixed(0)}×).`,
    ].join('\n');
    const summary = `${source}: ` + rows.map((r) => `${r.label}: index ${formatRate(r.indexRate)} pts/s, brute ${formatRate(r.bruteRate)} pts/s, ${r.ratio.toFixed(0)}×`).join('; ') +
      ` (target >${TARGET_SPEEDUP}×: ${met ? 'met' : 'NOT met'}), ${mismatches} mismatches`;
    return { summary, markdown };
  },
};

export default bench;
