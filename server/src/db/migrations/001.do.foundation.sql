-- The foundation: the New Area's administrative and grid structure, its
-- points (stations, cameras, sensors), the grid staff, and the catalogue of
-- reportable items. Everything is keyed by its stable code, so rows survive
-- a reload of the data file and later tables can reference them by code.
-- Geometries are GeoJSON in jsonb (no PostGIS needed); the bbox columns let
-- SQL pre-filter by extent, the exact tests run in the server's GridIndex.

-- Which version of each loaded source is in the database: 'newarea' (the
-- data file) and 'catalogue' (shared/catalogue.ts).
CREATE TABLE dataset (
  name       text PRIMARY KEY,
  version    text NOT NULL,
  source     text NOT NULL,
  loaded_at  timestamptz NOT NULL DEFAULT now()
);

-- The district outline and the river: the base map.
CREATE TABLE basemap (
  layer     text PRIMARY KEY CHECK (layer IN ('district', 'river')),
  code      text,
  name      text NOT NULL,
  name_en   text NOT NULL,
  geometry  jsonb NOT NULL
);

CREATE TABLE towns (
  code      text PRIMARY KEY,
  name      text NOT NULL,
  name_en   text NOT NULL,
  kind      text NOT NULL CHECK (kind IN ('street', 'town')),
  area_km2  double precision NOT NULL,
  min_lon   double precision NOT NULL,
  min_lat   double precision NOT NULL,
  max_lon   double precision NOT NULL,
  max_lat   double precision NOT NULL,
  geometry  jsonb NOT NULL
);

CREATE TABLE communities (
  code       text PRIMARY KEY,
  name       text NOT NULL,
  kind       text NOT NULL CHECK (kind IN ('community', 'village')),
  town_code  text NOT NULL REFERENCES towns (code),
  area_km2   double precision NOT NULL,
  min_lon    double precision NOT NULL,
  min_lat    double precision NOT NULL,
  max_lon    double precision NOT NULL,
  max_lat    double precision NOT NULL,
  geometry   jsonb NOT NULL
);
CREATE INDEX communities_town_code_idx ON communities (town_code);

CREATE TABLE grids (
  code            text PRIMARY KEY,
  name            text NOT NULL,
  kind            text NOT NULL CHECK (kind IN ('comprehensive', 'enterprise')),
  community_code  text NOT NULL REFERENCES communities (code),
  town_code       text NOT NULL REFERENCES towns (code),
  households      integer NOT NULL CHECK (households >= 0),
  population      integer NOT NULL CHECK (population >= 0),
  party_branch    text NOT NULL,
  area_km2        double precision NOT NULL,
  min_lon         double precision NOT NULL,
  min_lat         double precision NOT NULL,
  max_lon         double precision NOT NULL,
  max_lat         double precision NOT NULL,
  geometry        jsonb NOT NULL
);
CREATE INDEX grids_community_code_idx ON grids (community_code);
CREATE INDEX grids_town_code_idx ON grids (town_code);
CREATE INDEX grids_kind_idx ON grids (kind);

-- Party-mass service stations (党群服务站).
CREATE TABLE stations (
  code       text PRIMARY KEY,
  name       text NOT NULL,
  grid_code  text NOT NULL REFERENCES grids (code),
  lon        double precision NOT NULL,
  lat        double precision NOT NULL
);
CREATE INDEX stations_grid_code_idx ON stations (grid_code);

-- Status is live state, not data: a reload of the data file keeps it.
CREATE TABLE cameras (
  code               text PRIMARY KEY,
  name               text NOT NULL,
  type               text NOT NULL CHECK (type IN ('bullet', 'dome', 'ptz', 'panoramic')),
  status             text NOT NULL DEFAULT 'online' CHECK (status IN ('online', 'offline', 'fault')),
  status_changed_at  timestamptz NOT NULL DEFAULT now(),
  grid_code          text NOT NULL REFERENCES grids (code),
  lon                double precision NOT NULL,
  lat                double precision NOT NULL
);
CREATE INDEX cameras_grid_code_idx ON cameras (grid_code);

-- Smart-fire and similar sensors; status as for cameras.
CREATE TABLE sensors (
  code               text PRIMARY KEY,
  name               text NOT NULL,
  type               text NOT NULL CHECK (type IN ('smoke', 'temperature', 'gas', 'electrical')),
  status             text NOT NULL DEFAULT 'online' CHECK (status IN ('online', 'offline', 'fault')),
  status_changed_at  timestamptz NOT NULL DEFAULT now(),
  grid_code          text NOT NULL REFERENCES grids (code),
  lon                double precision NOT NULL,
  lat                double precision NOT NULL
);
CREATE INDEX sensors_grid_code_idx ON sensors (grid_code);

-- Grid workers: party branch secretaries, center households (中心户), information officers (信息员).
CREATE TABLE staff (
  code        text PRIMARY KEY,
  name        text NOT NULL,
  role        text NOT NULL CHECK (role IN ('secretary', 'center_household', 'info_officer')),
  grid_code   text NOT NULL REFERENCES grids (code),
  households  integer NOT NULL CHECK (households >= 0)
);
CREATE INDEX staff_grid_code_role_idx ON staff (grid_code, role);

-- The catalogue of reportable ("whistle") items.
CREATE TABLE catalogue_domains (
  code      text PRIMARY KEY,
  name      text NOT NULL,
  name_en   text NOT NULL,
  position  integer NOT NULL
);

CREATE TABLE catalogue_time_limits (
  level              integer PRIMARY KEY CHECK (level BETWEEN 1 AND 3),
  response_minutes   integer NOT NULL CHECK (response_minutes > 0),
  resolution_hours   integer NOT NULL CHECK (resolution_hours > 0)
);

CREATE TABLE catalogue_items (
  code         text PRIMARY KEY,
  name         text NOT NULL,
  name_en      text NOT NULL,
  domain_code  text NOT NULL REFERENCES catalogue_domains (code),
  level        integer NOT NULL REFERENCES catalogue_time_limits (level),
  keywords     text[] NOT NULL DEFAULT '{}',
  position     integer NOT NULL
);
CREATE INDEX catalogue_items_domain_code_idx ON catalogue_items (domain_code);
