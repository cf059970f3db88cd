// Checks a NewAreaData set the way a surveyor would: codes, references,
// geometry, tiling (no overlaps, no gaps) and containment. Pure: used by the
// generator's tests and by the importer, which shows the problems to a user.
import * as turf from '@turf/turf';
import Flatbush from 'flatbush';
import type { Feature, MultiPolygon, Polygon, Position } from 'geojson';
import type { Area, NewAreaData } from './types.ts';

export type ProblemKind =
  | 'bad-code' | 'duplicate-code' | 'unknown-community' | 'unknown-town' | 'town-mismatch' | 'bad-attribute'
  | 'invalid-geometry' | 'self-intersection' | 'overlap' | 'gap'
  | 'outside-community' | 'outside-town' | 'outside-district'
  | 'unknown-grid' | 'point-outside-grid' | 'staff' | 'invalid-input';

export interface Problem {
  kind: ProblemKind;
  /** The code of the object at fault (the first one, for pairs). */
  code: string;
  /** Plain English, ready to print. */
  message: string;
  areaM2?: number;
  /** [lon, lat] near the problem. */
  at?: [number, number];
}

export interface ValidationSummary {
  towns: number; communities: number;
  grids: { comprehensive: number; enterprise: number; total: number };
  stations: number; cameras: number; sensors: number;
  staff: { secretary: number; center_household: number; info_officer: number };
  households: number; population: number;
  areaKm2: { district: number; grids: number };
}

/** Overlaps, gaps and spill-overs smaller than this are float noise, not survey errors. */
export const AREA_TOLERANCE_M2 = 1;
const CODE_RE = /^[0-9A-Za-z_-]{1,40}$/;

const round = (v: number, d = 6) => Math.round(v * 10 ** d) / 10 ** d;
const where = (f: Feature<Polygon | MultiPolygon>): [number, number] => {
  const [lon, lat] = turf.pointOnFeature(f).geometry.coordinates;
  return [round(lon), round(lat)];
};
const fmtAt = (at: [number, number]) => `${at[0].toFixed(5)}, ${at[1].toFixed(5)}`;
const fmtM2 = (m2: number) => (m2 >= 1e5 ? `${(m2 / 1e6).toFixed(3)} km²` : `${Math.round(m2)} m²`);

/** Structural checks: closed rings of 4+ finite in-range positions. Returns what is wrong, or null. */
export function geometryError(g: Area | { type?: unknown; coordinates?: unknown } | null | undefined): string | null {
  if (!g || (g.type !== 'Polygon' && g.type !== 'MultiPolygon')) return `is a ${(g as { type?: string } | null)?.type ?? 'missing geometry'}, expected a Polygon`;
  const polygons = (g.type === 'Polygon' ? [g.coordinates] : g.coordinates) as unknown;
  if (!Array.isArray(polygons) || polygons.length === 0) return 'has no coordinates';
  for (const poly of polygons) {
    if (!Array.isArray(poly) || poly.length === 0) return 'has a polygon without rings';
    for (const ring of poly as unknown[]) {
      if (!Array.isArray(ring) || ring.length < 4) return 'has a ring with fewer than 4 positions';
      for (const p of ring as unknown[]) {
        if (!Array.isArray(p) || p.length < 2 || !p.every((v) => typeof v === 'number' && Number.isFinite(v))) return 'has a position that is not [lon, lat] numbers';
        if (p[0] < -180 || p[0] > 180 || p[1] < -90 || p[1] > 90) return `has a position out of lon/lat range (${p[0]}, ${p[1]})`;
      }
      const a = ring[0] as Position, b = ring[ring.length - 1] as Position;
      if (a[0] !== b[0] || a[1] !== b[1]) return 'has a ring that is not closed (first and last positions differ)';
    }
  }
  return null;
}

