// Who owns which cell: towns grow from their real relative positions, then
// each town's communities grow inside it, then the industrial parks mark
// their cells as enterprise grids. Growing cell by cell across shared walls
// keeps every town and community in one piece by construction.
import type { Cell } from './cells.ts';
import { density, type XY } from './plane.ts';
import { makeNoise, makeRng, apportion } from './random.ts';
import type { CommunityDivision, TownDivision } from './divisions.ts';

interface Unit { center: XY; quota: number; start: number }

/**
 * Grow units over `pool` (cell indices) in proportion to their quotas, each
 * taking its cheapest neighbouring free cell (distance to its centre, bent by
 * smooth noise so borders wander). Cells no unit could take in turn go to
 * the neighbouring unit they share the longest wall with.
 */
function grow(cells: Cell[], pool: number[], units: Unit[], noiseStream: string): Map<number, number> {
  const free = new Set(pool);
  const owner = new Map<number, number>();
  const count = units.map(() => 0);
  const noises = units.map((_, u) => makeNoise(`${noiseStream}/${u}`, 3));
  const cost = (u: number, c: number) => {
    const [x, y] = cells[c].seed;
    const d = Math.hypot(x - units[u].center[0], y - units[u].center[1]);
    return d * (1 + 0.35 * noises[u](x, y));
  };
  const take = (u: number, c: number) => { owner.set(c, u); free.delete(c); count[u]++; };
  units.forEach((unit, u) => take(u, unit.start));
  type Move = { u: number; c: number; cost: number };
  for (;;) {
    let best = null as Move | null;
    const order = units.map((_, u) => u).filter((u) => count[u] < units[u].quota).sort((a, b) => count[a] / units[a].quota - count[b] / units[b].quota || a - b);
    for (const u of order) {
      for (const [c, o] of owner) {
        if (o !== u) continue;
        for (const n of cells[c].neighbours.keys()) {
          if (!free.has(n)) continue;
          const k = cost(u, n);
          if (!best || k < best.cost) best = { u, c: n, cost: k };
        }
      }
      if (best) break; // the unit furthest behind its quota that can still grow
    }
    if (!best) break;
    take(best.u, best.c);
  }
  while (free.size > 0) {
    let progressed = false;
    for (const c of [...free].sort((a, b) => a - b)) {
      let bestU = -1, bestLen = 0;
      for (const [n, len] of cells[c].neighbours) {
        const u = owner.get(n);
        if (u !== undefined && len > bestLen) { bestU = u; bestLen = len; }
      }
      if (bestU >= 0) { take(bestU, c); progressed = true; }
    }
    if (!progressed) throw new Error('grow: some cells are cut off from every unit');
  }
  return owner;
}

function nearestCell(cells: Cell[], pool: number[], [x, y]: XY): number {
  let best = pool[0], bestD = Infinity;
  for (const c of pool) {
    const d = Math.hypot(cells[c].seed[0] - x, cells[c].seed[1] - y);
    if (d < bestD) { bestD = d; best = c; }
  }
  return best;
}

/** Town centres at the real relative positions; quotas are grid counts (denser towns hold more). */
const TOWN_LAYOUT: Record<string, { center: XY; grids: number }> = {
  丁卯街道: { center: [-14.5, -2.8], grids: 78 }, // west, next to the city
  大港街道: { center: [-3.5, 2.2], grids: 95 }, // middle, on the river
  姚桥镇: { center: [15.0, 6.5], grids: 58 }, // far east
  大路镇: { center: [7.5, 5.5], grids: 50 }, // east
  丁岗镇: { center: [-4.0, -7.5], grids: 90 }, // south
};

/**
 * Industrial parks and big firms around which the 88 enterprise grids sit.
 * Plausible placements after the real parks' general whereabouts, not surveyed.
 */
