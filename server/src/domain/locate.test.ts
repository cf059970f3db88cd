import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Delaunay } from 'd3-delaunay';
import seedrandom from 'seedrandom';
import { booleanPointInPolygon, centroid, point } from '@turf/turf';
import type { MultiPolygon, Polygon, Position } from 'geojson';
import { GridIndex, classifyBox, placeInArea, prepareArea, type LocatableGrid } from './locate.ts';

const square = (x0: number, y0: number, x1: number, y1: number): Position[] => [
  [x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0],
];
const poly = (...rings: Position[][]): Polygon => ({ type: 'Polygon', coordinates: rings });

/** The reference: every grid, in code order, through turf (boundary inclusive). */
function bruteForce<G extends LocatableGrid>(grids: readonly G[], lon: number, lat: number): G | undefined {
  const pt = point([lon, lat]);
  const sorted = [...grids].sort((a, b) => (a.code < b.code ? -1 : 1));
  return sorted.find((g) => booleanPointInPolygon(pt, g.geometry));
}

/** ~n Voronoi cells tiling the box, as grids with zero-padded codes in shuffled order. */
function voronoiGrids(n: number, box: [number, number, number, number], seed: string): LocatableGrid[] {
  const rng = seedrandom(seed);
  const [x0, y0, x1, y1] = box;
  const sites = Array.from({ length: n }, () => [x0 + rng() * (x1 - x0), y0 + rng() * (y1 - y0)] as [number, number]);
  const voronoi = Delaunay.from(sites).voronoi(box);
  const grids: LocatableGrid[] = [];
  for (let i = 0; i < n; i++) {
    const ring = voronoi.cellPolygon(i);
    if (ring) grids.push({ code: `V${String(i).padStart(4, '0')}`, geometry: poly(ring) });
  }
  return grids.sort(() => rng() - 0.5); // the index must not rely on input order
}

describe('GridIndex on hand-made squares', () => {
  // 2x2 unit squares; codes chosen so the smallest code is not the first square.
  const grids = [
    { code: 'G2', geometry: poly(square(0, 0, 1, 1)) }, // south-west
    { code: 'G1', geometry: poly(square(1, 0, 2, 1)) }, // south-east
    { code: 'G3', geometry: poly(square(0, 1, 1, 2)) }, // north-west
    { code: 'G0', geometry: poly(square(1, 1, 2, 2)) }, // north-east
  ];
  const index = new GridIndex(grids);
  const at = (x: number, y: number) => index.locate(x, y)?.code;

  it('finds interior points', () => {
    expect(index.size).toBe(4);
    expect([at(0.5, 0.5), at(1.5, 0.5), at(0.5, 1.5), at(1.5, 1.5)]).toEqual(['G2', 'G1', 'G3', 'G0']);
  });

  it('gives a shared edge to the smallest code', () => {
    expect(at(1, 0.5)).toBe('G1'); // G2 | G1
    expect(at(0.5, 1)).toBe('G2'); // G2 / G3
    expect(at(1, 1.5)).toBe('G0'); // G3 | G0
    expect(at(1.5, 1)).toBe('G0'); // G1 / G0
  });

  it('gives a shared corner to the smallest code, and keeps outer vertices and edges', () => {
    expect(at(1, 1)).toBe('G0');
    expect(at(0, 0)).toBe('G2');
    expect(at(2, 0)).toBe('G1');
    expect(at(0, 2)).toBe('G3');
    expect(at(0, 0.25)).toBe('G2');
    expect(at(2, 1.75)).toBe('G0');
  });

  it('answers undefined outside and for non-numbers', () => {
    expect(at(-0.0001, 0.5)).toBeUndefined();
    expect(at(2.0001, 2)).toBeUndefined();
    expect(at(5, 5)).toBeUndefined();
    expect(at(Number.NaN, 1)).toBeUndefined();
    expect(at(1, Infinity)).toBeUndefined();
    expect(new GridIndex([]).locate(0, 0)).toBeUndefined();
  });

  it('handles a diagonal shared edge exactly', () => {
    const tri = new GridIndex([
      { code: 'B', geometry: poly([[0, 0], [1, 3], [0, 3], [0, 0]]) },
      { code: 'A', geometry: poly([[0, 0], [1, 0], [1, 3], [0, 0]]) },
    ]);
    expect(tri.locate(0.5, 1.5)?.code).toBe('A'); // on the diagonal
    expect(tri.locate(0.25, 2)?.code).toBe('B');
    expect(tri.locate(0.75, 1)?.code).toBe('A');
  });
});

