-- Devices and alerts (issue 4): heartbeat state of cameras and sensors, the
-- history of their status transitions, fire-sensor alarm episodes, and the
-- alerts raised by the rules (server/src/domain/alert-rules.ts).
--
-- The current status of a camera or sensor stays where migration 001 put it
-- (cameras.status / sensors.status, status_changed_at): that is the source of
-- truth GET /api/v1/cameras answers with, and a reload of the data file keeps
-- it. Here it gains what the heartbeat rules need. No foreign keys to
-- cameras/sensors: a reload may delete a device, its history stays.

-- last_heartbeat_at: the time the device's last heartbeat stated (orders heartbeats).
-- heard_at: when the server received it (silence is judged by the server's clock).
-- Both NULL until the first heartbeat: a device no gateway has reported is not monitored.
ALTER TABLE cameras
  ADD COLUMN last_heartbeat_at timestamptz,
  ADD COLUMN heard_at timestamptz,
  ADD COLUMN fault_code text;
ALTER TABLE sensors
  ADD COLUMN last_heartbeat_at timestamptz,
  ADD COLUMN heard_at timestamptz,
  ADD COLUMN fault_code text;
-- The silence sweep reads only devices that are up and monitored.
CREATE INDEX cameras_heard_idx ON cameras (heard_at) WHERE status <> 'offline' AND heard_at IS NOT NULL;
CREATE INDEX sensors_heard_idx ON sensors (heard_at) WHERE status <> 'offline' AND heard_at IS NOT NULL;

-- Only transitions are kept, never each heartbeat.
CREATE TABLE device_transitions (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  device_kind     text NOT NULL CHECK (device_kind IN ('camera', 'sensor')),
  device_code     text NOT NULL,
  from_status     text NOT NULL CHECK (from_status IN ('online', 'offline', 'fault')),
  to_status       text NOT NULL CHECK (to_status IN ('online', 'offline', 'fault')),
  fault_code      text,
  cause           text NOT NULL CHECK (cause IN ('heartbeat', 'silence')),
  at              timestamptz NOT NULL,
  town_code       text NOT NULL,
  community_code  text NOT NULL,
  grid_code       text NOT NULL,
  -- The change-log seq it was published with (cameras; sensors have no public event).
  seq             bigint
);
CREATE INDEX device_transitions_device_idx ON device_transitions (device_code, at DESC);
CREATE INDEX device_transitions_at_idx ON device_transitions (at);

-- A smart-fire sensor's alarm episode: one per fire, one incident per episode
-- (server/src/domain/fire-episodes.ts). incident_id is chosen when the
-- episode opens, so filing it again after a crash stores one incident.
CREATE TABLE sensor_episodes (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  sensor_code     text NOT NULL,
  started_at      timestamptz NOT NULL,
  last_alarm_at   timestamptz NOT NULL,
  alarm_count     integer NOT NULL DEFAULT 1 CHECK (alarm_count >= 1),
  normal_since    timestamptz,
  ended_at        timestamptz,
  incident_id     uuid NOT NULL UNIQUE,
  incident_filed  boolean NOT NULL DEFAULT false,
  town_code       text NOT NULL,
  community_code  text NOT NULL,
  grid_code       text NOT NULL
);
-- At most one open episode per sensor.
CREATE UNIQUE INDEX sensor_episodes_open_idx ON sensor_episodes (sensor_code) WHERE ended_at IS NULL;
CREATE INDEX sensor_episodes_sensor_idx ON sensor_episodes (sensor_code, started_at DESC);

CREATE TABLE alerts (
  id                  uuid PRIMARY KEY,
  kind                text NOT NULL CHECK (kind IN ('level1', 'overdue', 'cluster', 'camera_offline_rate', 'fire_alarm')),
  level               integer NOT NULL CHECK (level BETWEEN 1 AND 3),
  status              text NOT NULL DEFAULT 'raised' CHECK (status IN ('raised', 'acknowledged', 'cleared')),
  -- What makes "raise once" hold in the database: a rule raising the same thing twice conflicts here.
  rule_key            text NOT NULL UNIQUE,
  town_code           text NOT NULL,
  community_code      text,
  grid_code           text,
  incident_id         uuid,
  sensor_code         text,
  message             text NOT NULL,
  message_key         text NOT NULL,
  data                jsonb NOT NULL DEFAULT '{}',
  raised_at           timestamptz NOT NULL,
  acknowledged_at     timestamptz,
  acknowledged_by     text,
  acknowledged_by_id  bigint,
  cleared_at          timestamptz,
  cleared_by          text,
  cleared_by_id       bigint,
  -- The change-log seq of its last change.
  last_seq            bigint NOT NULL DEFAULT 0,
  CHECK (status <> 'acknowledged' OR acknowledged_at IS NOT NULL),
  CHECK (status <> 'cleared' OR cleared_at IS NOT NULL)
);
-- Newest first, keyset-paged (raised_at, id), overall and per scope column.
CREATE INDEX alerts_raised_idx ON alerts (raised_at DESC, id DESC);
CREATE INDEX alerts_town_idx ON alerts (town_code, raised_at DESC, id DESC);
CREATE INDEX alerts_community_idx ON alerts (community_code, raised_at DESC, id DESC);
CREATE INDEX alerts_status_idx ON alerts (status, raised_at DESC);
CREATE INDEX alerts_cluster_idx ON alerts (grid_code, raised_at DESC) WHERE kind = 'cluster';
CREATE INDEX alerts_incident_idx ON alerts (incident_id) WHERE incident_id IS NOT NULL;
-- One open camera-rate alert per community: it clears itself when the rate recovers, then may be raised anew.
CREATE UNIQUE INDEX alerts_camera_rate_open_idx ON alerts (community_code) WHERE kind = 'camera_offline_rate' AND status <> 'cleared';

-- How far the alert engine has read the change log (incident:created,
-- camera:status-changed): after a restart it carries on from here, so no
-- incident misses its level-1 or cluster check.
CREATE TABLE alert_engine_state (
  only_row  boolean PRIMARY KEY DEFAULT true CHECK (only_row),
  last_seq  bigint NOT NULL CHECK (last_seq >= 0)
);