export const PARKS: { name: string; center: XY; grids: number }[] = [
  { name: '港区化工园', center: [3.0, 4.8], grids: 26 }, // Dagang port and chemical park on the river
  { name: '高新产业园', center: [-12.5, -2.6], grids: 18 }, // Dingmao high-tech park
  { name: '丁岗工业园', center: [-2.5, -5.5], grids: 12 },
  { name: '大路通航产业园', center: [8.5, 6.8], grids: 16 }, // Dalu general-aviation industrial park
  { name: '姚桥临港产业园', center: [16.0, 7.0], grids: 16 }, // riverside industry at Yaoqiao
];

export interface Partition {
  townOf: string[];
  communityOf: string[];
  /** Park index for enterprise cells, -1 for comprehensive ones. */
  parkOf: number[];
}

export function partition(cells: Cell[], towns: TownDivision[], communities: CommunityDivision[]): Partition {
  const all = cells.map((c) => c.index);
  const townUnits = towns.map((t) => {
    const layout = TOWN_LAYOUT[t.name];
    if (!layout) throw new Error(`no layout for town ${t.name}`);
    return { center: layout.center, quota: layout.grids, start: nearestCell(cells, all, layout.center) };
  });
  if (townUnits.reduce((s, u) => s + u.quota, 0) !== cells.length) throw new Error('town quotas must add up to the cell count');
  const townOwner = grow(cells, all, townUnits, 'towns');
  const townOf = cells.map((c) => towns[townOwner.get(c.index)!].code);

  const communityOf: string[] = new Array(cells.length);
  towns.forEach((town, t) => {
    const pool = all.filter((c) => townOwner.get(c) === t);
    const members = communities.filter((c) => c.townCode === town.code);
    const rng = makeRng(`communities/${town.code}`);
    // Community starts spread out: farthest-point picks from a random first cell.
    const starts = [pool[rng.int(0, pool.length - 1)]];
    while (starts.length < members.length) {
      let best = -1, bestD = -1;
      for (const c of pool) {
        if (starts.includes(c)) continue;
        const d = Math.min(...starts.map((s) => Math.hypot(cells[s].seed[0] - cells[c].seed[0], cells[s].seed[1] - cells[c].seed[1])));
        if (d > bestD) { bestD = d; best = c; }
      }
      starts.push(best);
    }
    const quotas = apportion(pool.length, members.map(() => rng.range(0.6, 1.5)), members.map(() => 2));
    const units = starts.map((s, i) => ({ center: cells[s].seed, quota: quotas[i], start: s }));
    const owner = grow(cells, pool, units, `communities/${town.code}`);
    // Residents' committees take the densest (urban) units, village committees the rural ones.
    const unitDensity = units.map((_, u) => {
      const mine = pool.filter((c) => owner.get(c) === u);
      return mine.reduce((s, c) => s + density(cells[c].seed), 0) / mine.length;
    });
    const byDensity = units.map((_, u) => u).sort((a, b) => unitDensity[b] - unitDensity[a] || a - b);
    const ordered = [...members.filter((m) => m.kind === 'community'), ...members.filter((m) => m.kind === 'village')];
    const codeOfUnit = new Map(byDensity.map((u, i) => [u, ordered[i].code]));
    for (const c of pool) communityOf[c] = codeOfUnit.get(owner.get(c)!)!;
  });

  const parkOf = cells.map(() => -1);
  PARKS.forEach((park, p) => {
    // Each park takes the free cells nearest its centre, staying connected.
    let frontier = [nearestCell(cells, all.filter((c) => parkOf[c] < 0), park.center)];
    let taken = 0;
    while (taken < park.grids) {
      frontier.sort((a, b) => Math.hypot(cells[a].seed[0] - park.center[0], cells[a].seed[1] - park.center[1]) - Math.hypot(cells[b].seed[0] - park.center[0], cells[b].seed[1] - park.center[1]) || a - b);
      const c = frontier.shift();
      if (c === undefined) throw new Error(`park ${park.name} ran out of room`);
      if (parkOf[c] >= 0) continue;
      parkOf[c] = p;
      taken++;
      frontier = [...new Set([...frontier, ...[...cells[c].neighbours.keys()].filter((n) => parkOf[n] < 0)])];
    }
  });
  return { townOf, communityOf, parkOf };
}
