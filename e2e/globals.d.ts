// The page's test hook (client/src/map/GeoMap.vue), as seen from page.evaluate.
import type { Map as MapLibreMap } from 'maplibre-gl';

declare global {
  interface Window {
    __gridMap?: MapLibreMap;
  }
}
export {};
