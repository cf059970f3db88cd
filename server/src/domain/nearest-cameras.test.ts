import { describe, expect, it } from 'vitest';
import { distanceM, nearestCameras, type CameraPoint } from './nearest-cameras.ts';

// Around 丁卯 (119.54 E, 32.17 N): 0.001 degree of latitude is ~111 m.
const incident = { lon: 119.54, lat: 32.17, gridCode: 'G1' };
const cam = (code: string, gridCode: string, dLonM: number, dLatM: number): CameraPoint => ({
  code, gridCode,
  lon: incident.lon + dLonM / (111_320 * Math.cos(32.17 * Math.PI / 180)),
  lat: incident.lat + dLatM / 110_574,
});

describe('distanceM', () => {
  it('is ~111 km per degree of latitude and 0 for the same point', () => {
    expect(distanceM(119.54, 32, 119.54, 33)).toBeGreaterThan(110_800);
    expect(distanceM(119.54, 32, 119.54, 33)).toBeLessThan(111_300);
    expect(distanceM(119.54, 32.17, 119.54, 32.17)).toBe(0);
  });
});

describe('nearestCameras', () => {
  const cameras = [
    cam('out-near', 'G2', 20, 0),
    cam('in-far', 'G1', 400, 0),
    cam('in-near', 'G1', 0, 100),
    cam('out-mid', 'G3', 0, -250),
    cam('out-far', 'G3', 5000, 0),
  ];

  it('puts the incident\'s own grid first, nearest first, then the nearest outside', () => {
    const ranked = nearestCameras(incident, cameras, { limit: 10 });
    expect(ranked.map((r) => r.camera.code)).toEqual(['in-near', 'in-far', 'out-near', 'out-mid', 'out-far']);
    expect(ranked[0].inGrid).toBe(true);
    expect(ranked[0].distanceM).toBeGreaterThan(95);
    expect(ranked[0].distanceM).toBeLessThan(105);
  });

  it('honours the limit and the outside radius', () => {
    expect(nearestCameras(incident, cameras, { limit: 3 }).map((r) => r.camera.code)).toEqual(['in-near', 'in-far', 'out-near']);
    expect(nearestCameras(incident, cameras, { limit: 10, maxOutsideM: 1000 }).map((r) => r.camera.code))
      .toEqual(['in-near', 'in-far', 'out-near', 'out-mid']);
    expect(nearestCameras(incident, cameras, { limit: 0 })).toEqual([]);
  });

  it('without a grid (a point on a boundary) it is simply nearest first', () => {
    expect(nearestCameras({ ...incident, gridCode: null }, cameras, { limit: 2 }).map((r) => r.camera.code)).toEqual(['out-near', 'in-near']);
  });

  it('agrees with brute force on 2,000 random cameras', () => {
    let seed = 7;
    const rand = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const many = Array.from({ length: 2000 }, (_, i) => cam(`c${i}`, rand() < 0.01 ? 'G1' : 'GX', (rand() - 0.5) * 20000, (rand() - 0.5) * 20000));
    const ranked = nearestCameras(incident, many, { limit: 8 });
    const inGrid = many.filter((c) => c.gridCode === 'G1');
    const d = (c: CameraPoint) => distanceM(incident.lon, incident.lat, c.lon, c.lat);
    const expected = [...inGrid.sort((a, b) => d(a) - d(b)), ...many.filter((c) => c.gridCode !== 'G1').sort((a, b) => d(a) - d(b))].slice(0, 8);
    expect(ranked.map((r) => r.camera.code)).toEqual(expected.map((c) => c.code));
  });
});
