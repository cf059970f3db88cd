// Labels are drawn from one point per area rather than from the polygons
// themselves: a polygon label would be repeated on every tile the area spans
// and could fall outside a concave area.
import { pointOnFeature, bbox } from '@turf/turf';
import type { Feature, FeatureCollection, Point, Polygon, MultiPolygon } from 'geojson';

type AreaFeature<P> = { type: 'Feature'; id?: string | number; geometry: Polygon | MultiPolygon | { type: string; coordinates: unknown }; properties: P };

export type LabelProperties = { layer: string; name: string; nameEn: string };

/** One point inside each area, carrying the chosen label properties. */
export function labelPoints<P>(
  features: readonly AreaFeature<P>[],
  pick: (properties: P) => LabelProperties,
): FeatureCollection<Point, LabelProperties> {
  return {
    type: 'FeatureCollection',
    features: features.map((f): Feature<Point, LabelProperties> => {
      const point = pointOnFeature(f as Feature<Polygon | MultiPolygon>);
      return { type: 'Feature', id: f.id, geometry: point.geometry, properties: pick(f.properties) };
    }),
  };
}

export type Bounds = [[number, number], [number, number]];

/** South-west / north-east corners of the given features, for fitBounds. */
export function boundsOf(features: readonly AreaFeature<unknown>[]): Bounds | null {
  if (features.length === 0) return null;
  const [w, s, e, n] = bbox({ type: 'FeatureCollection', features } as FeatureCollection);
  return [[w, s], [e, n]];
}
