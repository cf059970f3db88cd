// Typed calls to the geo endpoints; the payload types come from the shared
// contract and are never re-declared here.
import type {
  BasemapCollection, CameraCollection, CommunityCollection, GridCollection, LocateResult,
  SensorCollection, StationCollection, TownCollection,
} from '@shared/schemas/geo.ts';
import type { Catalogue } from '@shared/schemas/catalogue.ts';
import { getJson } from './http.ts';

const BASE = '/api/v1';

export const geoApi = {
  basemap: (signal?: AbortSignal) => getJson<BasemapCollection>(`${BASE}/basemap`, undefined, signal),
  towns: (signal?: AbortSignal) => getJson<TownCollection>(`${BASE}/towns`, undefined, signal),
  communities: (signal?: AbortSignal) => getJson<CommunityCollection>(`${BASE}/communities`, undefined, signal),
  grids: (signal?: AbortSignal) => getJson<GridCollection>(`${BASE}/grids`, undefined, signal),
  stations: (signal?: AbortSignal) => getJson<StationCollection>(`${BASE}/stations`, undefined, signal),
  cameras: (signal?: AbortSignal) => getJson<CameraCollection>(`${BASE}/cameras`, undefined, signal),
  sensors: (signal?: AbortSignal) => getJson<SensorCollection>(`${BASE}/sensors`, undefined, signal),
  catalogue: (signal?: AbortSignal) => getJson<Catalogue>(`${BASE}/catalogue`, undefined, signal),
  locate: (lon: number, lat: number, signal?: AbortSignal) =>
    getJson<LocateResult>(`${BASE}/locate`, { lon, lat }, signal),
};
