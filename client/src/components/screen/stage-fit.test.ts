import { describe, expect, it } from 'vitest';
import { canvasPixelRatio, fitStage } from './stage-fit.ts';

describe('fitStage', () => {
  it('fills a 16:9 screen of any size exactly', () => {
    expect(fitStage(1920, 1080)).toEqual({ scale: 1, left: 0, top: 0 });
    expect(fitStage(3840, 2160)).toEqual({ scale: 2, left: 0, top: 0 });
    expect(fitStage(1280, 720)).toEqual({ scale: 2 / 3, left: 0, top: 0 });
  });

  it('letterboxes other shapes without distortion, centred', () => {
    // 4:3: width decides, bands above and below.
    const square = fitStage(1600, 1200);
    expect(square.scale).toBeCloseTo(1600 / 1920);
    expect(square.left).toBe(0);
    expect(square.top).toBe(Math.round((1200 - 1080 * square.scale) / 2));
    // Ultra-wide: height decides, bands left and right.
    const wide = fitStage(5760, 1080);
    expect(wide).toEqual({ scale: 1, left: 1920, top: 0 });
  });

  it('never scales past the viewport in either direction', () => {
    for (const [w, h] of [[1366, 768], [2560, 1440], [1024, 1280], [7680, 2160]]) {
      const fit = fitStage(w, h);
      expect(1920 * fit.scale).toBeLessThanOrEqual(w + 1e-9);
      expect(1080 * fit.scale).toBeLessThanOrEqual(h + 1e-9);
    }
  });

  it('survives a zero-sized viewport (a hidden tab)', () => {
    expect(fitStage(0, 0)).toEqual({ scale: 1, left: 0, top: 0 });
  });
});

describe('canvasPixelRatio', () => {
  it('draws canvases at the physical resolution of the scaled stage', () => {
    expect(canvasPixelRatio(1, 1)).toBe(1);
    expect(canvasPixelRatio(1, 2)).toBe(2);
    expect(canvasPixelRatio(2, 0.5)).toBe(1);
  });

  it('stays between 1 and 3', () => {
    expect(canvasPixelRatio(1, 0.5)).toBe(1);
    expect(canvasPixelRatio(2, 2)).toBe(3);
    expect(canvasPixelRatio(0, 0)).toBe(1);
  });
});