describe('holes and MultiPolygons', () => {
  const frame = poly(square(10, 10, 20, 20), square(13, 13, 17, 17)); // a hole in the middle
  const island: LocatableGrid = { code: 'Z-island', geometry: poly(square(13, 13, 17, 17)) };
  const twoParts: MultiPolygon = {
    type: 'MultiPolygon',
    coordinates: [[square(30, 30, 31, 31)], [square(40, 40, 41, 41), square(40.2, 40.2, 40.8, 40.8)]],
  };
  const index = new GridIndex([{ code: 'H-frame', geometry: frame }, island, { code: 'M-multi', geometry: twoParts }]);

  it('excludes the hole and finds the grid inside it', () => {
    expect(index.locate(11, 11)?.code).toBe('H-frame');
    expect(index.locate(15, 15)?.code).toBe('Z-island');
    expect(index.locate(13, 15)?.code).toBe('H-frame'); // hole edge: both contain it, smallest code
    expect(new GridIndex([{ code: 'H', geometry: frame }]).locate(15, 15)).toBeUndefined();
  });

  it('classifies hole boundaries as boundary', () => {
    const area = prepareArea(frame);
    expect(placeInArea(area, 13, 15)).toBe('boundary');
    expect(placeInArea(area, 17, 17)).toBe('boundary');
    expect(placeInArea(area, 10, 20)).toBe('boundary');
    expect(placeInArea(area, 12, 15)).toBe('inside');
    expect(placeInArea(area, 14, 15)).toBe('outside');
  });

  it('finds every part of a MultiPolygon, and respects holes in a part', () => {
    expect(index.locate(30.5, 30.5)?.code).toBe('M-multi');
    expect(index.locate(40.1, 40.5)?.code).toBe('M-multi');
    expect(index.locate(40.5, 40.5)).toBeUndefined(); // in the hole of the second part
    expect(index.locate(35, 35)).toBeUndefined(); // between the parts, inside the overall bbox
  });

  it('accepts unclosed rings', () => {
    const open = new GridIndex([{ code: 'O', geometry: poly([[0, 0], [4, 0], [4, 4], [0, 4]]) }]);
    expect(open.locate(2, 2)?.code).toBe('O');
    expect(open.locate(0, 2)?.code).toBe('O'); // the closing edge counts
    expect(open.locate(-1, 2)).toBeUndefined();
  });
});

describe('whole-cell answers', () => {
  it('classifies boxes against an area with a hole', () => {
    const area = prepareArea(poly(square(10, 10, 20, 20), square(13, 13, 17, 17)));
    expect(classifyBox(area, 11, 11, 12, 12)).toBe('contains');
    expect(classifyBox(area, 14, 14, 16, 16)).toBe('disjoint'); // inside the hole
    expect(classifyBox(area, 21, 11, 22, 12)).toBe('disjoint');
    expect(classifyBox(area, 12, 14, 14, 15)).toBe('partial'); // across the hole's edge
    expect(classifyBox(area, 9, 9, 21, 21)).toBe('partial'); // around everything
    expect(classifyBox(area, 20, 11, 21, 12)).toBe('partial'); // touching the outer edge
    // A diagonal edge passing near, but not through, a box's corner.
    const tri = prepareArea(poly([[0, 0], [10, 0], [0, 10], [0, 0]]));
    expect(classifyBox(tri, 4.9, 4.9, 4.99, 4.99)).toBe('contains'); // corner sum 9.98 < 10
    expect(classifyBox(tri, 4.9, 4.9, 5.1, 5.1)).toBe('partial');
    expect(classifyBox(tri, 5.01, 5.01, 6, 6)).toBe('disjoint');
  });

  it('lets a smaller code that overlaps part of a bigger grid win where it lies', () => {
    // Not a valid tiling, but the rule (smallest code wins) must still hold.
    const index = new GridIndex([
      { code: 'B-big', geometry: poly(square(0, 0, 10, 10)) },
      { code: 'A-small', geometry: poly(square(2, 2, 3, 3)) },
    ]);
    expect(index.locate(2.5, 2.5)?.code).toBe('A-small');
    expect(index.locate(3, 2.5)?.code).toBe('A-small');
    expect(index.locate(3.01, 2.5)?.code).toBe('B-big');
    expect(index.locate(8, 8)?.code).toBe('B-big');
    const rng = seedrandom('overlap');
    for (let i = 0; i < 2000; i++) {
      const x = rng() * 10, y = rng() * 10;
      const inA = x >= 2 && x <= 3 && y >= 2 && y <= 3;
      expect(index.locate(x, y)?.code).toBe(inA ? 'A-small' : 'B-big');
    }
  });
});

