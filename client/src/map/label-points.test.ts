import { describe, expect, it } from 'vitest';
import { booleanPointInPolygon } from '@turf/turf';
import { boundsOf, labelPoints } from './label-points.ts';

// A concave "U": its centroid lies in the notch, outside the area.
const U = {
  type: 'Feature' as const,
  id: 'T1',
  geometry: {
    type: 'Polygon' as const,
    coordinates: [[[0, 0], [3, 0], [3, 3], [2, 3], [2, 1], [1, 1], [1, 3], [0, 3], [0, 0]]],
  },
  properties: { name: '丁卯街道', nameEn: 'Dingmao Subdistrict' },
};

describe('labelPoints', () => {
  it('puts the label inside a concave area and keeps id and names', () => {
    const fc = labelPoints([U], (p) => ({ layer: 'town', name: p.name, nameEn: p.nameEn }));
    expect(fc.features).toHaveLength(1);
    const [label] = fc.features;
    expect(label.id).toBe('T1');
    expect(label.properties).toEqual({ layer: 'town', name: '丁卯街道', nameEn: 'Dingmao Subdistrict' });
    expect(booleanPointInPolygon(label.geometry.coordinates, U.geometry)).toBe(true);
  });
});

describe('boundsOf', () => {
  it('returns south-west and north-east corners, or null for nothing', () => {
    expect(boundsOf([U])).toEqual([[0, 0], [3, 3]]);
    expect(boundsOf([])).toBeNull();
  });
});
