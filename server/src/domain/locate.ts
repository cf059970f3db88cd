// Which grid contains a point: the lookup every incoming report uses.
// A flatbush R-tree over grid bounding boxes narrows the search to a few
// candidates (precomputed per raster cell); an exact ray-crossing test then
// decides. Pure: no I/O.
import Flatbush from 'flatbush';
import type { MultiPolygon, Polygon, Position } from 'geojson';

export interface LocatableGrid {
  code: string;
  geometry: Polygon | MultiPolygon;
}

export type PointPlace = 'inside' | 'boundary' | 'outside';

/** A ring as flat [x0, y0, x1, y1, ...], closed (last point = first point). */
type Ring = Float64Array;
/** Outer ring first, then holes; with its own bounding box for MultiPolygon parts. */
interface PreparedPolygon {
  rings: Ring[];
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

function prepareRing(ring: Position[]): Ring {
  const closed = ring.length > 0 && (ring[0][0] !== ring[ring.length - 1][0] || ring[0][1] !== ring[ring.length - 1][1]);
  const n = ring.length + (closed ? 1 : 0);
  const out = new Float64Array(n * 2);
  for (let i = 0; i < ring.length; i++) {
    out[i * 2] = ring[i][0];
    out[i * 2 + 1] = ring[i][1];
  }
  if (closed) {
    out[(n - 1) * 2] = ring[0][0];
    out[(n - 1) * 2 + 1] = ring[0][1];
  }
  return out;
}

function preparePolygon(coordinates: Position[][]): PreparedPolygon {
  const rings = coordinates.map(prepareRing);
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  const outer = rings[0] ?? new Float64Array(0);
  for (let i = 0; i < outer.length; i += 2) {
    if (outer[i] < minX) minX = outer[i];
    if (outer[i] > maxX) maxX = outer[i];
    if (outer[i + 1] < minY) minY = outer[i + 1];
    if (outer[i + 1] > maxY) maxY = outer[i + 1];
  }
  return { rings, minX, minY, maxX, maxY };
}

export function prepareArea(geometry: Polygon | MultiPolygon): PreparedPolygon[] {
  return geometry.type === 'Polygon'
    ? [preparePolygon(geometry.coordinates)]
    : geometry.coordinates.map(preparePolygon);
}

/**
 * Where (x, y) lies relative to one ring. Each edge is first put in a
 * canonical order (lower y first, then lower x) so two grids that share an
 * edge do the very same floating-point arithmetic on it: a point on the edge
 * is then "boundary" for both, and a point beside it is inside exactly one.
 */
function placeInRing(ring: Ring, x: number, y: number): PointPlace {
  let inside = false;
  for (let i = 0; i + 3 < ring.length; i += 2) {
    let ax = ring[i], ay = ring[i + 1], bx = ring[i + 2], by = ring[i + 3];
    if (ay > by || (ay === by && ax > bx)) {
      const tx = ax, ty = ay;
      ax = bx; ay = by; bx = tx; by = ty;
    }
    // On the segment: collinear and within its box (exact; vertices included).
    if (y >= ay && y <= by && x >= Math.min(ax, bx) && x <= Math.max(ax, bx)) {
      if ((bx - ax) * (y - ay) - (by - ay) * (x - ax) === 0) return 'boundary';
    }
    // Half-open rule (ay <= y < by) so a ray through a vertex counts once.
    if (ay <= y && y < by) {
      const xCross = ax + ((y - ay) * (bx - ax)) / (by - ay);
      if (x < xCross) inside = !inside;
    }
  }
  return inside ? 'inside' : 'outside';
}

function placeInPolygon(polygon: PreparedPolygon, x: number, y: number): PointPlace {
  if (x < polygon.minX || x > polygon.maxX || y < polygon.minY || y > polygon.maxY) return 'outside';
  const outer = placeInRing(polygon.rings[0], x, y);
  if (outer !== 'inside') return outer;
  for (let h = 1; h < polygon.rings.length; h++) {
    const inHole = placeInRing(polygon.rings[h], x, y);
    if (inHole === 'boundary') return 'boundary';
    if (inHole === 'inside') return 'outside';
  }
  return 'inside';
}

/** Exact place of a point in a (Multi)Polygon: inside, on its boundary (holes included), or outside. */
export function placeInArea(area: readonly PreparedPolygon[], x: number, y: number): PointPlace {
  let result: PointPlace = 'outside';
  for (const polygon of area) {
    const place = placeInPolygon(polygon, x, y);
    if (place === 'inside') return 'inside';
    if (place === 'boundary') result = 'boundary';
  }
  return result;
}

/** Does the segment a-b touch the closed box? (Separating axes: x, y and the segment's normal.) */
function segmentTouchesBox(ax: number, ay: number, bx: number, by: number, x0: number, y0: number, x1: number, y1: number): boolean {
  if (Math.max(ax, bx) < x0 || Math.min(ax, bx) > x1 || Math.max(ay, by) < y0 || Math.min(ay, by) > y1) return false;
  const dx = bx - ax, dy = by - ay;
  const s1 = dx * (y0 - ay) - dy * (x0 - ax);
  const s2 = dx * (y0 - ay) - dy * (x1 - ax);
  const s3 = dx * (y1 - ay) - dy * (x0 - ax);
  const s4 = dx * (y1 - ay) - dy * (x1 - ax);
  return !((s1 > 0 && s2 > 0 && s3 > 0 && s4 > 0) || (s1 < 0 && s2 < 0 && s3 < 0 && s4 < 0));
}

/**
 * How a box relates to an area. With no edge touching the box, every point
 * of it is on the same side as its centre; otherwise it is 'partial' and
 * points in it need the exact test.
 */
export function classifyBox(area: readonly PreparedPolygon[], x0: number, y0: number, x1: number, y1: number): 'contains' | 'disjoint' | 'partial' {
  for (const polygon of area) {
    if (polygon.maxX < x0 || polygon.minX > x1 || polygon.maxY < y0 || polygon.minY > y1) continue;
    for (const ring of polygon.rings) {
      for (let i = 0; i + 3 < ring.length; i += 2) {
        if (segmentTouchesBox(ring[i], ring[i + 1], ring[i + 2], ring[i + 3], x0, y0, x1, y1)) return 'partial';
      }
    }
  }
  return placeInArea(area, (x0 + x1) / 2, (y0 + y1) / 2) === 'inside' ? 'contains' : 'disjoint';
}

/** Raster cells per grid: finer means more cells answered without any polygon test, and more memory (~10 bytes a cell). */
const CELLS_PER_GRID = 64;
/** cellAnswer values besides a grid index. */
const MIXED = -1, EMPTY = -2;

export class GridIndex<G extends LocatableGrid> {
  /** Sorted by code, so the lowest candidate index is the smallest code. */
  private readonly grids: G[];
  private readonly areas: PreparedPolygon[][];
  /** Grid bounding boxes, [minX, minY, maxX, maxY] per grid. */
  private readonly boxes: Float64Array;
  // A raster over the extent; cell c lists the grids whose bbox touches it in
  // cellItems[cellStart[c] .. cellStart[c + 1]], ascending (= code order).
  // Built once with flatbush so a lookup costs one array index instead of a
  // tree walk, and can stop at the first grid that contains the point.
  private readonly cellStart: Uint32Array;
  /** Per cell: the grid that covers it all, EMPTY if no grid touches it, MIXED to test candidates. */
  private readonly cellAnswer: Int32Array;
  private readonly cellItems: Uint32Array;
  private readonly minX: number;
  private readonly minY: number;
  private readonly maxX: number;
  private readonly maxY: number;
  private readonly nx: number;
  private readonly ny: number;
  private readonly cellW: number;
  private readonly cellH: number;

