// Shape of data/generated/newarea.json, the generator's output and the
// importer's input to the database loader. Coordinates are WGS-84 [lon, lat].
import type { Polygon, MultiPolygon } from 'geojson';

export type Area = Polygon | MultiPolygon;

export interface TownRecord { code: string; name: string; nameEn: string; kind: 'street' | 'town'; geometry: Area }
export interface CommunityRecord { code: string; name: string; kind: 'community' | 'village'; townCode: string; geometry: Area }
export interface GridRecord {
  code: string; name: string; kind: 'comprehensive' | 'enterprise';
  communityCode: string; townCode: string;
  households: number; population: number;
  partyBranch: string;
  geometry: Polygon;
}
export interface PointRecord { code: string; name: string; gridCode: string; lon: number; lat: number }
export interface CameraRecord extends PointRecord { type: 'bullet' | 'dome' | 'ptz' | 'panoramic' }
export interface SensorRecord extends PointRecord { type: 'smoke' | 'temperature' | 'gas' | 'electrical' }
export type StaffRole = 'secretary' | 'center_household' | 'info_officer';
export interface StaffRecord { code: string; name: string; role: StaffRole; gridCode: string; households: number }

export interface NewAreaData {
  /** sha256 of everything below, first 16 hex chars: the loader reloads only when it changes. */
  version: string;
  source: 'generated' | 'imported';
  district: { code: string; name: string; nameEn: string; geometry: Area };
  river: { name: string; nameEn: string; geometry: Area };
  towns: TownRecord[];
  communities: CommunityRecord[];
  grids: GridRecord[];
  stations: PointRecord[];
  cameras: CameraRecord[];
  sensors: SensorRecord[];
  staff: StaffRecord[];
}
