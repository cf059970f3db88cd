import { describe, expect, it } from 'vitest';
import { FEATURE_KEY, featureKey, toMapFeatures } from './feature-key.ts';

const camera = {
  type: 'Feature' as const,
  id: '32117101001320000001',
  geometry: { type: 'Point', coordinates: [119.6, 32.2] },
  properties: { code: '32117101001320000001', name: '丁卯社区第1网格枪机1号' },
};

describe('toMapFeatures', () => {
  it('drops the GeoJSON id and adds a key that never parses as a number', () => {
    const fc = toMapFeatures({ type: 'FeatureCollection', features: [camera] }, true);
    const [f] = fc.features;
    expect(f).not.toHaveProperty('id');
    expect(f.properties).toEqual({ ...camera.properties, [FEATURE_KEY]: featureKey(camera.properties.code) });
    expect(Number.isNaN(+featureKey(camera.properties.code))).toBe(true);
    expect(camera).toHaveProperty('id'); // the store's data is not mutated
  });

  it('leaves properties alone when not keyed and accepts a missing collection', () => {
    const fc = toMapFeatures({ type: 'FeatureCollection', features: [camera] }, false);
    expect(fc.features[0].properties).toEqual(camera.properties);
    expect(toMapFeatures(null, true)).toEqual({ type: 'FeatureCollection', features: [] });
  });
});
