// Read side of the New Area's structure as GeoJSON features (id = code,
// camelCase properties), in code order so responses are stable.
import type { Static } from 'typebox';
import type {
  BasemapFeature,
  CameraFeature,
  CommunityFeature,
  GridFeature,
  GridKind,
  SensorFeature,
  StationFeature,
  TownFeature,
} from '../../../../shared/schemas/geo.ts';
import type { AreaGeometry } from '../../../../shared/schemas/common.ts';
import type { Queryable } from './db.ts';

export interface AreaFilter {
  town?: string;
  community?: string;
  kind?: GridKind;
}

type Row<P> = P & { geometry: unknown };

/** Splits a row into a Feature: geometry out, everything else into properties. */
function toFeature<F extends { properties: { code: string } }>(row: Row<F['properties']>): F {
  const { geometry, ...properties } = row;
  return { type: 'Feature', id: properties.code, geometry, properties } as unknown as F;
}

function pointFeature<F extends { properties: { code: string } }>(row: F['properties'] & { lon: number; lat: number }): F {
  const { lon, lat, ...properties } = row;
  return { type: 'Feature', id: properties.code, geometry: { type: 'Point', coordinates: [lon, lat] }, properties } as unknown as F;
}

export async function listTowns(db: Queryable): Promise<Static<typeof TownFeature>[]> {
  const { rows } = await db.query(`
    SELECT t.code, t.name, t.name_en AS "nameEn", t.kind,
      (SELECT count(*) FROM communities c WHERE c.town_code = t.code)::int AS "communityCount",
      COALESCE(g.grid_count, 0)::int AS "gridCount",
      COALESCE(g.households, 0)::int AS households,
      COALESCE(g.population, 0)::int AS population,
      t.area_km2 AS "areaKm2", t.geometry
    FROM towns t
    LEFT JOIN (SELECT town_code, count(*) AS grid_count, sum(households) AS households, sum(population) AS population
               FROM grids GROUP BY town_code) g ON g.town_code = t.code
    ORDER BY t.code`);
  return rows.map(toFeature<Static<typeof TownFeature>>);
}

export async function listCommunities(db: Queryable, filter: AreaFilter = {}): Promise<Static<typeof CommunityFeature>[]> {
  const { rows } = await db.query(`
    SELECT c.code, c.name, c.kind, c.town_code AS "townCode", t.name AS "townName",
      COALESCE(g.grid_count, 0)::int AS "gridCount",
      COALESCE(g.households, 0)::int AS households,
      COALESCE(g.population, 0)::int AS population,
      c.area_km2 AS "areaKm2", c.geometry
    FROM communities c
    JOIN towns t ON t.code = c.town_code
    LEFT JOIN (SELECT community_code, count(*) AS grid_count, sum(households) AS households, sum(population) AS population
               FROM grids GROUP BY community_code) g ON g.community_code = c.code
    WHERE ($1::text IS NULL OR c.town_code = $1)
    ORDER BY c.code`, [filter.town ?? null]);
  return rows.map(toFeature<Static<typeof CommunityFeature>>);
}

const GRID_SELECT = `
  SELECT g.code, g.name, g.kind,
    g.community_code AS "communityCode", c.name AS "communityName",
    g.town_code AS "townCode", t.name AS "townName",
    g.households, g.population, g.area_km2 AS "areaKm2", g.party_branch AS "partyBranch",
    COALESCE(s.secretary, '') AS secretary,
    COALESCE(s.center_households, 0)::int AS "centerHouseholds",
    COALESCE(s.info_officers, 0)::int AS "infoOfficers",
    g.geometry
  FROM grids g
  JOIN communities c ON c.code = g.community_code
  JOIN towns t ON t.code = g.town_code
  LEFT JOIN (
    SELECT grid_code,
      (array_agg(name ORDER BY code) FILTER (WHERE role = 'secretary'))[1] AS secretary,
      count(*) FILTER (WHERE role = 'center_household') AS center_households,
      count(*) FILTER (WHERE role = 'info_officer') AS info_officers
    FROM staff GROUP BY grid_code
  ) s ON s.grid_code = g.code`;

