// Area and extent of a GeoJSON area, computed once at load time and stored,
// so list queries never redo geodesic maths.
import { area, bbox } from '@turf/turf';
import type { MultiPolygon, Polygon } from 'geojson';

export interface AreaStats {
  areaKm2: number;
  minLon: number;
  minLat: number;
  maxLon: number;
  maxLat: number;
}

/** Geodesic area in km² rounded to 4 decimals (100 m²), and the bounding box. */
export function areaStats(geometry: Polygon | MultiPolygon): AreaStats {
  const [minLon, minLat, maxLon, maxLat] = bbox(geometry);
  return { areaKm2: Math.round(area(geometry) / 100) / 10_000, minLon, minLat, maxLon, maxLat };
}
