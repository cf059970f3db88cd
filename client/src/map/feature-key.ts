// MapLibre encodes a feature id that looks like a number as a protobuf varint:
// a 20-digit camera code (GB/T 28181 style, e.g. 32117101001320000001)
// overflows it ("Given varint doesn't fit into 10 bytes") and the whole tile
// is dropped; codes beyond 2^53 would also lose precision. So features go to
// MapLibre without their GeoJSON `id`, with a key that can never parse as a
// number, promoted as the id for feature-state.
import type { Feature, FeatureCollection } from 'geojson';

export const FEATURE_KEY = 'fkey';

export function featureKey(code: string): string {
  return `k:${code}`;
}

type InFeature = { type: 'Feature'; id?: string | number; geometry: unknown; properties: object | null };

/** A copy of the collection MapLibre can tile: ids dropped, `fkey` added when `keyed`. */
export function toMapFeatures(
  collection: { type: 'FeatureCollection'; features: readonly InFeature[] } | null | undefined,
  keyed: boolean,
): FeatureCollection {
  const features = (collection?.features ?? []).map((f): Feature => {
    const properties = { ...(f.properties ?? {}) } as Record<string, unknown>;
    if (keyed) properties[FEATURE_KEY] = featureKey(String(properties.code ?? f.id));
    return { type: 'Feature', geometry: f.geometry as Feature['geometry'], properties };
  });
  return { type: 'FeatureCollection', features };
}