export async function listGrids(db: Queryable, filter: AreaFilter = {}): Promise<Static<typeof GridFeature>[]> {
  const { rows } = await db.query(`${GRID_SELECT}
    WHERE ($1::text IS NULL OR g.kind = $1)
      AND ($2::text IS NULL OR g.town_code = $2)
      AND ($3::text IS NULL OR g.community_code = $3)
    ORDER BY g.code`, [filter.kind ?? null, filter.town ?? null, filter.community ?? null]);
  return rows.map(toFeature<Static<typeof GridFeature>>);
}

export async function listStations(db: Queryable, filter: AreaFilter = {}): Promise<Static<typeof StationFeature>[]> {
  const { rows } = await db.query(`
    SELECT s.code, s.name, s.grid_code AS "gridCode", g.name AS "gridName",
      g.community_code AS "communityCode", c.name AS "communityName",
      g.town_code AS "townCode", t.name AS "townName", s.lon, s.lat
    FROM stations s
    JOIN grids g ON g.code = s.grid_code
    JOIN communities c ON c.code = g.community_code
    JOIN towns t ON t.code = g.town_code
    WHERE ($1::text IS NULL OR g.town_code = $1)
    ORDER BY s.code`, [filter.town ?? null]);
  return rows.map(pointFeature<Static<typeof StationFeature>>);
}

/** Cameras and sensors share a shape: a typed device in a grid with a live status. */
async function listDevices(db: Queryable, table: 'cameras' | 'sensors', filter: AreaFilter) {
  const { rows } = await db.query(`
    SELECT d.code, d.name, d.type, d.status, d.grid_code AS "gridCode",
      g.community_code AS "communityCode", g.town_code AS "townCode", d.lon, d.lat
    FROM ${table} d
    JOIN grids g ON g.code = d.grid_code
    WHERE ($1::text IS NULL OR g.town_code = $1)
    ORDER BY d.code`, [filter.town ?? null]);
  return rows;
}

export async function listCameras(db: Queryable, filter: AreaFilter = {}): Promise<Static<typeof CameraFeature>[]> {
  return (await listDevices(db, 'cameras', filter)).map(pointFeature<Static<typeof CameraFeature>>);
}

export async function listSensors(db: Queryable, filter: AreaFilter = {}): Promise<Static<typeof SensorFeature>[]> {
  return (await listDevices(db, 'sensors', filter)).map(pointFeature<Static<typeof SensorFeature>>);
}

export async function listBasemap(db: Queryable): Promise<Static<typeof BasemapFeature>[]> {
  const { rows } = await db.query<{ layer: 'district' | 'river'; name: string; nameEn: string; geometry: AreaGeometry }>(`
    SELECT layer, name, name_en AS "nameEn", geometry FROM basemap ORDER BY layer`);
  return rows.map(({ geometry, ...properties }) => ({ type: 'Feature', id: properties.layer, geometry, properties }));
}

/** What the grid index needs: every grid with its geometry and the names a locate answer shows. */
export interface IndexedGrid {
  code: string;
  name: string;
  kind: GridKind;
  communityCode: string;
  communityName: string;
  townCode: string;
  townName: string;
  geometry: AreaGeometry;
}

export async function listGridsForIndex(db: Queryable): Promise<IndexedGrid[]> {
  const { rows } = await db.query<IndexedGrid>(`
    SELECT g.code, g.name, g.kind, g.community_code AS "communityCode", c.name AS "communityName",
      g.town_code AS "townCode", t.name AS "townName", g.geometry
    FROM grids g
    JOIN communities c ON c.code = g.community_code
    JOIN towns t ON t.code = g.town_code
    ORDER BY g.code`);
  return rows;
}
