// Points inside grids: party-mass service stations, cameras and smart-fire
// sensors. Each point is drawn inside its grid's (convex) cell and pulled 10 %
// towards the seed, so it is strictly inside, never on a border.
import type { CameraRecord, GridRecord, PointRecord, SensorRecord } from '../types.ts';
import type { Cell } from './cells.ts';
import { toLonLat, type XY } from './plane.ts';
import { apportion, makeRng, type Rng } from './random.ts';

export const STATION_COUNT = 136;
export const CAMERA_COUNT = 2000;
export const SENSOR_COUNT = 300;

export interface PlacedGrid { grid: GridRecord; cell: Cell; townIndex: number; communityShort: string }

export function pointInCell(cell: Cell, rng: Rng): [number, number] {
  const s = cell.seed;
  const ring = cell.plane;
  const areas = ring.map((a, i) => {
    const b = ring[(i + 1) % ring.length];
    return Math.abs((a[0] - s[0]) * (b[1] - s[1]) - (b[0] - s[0]) * (a[1] - s[1])) / 2;
  });
  const i = rng.weighted(areas);
  const a = ring[i], b = ring[(i + 1) % ring.length];
  let u = rng(), v = rng();
  if (u + v > 1) { u = 1 - u; v = 1 - v; }
  const p: XY = [s[0] + u * (a[0] - s[0]) + v * (b[0] - s[0]), s[1] + u * (a[1] - s[1]) + v * (b[1] - s[1])];
  return toLonLat([s[0] + 0.9 * (p[0] - s[0]), s[1] + 0.9 * (p[1] - s[1])]);
}

export function placeStations(placed: PlacedGrid[]): PointRecord[] {
  const rng = makeRng('stations');
  const chosen = new Map<number, boolean>(); // grid index -> first station of its community
  // One per community first (its most populous grid; a comprehensive one where there is any),
  // the rest where most households live.
  const byCommunity = new Map<string, number>();
  const rank = (p: PlacedGrid) => p.grid.households + (p.grid.kind === 'comprehensive' ? 1e6 : 0);
  placed.forEach((p, i) => {
    const best = byCommunity.get(p.grid.communityCode);
    if (best === undefined || rank(placed[best]) < rank(p)) byCommunity.set(p.grid.communityCode, i);
  });
  for (const i of byCommunity.values()) chosen.set(i, true);
  const rest = placed
    .map((p, i) => ({ i, score: p.grid.kind === 'comprehensive' && !chosen.has(i) ? p.grid.households * rng.range(0.5, 1.5) : -1 }))
    .filter((c) => c.score > 0)
    .sort((a, b) => b.score - a.score || a.i - b.i)
    .slice(0, STATION_COUNT - chosen.size);
  for (const r of rest) chosen.set(r.i, false);
  const perCommunity = new Map<string, number>();
  return [...chosen.keys()].sort((a, b) => a - b).map((i) => {
    const { grid, cell, communityShort } = placed[i];
    const n = (perCommunity.get(grid.communityCode) ?? 0) + 1;
    perCommunity.set(grid.communityCode, n);
    const [lon, lat] = pointInCell(cell, rng);
    const name = chosen.get(i) ? `${communityShort}党群服务站` : `${grid.name}党群服务站`;
    return { code: `${grid.communityCode}S${String(n).padStart(2, '0')}`, name, gridCode: grid.code, lon, lat };
  });
}

const CAMERA_TYPE_ZH = { bullet: '枪机', dome: '球机', ptz: '云台', panoramic: '全景' } as const;
const SENSOR_TYPE_ZH = { smoke: '烟感', temperature: '温感', gas: '燃气', electrical: '电气火灾' } as const;
const CAMERA_TYPES = ['bullet', 'dome', 'ptz', 'panoramic'] as const;
const SENSOR_TYPES = ['smoke', 'temperature', 'gas', 'electrical'] as const;

/**
 * GB/T 28181-style 20-digit device id: centre code (district 321171 + town
 * 2 digits), industry 00, type code (132 network camera, 134 alarm input
 * device), network 0, serial 6 digits.
 */
function deviceId(townIndex: number, typeCode: string, serial: number): string {
  return `321171${String(townIndex + 1).padStart(2, '0')}00${typeCode}0${String(serial).padStart(6, '0')}`;
}

export function placeCameras(placed: PlacedGrid[]): CameraRecord[] {
  const rng = makeRng('cameras');
  // Roughly one camera per 60 households plus the gates and roads; enterprise grids are watched closely.
  const counts = apportion(CAMERA_COUNT, placed.map((p) => (p.grid.kind === 'enterprise' ? 10 : p.grid.households / 60 + 1)), placed.map(() => 1));
  const out: CameraRecord[] = [];
  placed.forEach((p, i) => {
    const weights = p.grid.kind === 'enterprise' ? [0.5, 0.2, 0.2, 0.1] : [0.45, 0.35, 0.12, 0.08];
    for (let k = 1; k <= counts[i]; k++) {
      const type = CAMERA_TYPES[rng.weighted(weights)];
      const [lon, lat] = pointInCell(p.cell, rng);
      out.push({ code: deviceId(p.townIndex, '132', out.length + 1), name: `${p.grid.name}${CAMERA_TYPE_ZH[type]}${k}号`, gridCode: p.grid.code, lon, lat, type });
    }
  });
  return out;
}

export function placeSensors(placed: PlacedGrid[]): SensorRecord[] {
  const rng = makeRng('sensors');
  // Mostly in plants (enterprise grids), then in the densest residential grids.
  const counts = apportion(SENSOR_COUNT, placed.map((p) => (p.grid.kind === 'enterprise' ? 6 : Math.max(0, p.grid.households - 350) / 60)));
  const out: SensorRecord[] = [];
  placed.forEach((p, i) => {
    const weights = p.grid.kind === 'enterprise' ? [0.2, 0.25, 0.3, 0.25] : [0.55, 0.1, 0.05, 0.3];
    for (let k = 1; k <= counts[i]; k++) {
      const type = SENSOR_TYPES[rng.weighted(weights)];
      const [lon, lat] = pointInCell(p.cell, rng);
      out.push({ code: deviceId(p.townIndex, '134', out.length + 1), name: `${p.grid.name}${SENSOR_TYPE_ZH[type]}探测器${k}号`, gridCode: p.grid.code, lon, lat, type });
    }
  });
  return out;
}
