// The read API on a real PostgreSQL with the real generated data.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import geojsonhint from '@mapbox/geojsonhint';
import { Value } from 'typebox/value';
import type { TSchema } from 'typebox';
import {
  BasemapCollection, CameraCollection, CommunityCollection, GridCollection, Health,
  SensorCollection, StationCollection, TownCollection,
} from '../../shared/schemas/geo.ts';
import { Catalogue } from '../../shared/schemas/catalogue.ts';
import { ApiError } from '../../shared/schemas/common.ts';
import { DEFAULT_DATA_FILE } from '../src/config.ts';
import type { NewAreaData } from '../../data/types.ts';
import { buildTestApp, createTestDatabase, type TestDatabase } from './helpers.ts';
import { signedInReader, type Client } from './helpers/sign-in.ts';
import { maskName } from '../src/domain/masking.ts';

const data = JSON.parse(readFileSync(DEFAULT_DATA_FILE, 'utf8')) as NewAreaData;
type App = Awaited<ReturnType<typeof buildTestApp>>;
interface FC { type: string; features: { id: string; properties: Record<string, unknown>; geometry: { type: string } }[] }

let db: TestDatabase;
let app: App;
/** The API needs a signed-in account; a district-wide leader reads everything these tests look at. */
let reader: Client;

beforeAll(async () => {
  db = await createTestDatabase();
  app = await buildTestApp(db.url);
  // A route that fails the way a bug would, to see what a client gets from a 500.
  app.get('/api/v1/test-boom', async () => {
    throw new Error('connect ECONNREFUSED 10.0.0.7:5432 at /srv/secret/config.ts');
  });
  await app.ready();
  reader = await signedInReader(app);
});

afterAll(async () => {
  await app?.close();
  await db?.drop();
});

async function getJson<T = FC>(url: string) {
  const res = await reader.inject({ method: 'GET', url });
  return { res, body: res.json() as T };
}

const GEO_ENDPOINTS: [string, TSchema][] = [
  ['/api/v1/towns', TownCollection],
  ['/api/v1/communities', CommunityCollection],
  ['/api/v1/grids', GridCollection],
  ['/api/v1/stations', StationCollection],
  ['/api/v1/cameras', CameraCollection],
  ['/api/v1/sensors', SensorCollection],
  ['/api/v1/basemap', BasemapCollection],
];

describe('counts, exactly as the source articles give them', () => {
  it('5 towns, 61 communities, 283 comprehensive + 88 enterprise grids, 136 stations, ~2,000 cameras', async () => {
    const count = async (url: string) => (await getJson(url)).body.features.length;
    expect(await count('/api/v1/towns')).toBe(5);
    expect(await count('/api/v1/communities')).toBe(61);
    expect(await count('/api/v1/grids')).toBe(371);
    expect(await count('/api/v1/grids?kind=comprehensive')).toBe(283);
    expect(await count('/api/v1/grids?kind=enterprise')).toBe(88);
    expect(await count('/api/v1/stations')).toBe(136);
    const cameras = await count('/api/v1/cameras');
    expect(cameras).toBe(data.cameras.length);
    expect(cameras).toBeGreaterThanOrEqual(1900);
    expect(cameras).toBeLessThanOrEqual(2100);
    expect(await count('/api/v1/sensors')).toBe(data.sensors.length);
  });

  it('aggregates towns, communities and grid staff from the stored rows', async () => {
    const towns = (await getJson('/api/v1/towns')).body.features.map((f) => f.properties);
    expect(towns.reduce((s, t) => s + (t.communityCount as number), 0)).toBe(61);
    expect(towns.reduce((s, t) => s + (t.gridCount as number), 0)).toBe(371);
    const households = data.grids.reduce((s, g) => s + g.households, 0);
    expect(towns.reduce((s, t) => s + (t.households as number), 0)).toBe(households);
    for (const t of towns) expect(t.areaKm2).toBeGreaterThan(0);

    const grids = (await getJson('/api/v1/grids')).body.features.map((f) => f.properties);
    const byRole = (role: string) => data.staff.filter((s) => s.role === role).length;
    expect(grids.reduce((s, g) => s + (g.centerHouseholds as number), 0)).toBe(byRole('center_household'));
    expect(grids.reduce((s, g) => s + (g.infoOfficers as number), 0)).toBe(byRole('info_officer'));
    const oneGrid = data.grids[0];
    const secretary = data.staff.filter((s) => s.gridCode === oneGrid.code && s.role === 'secretary').sort((a, b) => a.code.localeCompare(b.code))[0];
    const served = grids.find((g) => g.code === oneGrid.code)!;
    // Personal data: the district-wide geo API masks the name (the scoped /staff route has it in full for duty officers).
    expect(served.secretary).toBe(maskName(secretary?.name ?? ''));
    expect(served.communityName).toBe(data.communities.find((c) => c.code === oneGrid.communityCode)!.name);
  });
});

