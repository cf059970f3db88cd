// GET /api/v1/locate against a brute-force check of every grid with turf, on
// seeded random points in (and around) the district and on grid corners,
// where the fixed border rule (smallest code wins) decides.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import seedrandom from 'seedrandom';
import { bbox, booleanPointInPolygon, point } from '@turf/turf';
import type { ApiError } from '../../shared/schemas/common.ts';
import type { LocateResult } from '../../shared/schemas/geo.ts';
import type { NewAreaData } from '../../data/types.ts';
import { DEFAULT_DATA_FILE } from '../src/config.ts';
import { buildTestApp, createTestDatabase, type TestDatabase } from './helpers.ts';
import { signedInReader, type Client } from './helpers/sign-in.ts';

const data = JSON.parse(readFileSync(DEFAULT_DATA_FILE, 'utf8')) as NewAreaData;
const RANDOM_POINTS = 4000;
const CORNER_POINTS = 400;

let db: TestDatabase;
let app: Awaited<ReturnType<typeof buildTestApp>>;
let reader: Client;

beforeAll(async () => {
  db = await createTestDatabase();
  app = await buildTestApp(db.url);
  await app.ready();
  reader = await signedInReader(app);
});

afterAll(async () => {
  await app?.close();
  await db?.drop();
});

const grids = data.grids.map((g) => ({ ...g, box: bbox(g.geometry) }));

/** Every grid containing the point (boundary included), by an exhaustive loop; the smallest code, or undefined. */
function bruteForce(lon: number, lat: number): string | undefined {
  const p = point([lon, lat]);
  let best: string | undefined;
  for (const g of grids) {
    const [x0, y0, x1, y1] = g.box;
    if (lon < x0 || lon > x1 || lat < y0 || lat > y1) continue; // cannot contain it
    if (booleanPointInPolygon(p, g.geometry) && (best === undefined || g.code < best)) best = g.code;
  }
  return best;
}

async function locate(lon: number, lat: number) {
  const res = await reader.inject({ method: 'GET', url: `/api/v1/locate?lon=${lon}&lat=${lat}` });
  return { status: res.statusCode, body: res.json() as LocateResult & ApiError };
}

async function expectAgreement(points: [number, number][]) {
  let inside = 0;
  const mismatches: string[] = [];
  for (const [lon, lat] of points) {
    const expected = bruteForce(lon, lat);
    const { status, body } = await locate(lon, lat);
    if (expected) {
      inside++;
      const grid = data.grids.find((g) => g.code === expected)!;
      if (status !== 200 || body.grid.code !== expected) mismatches.push(`${lon},${lat}: expected ${expected}, got ${status} ${body.grid?.code ?? body.message}`);
      else {
        expect(body.community.code).toBe(grid.communityCode);
        expect(body.town.code).toBe(grid.townCode);
        expect(body.grid.kind).toBe(grid.kind);
      }
    } else if (status !== 404) {
      mismatches.push(`${lon},${lat}: expected 404, got ${status} ${body.grid?.code}`);
    } else {
      expect(body.message).toContain('outside every grid');
    }
  }
  expect(mismatches).toEqual([]);
  return inside;
}

describe('locate', () => {
  it(`agrees with brute force on ${RANDOM_POINTS} seeded random points around the district`, async () => {
    const random = seedrandom('locate-agreement');
    const [x0, y0, x1, y1] = bbox(data.district.geometry);
    // 5% margin around the district's box, so some points fall outside it too.
    const mx = (x1 - x0) * 0.05, my = (y1 - y0) * 0.05;
    const points: [number, number][] = Array.from({ length: RANDOM_POINTS }, () => [
      Number((x0 - mx + random() * (x1 - x0 + 2 * mx)).toFixed(6)),
      Number((y0 - my + random() * (y1 - y0 + 2 * my)).toFixed(6)),
    ]);
    const inside = await expectAgreement(points);
    // Both outcomes are exercised.
    expect(inside).toBeGreaterThan(RANDOM_POINTS * 0.15); // the district fills about a quarter of its box
    expect(inside).toBeLessThan(RANDOM_POINTS);
  });

  it(`gives the smallest code on ${CORNER_POINTS} grid corners, where several grids meet`, async () => {
    const random = seedrandom('locate-corners');
    const corners = grids.flatMap((g) => g.geometry.coordinates[0].slice(0, -1) as [number, number][]);
    const points = Array.from({ length: CORNER_POINTS }, () => corners[Math.floor(random() * corners.length)]);
    expect(await expectAgreement(points)).toBe(CORNER_POINTS);
    // The rule really had to choose: many corners belong to more than one grid.
    const shared = points.filter(([lon, lat]) => grids.filter((g) => booleanPointInPolygon(point([lon, lat]), g.geometry)).length > 1);
    expect(shared.length).toBeGreaterThan(CORNER_POINTS / 2);
  });

  it('answers far outside the district with a clear 404', async () => {
    const { status, body } = await locate(116.4, 39.9);
    expect(status).toBe(404);
    expect(body).toMatchObject({ statusCode: 404, error: 'Not Found' });
    expect(body.message).toBe('the point (116.4, 39.9) is outside every grid of Zhenjiang New Area');
  });

  it.each([
    ['lon=119.6', 'missing required query parameter "lat"'],
    ['lat=32.2', 'missing required query parameter "lon"'],
    ['lon=abc&lat=32.2', 'query parameter "lon" must be a number'],
    ['lon=119.6&lat=200', 'query parameter "lat" must be <= 90'],
    ['lon=-181&lat=32', 'query parameter "lon" must be >= -180'],
    ['lon=119.6&lat=32.2&grid=1', 'unknown query parameter "grid"'],
  ])('?%s -> 400: %s', async (query, message) => {
    const res = await reader.inject({ method: 'GET', url: `/api/v1/locate?${query}` });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ statusCode: 400, error: 'Bad Request', message });
  });
});
