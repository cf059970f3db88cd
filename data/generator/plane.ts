// The local metric plane the generator draws in: km east (x) and north (y) of
// an origin in the middle of the New Area. One affine map to WGS-84 for all
// output so shared vertices stay bit-identical after rounding.

import { makeNoise } from './random.ts';

export type XY = [number, number];

const LON0 = 119.7;
const LAT0 = 32.19;
/** km per degree at LAT0 (equirectangular; error < 0.1 % over 25 km). */
const KM_PER_DEG_LAT = 110.95;
const KM_PER_DEG_LON = 111.32 * Math.cos((LAT0 * Math.PI) / 180);

/** 6 decimals is ~0.1 m: plenty for grid borders, keeps the file small. */
export const round6 = (v: number) => Math.round(v * 1e6) / 1e6;

export function toLonLat([x, y]: XY): XY {
  return [round6(LON0 + x / KM_PER_DEG_LON), round6(LAT0 + y / KM_PER_DEG_LAT)];
}

export function toPlane([lon, lat]: readonly number[]): XY {
  return [(lon - LON0) * KM_PER_DEG_LON, (lat - LAT0) * KM_PER_DEG_LAT];
}

/**
 * Target outline of the New Area (counter-clockwise), a hand-drawn shape
 * after the real one: the Yangtze along the north edge from Dagang to Yaoqiao,
 * the main city of Zhenjiang north-west of Dingmao, farmland to the south.
 * The first RIVER_BANK_VERTICES vertices are the river bank, east to west.
 */
const OUTLINE_SKETCH: XY[] = [
  [18.3, 6.2], [15.4, 8.0], [11.3, 8.4], [6.8, 7.0], [2.7, 5.7], [-1.4, 4.6], [-5.0, 3.3], [-7.7, 1.6],
  [-9.5, 0.2], [-12.2, -0.5], [-15.4, -0.3], [-18.1, -1.0],
  [-18.3, -3.1], [-17.0, -4.8],
  [-13.1, -5.1], [-9.5, -6.1], [-7.2, -8.9], [-4.5, -9.8], [-2.5, -8.0], [-1.1, -4.5], [1.1, -1.5],
  [4.5, 2.0], [9.0, 3.9], [13.6, 4.6], [17.2, 5.0], [18.8, 5.6],
];
const RIVER_BANK_SKETCH_VERTICES = 8;

/**
 * The sketch with its straight sides broken into ~1.2 km pieces and nudged
 * sideways by smooth noise, so borders look surveyed rather than ruled.
 * RIVER_BANK_VERTICES: how many leading vertices form the river bank.
 */
export const { OUTLINE, RIVER_BANK_VERTICES } = (() => {
  const wobble = makeNoise('outline', 4);
  const out: XY[] = [];
  let bank = 0;
  for (let i = 0; i < OUTLINE_SKETCH.length; i++) {
    const a = OUTLINE_SKETCH[i];
    const b = OUTLINE_SKETCH[(i + 1) % OUTLINE_SKETCH.length];
    const len = Math.hypot(b[0] - a[0], b[1] - a[1]);
    const pieces = Math.max(1, Math.round(len / 1.2));
    const nx = (b[1] - a[1]) / len, ny = -(b[0] - a[0]) / len;
    for (let k = 0; k < pieces; k++) {
      const t = k / pieces;
      const x = a[0] + (b[0] - a[0]) * t, y = a[1] + (b[1] - a[1]) * t;
      const d = k === 0 ? 0 : 0.3 * wobble(x, y);
      out.push([x + nx * d, y + ny * d]);
    }
    if (i === RIVER_BANK_SKETCH_VERTICES - 2) bank = out.length + 1;
  }
  return { OUTLINE: out, RIVER_BANK_VERTICES: bank };
})();
/** Yangtze width beside the New Area, km (about 2 km at Dagang). */
export const RIVER_WIDTH_KM = 2.2;

export function ringArea(ring: readonly XY[]): number {
  let s = 0;
  for (let i = 0; i < ring.length; i++) {
    const [x1, y1] = ring[i];
    const [x2, y2] = ring[(i + 1) % ring.length];
    s += x1 * y2 - x2 * y1;
  }
  return s / 2;
}

export function pointInRing([px, py]: XY, ring: readonly XY[]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if (yi > py !== yj > py && px < ((xj - xi) * (py - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

export function distToSegment([px, py]: XY, [ax, ay]: XY, [bx, by]: XY): number {
  const dx = bx - ax, dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - ax - t * dx, py - ay - t * dy);
}

export function distToRing(p: XY, ring: readonly XY[]): number {
  let d = Infinity;
  for (let i = 0; i < ring.length; i++) d = Math.min(d, distToSegment(p, ring[i], ring[(i + 1) % ring.length]));
  return d;
}

/**
 * Relative grid density (grids per km², arbitrary unit): dense in the urban
 * west (Dingmao next to the city) and around Dagang's centre and port,
 * sparse in the farmland of the south and east.
 */
const DENSITY_BUMPS: { at: XY; height: number; sigmaKm: number }[] = [
  { at: [-14.5, -2.8], height: 7, sigmaKm: 2.6 }, // Dingmao, urban
  { at: [-10.5, -2.5], height: 3, sigmaKm: 2.0 }, // Dingmao east, high-tech park
  { at: [-1.5, 2.0], height: 4.5, sigmaKm: 2.3 }, // Dagang town centre
  { at: [3.0, 4.6], height: 2.5, sigmaKm: 1.8 }, // Dagang port and chemical park
  { at: [-5.0, -6.5], height: 2.0, sigmaKm: 2.0 }, // Dinggang centre
  { at: [7.5, 5.5], height: 4, sigmaKm: 2.5 }, // Dalu
  { at: [15.0, 6.5], height: 6, sigmaKm: 3 }, // Yaoqiao
];
export function density([x, y]: XY): number {
  let d = 1;
  for (const b of DENSITY_BUMPS) {
    const r2 = (x - b.at[0]) ** 2 + (y - b.at[1]) ** 2;
    d += b.height * Math.exp(-r2 / (2 * b.sigmaKm ** 2));
  }
  return d;
}
