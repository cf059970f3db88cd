import { Type, type Static, type TSchema } from 'typebox';

/** Every 4xx/5xx reply has this shape; `message` is safe to show a user. */
export const ApiError = Type.Object({
  statusCode: Type.Integer(),
  error: Type.String(),
  message: Type.String(),
});
export type ApiError = Static<typeof ApiError>;

export const Position = Type.Array(Type.Number(), { minItems: 2, maxItems: 3 });
export const LinearRing = Type.Array(Position, { minItems: 4 });

export const PointGeometry = Type.Object({
  type: Type.Literal('Point'),
  coordinates: Position,
});
export const PolygonGeometry = Type.Object({
  type: Type.Literal('Polygon'),
  coordinates: Type.Array(LinearRing, { minItems: 1 }),
});
export const MultiPolygonGeometry = Type.Object({
  type: Type.Literal('MultiPolygon'),
  coordinates: Type.Array(Type.Array(LinearRing, { minItems: 1 }), { minItems: 1 }),
});
export const AreaGeometry = Type.Union([PolygonGeometry, MultiPolygonGeometry]);
export type PointGeometry = Static<typeof PointGeometry>;
export type AreaGeometry = Static<typeof AreaGeometry>;

/** A GeoJSON Feature whose `id` is the object's stable code. */
export function Feature<G extends TSchema, P extends TSchema>(geometry: G, properties: P) {
  return Type.Object({
    type: Type.Literal('Feature'),
    id: Type.String(),
    geometry,
    properties,
  });
}

export function FeatureCollection<F extends TSchema>(feature: F) {
  return Type.Object({
    type: Type.Literal('FeatureCollection'),
    features: Type.Array(feature),
  });
}

/** Admin / grid codes: digits and letters, e.g. 321171001, 321171001001G003. */
export const Code = Type.String({ pattern: '^[0-9A-Za-z_-]{1,40}$' });
