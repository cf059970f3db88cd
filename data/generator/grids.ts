// Grid records: codes, names, party branches, households and population.
import type { GridRecord } from '../types.ts';
import type { Cell } from './cells.ts';
import type { CommunityDivision } from './divisions.ts';
import type { Partition } from './partition.ts';
import { PARKS } from './partition.ts';
import { density } from './plane.ts';
import { apportion, makeRng } from './random.ts';

/** Households visited across the New Area (source article): the grids add up to exactly this. */
export const HOUSEHOLDS_TOTAL = 110_300;

/** Order cells north to south, then west to east, so numbering reads like a map. */
const mapOrder = (cells: Cell[]) => (a: number, b: number) =>
  Math.round(cells[b].seed[1] * 2) - Math.round(cells[a].seed[1] * 2) || cells[a].seed[0] - cells[b].seed[0];

export function buildGrids(cells: Cell[], part: Partition, communities: CommunityDivision[]): { grid: GridRecord; cell: Cell }[] {
  const rng = makeRng('grids');
  const parkNumber = new Map<number, number>();
  PARKS.forEach((_, p) => {
    cells.map((c) => c.index).filter((c) => part.parkOf[c] === p).sort(mapOrder(cells)).forEach((c, k) => parkNumber.set(c, k + 1));
  });
  const out: { grid: GridRecord; cell: Cell }[] = [];
  for (const community of communities) {
    const mine = cells.map((c) => c.index).filter((c) => part.communityOf[c] === community.code).sort(mapOrder(cells));
    const comprehensive = mine.filter((c) => part.parkOf[c] < 0);
    const enterprise = mine.filter((c) => part.parkOf[c] >= 0);
    comprehensive.forEach((c, k) => {
      const name = `${community.shortName}第${k + 1}网格`;
      out.push({ cell: cells[c], grid: record(`${community.code}G${String(k + 1).padStart(3, '0')}`, name, 'comprehensive', community, part.townOf[c]) });
    });
    enterprise.forEach((c, k) => {
      const name = `${PARKS[part.parkOf[c]].name}第${parkNumber.get(c)}专属网格`;
      out.push({ cell: cells[c], grid: record(`${community.code}E${String(k + 1).padStart(3, '0')}`, name, 'enterprise', community, part.townOf[c]) });
    });
  }
  // Households: a comprehensive grid holds roughly 250-600 (more where the town is denser);
  // enterprise grids only have dormitories and caretakers, 10-80.
  const raw = out.map(({ grid, cell }) => (grid.kind === 'enterprise' ? rng.int(10, 80) : rng.range(0.75, 1.25) * (220 + 45 * density(cell.seed))));
  const enterpriseTotal = out.reduce((s, g, i) => s + (g.grid.kind === 'enterprise' ? raw[i] : 0), 0);
  const comprehensiveIdx = out.map((g, i) => i).filter((i) => out[i].grid.kind === 'comprehensive');
  const scaled = apportion(HOUSEHOLDS_TOTAL - enterpriseTotal, comprehensiveIdx.map((i) => raw[i]));
  comprehensiveIdx.forEach((i, k) => { raw[i] = scaled[k]; });
  out.forEach(({ grid, cell }, i) => {
    grid.households = raw[i];
    // Persons per household: the articles give 216,000 people in 110,300 households (1.96).
    // Urban flats a little fewer, villages a little more, plant dormitories mostly single workers.
    const perHousehold = grid.kind === 'enterprise' ? rng.range(1.1, 1.4) : density(cell.seed) > 3 ? rng.range(1.75, 2.0) : rng.range(1.95, 2.3);
    grid.population = Math.round(grid.households * perHousehold);
  });
  return out;
}

function record(code: string, name: string, kind: GridRecord['kind'], community: CommunityDivision, townCode: string): GridRecord {
  return {
    code, name, kind,
    communityCode: community.code, townCode,
    households: 0, population: 0,
    partyBranch: `${name}党支部`,
    geometry: { type: 'Polygon', coordinates: [] },
  };
}
