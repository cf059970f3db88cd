import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import * as turf from '@turf/turf';
import gcoord from 'gcoord';
import type { Position } from 'geojson';
import { beforeAll, describe, expect, it } from 'vitest';
import type { NewAreaData } from '../types.ts';
import { GENERATED_FILE_PATH } from '../generator/paths.ts';
import { gridsToGeoJSON, importGrids } from './import-grids.ts';

let base: NewAreaData;
beforeAll(() => {
  base = JSON.parse(readFileSync(GENERATED_FILE_PATH, 'utf8'));
});

const survey = () => structuredClone(gridsToGeoJSON(base)) as { type: 'FeatureCollection'; features: any[] };
const metres = (a: Position, b: Position) => turf.distance(a, b, { units: 'kilometers' }) * 1000;

describe('importGrids', () => {
  it('imports the generated grids back without a problem, rebuilding the same areas and keeping every point', () => {
    const { data, problems } = importGrids(survey(), { base });
    expect(problems).toEqual([]);
    expect(data!.source).toBe('imported');
    expect(data!.grids).toHaveLength(371);
    expect(data!.district.geometry).toEqual(base.district.geometry);
    expect(data!.communities.map((c) => c.geometry)).toEqual(base.communities.map((c) => c.geometry));
    expect(data!.cameras).toEqual(base.cameras);
    expect(data!.staff).toEqual(base.staff);
    expect(data!.version).not.toBe(base.version);
  });

  it('converts GCJ-02 input back to WGS-84 within a metre', () => {
    const gcj = gcoord.transform(survey() as any, gcoord.WGS84, gcoord.GCJ02) as ReturnType<typeof survey>;
    // GCJ-02 is offset by hundreds of metres here: the conversion matters.
    expect(metres(gcj.features[0].geometry.coordinates[0][0], base.grids[0].geometry.coordinates[0][0])).toBeGreaterThan(100);
    const { data, problems } = importGrids(gcj, { base, crs: 'gcj02' });
    expect(problems).toEqual([]);
    let worst = 0;
    data!.grids.forEach((g, i) => {
      const original = base.grids[i].geometry.coordinates[0];
      expect(g.geometry.coordinates[0]).toHaveLength(original.length);
      g.geometry.coordinates[0].forEach((p, k) => { worst = Math.max(worst, metres(p, original[k])); });
    });
    expect(worst).toBeLessThan(1);
  });

  it('reports an overlapping grid, with where and how much', () => {
    const fc = survey();
    const f = fc.features[40];
    const ring: Position[] = f.geometry.coordinates[0];
    const [cx, cy] = turf.centroid(f.geometry).geometry.coordinates;
    // Push one corner 150 m further out, into the neighbours.
    const [x, y] = ring[1];
    const d = Math.hypot(x - cx, y - cy);
    ring[1] = [x + ((x - cx) / d) * 0.0016, y + ((y - cy) / d) * 0.0014];
    const { data, problems } = importGrids(fc, { base });
    expect(data).toBeUndefined();
    const overlaps = problems.filter((p) => p.kind === 'overlap');
    expect(overlaps.length).toBeGreaterThan(0);
    expect(overlaps.every((p) => p.message.includes(f.properties.code))).toBe(true);
    expect(overlaps[0].areaM2).toBeGreaterThan(1000);
    expect(overlaps[0].at).toHaveLength(2);
  });

  it('reports the gap left by a missing grid, its size and place', () => {
    const fc = survey();
    const districtVertices = new Set(turf.coordAll(base.district.geometry).map(String));
    const inner = fc.features.findIndex((f: any) => f.geometry.coordinates[0].every((p: Position) => !districtVertices.has(String(p))));
    const removed = fc.features.splice(inner, 1)[0];
    const { data, problems } = importGrids(fc, { base });
    expect(data).toBeUndefined();
    const gaps = problems.filter((p) => p.kind === 'gap');
    expect(gaps).toHaveLength(1);
    expect(gaps[0].areaM2! / turf.area(removed.geometry)).toBeCloseTo(1, 2);
    expect(turf.booleanPointInPolygon(gaps[0].at!, removed.geometry)).toBe(true);
  });

  it('reports an unknown community code', () => {
    const fc = survey();
    fc.features[3].properties.communityCode = '321171001099';
    const { problems } = importGrids(fc, { base });
    expect(problems.find((p) => p.kind === 'unknown-community')?.code).toBe(fc.features[3].properties.code);
  });

  it('reports a duplicate grid code', () => {
    const fc = survey();
    fc.features[12].properties.code = fc.features[11].properties.code;
    const { problems } = importGrids(fc, { base });
    expect(problems.find((p) => p.kind === 'duplicate-code')?.code).toBe(fc.features[11].properties.code);
  });

  it('reports a feature that is not a polygon', () => {
    const fc = survey();
    fc.features[20].geometry = { type: 'Point', coordinates: [119.6, 32.2] };
    const { problems } = importGrids(fc, { base });
    const p = problems.find((q) => q.kind === 'invalid-geometry');
    expect(p?.code).toBe(fc.features[20].properties.code);
    expect(p?.message).toMatch(/Point.*Polygon/);
  });

  it('reports a self-intersecting ring', () => {
    const fc = survey();
    const ring: Position[] = fc.features[30].geometry.coordinates[0];
    [ring[1], ring[2]] = [ring[2], ring[1]]; // a bow tie
    const { problems } = importGrids(fc, { base });
    expect(problems.find((p) => p.kind === 'self-intersection')?.code).toBe(fc.features[30].properties.code);
  });

  it('rejects input that is not a FeatureCollection', () => {
    expect(importGrids({ type: 'Feature' }, { base }).problems[0].kind).toBe('invalid-input');
    expect(importGrids(null, { base }).problems[0].kind).toBe('invalid-input');
  });
});

describe('import-grids CLI', () => {
  const run = promisify(execFile);
  const cli = (args: string[]) =>
    run(process.execPath, ['--import', 'tsx', 'data/import/main.ts', ...args], { cwd: join(import.meta.dirname, '..', '..') })
      .then((r) => ({ code: 0, out: r.stdout }))
      .catch((e: { code: number; stdout: string }) => ({ code: e.code, out: e.stdout }));

  it('writes a clean survey and refuses a broken one, listing its problems', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'import-grids-'));
    const good = survey();
    writeFileSync(join(dir, 'good.geojson'), JSON.stringify(good));
    good.features[5].properties.communityCode = 'nowhere';
    writeFileSync(join(dir, 'bad.geojson'), JSON.stringify(good));
    const ok = await cli([join(dir, 'good.geojson'), '--out', join(dir, 'ok.json')]);
    expect(ok.code).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'ok.json'), 'utf8')).grids).toHaveLength(371);
    const bad = await cli([join(dir, 'bad.geojson'), '--out', join(dir, 'bad.json')]);
    expect(bad.code).toBe(1);
    expect(bad.out).toMatch(/\[unknown-community\].*nowhere/);
    expect(existsSync(join(dir, 'bad.json'))).toBe(false);
  }, 60_000);
});
