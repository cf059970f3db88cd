// The cameras an officer should look through for an incident: those in the
// incident's own grid first (they watch the place the grid worker knows),
// nearest first, then the nearest outside it. ~2,000 cameras: a sort of a
// filtered copy is microseconds and needs no index.

export interface CameraPoint {
  code: string;
  gridCode: string;
  lon: number;
  lat: number;
}

export interface RankedCamera<C extends CameraPoint> {
  camera: C;
  distanceM: number;
  inGrid: boolean;
}

const EARTH_RADIUS_M = 6_371_008.8;
const RAD = Math.PI / 180;

/** Great-circle distance in metres (haversine): exact enough at street scale and at 30 km. */
export function distanceM(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const dLat = (lat2 - lat1) * RAD;
  const dLon = (lon2 - lon1) * RAD;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * RAD) * Math.cos(lat2 * RAD) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(a)));
}

export interface NearestOptions {
  limit: number;
  /** Cameras outside the grid farther than this are left out (a camera 20 km away shows nothing useful). */
  maxOutsideM?: number;
}

export function nearestCameras<C extends CameraPoint>(
  point: { lon: number; lat: number; gridCode: string | null },
  cameras: readonly C[],
  options: NearestOptions,
): RankedCamera<C>[] {
  if (options.limit <= 0) return [];
  const ranked = cameras.map((camera) => ({
    camera,
    distanceM: distanceM(point.lon, point.lat, camera.lon, camera.lat),
    inGrid: point.gridCode !== null && camera.gridCode === point.gridCode,
  }));
  const maxOutside = options.maxOutsideM ?? Infinity;
  return ranked
    .filter((r) => r.inGrid || r.distanceM <= maxOutside)
    .sort((a, b) => Number(b.inGrid) - Number(a.inGrid) || a.distanceM - b.distanceM || a.camera.code.localeCompare(b.camera.code))
    .slice(0, options.limit);
}