describe('GridIndex agrees with brute-force turf on a Voronoi tiling', () => {
  const box: [number, number, number, number] = [119.45, 32.1, 119.75, 32.26];
  const grids = voronoiGrids(300, box, 'locate-voronoi');
  const index = new GridIndex(grids);

  it('on 5,000 seeded random points, inside and around the tiling', () => {
    const rng = seedrandom('locate-points');
    const [x0, y0, x1, y1] = box;
    const pad = 0.02; // some points fall outside the tiling
    let found = 0;
    for (let i = 0; i < 5000; i++) {
      const lon = x0 - pad + rng() * (x1 - x0 + 2 * pad);
      const lat = y0 - pad + rng() * (y1 - y0 + 2 * pad);
      const got = index.locate(lon, lat)?.code;
      expect(got, `point ${lon},${lat}`).toBe(bruteForce(grids, lon, lat)?.code);
      if (got) found++;
    }
    expect(grids.length).toBe(300);
    expect(found).toBeGreaterThan(3000); // ~70% of the padded box is tiled
    expect(found).toBeLessThan(5000);
  });

  it('never drops a point on or next to a shared edge', () => {
    const rng = seedrandom('locate-edges');
    for (let n = 0; n < 2000; n++) {
      const g = grids[Math.floor(rng() * grids.length)];
      const ring = (g.geometry as Polygon).coordinates[0];
      const k = Math.floor(rng() * (ring.length - 1));
      const [ax, ay] = ring[k], [bx, by] = ring[k + 1];
      const t = rng();
      const lon = ax + t * (bx - ax), lat = ay + t * (by - ay);
      const got = index.locate(lon, lat);
      // The point lies on this cell's edge up to rounding: it must land in
      // this cell or a neighbour touching it, never in a gap.
      expect(got, `edge point ${lon},${lat}`).toBeDefined();
      expect(got === g || isNeighbour(got!, g), `${got?.code} beside ${g.code}`).toBe(true);
    }
  });
});

/** Two cells are neighbours when they share a vertex (Voronoi cells share exact vertices). */
function isNeighbour(a: LocatableGrid, b: LocatableGrid): boolean {
  const key = (p: Position) => `${p[0]},${p[1]}`;
  const vb = new Set((b.geometry as Polygon).coordinates[0].map(key));
  return (a.geometry as Polygon).coordinates[0].some((p) => vb.has(key(p)));
}

// The generated district (committed; `npm run generate` rewrites it).
const NEWAREA = new URL('../../../data/generated/newarea.json', import.meta.url);
describe('GridIndex on the generated Zhenjiang New Area grids', () => {
  it('agrees with brute-force turf on 5,000 random points in the district bbox', () => {
    const data = JSON.parse(readFileSync(NEWAREA, 'utf8')) as { grids: LocatableGrid[] };
    const index = new GridIndex(data.grids);
    let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
    for (const g of data.grids) {
      for (const ring of g.geometry.type === 'Polygon' ? g.geometry.coordinates : g.geometry.coordinates.flat()) {
        for (const [x, y] of ring) {
          x0 = Math.min(x0, x); y0 = Math.min(y0, y); x1 = Math.max(x1, x); y1 = Math.max(y1, y);
        }
      }
    }
    const rng = seedrandom('locate-newarea');
    let found = 0;
    for (let i = 0; i < 5000; i++) {
      const lon = x0 + rng() * (x1 - x0), lat = y0 + rng() * (y1 - y0);
      const got = index.locate(lon, lat)?.code;
      expect(got, `point ${lon},${lat}`).toBe(bruteForce(data.grids, lon, lat)?.code);
      if (got) found++;
    }
    expect(index.size).toBe(data.grids.length);
    expect(data.grids.length).toBeGreaterThan(300);
    expect(found).toBeGreaterThan(1000); // the district fills about a third of its bbox
  });

  it('finds every grid at its centroid when the centroid lies strictly inside it', () => {
    const data = JSON.parse(readFileSync(NEWAREA, 'utf8')) as { grids: LocatableGrid[] };
    const index = new GridIndex(data.grids);
    let checked = 0;
    for (const g of data.grids) {
      const c = centroid(g.geometry);
      if (!booleanPointInPolygon(c, g.geometry, { ignoreBoundary: true })) continue; // a concave grid
      const [lon, lat] = c.geometry.coordinates;
      expect(index.locate(lon, lat)?.code, g.code).toBe(g.code);
      checked++;
    }
    expect(checked).toBeGreaterThan(data.grids.length * 0.8);
  });
});
