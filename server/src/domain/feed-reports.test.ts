import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { NewAreaData } from '../../../data/types.ts';
import { catalogueItem } from '../../../shared/catalogue.ts';
import { DEMO_LEVEL1_SHARE } from './feed-mix.ts';
import { DEMO_SPEED } from './feed-rate.ts';
import { ReportModel } from './feed-reports.ts';
import { seededRng } from './feed-random.ts';

const data = JSON.parse(readFileSync(new URL('../../../data/generated/newarea.json', import.meta.url), 'utf8')) as NewAreaData;
const T0 = Date.UTC(2026, 10, 30, 1); // 09:00 in Zhenjiang

describe('feed reports', () => {
  it('files about the expected number of reports over an hour, each complete and placed in its grid', () => {
    const model = new ReportModel(data.grids, { speed: DEMO_SPEED, level1Share: DEMO_LEVEL1_SHARE });
    const rng = seededRng('hour');
    const drafts = [];
    for (let t = T0; t < T0 + 3600_000; t += 1000) drafts.push(...model.between(rng, t, t + 1000));
    const expected = model.expected(T0, T0 + 3600_000);
    expect(Math.abs(drafts.length - expected)).toBeLessThan(4 * Math.sqrt(expected));
    for (const d of drafts) {
      expect(catalogueItem(d.item.code)).toBeDefined();
      expect(d.text.length).toBeGreaterThan(0);
      expect(d.at).toBeGreaterThanOrEqual(T0);
      expect(d.at).toBeLessThanOrEqual(T0 + 3600_000);
    }
  });

  it('is deterministic for a seed', () => {
    const run = (seed: string) => {
      const model = new ReportModel(data.grids, { speed: DEMO_SPEED, level1Share: DEMO_LEVEL1_SHARE });
      const rng = seededRng(seed);
      return model.between(rng, T0, T0 + 600_000).map((d) => `${d.item.code}@${d.lon},${d.lat}`);
    };
    expect(run('x')).toEqual(run('x'));
    expect(run('x').length).toBeGreaterThan(0);
  });

  it('can run at a flat rate instead of the day\'s curve', () => {
    const model = new ReportModel(data.grids, { speed: 1, level1Share: DEMO_LEVEL1_SHARE, flatPerMinute: 120 });
    expect(model.expected(T0, T0 + 60_000)).toBe(120);
    expect(model.expected(T0 + 12 * 3600_000, T0 + 12 * 3600_000 + 30_000)).toBe(60);
  });
});
