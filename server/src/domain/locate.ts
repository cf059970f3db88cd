// Which grid contains a point: the lookup every incoming report uses.
// A flatbush R-tree over grid bounding boxes narrows the search to a few
// candidates; an exact ray-crossing test then decides. Pure: no I/O.
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

export class GridIndex<G extends LocatableGrid> {
  /** Sorted by code, so the lowest candidate index is the smallest code. */
  private readonly grids: G[];
  private readonly areas: PreparedPolygon[][];
  private readonly tree: Flatbush | undefined;

  constructor(grids: readonly G[]) {
    this.grids = [...grids].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
    this.areas = this.grids.map((g) => prepareArea(g.geometry));
    if (this.grids.length === 0) return; // flatbush needs at least one item
    this.tree = new Flatbush(this.grids.length);
    for (const area of this.areas) {
      let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
      for (const p of area) {
        minX = Math.min(minX, p.minX);
        minY = Math.min(minY, p.minY);
        maxX = Math.max(maxX, p.maxX);
        maxY = Math.max(maxY, p.maxY);
      }
      this.tree.add(minX, minY, maxX, maxY);
    }
    this.tree.finish();
  }

  /** The grid containing the point, boundary inclusive; on a shared border the grid with the smallest code wins. undefined outside all grids. */
  locate(lon: number, lat: number): G | undefined {
    if (!this.tree || !Number.isFinite(lon) || !Number.isFinite(lat)) return undefined;
    const candidates = this.tree.search(lon, lat, lon, lat);
    let best = -1;
    // Every containing candidate is checked (not just the first found) so the
    // answer does not depend on tree order, even if grids overlap.
    for (const i of candidates) {
      if ((best === -1 || i < best) && placeInArea(this.areas[i], lon, lat) !== 'outside') best = i;
    }
    return best === -1 ? undefined : this.grids[best];
  }

  get size(): number {
    return this.grids.length;
  }
}
