// The Yangtze beside the New Area. Its south bank is the district's own
// north edge (the same vertices), so river and district touch without
// overlapping; the north bank is the same line moved a river's width north.
import type { Polygon, Position } from 'geojson';
import { OUTLINE, RIVER_BANK_VERTICES, RIVER_WIDTH_KM, toLonLat, type XY } from './plane.ts';

function nearestIndex(ring: Position[], [lon, lat]: XY): number {
  let best = 0, bestD = Infinity;
  ring.forEach((p, i) => {
    const d = (p[0] - lon) ** 2 + (p[1] - lat) ** 2;
    if (d < bestD) { bestD = d; best = i; }
  });
  return best;
}

/** `districtRing`: the district's outer ring, counter-clockwise and closed. */
export function buildRiver(districtRing: Position[]): Polygon {
  const ring = districtRing.slice(0, -1);
  const east = nearestIndex(ring, toLonLat(OUTLINE[0]));
  const west = nearestIndex(ring, toLonLat(OUTLINE[RIVER_BANK_VERTICES - 1]));
  // Counter-clockwise the north edge runs east to west.
  const bankEastToWest: Position[] = [];
  for (let i = east; ; i = (i + 1) % ring.length) {
    bankEastToWest.push(ring[i]);
    if (i === west) break;
  }
  const bank = OUTLINE.slice(0, RIVER_BANK_VERTICES);
  const [ex, ey] = bank[0];
  const [wx, wy] = bank[bank.length - 1];
  // Upstream the river runs on past the city of Zhenjiang, downstream towards the sea.
  const southEast: XY[] = [[ex + 3.5, ey + 0.4]];
  const southWest: XY[] = [[wx - 16, wy + 1.8], [wx - 4.5, wy + 1.0]];
  const north: XY[] = [[ex + 3.5, ey + 0.4 + RIVER_WIDTH_KM], ...bank.map(([x, y]): XY => [x, y + RIVER_WIDTH_KM]), [wx - 16, wy + 1.8 + RIVER_WIDTH_KM]];
  const coords: Position[] = [
    ...[...bankEastToWest].reverse(),
    ...southEast.map(toLonLat),
    ...north.map(toLonLat),
    ...southWest.map(toLonLat),
  ];
  coords.push([...coords[0]]);
  return { type: 'Polygon', coordinates: [coords] };
}
