import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Polygon } from 'geojson';
import type { NewAreaData } from '../../../data/types.ts';
import { GridIndex } from './locate.ts';
import { PLANT_SHARE_IN_ENTERPRISE_GRIDS, PlacePicker, pointInPolygon, polygonContains } from './feed-place.ts';
import { seededRng } from './feed-random.ts';

const data = JSON.parse(readFileSync(new URL('../../../data/generated/newarea.json', import.meta.url), 'utf8')) as NewAreaData;

describe('feed places', () => {
  it('puts every point inside its grid, as the server\'s spatial index sees it', () => {
    const picker = new PlacePicker(data.grids);
    const index = new GridIndex(data.grids);
    const rng = seededRng('places');
    for (let i = 0; i < 5000; i++) {
      const place = picker.place(rng, i % 2 ? 'livelihood' : 'work_safety');
      expect(polygonContains(place.grid.geometry, place.lon, place.lat)).toBe(true);
      expect(index.locate(place.lon, place.lat)?.code).toBe(place.grid.code);
    }
  });

  it('weights livelihood reports by households per grid', () => {
    const picker = new PlacePicker(data.grids);
    const rng = seededRng('households');
    const n = 100_000;
    const counts = new Map<string, number>();
    for (let i = 0; i < n; i++) {
      const code = picker.grid(rng, 'livelihood').code;
      counts.set(code, (counts.get(code) ?? 0) + 1);
    }
    const total = data.grids.reduce((s, g) => s + g.households, 0);
    // The ten most populous grids each get their share within 4 standard deviations.
    for (const g of [...data.grids].sort((a, b) => b.households - a.households).slice(0, 10)) {
      const p = g.households / total;
      expect(Math.abs((counts.get(g.code) ?? 0) - n * p)).toBeLessThan(4 * Math.sqrt(n * p * (1 - p)) + 1);
    }
    // Enterprise grids hold few households, so few livelihood reports.
    const enterprise = new Set(data.grids.filter((g) => g.kind === 'enterprise').map((g) => g.code));
    const inEnterprise = [...counts].filter(([code]) => enterprise.has(code)).reduce((s, [, c]) => s + c, 0);
    expect(inEnterprise / n).toBeLessThan(0.1);
  });

  it('sends work-safety and ecology reports mostly to the enterprise grids', () => {
    const picker = new PlacePicker(data.grids);
    const rng = seededRng('plants');
    const enterprise = new Set(data.grids.filter((g) => g.kind === 'enterprise').map((g) => g.code));
    const n = 20_000;
    for (const domain of ['work_safety', 'ecology'] as const) {
      let hits = 0;
      for (let i = 0; i < n; i++) if (enterprise.has(picker.grid(rng, domain).code)) hits += 1;
      expect(hits / n).toBeGreaterThan(PLANT_SHARE_IN_ENTERPRISE_GRIDS);
      expect(hits / n).toBeLessThan(PLANT_SHARE_IN_ENTERPRISE_GRIDS + 0.1);
    }
  });

  it('respects holes in a polygon', () => {
    const square: Polygon = {
      type: 'Polygon',
      coordinates: [[[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]], [[2, 2], [8, 2], [8, 8], [2, 8], [2, 2]]],
    };
    const rng = seededRng('hole');
    for (let i = 0; i < 2000; i++) {
      const [x, y] = pointInPolygon(rng, square);
      expect(x > 2 && x < 8 && y > 2 && y < 8).toBe(false);
      expect(x >= 0 && x <= 10 && y >= 0 && y <= 10).toBe(true);
    }
  });
});
