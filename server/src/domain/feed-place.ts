// Where the demo feed's reports happen: livelihood, public-order and
// city-management items where people live (grids weighted by households),
// work-safety and ecology items mostly around the plants (enterprise grids),
// at a uniformly random point inside the chosen grid.
import type { Polygon } from 'geojson';
import type { Domain } from '../../../shared/schemas/catalogue.ts';
import { WeightedChoice, type Rng } from './feed-random.ts';

export interface PlaceGrid {
  code: string;
  kind: 'comprehensive' | 'enterprise';
  communityCode: string;
  townCode: string;
  households: number;
  geometry: Polygon;
}

/** Domains whose reports lean to enterprise grids. */
export const PLANT_DOMAINS: readonly Domain[] = ['work_safety', 'ecology'];

/**
 * Share of work-safety and ecology reports placed in the 88 enterprise grids
 * (the rest by households: a blocked stairwell or littering happens at home
 * too). Plausible, not from the articles.
 */
export const PLANT_SHARE_IN_ENTERPRISE_GRIDS = 0.6;

interface PreparedGrid extends PlaceGrid {
  bbox: [number, number, number, number];
}

function ringContains(ring: number[][], x: number, y: number): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Even-odd over every ring: inside the outer ring and outside any hole. */
export function polygonContains(polygon: Polygon, x: number, y: number): boolean {
  let inside = false;
  for (const ring of polygon.coordinates) if (ringContains(ring, x, y)) inside = !inside;
  return inside;
}

function bboxOf(polygon: Polygon): [number, number, number, number] {
  let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [x, y] of polygon.coordinates[0]) {
    x0 = Math.min(x0, x); y0 = Math.min(y0, y); x1 = Math.max(x1, x); y1 = Math.max(y1, y);
  }
  return [x0, y0, x1, y1];
}

/** Coordinates rounded to 6 decimals (~0.1 m), what a phone's GPS gives. */
const round6 = (v: number) => Math.round(v * 1e6) / 1e6;

/** A random point strictly inside a polygon (rejection sampling in its bounding box). */
export function pointInPolygon(rng: Rng, polygon: Polygon, bbox = bboxOf(polygon)): [number, number] {
  const [x0, y0, x1, y1] = bbox;
  for (let attempt = 0; attempt < 1000; attempt++) {
    const x = round6(x0 + rng() * (x1 - x0));
    const y = round6(y0 + rng() * (y1 - y0));
    if (polygonContains(polygon, x, y)) return [x, y];
  }
  throw new Error('pointInPolygon: no point found in 1000 tries (degenerate polygon?)');
}

export interface Place {
  grid: PlaceGrid;
  lon: number;
  lat: number;
}

export class PlacePicker {
  private readonly byHouseholds: WeightedChoice<PreparedGrid>;
  private readonly enterprise: WeightedChoice<PreparedGrid> | null;

  constructor(grids: readonly PlaceGrid[]) {
    const prepared = grids.map((g): PreparedGrid => ({ ...g, bbox: bboxOf(g.geometry) }));
    // A grid without households still gets a sliver of weight: something can happen anywhere.
    this.byHouseholds = new WeightedChoice(prepared, prepared.map((g) => Math.max(g.households, 1)));
    const plants = prepared.filter((g) => g.kind === 'enterprise');
    this.enterprise = plants.length ? new WeightedChoice(plants, plants.map(() => 1)) : null;
  }

  /** The grid a report of this domain happens in. */
  grid(rng: Rng, domain: Domain): PlaceGrid {
    if (this.enterprise && PLANT_DOMAINS.includes(domain) && rng() < PLANT_SHARE_IN_ENTERPRISE_GRIDS) {
      return this.enterprise.pick(rng);
    }
    return this.byHouseholds.pick(rng);
  }

  place(rng: Rng, domain: Domain): Place {
    const grid = this.grid(rng, domain) as PreparedGrid;
    const [lon, lat] = pointInPolygon(rng, grid.geometry, grid.bbox);
    return { grid, lon, lat };
  }
}
