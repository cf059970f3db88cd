// Loads data/generated/newarea.json into the database. Upserts by code and
// deletes only what vanished, so rows that other tables reference (grids,
// cameras ...) keep existing across a reload, and live state (camera status)
// is never overwritten by the file.
import type pg from 'pg';
import type { NewAreaData } from '../../../../data/types.ts';
import { areaStats } from '../../domain/area-stats.ts';
import { inTransaction, type Queryable } from './db.ts';

export const NEWAREA_DATASET = 'newarea';
/** Serialises concurrent loaders (two servers starting at once) on one database. */
const LOAD_LOCK_KEY = 0x6c6f6164;

export interface LoadResult {
  loaded: boolean;
  version: string;
  previousVersion?: string;
}

export async function storedVersion(db: Queryable, name: string): Promise<string | undefined> {
  const { rows } = await db.query<{ version: string }>('SELECT version FROM dataset WHERE name = $1', [name]);
  return rows[0]?.version;
}

/** Runs an upsert that reads its rows from one jsonb array parameter: one round trip per table. */
async function upsertAll(client: pg.PoolClient, sql: string, rows: unknown[]): Promise<void> {
  await client.query(sql, [JSON.stringify(rows)]);
}

async function deleteVanished(client: pg.PoolClient, table: string, codes: string[]): Promise<void> {
  // `table` is one of our own constants, never input.
  await client.query(`DELETE FROM ${table} WHERE NOT (code = ANY($1::text[]))`, [codes]);
}

const withStats = <T extends { geometry: Parameters<typeof areaStats>[0] }>(r: T) => ({ ...r, ...areaStats(r.geometry) });

/**
 * In one transaction: if the stored version differs from `data.version`,
 * replace the data set (upsert + delete vanished); otherwise do nothing.
 */
