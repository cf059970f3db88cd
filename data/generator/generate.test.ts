import { readFileSync } from 'node:fs';
import * as turf from '@turf/turf';
import { beforeAll, describe, expect, it } from 'vitest';
import type { NewAreaData } from '../types.ts';
import { versionOf } from '../version.ts';
import { validateNewArea } from '../validate.ts';
import { CAMERA_TYPES, SENSOR_TYPES } from '../../shared/schemas/geo.ts';
import { loadDivisions } from './divisions.ts';
import { generateNewArea } from './generate.ts';
import { GENERATED_FILE_PATH } from './paths.ts';

let data: NewAreaData;
let committed: string;
beforeAll(() => {
  data = generateNewArea();
  committed = readFileSync(GENERATED_FILE_PATH, 'utf8');
});

const townByName = (name: string) => data.towns.find((t) => t.name === name)!;
const centroid = (name: string) => turf.centroid(townByName(name).geometry).geometry.coordinates;

describe('generated New Area', () => {
  it('is deterministic: the committed file is exactly a fresh generation, and its version matches its content', () => {
    expect(committed).toBe(`${JSON.stringify(data)}\n`);
    expect(data.version).toMatch(/^[0-9a-f]{16}$/);
    expect(versionOf(data)).toBe(data.version);
    expect(versionOf({ ...data, grids: data.grids.slice(1) })).not.toBe(data.version);
  });

  it('has the 5 real towns and 61 real villages/communities of 321171 with their codes and names', () => {
    const { towns, communities } = loadDivisions();
    expect(data.district).toMatchObject({ code: '321171', name: '镇江新区' });
    expect(data.towns.map((t) => [t.code, t.name, t.kind])).toEqual([
      ['321171001', '丁卯街道', 'street'],
      ['321171002', '大港街道', 'street'],
      ['321171100', '姚桥镇', 'town'],
      ['321171101', '大路镇', 'town'],
      ['321171102', '丁岗镇', 'town'],
    ]);
    expect(data.towns.map((t) => t.nameEn)).toEqual(['Dingmao Subdistrict', 'Dagang Subdistrict', 'Yaoqiao Town', 'Dalu Town', 'Dinggang Town']);
    expect(towns).toHaveLength(5);
    expect(data.communities).toHaveLength(61);
    expect(data.communities.map((c) => [c.code, c.name, c.townCode])).toEqual(communities.map((c) => [c.code, c.name, c.townCode]));
    expect(data.communities.find((c) => c.code === '321171001002')?.name).toBe('马家山居委会');
    const perTown = Object.fromEntries(data.towns.map((t) => [t.name, data.communities.filter((c) => c.townCode === t.code).length]));
    expect(perTown).toEqual({ 丁卯街道: 8, 大港街道: 14, 姚桥镇: 15, 大路镇: 9, 丁岗镇: 15 });
    for (const c of data.communities) expect(c.kind).toBe(c.name.endsWith('村委会') ? 'village' : 'community');
  });

  it('has exactly 283 comprehensive and 88 enterprise grids, each community holding at least one', () => {
    expect(data.grids.filter((g) => g.kind === 'comprehensive')).toHaveLength(283);
    expect(data.grids.filter((g) => g.kind === 'enterprise')).toHaveLength(88);
    for (const c of data.communities) expect(data.grids.some((g) => g.communityCode === c.code)).toBe(true);
    for (const g of data.grids) {
      expect(g.code).toMatch(g.kind === 'enterprise' ? /^\d{12}E\d{3}$/ : /^\d{12}G\d{3}$/);
      expect(g.code.startsWith(g.communityCode)).toBe(true);
      expect(g.partyBranch).toBe(`${g.name}党支部`);
      expect(g.name).toMatch(g.kind === 'enterprise' ? /专属网格$/ : /第\d+网格$/);
    }
  });

  it('counts about 110,000 households with plausible population, fewer in enterprise grids', () => {
    const households = data.grids.reduce((s, g) => s + g.households, 0);
    const population = data.grids.reduce((s, g) => s + g.population, 0);
    expect(households).toBe(110_300);
    expect(population / households).toBeGreaterThan(1.8);
    expect(population / households).toBeLessThan(2.2);
    const mean = (kind: string) => {
      const gs = data.grids.filter((g) => g.kind === kind);
      return gs.reduce((s, g) => s + g.households, 0) / gs.length;
    };
    expect(mean('enterprise')).toBeLessThan(mean('comprehensive') / 4);
  });

  it('places 136 stations, 2,000 cameras and a few hundred sensors, denser in enterprise grids', () => {
    expect(data.stations).toHaveLength(136);
    expect(new Set(data.stations.map((s) => data.grids.find((g) => g.code === s.gridCode)!.communityCode)).size).toBe(61);
    expect(data.cameras).toHaveLength(2000);
    for (const c of data.cameras) {
      expect(c.code).toMatch(/^\d{20}$/);
      expect(CAMERA_TYPES).toContain(c.type);
    }
    expect(data.sensors.length).toBeGreaterThanOrEqual(200);
    expect(data.sensors.length).toBeLessThanOrEqual(400);
    for (const s of data.sensors) expect(SENSOR_TYPES).toContain(s.type);
    const enterprise = new Set(data.grids.filter((g) => g.kind === 'enterprise').map((g) => g.code));
    const inEnterprise = (pts: { gridCode: string }[]) => pts.filter((p) => enterprise.has(p.gridCode)).length / pts.length;
    expect(inEnterprise(data.sensors)).toBeGreaterThan(0.5);
    expect(inEnterprise(data.cameras)).toBeGreaterThan(88 / 371);
  });

  it('has a secretary per grid, 1781 center households and 3256 information officers, none serving over 30 households', () => {
    const byRole = (role: string) => data.staff.filter((s) => s.role === role);
    expect(byRole('secretary')).toHaveLength(371);
    expect(byRole('center_household')).toHaveLength(1781);
    expect(byRole('info_officer')).toHaveLength(3256);
    expect(Math.max(...data.staff.map((s) => s.households))).toBeLessThanOrEqual(30);
    expect(byRole('secretary').every((s) => s.households === 0)).toBe(true);
  });

  it('passes validation: grids tile the district with no overlap or gap, each inside its community and town', () => {
    const { problems, summary } = validateNewArea(data);
    expect(problems).toEqual([]);
    expect(summary.areaKm2.grids).toBeCloseTo(summary.areaKm2.district, 3);
  });

  it('covers about 218 km² on the south bank of the Yangtze, inside 119.48-119.92 E, 32.08-32.30 N', () => {
    const km2 = turf.area(data.district.geometry) / 1e6;
    expect(km2).toBeGreaterThan(218 * 0.9);
    expect(km2).toBeLessThan(218 * 1.1);
    const [w, s, e, n] = turf.bbox(data.district.geometry);
    expect(w).toBeGreaterThanOrEqual(119.48);
    expect(e).toBeLessThanOrEqual(119.92);
    expect(s).toBeGreaterThanOrEqual(32.08);
    expect(n).toBeLessThanOrEqual(32.3);
    const overlap = turf.intersect(turf.featureCollection([turf.feature(data.river.geometry), turf.feature(data.district.geometry)]));
    expect(overlap ? turf.area(overlap) : 0).toBeLessThan(1);
    expect(turf.kinks(data.river.geometry).features).toHaveLength(0);
    // The river is north of the district.
    expect(turf.centroid(data.river.geometry).geometry.coordinates[1]).toBeGreaterThan(turf.centroid(data.district.geometry).geometry.coordinates[1]);
  });

  it('puts the towns where they are: Dingmao west, Dagang in the middle on the river, Dinggang south, Dalu and Yaoqiao east', () => {
    const [dingmao, dagang, dinggang, dalu, yaoqiao] = ['丁卯街道', '大港街道', '丁岗镇', '大路镇', '姚桥镇'].map(centroid);
    expect(dingmao[0]).toBeLessThan(dagang[0]);
    expect(dingmao[0]).toBeLessThan(dinggang[0]);
    expect(dinggang[1]).toBeLessThan(dagang[1]);
    expect(dalu[0]).toBeGreaterThan(dagang[0]);
    expect(yaoqiao[0]).toBeGreaterThan(dagang[0]);
    const riverVertices = new Set(turf.coordAll(data.river.geometry).map(String));
    const touchesRiver = (name: string) => turf.coordAll(townByName(name).geometry).filter((p) => riverVertices.has(String(p))).length;
    expect(touchesRiver('大港街道')).toBeGreaterThan(3);
  });

  it('keeps every town and community in one piece', () => {
    for (const a of [...data.towns, ...data.communities]) expect(a.geometry.type, a.code).toBe('Polygon');
  });
});
