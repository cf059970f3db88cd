// The lifecycle every map layer component shares (traccar-web's pattern):
// add source + layers on setup (the map is loaded by then), push new data in a
// watcher with setData, remove everything on unmount.
import { onBeforeUnmount, watch } from 'vue';
import type { GeoJSONSource, GeoJSONSourceSpecification, LayerSpecification, Map as MapLibreMap } from 'maplibre-gl';
import type { GeoJSON } from 'geojson';
import { useMap } from './map-context.ts';

const EMPTY: GeoJSON = { type: 'FeatureCollection', features: [] };

export function useGeoJsonLayers(options: {
  source: string;
  data: () => object | null | undefined;
  layers: LayerSpecification[];
  promoteId?: string;
}): MapLibreMap {
  const map = useMap();
  const spec: GeoJSONSourceSpecification = {
    type: 'geojson',
    data: (options.data() as GeoJSON | null) ?? EMPTY,
    ...(options.promoteId ? { promoteId: options.promoteId } : {}),
  };
  map.addSource(options.source, spec);
  for (const layer of options.layers) map.addLayer(layer);

  watch(options.data, (data) => {
    map.getSource<GeoJSONSource>(options.source)?.setData((data as GeoJSON | null) ?? EMPTY);
  });

  onBeforeUnmount(() => {
    if (!map.style) return; // the map itself is already gone
    for (const layer of [...options.layers].reverse()) if (map.getLayer(layer.id)) map.removeLayer(layer.id);
    if (map.getSource(options.source)) map.removeSource(options.source);
  });
  return map;
}

/** Shows or hides the given layers whenever `visible()` changes. */
export function useLayerVisibility(map: MapLibreMap, layerIds: readonly string[], visible: () => boolean): void {
  watch(visible, (on) => {
    for (const id of layerIds) {
      if (map.getLayer(id)) map.setLayoutProperty(id, 'visibility', on ? 'visible' : 'none');
    }
  }, { immediate: true });
}