describe('GeoJSON endpoints', () => {
  it.each(GEO_ENDPOINTS)('%s is valid GeoJSON (geojsonhint), matches its schema, ids are the codes, sorted', async (url, schema) => {
    const { res, body } = await getJson(url);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(geojsonhint.hint(body)).toEqual([]);
    expect(Value.Check(schema, body)).toBe(true);
    expect(body.type).toBe('FeatureCollection');
    const ids = body.features.map((f) => f.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    for (const f of body.features) {
      expect(f.id).toBe(url.endsWith('basemap') ? f.properties.layer : f.properties.code);
      // camelCase only
      for (const key of Object.keys(f.properties)) expect(key).toMatch(/^[a-z][a-zA-Z0-9]*$/);
    }
  });

  it('gives the same ids and bodies on every request, and 304 for a known ETag', async () => {
    const first = await reader.inject('/api/v1/grids?kind=enterprise');
    const second = await reader.inject('/api/v1/grids?kind=enterprise');
    expect(second.body).toBe(first.body);
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^"[^"]+"$/);
    const notModified = await reader.inject({ url: '/api/v1/grids?kind=enterprise', headers: { 'if-none-match': etag } });
    expect(notModified.statusCode).toBe(304);
    expect(notModified.body).toBe('');
    const other = await reader.inject({ url: '/api/v1/grids?kind=comprehensive', headers: { 'if-none-match': etag } });
    expect(other.statusCode).toBe(200);
    expect(other.headers.etag).not.toBe(etag);
  });

  it('has the data version in health', async () => {
    const { res, body } = await getJson<Record<string, unknown>>('/api/v1/health');
    expect(res.statusCode).toBe(200);
    expect(Value.Check(Health, body)).toBe(true);
    expect(body).toMatchObject({ status: 'ok', database: 'up', dataVersion: data.version });
  });

  it('serves the base map: the district and the river', async () => {
    const { body } = await getJson('/api/v1/basemap');
    expect(body.features.map((f) => f.id)).toEqual(['district', 'river']);
    expect(body.features[0].properties.name).toBe(data.district.name);
  });
});

