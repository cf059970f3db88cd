// The 371 grid cells: seeds placed with a density map, a few weighted Lloyd
// steps (compact but not uniform), then a Voronoi diagram. Seeds mirrored
// across the target outline make the outer cell walls follow it.
import { Delaunay } from 'd3-delaunay';
import { makeRng } from './random.ts';
import { OUTLINE, density, distToRing, pointInRing, ringArea, toLonLat, type XY } from './plane.ts';

export interface Cell {
  index: number;
  /** The seed, strictly inside the cell: a safe anchor for points. */
  seed: XY;
  /** Convex ring in the plane, counter-clockwise, not closed. */
  plane: XY[];
  /** WGS-84 ring, rounded, closed, counter-clockwise, no consecutive duplicates. */
  ring: [number, number][];
  /** Neighbouring cell index -> length of the shared wall in km. */
  neighbours: Map<number, number>;
}

const LLOYD_STEPS = 4;
/** Fraction of the way to the weighted centroid per step: <1 keeps some irregularity. */
const LLOYD_PULL = 0.75;
const MIRROR_RANGE_KM = 2.5;

const bbox = (() => {
  const xs = OUTLINE.map((p) => p[0]);
  const ys = OUTLINE.map((p) => p[1]);
  return { x0: Math.min(...xs), x1: Math.max(...xs), y0: Math.min(...ys), y1: Math.max(...ys) };
})();

function placeSeeds(count: number): XY[] {
  const rng = makeRng('seeds');
  let max = 0;
  for (let x = bbox.x0; x <= bbox.x1; x += 0.25) for (let y = bbox.y0; y <= bbox.y1; y += 0.25) max = Math.max(max, density([x, y]));
  const seeds: XY[] = [];
  while (seeds.length < count) {
    // Best of a few candidates (farthest from existing seeds, scaled by local density) avoids clumps.
    let best: XY | null = null;
    let bestScore = -1;
    for (let k = 0; k < 6; k++) {
      const p: XY = [rng.range(bbox.x0, bbox.x1), rng.range(bbox.y0, bbox.y1)];
      if (!pointInRing(p, OUTLINE) || distToRing(p, OUTLINE) < 0.1) continue;
      if (rng() * max > density(p)) continue;
      let d = Infinity;
      for (const s of seeds) d = Math.min(d, (s[0] - p[0]) ** 2 + (s[1] - p[1]) ** 2);
      const score = d * density(p);
      if (score > bestScore) { bestScore = score; best = p; }
    }
    if (best) seeds.push(best);
  }
  return seeds;
}

/** Points outside the outline that pin the outer walls: mirror images of nearby seeds, plus a loose far ring. */
function outsidePoints(seeds: XY[]): XY[] {
  const out: XY[] = [];
  for (const p of seeds) {
    for (let i = 0; i < OUTLINE.length; i++) {
      const a = OUTLINE[i];
      const b = OUTLINE[(i + 1) % OUTLINE.length];
      const dx = b[0] - a[0], dy = b[1] - a[1];
      const len2 = dx * dx + dy * dy;
      const t = ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2;
      if (t < -0.1 || t > 1.1) continue;
      const fx = a[0] + t * dx, fy = a[1] + t * dy;
      if (Math.hypot(p[0] - fx, p[1] - fy) > MIRROR_RANGE_KM) continue;
      const m: XY = [2 * fx - p[0], 2 * fy - p[1]];
      if (!pointInRing(m, OUTLINE) && distToRing(m, OUTLINE) > 0.02) out.push(m);
    }
  }
  // Far ring, so no cell of a mirror point reaches back over the district.
  for (let i = 0; i < OUTLINE.length; i++) {
    const a = OUTLINE[i];
    const b = OUTLINE[(i + 1) % OUTLINE.length];
    const len = Math.hypot(b[0] - a[0], b[1] - a[1]);
    const nx = (b[1] - a[1]) / len, ny = -(b[0] - a[0]) / len; // outward normal of a CCW ring
    for (let s = 0; s < len; s += 1.2) {
      const m: XY = [a[0] + ((b[0] - a[0]) * s) / len + nx * 3, a[1] + ((b[1] - a[1]) * s) / len + ny * 3];
      if (!pointInRing(m, OUTLINE) && distToRing(m, OUTLINE) > 2.5) out.push(m);
    }
  }
  for (let x = bbox.x0 - 12; x <= bbox.x1 + 12; x += 6) out.push([x, bbox.y0 - 12], [x, bbox.y1 + 12]);
  for (let y = bbox.y0 - 6; y <= bbox.y1 + 6; y += 6) out.push([bbox.x0 - 12, y], [bbox.x1 + 12, y]);
  return out;
}

