// Field staff per grid: one party branch secretary, then center households
// and information officers who between them serve every household of the
// grid, none more than 30 (the New Area's rule). Totals are the published
// ones: 1781 center households and 3256 information officers.
import type { GridRecord, StaffRecord } from '../types.ts';
import { apportion, makeRng } from './random.ts';
import { personName } from './names.ts';

export const CENTER_HOUSEHOLDS_TOTAL = 1781;
export const INFO_OFFICERS_TOTAL = 3256;
export const MAX_HOUSEHOLDS_PER_WORKER = 30;

type StaffGrid = Pick<GridRecord, 'code' | 'households'>;

export function generateStaff(grids: StaffGrid[]): StaffRecord[] {
  const rng = makeRng('staff');
  const workers = CENTER_HOUSEHOLDS_TOTAL + INFO_OFFICERS_TOTAL;
  const need = grids.map((g) => Math.max(1, Math.ceil(g.households / MAX_HOUSEHOLDS_PER_WORKER)));
  const needed = need.reduce((s, n) => s + n, 0);
  if (needed > workers) throw new Error(`${needed} workers needed for ${MAX_HOUSEHOLDS_PER_WORKER} households each, only ${workers} exist`);
  const perGrid = apportion(workers, grids.map((g) => g.households), need);
  // Center households are the building heads, about one in three workers; at least one where a grid has two or more.
  const centerMin = perGrid.map((n) => (n >= 2 ? 1 : 0));
  const centers = apportion(CENTER_HOUSEHOLDS_TOTAL, perGrid.map((n) => Math.max(0, n - 1)), centerMin);
  // Keep at least one information officer in every grid: move any excess to the grid with most room.
  for (let i = 0; i < grids.length; i++) {
    while (perGrid[i] >= 2 && centers[i] > perGrid[i] - 1) {
      let roomiest = -1;
      for (let j = 0; j < grids.length; j++) {
        if (perGrid[j] - 1 - centers[j] > (roomiest < 0 ? 0 : perGrid[roomiest] - 1 - centers[roomiest])) roomiest = j;
      }
      if (roomiest < 0) throw new Error('not enough workers for the center households');
      centers[i]--;
      centers[roomiest]++;
    }
  }
  const staff: StaffRecord[] = [];
  grids.forEach((g, i) => {
    staff.push({ code: `${g.code}-S`, name: personName(rng), role: 'secretary', gridCode: g.code, households: 0 });
    const n = perGrid[i];
    const base = Math.floor(g.households / n);
    const extra = g.households - base * n;
    for (let k = 0; k < n; k++) {
      const center = k < centers[i];
      const index = center ? k + 1 : k - centers[i] + 1;
      staff.push({
        code: `${g.code}-${center ? 'C' : 'I'}${String(index).padStart(2, '0')}`,
        name: personName(rng),
        role: center ? 'center_household' : 'info_officer',
        gridCode: g.code,
        households: base + (k < extra ? 1 : 0),
      });
    }
  });
  return staff;
}
