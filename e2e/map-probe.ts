// Finds on-screen spots to point at: a feature's point that is visible (not
// under a panel) and where the feature is the topmost interactive thing.
import type { Page } from 'playwright-core';

export type Candidate = { code: string; lon: number; lat: number };
export type Spot = { code: string; x: number; y: number };

/**
 * Returns page coordinates of the first candidate whose point is on the bare
 * map canvas and whose topmost feature there, in `layers` order, is itself.
 */
export async function findSpot(page: Page, candidates: Candidate[], layers: string[], pointLayers: string[]): Promise<Spot | null> {
  return page.evaluate(({ candidates, layers, pointLayers }) => {
    const map = window.__gridMap!;
    const canvas = map.getCanvas();
    const rect = canvas.getBoundingClientRect();
    const existing = (ids: string[]) => ids.filter((id) => map.getLayer(id));
    for (const c of candidates) {
      const p = map.project([c.lon, c.lat]);
      const x = rect.left + p.x;
      const y = rect.top + p.y;
      if (document.elementFromPoint(x, y) !== canvas) continue; // under a panel or off screen
      // The page's click handler prefers points within 4 px; mimic it.
      const box: [[number, number], [number, number]] = [[p.x - 5, p.y - 5], [p.x + 5, p.y + 5]];
      const points = map.queryRenderedFeatures(box, { layers: existing(pointLayers) });
      const top = points.length > 0 ? points : map.queryRenderedFeatures([p.x, p.y], { layers: existing(layers) });
      if (top.length > 0 && top.every((f) => f.properties.code === c.code)) return { code: c.code, x, y };
    }
    return null;
  }, { candidates, layers, pointLayers });
}

/** Distinct codes of the features currently drawn in a layer. */
export function renderedCodes(page: Page, layer: string): Promise<string[]> {
  return page.evaluate((layer) => {
    const features = window.__gridMap!.queryRenderedFeatures({ layers: [layer] });
    return [...new Set(features.map((f) => String(f.properties.code ?? f.properties.name)))];
  }, layer);
}
