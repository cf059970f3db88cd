// The district's geography and assets. Collections are big and replaced as a
// whole, so they live in shallowRefs; lookups go through code-keyed maps.
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type {
  BasemapCollection, CameraCollection, CommunityCollection, GridCollection,
  SensorCollection, StationCollection, TownCollection,
} from '@shared/schemas/geo.ts';
import { geoApi } from '../api/geo-api.ts';
import { ApiRequestError } from '../api/http.ts';

type LoadState = 'idle' | 'loading' | 'ready' | 'error';

function byCode<F extends { id: string }>(collection: { features: F[] } | null): Map<string, F> {
  return new Map((collection?.features ?? []).map((f) => [f.id, f]));
}

export const useGeoStore = defineStore('geo', () => {
  const basemap = shallowRef<BasemapCollection | null>(null);
  const towns = shallowRef<TownCollection | null>(null);
  const communities = shallowRef<CommunityCollection | null>(null);
  const grids = shallowRef<GridCollection | null>(null);
  const stations = shallowRef<StationCollection | null>(null);
  const cameras = shallowRef<CameraCollection | null>(null);
  const sensors = shallowRef<SensorCollection | null>(null);
  const state = ref<LoadState>('idle');
  const error = shallowRef<ApiRequestError | null>(null);

  const gridsByCode = computed(() => byCode(grids.value));
  const stationsByCode = computed(() => byCode(stations.value));
  const camerasByCode = computed(() => byCode(cameras.value));
  const sensorsByCode = computed(() => byCode(sensors.value));

  const stats = computed(() => {
    const gridFeatures = grids.value?.features ?? [];
    const cameraFeatures = cameras.value?.features ?? [];
    return {
      towns: towns.value?.features.length ?? 0,
      communities: communities.value?.features.length ?? 0,
      comprehensiveGrids: gridFeatures.filter((g) => g.properties.kind === 'comprehensive').length,
      enterpriseGrids: gridFeatures.filter((g) => g.properties.kind === 'enterprise').length,
      stations: stations.value?.features.length ?? 0,
      cameras: cameraFeatures.length,
      camerasOnline: cameraFeatures.filter((c) => c.properties.status === 'online').length,
      sensors: sensors.value?.features.length ?? 0,
      households: gridFeatures.reduce((sum, g) => sum + g.properties.households, 0),
    };
  });

  /** Loads every layer at once; a failure of any one is shown to the user. */
  async function load(): Promise<void> {
    state.value = 'loading';
    error.value = null;
    try {
      const [b, t, c, g, s, cam, sen] = await Promise.all([
        geoApi.basemap(), geoApi.towns(), geoApi.communities(), geoApi.grids(),
        geoApi.stations(), geoApi.cameras(), geoApi.sensors(),
      ]);
      basemap.value = b;
      towns.value = t;
      communities.value = c;
      grids.value = g;
      stations.value = s;
      cameras.value = cam;
      sensors.value = sen;
      state.value = 'ready';
    } catch (err) {
      error.value = err instanceof ApiRequestError ? err : new ApiRequestError(0, null);
      state.value = 'error';
    }
  }

  return {
    basemap, towns, communities, grids, stations, cameras, sensors, state, error,
    gridsByCode, stationsByCode, camerasByCode, sensorsByCode, stats, load,
  };
});
