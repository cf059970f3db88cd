// Replace the generated grids by a user's own survey (a GeoJSON
// FeatureCollection of grid Polygons). Communities, towns and the district
// are rebuilt as unions of the grids; generated stations, cameras and sensors
// are kept where they fall inside a new grid; staff are regenerated. The
// result goes through the same validation as the generated data.
import * as turf from '@turf/turf';
import Flatbush from 'flatbush';
import gcoord from 'gcoord';
import type { Position, Polygon } from 'geojson';
import type { Area, GridRecord, NewAreaData, PointRecord } from '../types.ts';
import { topoUnion } from '../geometry/topo-union.ts';
import { DISTRICT, loadDivisions } from '../generator/divisions.ts';
import { generateStaff } from '../generator/staff.ts';
import { round6 } from '../generator/plane.ts';
import { withVersion } from '../version.ts';
import { geometryError, validateNewArea, type Problem, type ValidationSummary } from '../validate.ts';

export type Crs = 'wgs84' | 'gcj02';
export interface ImportOptions {
  crs?: Crs;
  /** The generated data set: source of the stations, cameras, sensors and river kept on import. */
  base: NewAreaData;
}
export interface ImportResult {
  /** Present only when there are no problems. */
  data?: NewAreaData;
  problems: Problem[];
  /** Things worth knowing that are not errors (defaults used, points dropped). */
  notes: string[];
  summary?: ValidationSummary;
}

/** Assumed when a survey gives no household count: a typical grid, and a plant's dormitory. */
const DEFAULT_HOUSEHOLDS = { comprehensive: 300, enterprise: 40 } as const;
/** Persons per household in the New Area (216,000 people in 110,300 households). */
const PERSONS_PER_HOUSEHOLD = 1.96;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function convertRing(ring: Position[], crs: Crs): Position[] {
  const out: Position[] = [];
  for (const p of ring) {
    const q = crs === 'gcj02' ? gcoord.transform([p[0], p[1]] as [number, number], gcoord.GCJ02, gcoord.WGS84) : p;
    const r = [round6(q[0]), round6(q[1])];
    const last = out[out.length - 1];
    if (!last || last[0] !== r[0] || last[1] !== r[1]) out.push(r);
  }
  return out;
}

/** Union of grid polygons: exact when they share vertices (a clean survey), else by polygon clipping. */
function unionOf(polygons: Polygon[]): Area | null {
  if (polygons.length === 0) return null;
  const topo = topoUnion(polygons.map((p) => p.coordinates[0]));
  if (topo.clean && topo.geometry.type === 'Polygon' && polygons.every((p) => p.coordinates.length === 1)) return topo.geometry;
  const merged = turf.union(turf.featureCollection(polygons.map((p) => turf.feature(p))));
  return merged ? merged.geometry : null;
}