  constructor(grids: readonly G[]) {
    this.grids = [...grids].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
    this.areas = this.grids.map((g) => prepareArea(g.geometry));
    const n = this.grids.length;
    this.boxes = new Float64Array(n * 4);
    let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    this.areas.forEach((area, i) => {
      let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
      for (const p of area) {
        x0 = Math.min(x0, p.minX); y0 = Math.min(y0, p.minY);
        x1 = Math.max(x1, p.maxX); y1 = Math.max(y1, p.maxY);
      }
      this.boxes.set([x0, y0, x1, y1], i * 4);
      if (x0 <= x1 && y0 <= y1) {
        minX = Math.min(minX, x0); minY = Math.min(minY, y0);
        maxX = Math.max(maxX, x1); maxY = Math.max(maxY, y1);
      }
    });
    if (!(minX <= maxX && minY <= maxY)) {
      // No grid with any extent: every lookup misses.
      [this.minX, this.minY, this.maxX, this.maxY, this.nx, this.ny, this.cellW, this.cellH] = [1, 1, 0, 0, 0, 0, 1, 1];
      this.cellStart = new Uint32Array(1);
      this.cellAnswer = new Int32Array(0);
      this.cellItems = new Uint32Array(0);
      return;
    }
    [this.minX, this.minY, this.maxX, this.maxY] = [minX, minY, maxX, maxY];
    // Square-ish cells, about CELLS_PER_GRID of them per grid.
    const w = maxX - minX || 1e-9, h = maxY - minY || 1e-9;
    const side = Math.sqrt((w * h) / (n * CELLS_PER_GRID));
    this.nx = Math.max(1, Math.min(4096, Math.ceil(w / side)));
    this.ny = Math.max(1, Math.min(4096, Math.ceil(h / side)));
    this.cellW = w / this.nx;
    this.cellH = h / this.ny;

    const tree = new Flatbush(n);
    for (let i = 0; i < n; i++) tree.add(this.boxes[i * 4], this.boxes[i * 4 + 1], this.boxes[i * 4 + 2], this.boxes[i * 4 + 3]);
    tree.finish();
    const cells = this.nx * this.ny;
    this.cellStart = new Uint32Array(cells + 1);
    this.cellAnswer = new Int32Array(cells);
    const items: number[] = [];
    // Pad each cell a little: a point's cell is found by division, which may
    // round it just past the cell's edge. Extra candidates are harmless.
    const padX = this.cellW * 1e-6, padY = this.cellH * 1e-6;
    for (let cy = 0; cy < this.ny; cy++) {
      for (let cx = 0; cx < this.nx; cx++) {
        const x0 = minX + cx * this.cellW, y0 = minY + cy * this.cellH;
        const box = [x0 - padX, y0 - padY, x0 + this.cellW + padX, y0 + this.cellH + padY] as const;
        const found = tree.search(...box).sort((a, b) => a - b);
        for (const i of found) items.push(i);
        const cell = cy * this.nx + cx;
        this.cellStart[cell + 1] = items.length;
        this.cellAnswer[cell] = this.answerForCell(found, box);
      }
    }
    this.cellItems = Uint32Array.from(items);
  }