/** Voronoi cells of the first `seeds.length` points, walked from the triangulation (no clipping involved). */
function voronoiCells(seeds: XY[]): XY[][] {
  const all = [...seeds, ...outsidePoints(seeds)];
  const delaunay = Delaunay.from(all);
  const { circumcenters } = delaunay.voronoi([bbox.x0 - 40, bbox.y0 - 40, bbox.x1 + 40, bbox.y1 + 40]);
  const { inedges, halfedges, triangles } = delaunay;
  return seeds.map((_, i) => {
    const ring: XY[] = [];
    const e0 = inedges[i];
    let e = e0;
    do {
      const t = Math.floor(e / 3);
      ring.push([circumcenters[2 * t], circumcenters[2 * t + 1]]);
      e = e % 3 === 2 ? e - 2 : e + 1;
      if (triangles[e] !== i) throw new Error(`bad triangulation around seed ${i}`);
      e = halfedges[e];
    } while (e !== e0 && e !== -1);
    if (e === -1) throw new Error(`seed ${i} is on the hull`);
    return ringArea(ring) < 0 ? ring.reverse() : ring;
  });
}

/** Density-weighted centroid of a convex cell (fan of triangles from the seed). */
function weightedCentroid(seed: XY, ring: XY[]): XY {
  let w = 0, cx = 0, cy = 0;
  for (let i = 0; i < ring.length; i++) {
    const a = ring[i];
    const b = ring[(i + 1) % ring.length];
    const area = Math.abs((a[0] - seed[0]) * (b[1] - seed[1]) - (b[0] - seed[0]) * (a[1] - seed[1])) / 2;
    const c: XY = [(seed[0] + a[0] + b[0]) / 3, (seed[1] + a[1] + b[1]) / 3];
    const wi = area * density(c);
    w += wi; cx += wi * c[0]; cy += wi * c[1];
  }
  return [cx / w, cy / w];
}

export function buildCells(count: number): Cell[] {
  let seeds = placeSeeds(count);
  for (let step = 0; step < LLOYD_STEPS; step++) {
    const rings = voronoiCells(seeds);
    seeds = seeds.map((s, i) => {
      const c = weightedCentroid(s, rings[i]);
      const moved: XY = [s[0] + LLOYD_PULL * (c[0] - s[0]), s[1] + LLOYD_PULL * (c[1] - s[1])];
      return pointInRing(moved, OUTLINE) && distToRing(moved, OUTLINE) > 0.1 ? moved : s;
    });
  }
  const rings = voronoiCells(seeds);
  const cells: Cell[] = rings.map((plane, index) => {
    const ring: [number, number][] = [];
    for (const p of plane) {
      const q = toLonLat(p);
      const last = ring[ring.length - 1];
      if (!last || last[0] !== q[0] || last[1] !== q[1]) ring.push(q);
    }
    if (ring.length > 1 && ring[0][0] === ring[ring.length - 1][0] && ring[0][1] === ring[ring.length - 1][1]) ring.pop();
    ring.push([ring[0][0], ring[0][1]]);
    return { index, seed: seeds[index], plane, ring, neighbours: new Map() };
  });
  // Adjacency from shared rounded walls (exactly the walls the unions will cancel).
  const walls = new Map<string, number>();
  for (const cell of cells) {
    for (let i = 0; i + 1 < cell.ring.length; i++) {
      const a = cell.ring[i].join(','), b = cell.ring[i + 1].join(',');
      const other = walls.get(`${b}|${a}`);
      if (other !== undefined) {
        const len = Math.hypot(cell.plane.length ? (cell.ring[i][0] - cell.ring[i + 1][0]) * 94.2 : 0, (cell.ring[i][1] - cell.ring[i + 1][1]) * 110.95);
        const n = cells[other];
        n.neighbours.set(cell.index, (n.neighbours.get(cell.index) ?? 0) + len);
        cell.neighbours.set(other, (cell.neighbours.get(other) ?? 0) + len);
      } else walls.set(`${a}|${b}`, cell.index);
    }
  }
  return cells;
}