export function importGrids(input: unknown, opts: ImportOptions): ImportResult {
  const crs = opts.crs ?? 'wgs84';
  const problems: Problem[] = [];
  const notes: string[] = [];
  if (!isObject(input) || input.type !== 'FeatureCollection' || !Array.isArray(input.features)) {
    return { problems: [{ kind: 'invalid-input', code: '-', message: 'the file is not a GeoJSON FeatureCollection (expected {"type": "FeatureCollection", "features": [...]})' }], notes };
  }
  const { towns, communities } = loadDivisions();
  const communityByCode = new Map(communities.map((c) => [c.code, c]));
  const grids: GridRecord[] = [];
  const wellShaped = new Set<GridRecord>(); // valid, simple shapes: these build the district
  const usable = new Set<GridRecord>(); // ... and in a known community: these build communities and towns
  const defaulted = { households: 0, population: 0 };

  input.features.forEach((feature: unknown, i: number) => {
    const props = isObject(feature) && isObject(feature.properties) ? feature.properties : {};
    const code = typeof props.code === 'string' ? props.code : isObject(feature) && typeof feature.id === 'string' ? feature.id : '';
    const label = `feature #${i + 1}${code ? ` (${code})` : ''}`;
    if (!isObject(feature) || feature.type !== 'Feature') {
      problems.push({ kind: 'invalid-input', code: code || `#${i + 1}`, message: `${label} is not a GeoJSON Feature` });
      return;
    }
    const missing = (['code', 'name', 'communityCode'] as const).filter((k) => typeof props[k] !== 'string' || props[k] === '');
    if (missing.length > 0) {
      problems.push({ kind: 'bad-attribute', code: code || `#${i + 1}`, message: `${label} lacks the text properties: ${missing.join(', ')}` });
      return;
    }
    const kind = props.kind ?? 'comprehensive';
    if (kind !== 'comprehensive' && kind !== 'enterprise') {
      problems.push({ kind: 'bad-attribute', code, message: `${label} has kind "${String(kind)}"; expected comprehensive or enterprise` });
      return;
    }
    let geometry = feature.geometry as { type?: string; coordinates?: unknown } | null;
    if (geometry?.type === 'MultiPolygon' && Array.isArray(geometry.coordinates) && geometry.coordinates.length === 1) {
      geometry = { type: 'Polygon', coordinates: geometry.coordinates[0] };
    }
    if (geometry?.type !== 'Polygon') {
      const what = geometry?.type === 'MultiPolygon' ? 'a MultiPolygon of several parts' : `a ${geometry?.type ?? 'feature without geometry'}`;
      problems.push({ kind: 'invalid-geometry', code, message: `${label} is ${what}; each grid must be one Polygon` });
      return;
    }
    const shapeError = geometryError(geometry as Polygon);
    if (shapeError) {
      problems.push({ kind: 'invalid-geometry', code, message: `${label} ${shapeError}` });
      return;
    }
    const rings = (geometry as Polygon).coordinates.map((r) => convertRing(r, crs));
    const numberOr = (v: unknown) => (typeof v === 'number' ? v : undefined);
    let households = numberOr(props.households);
    if (households === undefined) { households = DEFAULT_HOUSEHOLDS[kind]; defaulted.households++; }
    let population = numberOr(props.population);
    if (population === undefined) { population = Math.round(households * PERSONS_PER_HOUSEHOLD); defaulted.population++; }
    const name = props.name as string;
    const communityCode = props.communityCode as string;
    const grid: GridRecord = {
      code, name, kind, communityCode,
      townCode: communityByCode.get(communityCode)?.townCode ?? communityCode.slice(0, 9),
      households, population,
      partyBranch: typeof props.partyBranch === 'string' && props.partyBranch ? props.partyBranch : `${name}党支部`,
      geometry: { type: 'Polygon', coordinates: rings },
    };
    grids.push(grid);
    if (!geometryError(grid.geometry) && turf.kinks(grid.geometry).features.length === 0) {
      wellShaped.add(grid);
      if (communityByCode.has(communityCode)) usable.add(grid);
    }
  });
  if (defaulted.households) notes.push(`${defaulted.households} grids have no households; assumed ${DEFAULT_HOUSEHOLDS.comprehensive} (comprehensive) or ${DEFAULT_HOUSEHOLDS.enterprise} (enterprise)`);
  if (defaulted.population) notes.push(`${defaulted.population} grids have no population; assumed ${PERSONS_PER_HOUSEHOLD} persons per household`);
  if (grids.length === 0) {
    problems.push({ kind: 'invalid-input', code: '-', message: 'no usable grid polygons in the file' });
    return { problems, notes };
  }

  const good = grids.filter((g) => usable.has(g));
  const communityRecords = communities.flatMap((c) => {
    const geometry = unionOf(good.filter((g) => g.communityCode === c.code).map((g) => g.geometry));
    return geometry ? [{ code: c.code, name: c.name, kind: c.kind, townCode: c.townCode, geometry }] : [];
  });
  if (communityRecords.length < communities.length) notes.push(`${communities.length - communityRecords.length} of the ${communities.length} villages/communities have no grids in this file`);
  const townRecords = towns.flatMap((t) => {
    const geometry = unionOf(good.filter((g) => g.townCode === t.code).map((g) => g.geometry));
    return geometry ? [{ ...t, geometry }] : [];
  });
  const districtGeometry = unionOf(grids.filter((g) => wellShaped.has(g)).map((g) => g.geometry)) ?? { type: 'Polygon' as const, coordinates: [] };

  // Keep generated points that fall strictly inside a new grid, re-assigned to it.
  const boxes = grids.map((g) => turf.bbox(g.geometry));
  const index = new Flatbush(grids.length);
  for (const b of boxes) index.add(b[0], b[1], b[2], b[3]);
  index.finish();
  const regrid = <P extends PointRecord>(points: P[], label: string): P[] => {
    const kept = points.flatMap((p) => {
      const hit = index.search(p.lon, p.lat, p.lon, p.lat).sort((a, b) => a - b)
        .find((i) => wellShaped.has(grids[i]) && turf.booleanPointInPolygon([p.lon, p.lat], grids[i].geometry, { ignoreBoundary: true }));
      return hit === undefined ? [] : [{ ...p, gridCode: grids[hit].code }];
    });
    if (kept.length < points.length) notes.push(`${points.length - kept.length} of ${points.length} ${label} fall outside the imported grids and were dropped`);
    return kept;
  };

  let staff: NewAreaData['staff'] = [];
  try {
    staff = generateStaff(grids);
  } catch (err) {
    problems.push({ kind: 'staff', code: '-', message: `cannot assign field staff: ${(err as Error).message}` });
  }
  const data = withVersion({
    source: 'imported',
    district: { ...DISTRICT, geometry: districtGeometry },
    river: opts.base.river,
    towns: townRecords,
    communities: communityRecords,
    grids,
    stations: regrid(opts.base.stations, 'stations'),
    cameras: regrid(opts.base.cameras, 'cameras'),
    sensors: regrid(opts.base.sensors, 'sensors'),
    staff,
  });
  const validation = validateNewArea(data);
  problems.push(...validation.problems);
  return { data: problems.length === 0 ? data : undefined, problems, notes, summary: validation.summary };
}

/** The generated grids as the GeoJSON a user would hand in (also the round-trip test's input). */
export function gridsToGeoJSON(data: NewAreaData) {
  return {
    type: 'FeatureCollection' as const,
    features: data.grids.map((g) => ({
      type: 'Feature' as const,
      id: g.code,
      geometry: g.geometry,
      properties: { code: g.code, name: g.name, kind: g.kind, communityCode: g.communityCode, households: g.households, population: g.population, partyBranch: g.partyBranch },
    })),
  };
}
