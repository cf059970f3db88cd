import { Type, type Static } from 'typebox';
import { AreaGeometry, Code, Feature, FeatureCollection, PointGeometry } from './common.ts';

export const GRID_KINDS = ['comprehensive', 'enterprise'] as const;
// Type.Enum, not Type.Union(xs.map(Type.Literal)): the mapped array loses the tuple type and Static<> is `never`.
export const GridKind = Type.Enum(GRID_KINDS);
export type GridKind = (typeof GRID_KINDS)[number];

export const TownProperties = Type.Object({
  code: Code,
  name: Type.String(),
  nameEn: Type.String(),
  kind: Type.Union([Type.Literal('street'), Type.Literal('town')]),
  communityCount: Type.Integer(),
  gridCount: Type.Integer(),
  households: Type.Integer(),
  population: Type.Integer(),
  areaKm2: Type.Number(),
});
export type TownProperties = Static<typeof TownProperties>;

export const CommunityProperties = Type.Object({
  code: Code,
  name: Type.String(),
  kind: Type.Union([Type.Literal('community'), Type.Literal('village')]),
  townCode: Code,
  townName: Type.String(),
  gridCount: Type.Integer(),
  households: Type.Integer(),
  population: Type.Integer(),
  areaKm2: Type.Number(),
});
export type CommunityProperties = Static<typeof CommunityProperties>;

export const GridProperties = Type.Object({
  code: Code,
  name: Type.String(),
  kind: GridKind,
  communityCode: Code,
  communityName: Type.String(),
  townCode: Code,
  townName: Type.String(),
  households: Type.Integer(),
  population: Type.Integer(),
  areaKm2: Type.Number(),
  partyBranch: Type.String(),
  secretary: Type.String(),
  centerHouseholds: Type.Integer(),
  infoOfficers: Type.Integer(),
});
export type GridProperties = Static<typeof GridProperties>;

export const StationProperties = Type.Object({
  code: Code,
  name: Type.String(),
  gridCode: Code,
  gridName: Type.String(),
  communityCode: Code,
  communityName: Type.String(),
  townCode: Code,
  townName: Type.String(),
});
export type StationProperties = Static<typeof StationProperties>;

export const CAMERA_TYPES = ['bullet', 'dome', 'ptz', 'panoramic'] as const;
export const CAMERA_STATUSES = ['online', 'offline', 'fault'] as const;
export const CameraProperties = Type.Object({
  code: Code,
  name: Type.String(),
  type: Type.Enum(CAMERA_TYPES),
  status: Type.Enum(CAMERA_STATUSES),
  gridCode: Code,
  communityCode: Code,
  townCode: Code,
});
export type CameraProperties = Static<typeof CameraProperties>;

export const SENSOR_TYPES = ['smoke', 'temperature', 'gas', 'electrical'] as const;
export const SensorProperties = Type.Object({
  code: Code,
  name: Type.String(),
  type: Type.Enum(SENSOR_TYPES),
  status: Type.Enum(CAMERA_STATUSES),
  gridCode: Code,
  communityCode: Code,
  townCode: Code,
});
export type SensorProperties = Static<typeof SensorProperties>;

/** Base map: the district outline and the Yangtze beside it. */
export const BasemapProperties = Type.Object({
  layer: Type.Union([Type.Literal('district'), Type.Literal('river')]),
  name: Type.String(),
  nameEn: Type.String(),
});

export const TownFeature = Feature(AreaGeometry, TownProperties);
export const CommunityFeature = Feature(AreaGeometry, CommunityProperties);
export const GridFeature = Feature(AreaGeometry, GridProperties);
export const StationFeature = Feature(PointGeometry, StationProperties);
export const CameraFeature = Feature(PointGeometry, CameraProperties);
export const SensorFeature = Feature(PointGeometry, SensorProperties);
export const BasemapFeature = Feature(AreaGeometry, BasemapProperties);

export const TownCollection = FeatureCollection(TownFeature);
export const CommunityCollection = FeatureCollection(CommunityFeature);
export const GridCollection = FeatureCollection(GridFeature);
export const StationCollection = FeatureCollection(StationFeature);
export const CameraCollection = FeatureCollection(CameraFeature);
export const SensorCollection = FeatureCollection(SensorFeature);
export const BasemapCollection = FeatureCollection(BasemapFeature);
export type GridCollection = Static<typeof GridCollection>;
export type TownCollection = Static<typeof TownCollection>;
export type CommunityCollection = Static<typeof CommunityCollection>;
export type StationCollection = Static<typeof StationCollection>;
export type CameraCollection = Static<typeof CameraCollection>;
export type SensorCollection = Static<typeof SensorCollection>;
export type BasemapCollection = Static<typeof BasemapCollection>;

export const GridQuery = Type.Object(
  {
    kind: Type.Optional(GridKind),
    town: Type.Optional(Code),
    community: Type.Optional(Code),
  },
  { additionalProperties: false },
);
export type GridQuery = Static<typeof GridQuery>;

/** Point queries: inside the district's neighbourhood only makes sense, but any valid WGS-84 point is accepted. */
export const LocateQuery = Type.Object(
  {
    lon: Type.Number({ minimum: -180, maximum: 180 }),
    lat: Type.Number({ minimum: -90, maximum: 90 }),
  },
  { additionalProperties: false },
);
export type LocateQuery = Static<typeof LocateQuery>;

const Ref = Type.Object({ code: Code, name: Type.String() });
export const LocateResult = Type.Object({
  town: Ref,
  community: Ref,
  grid: Type.Object({ code: Code, name: Type.String(), kind: GridKind }),
});
export type LocateResult = Static<typeof LocateResult>;

export const Health = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('degraded')]),
  database: Type.Union([Type.Literal('up'), Type.Literal('down')]),
  dataVersion: Type.String(),
  uptimeSeconds: Type.Number(),
});
export type Health = Static<typeof Health>;