export async function loadNewArea(pool: pg.Pool, data: NewAreaData): Promise<LoadResult> {
  return inTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1)', [LOAD_LOCK_KEY]);
    const previousVersion = await storedVersion(client, NEWAREA_DATASET);
    if (previousVersion === data.version) return { loaded: false, version: data.version, previousVersion };

    await upsertAll(client, `
      INSERT INTO basemap (layer, code, name, name_en, geometry)
      SELECT layer, code, name, "nameEn", geometry FROM jsonb_to_recordset($1::jsonb)
        AS x(layer text, code text, name text, "nameEn" text, geometry jsonb)
      ON CONFLICT (layer) DO UPDATE SET code = EXCLUDED.code, name = EXCLUDED.name,
        name_en = EXCLUDED.name_en, geometry = EXCLUDED.geometry`, [
      { layer: 'district', ...data.district },
      { layer: 'river', code: null, ...data.river },
    ]);

    await upsertAll(client, `
      INSERT INTO towns (code, name, name_en, kind, area_km2, min_lon, min_lat, max_lon, max_lat, geometry)
      SELECT code, name, "nameEn", kind, "areaKm2", "minLon", "minLat", "maxLon", "maxLat", geometry
      FROM jsonb_to_recordset($1::jsonb) AS x(code text, name text, "nameEn" text, kind text, "areaKm2" float8,
        "minLon" float8, "minLat" float8, "maxLon" float8, "maxLat" float8, geometry jsonb)
      ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, name_en = EXCLUDED.name_en, kind = EXCLUDED.kind,
        area_km2 = EXCLUDED.area_km2, min_lon = EXCLUDED.min_lon, min_lat = EXCLUDED.min_lat,
        max_lon = EXCLUDED.max_lon, max_lat = EXCLUDED.max_lat, geometry = EXCLUDED.geometry`,
      data.towns.map(withStats));

    await upsertAll(client, `
      INSERT INTO communities (code, name, kind, town_code, area_km2, min_lon, min_lat, max_lon, max_lat, geometry)
      SELECT code, name, kind, "townCode", "areaKm2", "minLon", "minLat", "maxLon", "maxLat", geometry
      FROM jsonb_to_recordset($1::jsonb) AS x(code text, name text, kind text, "townCode" text, "areaKm2" float8,
        "minLon" float8, "minLat" float8, "maxLon" float8, "maxLat" float8, geometry jsonb)
      ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, kind = EXCLUDED.kind, town_code = EXCLUDED.town_code,
        area_km2 = EXCLUDED.area_km2, min_lon = EXCLUDED.min_lon, min_lat = EXCLUDED.min_lat,
        max_lon = EXCLUDED.max_lon, max_lat = EXCLUDED.max_lat, geometry = EXCLUDED.geometry`,
      data.communities.map(withStats));

    await upsertAll(client, `
      INSERT INTO grids (code, name, kind, community_code, town_code, households, population, party_branch,
        area_km2, min_lon, min_lat, max_lon, max_lat, geometry)
      SELECT code, name, kind, "communityCode", "townCode", households, population, "partyBranch",
        "areaKm2", "minLon", "minLat", "maxLon", "maxLat", geometry
      FROM jsonb_to_recordset($1::jsonb) AS x(code text, name text, kind text, "communityCode" text, "townCode" text,
        households int, population int, "partyBranch" text, "areaKm2" float8,
        "minLon" float8, "minLat" float8, "maxLon" float8, "maxLat" float8, geometry jsonb)
      ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, kind = EXCLUDED.kind,
        community_code = EXCLUDED.community_code, town_code = EXCLUDED.town_code,
        households = EXCLUDED.households, population = EXCLUDED.population, party_branch = EXCLUDED.party_branch,
        area_km2 = EXCLUDED.area_km2, min_lon = EXCLUDED.min_lon, min_lat = EXCLUDED.min_lat,
        max_lon = EXCLUDED.max_lon, max_lat = EXCLUDED.max_lat, geometry = EXCLUDED.geometry`,
      data.grids.map(withStats));

    await upsertAll(client, `
      INSERT INTO stations (code, name, grid_code, lon, lat)
      SELECT code, name, "gridCode", lon, lat
      FROM jsonb_to_recordset($1::jsonb) AS x(code text, name text, "gridCode" text, lon float8, lat float8)
      ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, grid_code = EXCLUDED.grid_code,
        lon = EXCLUDED.lon, lat = EXCLUDED.lat`, data.stations);

    for (const table of ['cameras', 'sensors'] as const) {
      // status is left alone: it is live state, not part of the file.
      await upsertAll(client, `
        INSERT INTO ${table} (code, name, type, grid_code, lon, lat)
        SELECT code, name, type, "gridCode", lon, lat
        FROM jsonb_to_recordset($1::jsonb) AS x(code text, name text, type text, "gridCode" text, lon float8, lat float8)
        ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, type = EXCLUDED.type,
          grid_code = EXCLUDED.grid_code, lon = EXCLUDED.lon, lat = EXCLUDED.lat`, data[table]);
    }

    await upsertAll(client, `
      INSERT INTO staff (code, name, role, grid_code, households)
      SELECT code, name, role, "gridCode", households
      FROM jsonb_to_recordset($1::jsonb) AS x(code text, name text, role text, "gridCode" text, households int)
      ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, role = EXCLUDED.role,
        grid_code = EXCLUDED.grid_code, households = EXCLUDED.households`, data.staff);

    // Children first, so no foreign key blocks the removal of a parent.
    const codes = (rows: { code: string }[]) => rows.map((r) => r.code);
    await deleteVanished(client, 'staff', codes(data.staff));
    await deleteVanished(client, 'sensors', codes(data.sensors));
    await deleteVanished(client, 'cameras', codes(data.cameras));
    await deleteVanished(client, 'stations', codes(data.stations));
    await deleteVanished(client, 'grids', codes(data.grids));
    await deleteVanished(client, 'communities', codes(data.communities));
    await deleteVanished(client, 'towns', codes(data.towns));

    await client.query(`
      INSERT INTO dataset (name, version, source) VALUES ($1, $2, $3)
      ON CONFLICT (name) DO UPDATE SET version = EXCLUDED.version, source = EXCLUDED.source, loaded_at = now()`,
      [NEWAREA_DATASET, data.version, data.source]);
    return { loaded: true, version: data.version, previousVersion };
  });
}
