// The lifecycle every map layer component shares (traccar-web's pattern):
// add source + layers on setup (the map is loaded by then), push new data in a
// watcher with setData, remove everything on unmount.
import { onBeforeUnmount, watch } from 'vue';
import type { GeoJSONSource, LayerSpecification, Map as MapLibreMap } from 'maplibre-gl';
import { useMap } from './map-context.ts';
import { FEATURE_KEY, toMapFeatures } from './feature-key.ts';

type Collection = Parameters<typeof toMapFeatures>[0];

export function useGeoJsonLayers(options: {
  source: string;
  data: () => Collection;
  layers: LayerSpecification[];
  /** Give features a key (see feature-key.ts) so hover, selection and live status can use feature-state. */
  keyed?: boolean;
}): MapLibreMap {
  const map = useMap();
  const keyed = options.keyed ?? false;
  map.addSource(options.source, {
    type: 'geojson',
    data: toMapFeatures(options.data(), keyed),
    ...(keyed ? { promoteId: FEATURE_KEY } : {}),
  });
  for (const layer of options.layers) map.addLayer(layer);

  watch(options.data, (data) => {
    map.getSource<GeoJSONSource>(options.source)?.setData(toMapFeatures(data, keyed));
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