/** Area of `a` outside `b`, with a point in it; null when none to speak of. */
function spill(a: Area, b: Area): { m2: number; at: [number, number] } | null {
  const diff = turf.difference(turf.featureCollection([turf.feature(a), turf.feature(b)]));
  if (!diff) return null;
  const m2 = turf.area(diff);
  return m2 > AREA_TOLERANCE_M2 ? { m2, at: where(diff) } : null;
}

export function validateNewArea(data: NewAreaData): { problems: Problem[]; summary: ValidationSummary } {
  const problems: Problem[] = [];
  const add = (p: Problem) => problems.push(p);

  // Codes: well formed and unique within each collection (staff and devices across the set too).
  const checkCodes = (label: string, items: { code: string }[]) => {
    const seen = new Map<string, number>();
    for (const item of items) {
      if (typeof item.code !== 'string' || !CODE_RE.test(item.code)) add({ kind: 'bad-code', code: String(item.code), message: `${label} code "${item.code}" is not 1-40 letters, digits, "_" or "-"` });
      seen.set(item.code, (seen.get(item.code) ?? 0) + 1);
    }
    for (const [code, n] of seen) if (n > 1) add({ kind: 'duplicate-code', code, message: `${label} code ${code} is used by ${n} ${label}s; codes must be unique` });
  };
  checkCodes('town', data.towns);
  checkCodes('community', data.communities);
  checkCodes('grid', data.grids);
  checkCodes('station', data.stations);
  checkCodes('device', [...data.cameras, ...data.sensors]);
  checkCodes('staff', data.staff);

  const towns = new Map(data.towns.map((t) => [t.code, t]));
  const communities = new Map(data.communities.map((c) => [c.code, c]));
  for (const c of data.communities) {
    if (!towns.has(c.townCode)) add({ kind: 'unknown-town', code: c.code, message: `community ${c.code} (${c.name}) names town ${c.townCode}, which does not exist` });
  }
  for (const g of data.grids) {
    const c = communities.get(g.communityCode);
    if (!c) add({ kind: 'unknown-community', code: g.code, message: `grid ${g.code} (${g.name}) names community ${g.communityCode}, which is not one of the New Area's ${data.communities.length} villages/communities` });
    else if (c.townCode !== g.townCode) add({ kind: 'town-mismatch', code: g.code, message: `grid ${g.code} says town ${g.townCode} but its community ${c.code} belongs to town ${c.townCode}` });
    if (g.kind !== 'comprehensive' && g.kind !== 'enterprise') add({ kind: 'bad-attribute', code: g.code, message: `grid ${g.code} has kind "${g.kind}"; expected comprehensive or enterprise` });
    for (const field of ['households', 'population'] as const) {
      if (!Number.isInteger(g[field]) || g[field] < 0) add({ kind: 'bad-attribute', code: g.code, message: `grid ${g.code} has ${field} ${g[field]}; expected a whole number >= 0` });
    }
  }

  // Geometry validity; only valid shapes go on to the area checks.
  const validShape = (label: string, code: string, g: Area): boolean => {
    const err = geometryError(g);
    if (err) { add({ kind: 'invalid-geometry', code, message: `${label} ${code} ${err}` }); return false; }
    const kinks = turf.kinks(g).features;
    if (kinks.length > 0) {
      const [lon, lat] = kinks[0].geometry.coordinates;
      const at: [number, number] = [round(lon), round(lat)];
      add({ kind: 'self-intersection', code, at, message: `${label} ${code} has a self-intersecting boundary (${kinks.length} crossing${kinks.length > 1 ? 's' : ''}), first near ${fmtAt(at)}` });
      return false;
    }
    return true;
  };
  const gridOk = data.grids.map((g) => validShape('grid', g.code, g.geometry));
  const communityOk = new Map(data.communities.map((c) => [c.code, validShape('community', c.code, c.geometry)]));
  const townOk = new Map(data.towns.map((t) => [t.code, validShape('town', t.code, t.geometry)]));
  const districtOk = validShape('district', data.district.code, data.district.geometry);

  // Overlaps: candidate pairs by bounding box, then the real intersection.
  const okGrids = data.grids.filter((_, i) => gridOk[i]);
  const areas = okGrids.map((g) => turf.area(g.geometry));
  if (okGrids.length > 0) {
    const boxes = okGrids.map((g) => turf.bbox(g.geometry));
    const index = new Flatbush(okGrids.length);
    for (const b of boxes) index.add(b[0], b[1], b[2], b[3]);
    index.finish();
    okGrids.forEach((g, i) => {
      for (const j of index.search(...(boxes[i] as [number, number, number, number]))) {
        if (j <= i) continue;
        const inter = turf.intersect(turf.featureCollection([turf.feature(g.geometry), turf.feature(okGrids[j].geometry)]));
        if (!inter) continue;
        const m2 = turf.area(inter);
        if (m2 <= AREA_TOLERANCE_M2) continue;
        const at = where(inter);
        add({ kind: 'overlap', code: g.code, areaM2: Math.round(m2), at, message: `grid ${g.code} overlaps grid ${okGrids[j].code} by ${fmtM2(m2)} near ${fmtAt(at)}` });
      }
    });
  }

  // Coverage: grid areas must add up to the district's, and the district may not have holes.
  const gridAreaM2 = areas.reduce((s, a) => s + a, 0);
  const districtAreaM2 = districtOk ? turf.area(data.district.geometry) : 0;
  if (districtOk) {
    const d = data.district.geometry;
    const polys = d.type === 'Polygon' ? [d.coordinates] : d.coordinates;
    for (const poly of polys) {
      for (const hole of poly.slice(1)) {
        const f = turf.polygon([[...hole].reverse()]);
        const m2 = turf.area(f);
        if (m2 <= AREA_TOLERANCE_M2) continue;
        const at = where(f);
        add({ kind: 'gap', code: data.district.code, areaM2: Math.round(m2), at, message: `gap: ${fmtM2(m2)} inside the district near ${fmtAt(at)} belongs to no grid` });
      }
    }
    const tolerance = AREA_TOLERANCE_M2 * Math.max(1, okGrids.length);
    if (okGrids.length === data.grids.length && districtAreaM2 - gridAreaM2 > tolerance) {
      const all = turf.union(turf.featureCollection(okGrids.map((g) => turf.feature(g.geometry))));
      const gaps = all ? turf.difference(turf.featureCollection([turf.feature(d), all])) : turf.feature(d);
      const pieces = gaps ? turf.flatten(gaps).features.filter((f) => turf.area(f) > AREA_TOLERANCE_M2) : [];
      for (const f of pieces) {
        const m2 = turf.area(f);
        const at = where(f);
        add({ kind: 'gap', code: data.district.code, areaM2: Math.round(m2), at, message: `gap: ${fmtM2(m2)} of the district near ${fmtAt(at)} is covered by no grid` });
      }
      if (pieces.length === 0) {
        add({ kind: 'gap', code: data.district.code, areaM2: Math.round(districtAreaM2 - gridAreaM2), message: `grids add up to ${fmtM2(gridAreaM2)} but the district is ${fmtM2(districtAreaM2)}` });
      }
    }
  }

  // Containment: grid in community, community in town, town in district.
  okGrids.forEach((g) => {
    const c = communities.get(g.communityCode);
    if (!c || !communityOk.get(c.code)) return;
    const s = spill(g.geometry, c.geometry);
    if (s) add({ kind: 'outside-community', code: g.code, areaM2: Math.round(s.m2), at: s.at, message: `grid ${g.code} reaches ${fmtM2(s.m2)} outside its community ${c.code} near ${fmtAt(s.at)}` });
  });
  for (const c of data.communities) {
    const t = towns.get(c.townCode);
    if (!t || !communityOk.get(c.code) || !townOk.get(t.code)) continue;
    const s = spill(c.geometry, t.geometry);
    if (s) add({ kind: 'outside-town', code: c.code, areaM2: Math.round(s.m2), at: s.at, message: `community ${c.code} reaches ${fmtM2(s.m2)} outside its town ${t.code} near ${fmtAt(s.at)}` });
  }
  if (districtOk) {
    for (const t of data.towns) {
      if (!townOk.get(t.code)) continue;
      const s = spill(t.geometry, data.district.geometry);
      if (s) add({ kind: 'outside-district', code: t.code, areaM2: Math.round(s.m2), at: s.at, message: `town ${t.code} reaches ${fmtM2(s.m2)} outside the district near ${fmtAt(s.at)}` });
    }
  }

  // Points strictly inside the grid they name.
  const gridByCode = new Map(data.grids.map((g, i) => [g.code, { g, ok: gridOk[i] }]));
  const checkPoints = (label: string, points: { code: string; gridCode: string; lon: number; lat: number }[]) => {
    for (const p of points) {
      const entry = gridByCode.get(p.gridCode);
      if (!entry) { add({ kind: 'unknown-grid', code: p.code, message: `${label} ${p.code} names grid ${p.gridCode}, which does not exist` }); continue; }
      if (!entry.ok) continue;
      if (!turf.booleanPointInPolygon([p.lon, p.lat], entry.g.geometry, { ignoreBoundary: true })) {
        add({ kind: 'point-outside-grid', code: p.code, at: [p.lon, p.lat], message: `${label} ${p.code} at ${fmtAt([p.lon, p.lat])} is not strictly inside its grid ${p.gridCode}` });
      }
    }
  };
  checkPoints('station', data.stations);
  checkPoints('camera', data.cameras);
  checkPoints('sensor', data.sensors);

  // Staff: each worker serves at most 30 households; together they serve exactly the grid's households.
  const served = new Map<string, number>();
  const secretaries = new Map<string, number>();
  for (const s of data.staff) {
    if (!gridByCode.has(s.gridCode)) { add({ kind: 'unknown-grid', code: s.code, message: `staff ${s.code} names grid ${s.gridCode}, which does not exist` }); continue; }
    if (s.role === 'secretary') secretaries.set(s.gridCode, (secretaries.get(s.gridCode) ?? 0) + 1);
    else if (!(s.households >= 0 && s.households <= 30)) add({ kind: 'staff', code: s.code, message: `staff ${s.code} serves ${s.households} households; at most 30 allowed` });
    served.set(s.gridCode, (served.get(s.gridCode) ?? 0) + s.households);
  }
  for (const g of data.grids) {
    if (secretaries.get(g.code) !== 1) add({ kind: 'staff', code: g.code, message: `grid ${g.code} has ${secretaries.get(g.code) ?? 0} party branch secretaries; expected 1` });
    if ((served.get(g.code) ?? 0) !== g.households) add({ kind: 'staff', code: g.code, message: `staff of grid ${g.code} serve ${served.get(g.code) ?? 0} households but the grid has ${g.households}` });
  }

  const roleCount = (role: string) => data.staff.filter((s) => s.role === role).length;
  const summary: ValidationSummary = {
    towns: data.towns.length,
    communities: data.communities.length,
    grids: {
      comprehensive: data.grids.filter((g) => g.kind === 'comprehensive').length,
      enterprise: data.grids.filter((g) => g.kind === 'enterprise').length,
      total: data.grids.length,
    },
    stations: data.stations.length, cameras: data.cameras.length, sensors: data.sensors.length,
    staff: { secretary: roleCount('secretary'), center_household: roleCount('center_household'), info_officer: roleCount('info_officer') },
    households: data.grids.reduce((s, g) => s + (Number.isFinite(g.households) ? g.households : 0), 0),
    population: data.grids.reduce((s, g) => s + (Number.isFinite(g.population) ? g.population : 0), 0),
    areaKm2: { district: round(districtAreaM2 / 1e6, 3), grids: round(gridAreaM2 / 1e6, 3) },
  };
  return { problems, summary };
}
