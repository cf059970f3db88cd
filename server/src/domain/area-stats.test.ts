import { describe, expect, it } from 'vitest';
import type { Polygon } from 'geojson';
import { areaStats } from './area-stats.ts';

describe('areaStats', () => {
  it('measures a 0.01° square near Zhenjiang (about 1.0 km²) and its box', () => {
    const square: Polygon = {
      type: 'Polygon',
      coordinates: [[[119.5, 32.2], [119.51, 32.2], [119.51, 32.21], [119.5, 32.21], [119.5, 32.2]]],
    };
    const stats = areaStats(square);
    // 0.01° lat ≈ 1.112 km, 0.01° lon at 32.2° ≈ 0.942 km.
    expect(stats.areaKm2).toBeGreaterThan(1.03);
    expect(stats.areaKm2).toBeLessThan(1.07);
    expect(stats).toMatchObject({ minLon: 119.5, minLat: 32.2, maxLon: 119.51, maxLat: 32.21 });
  });

  it('subtracts holes and adds the parts of a multipolygon', () => {
    const outer = [[0, 0], [0.02, 0], [0.02, 0.02], [0, 0.02], [0, 0]];
    const hole = [[0.005, 0.005], [0.005, 0.015], [0.015, 0.015], [0.015, 0.005], [0.005, 0.005]];
    const full = areaStats({ type: 'Polygon', coordinates: [outer] }).areaKm2;
    const holed = areaStats({ type: 'Polygon', coordinates: [outer, hole] }).areaKm2;
    expect(holed).toBeCloseTo(full * 0.75, 3);
    const twice = areaStats({
      type: 'MultiPolygon',
      coordinates: [[outer], [outer.map(([x, y]) => [x + 1, y])]],
    });
    expect(twice.areaKm2).toBeCloseTo(full * 2, 3);
    expect(twice.maxLon).toBe(1.02);
  });
});
