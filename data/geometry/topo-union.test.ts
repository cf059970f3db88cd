import { describe, expect, it } from 'vitest';
import type { Position } from 'geojson';
import { signedArea, topoUnion } from './topo-union.ts';

const square = (x: number, y: number): Position[] => [[x, y], [x + 1, y], [x + 1, y + 1], [x, y + 1], [x, y]];

describe('topoUnion', () => {
  it('merges squares sharing walls into one counter-clockwise ring', () => {
    const { geometry, clean } = topoUnion([square(0, 0), square(1, 0), [...square(0, 1)].reverse()]);
    expect(clean).toBe(true);
    expect(geometry.type).toBe('Polygon');
    const ring = geometry.coordinates[0] as Position[];
    expect(signedArea(ring)).toBe(3);
    expect(ring).toHaveLength(9); // 8 corners of the L shape (straight-through vertices stay), closed
  });

  it('keeps the hole of a ring of squares', () => {
    const ringOf8 = [[0, 0], [1, 0], [2, 0], [0, 1], [2, 1], [0, 2], [1, 2], [2, 2]].map(([x, y]) => square(x, y));
    const { geometry, clean } = topoUnion(ringOf8);
    expect(clean).toBe(true);
    expect(geometry.type).toBe('Polygon');
    expect(geometry.coordinates).toHaveLength(2);
    expect(signedArea(geometry.coordinates[0] as Position[])).toBe(9);
    expect(signedArea(geometry.coordinates[1] as Position[])).toBe(-1);
  });

  it('returns separate pieces as a MultiPolygon', () => {
    const { geometry, clean } = topoUnion([square(0, 0), square(5, 5)]);
    expect(clean).toBe(true);
    expect(geometry.type).toBe('MultiPolygon');
    expect(geometry.coordinates).toHaveLength(2);
  });

  it('says the input is not a clean tiling when a wall is used twice the same way (overlap)', () => {
    expect(topoUnion([square(0, 0), square(0, 0)]).clean).toBe(false);
  });
});