describe('filters', () => {
  const town = data.towns[1].code;
  const community = data.communities.find((c) => c.townCode === town)!.code;

  it('grids by kind, town and community, combined', async () => {
    const byTown = (await getJson(`/api/v1/grids?town=${town}`)).body.features;
    expect(byTown.length).toBe(data.grids.filter((g) => g.townCode === town).length);
    expect(byTown.every((f) => f.properties.townCode === town)).toBe(true);

    const byCommunity = (await getJson(`/api/v1/grids?community=${community}`)).body.features;
    expect(byCommunity.length).toBe(data.grids.filter((g) => g.communityCode === community).length);
    expect(byCommunity.length).toBeGreaterThan(0);

    const both = (await getJson(`/api/v1/grids?town=${town}&kind=enterprise`)).body.features;
    expect(both.length).toBe(data.grids.filter((g) => g.townCode === town && g.kind === 'enterprise').length);
    expect(both.every((f) => f.properties.kind === 'enterprise')).toBe(true);

    expect((await getJson('/api/v1/grids?town=999999999')).body.features).toEqual([]);
  });

  it('communities, stations, cameras and sensors by town', async () => {
    const gridTown = new Map(data.grids.map((g) => [g.code, g.townCode]));
    const expected: Record<string, number> = {
      communities: data.communities.filter((c) => c.townCode === town).length,
      stations: data.stations.filter((s) => gridTown.get(s.gridCode) === town).length,
      cameras: data.cameras.filter((s) => gridTown.get(s.gridCode) === town).length,
      sensors: data.sensors.filter((s) => gridTown.get(s.gridCode) === town).length,
    };
    for (const [resource, n] of Object.entries(expected)) {
      const features = (await getJson(`/api/v1/${resource}?town=${town}`)).body.features;
      expect(features.length, resource).toBe(n);
      expect(features.every((f) => f.properties.townCode === town), resource).toBe(true);
    }
  });

  it.each([
    ['/api/v1/grids?kind=forest', 'kind'],
    ['/api/v1/grids?colour=red', 'colour'],
    ['/api/v1/grids?town=not%20a%20code', 'town'],
    ['/api/v1/grids?community=%3Cscript%3E', 'community'],
    ['/api/v1/towns?town=321171001', 'town'],
    ['/api/v1/cameras?status=online', 'status'],
    ['/api/v1/stations?limit=5', 'limit'],
    ['/api/v1/catalogue?x=1', 'x'],
  ])('%s -> 400 naming "%s"', async (url, param) => {
    const { res, body } = await getJson<ApiError>(url);
    expect(res.statusCode).toBe(400);
    expect(Value.Check(ApiError, body)).toBe(true);
    expect(body.error).toBe('Bad Request');
    expect(body.message).toContain(`"${param}"`);
  });
});

describe('catalogue', () => {
  it('has the 70 items in 5 domains (22 / 22 / 26 by level) with time limits', async () => {
    const { res, body } = await getJson<{ domains: unknown[]; timeLimits: unknown[]; items: { level: number; code: string }[] }>('/api/v1/catalogue');
    expect(res.statusCode).toBe(200);
    expect(Value.Check(Catalogue, body)).toBe(true);
    expect(body.items).toHaveLength(70);
    expect(body.domains).toHaveLength(5);
    expect(body.timeLimits).toHaveLength(3);
    expect([1, 2, 3].map((l) => body.items.filter((i) => i.level === l).length)).toEqual([22, 22, 26]);
  });
});

describe('errors and docs', () => {
  it('unknown /api routes get a 404 in the ApiError shape', async () => {
    const { res, body } = await getJson<ApiError>('/api/v1/nothing-here?x=1');
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(body).toEqual({ statusCode: 404, error: 'Not Found', message: 'GET /api/v1/nothing-here is not a route of this API' });
  });

  it('a 500 never shows internals', async () => {
    const { res, body } = await getJson<ApiError>('/api/v1/test-boom');
    expect(res.statusCode).toBe(500);
    expect(Value.Check(ApiError, body)).toBe(true);
    expect(res.body).not.toMatch(/ECONNREFUSED|secret|config\.ts|stack|at \//);
    expect(body).toEqual({ statusCode: 500, error: 'Internal Server Error', message: 'Something went wrong on the server; it has been logged.' });
  });

  it('serves the OpenAPI description at /api/docs, listing every route', async () => {
    const { res, body } = await getJson<{ openapi: string; paths: Record<string, { get?: { parameters?: { name: string }[] } }> }>('/api/docs/json');
    expect(res.statusCode).toBe(200);
    expect(body.openapi).toMatch(/^3\./);
    for (const path of ['towns', 'communities', 'grids', 'stations', 'cameras', 'sensors', 'basemap', 'catalogue', 'health', 'locate']) {
      expect(body.paths, path).toHaveProperty([`/api/v1/${path}`]);
    }
    expect(body.paths['/api/v1/grids'].get?.parameters?.map((p) => p.name).sort()).toEqual(['community', 'kind', 'town']);
    const ui = await reader.inject('/api/docs/');
    expect(ui.statusCode).toBe(200);
    expect(ui.body).toContain('swagger');
    expect(ui.body).not.toMatch(/https?:\/\/(cdn|unpkg|cdnjs)/);
  });
});
