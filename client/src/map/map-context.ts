// The single map instance is handed to layer components through provide /
// inject; they are only created once the style has loaded.
import { inject, type InjectionKey, type ShallowRef } from 'vue';
import type { Map as MapLibreMap } from 'maplibre-gl';

export const MAP_KEY: InjectionKey<ShallowRef<MapLibreMap | null>> = Symbol('geo-map');

export function useMap(): MapLibreMap {
  const map = inject(MAP_KEY)?.value;
  if (!map) throw new Error('useMap() must be used inside <GeoMap> after the map has loaded');
  return map;
}
