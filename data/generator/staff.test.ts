import { describe, expect, it } from 'vitest';
import { CENTER_HOUSEHOLDS_TOTAL, INFO_OFFICERS_TOTAL, generateStaff } from './staff.ts';

describe('generateStaff', () => {
  const grids = Array.from({ length: 300 }, (_, i) => ({ code: `G${i}`, households: i % 7 === 0 ? 25 + i : 200 + ((i * 37) % 400) }));
  const staff = generateStaff(grids);

  it('hires exactly the published numbers of center households and information officers, plus one secretary per grid', () => {
    expect(staff.filter((s) => s.role === 'center_household')).toHaveLength(CENTER_HOUSEHOLDS_TOTAL);
    expect(staff.filter((s) => s.role === 'info_officer')).toHaveLength(INFO_OFFICERS_TOTAL);
    expect(staff.filter((s) => s.role === 'secretary')).toHaveLength(300);
  });

  it('serves every household of each grid, nobody more than 30, with an information officer in every grid', () => {
    for (const g of grids) {
      const mine = staff.filter((s) => s.gridCode === g.code);
      expect(mine.reduce((s, m) => s + m.households, 0)).toBe(g.households);
      expect(Math.max(...mine.map((m) => m.households))).toBeLessThanOrEqual(30);
      expect(mine.some((m) => m.role === 'info_officer')).toBe(true);
    }
    expect(new Set(staff.map((s) => s.code)).size).toBe(staff.length);
  });

  it('refuses when the households cannot be served at 30 each', () => {
    expect(() => generateStaff([{ code: 'G', households: 30 * 6000 }])).toThrow(/workers needed/);
  });
});
