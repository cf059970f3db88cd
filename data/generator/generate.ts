// Builds the whole synthetic New Area: a pure function of the fixed seed.
import type { NewAreaData, GridRecord, Area } from '../types.ts';
import { withVersion } from '../version.ts';
import { topoUnion } from '../geometry/topo-union.ts';
import { buildCells } from './cells.ts';
import { DISTRICT, loadDivisions } from './divisions.ts';
import { buildGrids } from './grids.ts';
import { partition } from './partition.ts';
import { placeCameras, placeSensors, placeStations, type PlacedGrid } from './points.ts';
import { buildRiver } from './river.ts';
import { generateStaff } from './staff.ts';

export const COMPREHENSIVE_GRIDS = 283;
export const ENTERPRISE_GRIDS = 88;

function union(grids: GridRecord[], what: string): Area {
  const { geometry, clean } = topoUnion(grids.map((g) => g.geometry.coordinates[0]));
  if (!clean) throw new Error(`${what}: grids do not form a clean tiling`);
  return geometry;
}

export function generateNewArea(): NewAreaData {
  const { towns, communities } = loadDivisions();
  const cells = buildCells(COMPREHENSIVE_GRIDS + ENTERPRISE_GRIDS);
  const part = partition(cells, towns, communities);
  const built = buildGrids(cells, part, communities);
  for (const { grid, cell } of built) grid.geometry = { type: 'Polygon', coordinates: [cell.ring] };
  const grids = built.map((b) => b.grid);
  const shortOf = new Map(communities.map((c) => [c.code, c.shortName]));
  const placed: PlacedGrid[] = built.map(({ grid, cell }) => ({
    grid, cell,
    townIndex: towns.findIndex((t) => t.code === grid.townCode),
    communityShort: shortOf.get(grid.communityCode)!,
  }));
  const district = union(grids, 'district');
  if (district.type !== 'Polygon') throw new Error('district is not one piece');
  return withVersion({
    source: 'generated',
    district: { ...DISTRICT, geometry: district },
    river: { name: '长江', nameEn: 'Yangtze River', geometry: buildRiver(district.coordinates[0]) },
    towns: towns.map((t) => ({ ...t, geometry: union(grids.filter((g) => g.townCode === t.code), t.name) })),
    communities: communities.map((c) => ({
      code: c.code, name: c.name, kind: c.kind, townCode: c.townCode,
      geometry: union(grids.filter((g) => g.communityCode === c.code), c.name),
    })),
    grids,
    stations: placeStations(placed),
    cameras: placeCameras(placed),
    sensors: placeSensors(placed),
    staff: generateStaff(grids),
  });
}