  /** The answer for a whole cell if one exists: in code order, grids that miss the cell are passed over, the first that covers it is the answer, and one that cuts it makes it MIXED. */
  private answerForCell(candidates: readonly number[], [x0, y0, x1, y1]: readonly [number, number, number, number]): number {
    for (const i of candidates) {
      const place = classifyBox(this.areas[i], x0, y0, x1, y1);
      if (place === 'contains') return i;
      if (place === 'partial') return MIXED;
    }
    return EMPTY;
  }

  /** The grid containing the point, boundary inclusive; on a shared border the grid with the smallest code wins. undefined outside all grids. */
  locate(lon: number, lat: number): G | undefined {
    // Written so NaN fails every comparison and falls out here.
    if (!(lon >= this.minX && lon <= this.maxX && lat >= this.minY && lat <= this.maxY)) return undefined;
    const cx = Math.min(this.nx - 1, Math.floor((lon - this.minX) / this.cellW));
    const cy = Math.min(this.ny - 1, Math.floor((lat - this.minY) / this.cellH));
    const cell = cy * this.nx + cx;
    const answer = this.cellAnswer[cell];
    if (answer >= 0) return this.grids[answer];
    if (answer === EMPTY) return undefined;
    const boxes = this.boxes;
    for (let k = this.cellStart[cell], end = this.cellStart[cell + 1]; k < end; k++) {
      const i = this.cellItems[k];
      const b = i * 4;
      if (lon < boxes[b] || lon > boxes[b + 2] || lat < boxes[b + 1] || lat > boxes[b + 3]) continue;
      // Candidates ascend in code order: the first that contains the point wins.
      if (placeInArea(this.areas[i], lon, lat) !== 'outside') return this.grids[i];
    }
    return undefined;
  }

  get size(): number {
    return this.grids.length;
  }
}
