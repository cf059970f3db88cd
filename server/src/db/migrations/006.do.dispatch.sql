-- Dispatch and escalation (issue 6): the seats of the three tiers, their duty
-- roster, what an item was dispatched to whom, the units' progress records
-- and the reporters' ratings. The item's status, tier, unit, supervision and
-- overdue marks live on `incidents` (migration 003) and change only through
-- the incidents service, with a timeline entry and a change-log row.

-- The seats: one acceptance seat for the New Area, a liaison seat per town
-- and per community. A view over the reloaded area tables, so it never
-- drifts from them. Keys as server/src/domain/tiers.ts seatKey() makes them.
CREATE VIEW seats AS
  SELECT 'district'::text AS key, 'district'::text AS tier, NULL::text AS town_code, NULL::text AS community_code,
         '新区集成指挥中心受理席'::text AS name, 'New Area integration center acceptance seat'::text AS name_en
  UNION ALL
  SELECT 'town:' || code, 'town', code, NULL, name || '集成中心联络员专席', name_en || ' integration center liaison seat' FROM towns
  UNION ALL
  SELECT 'community:' || code, 'community', town_code, code, name || '联络员专席', name || ' liaison seat' FROM communities;

-- Weekly shifts per seat (值班表), local time (UTC+8). end <= start runs past midnight.
CREATE TABLE duty_shifts (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  seat_key    text NOT NULL CHECK (seat_key ~ '^(district|town:[0-9]{6,15}|community:[0-9]{6,15})$'),
  user_id     bigint NOT NULL REFERENCES users (id),
  weekdays    integer[] NOT NULL CHECK (cardinality(weekdays) BETWEEN 1 AND 7 AND weekdays <@ ARRAY[1, 2, 3, 4, 5, 6, 7]),
  start_time  text NOT NULL CHECK (start_time ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
  end_time    text NOT NULL CHECK (end_time ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
  created_by  bigint REFERENCES users (id),
  created_at  timestamptz NOT NULL
);
CREATE INDEX duty_shifts_seat_idx ON duty_shifts (seat_key);

-- Workflow state of an item beyond the incidents row: the tier that handed it
-- down and may get it back (a seat's "not ours" return). One row per item
-- that ever needed it; written in the same transaction as the incident.
CREATE TABLE incident_workflow (
  incident_id       uuid PRIMARY KEY REFERENCES incidents (id),
  handed_down_from  text CHECK (handed_down_from IN ('community', 'town', 'district')),
  updated_at        timestamptz NOT NULL
);

-- Who an item was dispatched to: a lead unit, helper units, a deadline. The
-- open assignment (ended_at IS NULL) is the current one; ended ones stay as
-- history (returned, escalated, handed down, reopened).
CREATE TABLE dispatch_assignments (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  incident_id    uuid NOT NULL REFERENCES incidents (id),
  lead_unit      text NOT NULL REFERENCES handling_units (code),
  helper_units   text[] NOT NULL DEFAULT '{}',
  deadline       timestamptz NOT NULL,
  tier           text NOT NULL CHECK (tier IN ('community', 'town', 'district')),
  dispatched_at  timestamptz NOT NULL,
  dispatched_by  bigint REFERENCES users (id),
  ended_at       timestamptz,
  end_reason     text CHECK (end_reason IN ('return', 'escalate', 'hand_down', 'reopen', 'close')),
  CHECK (NOT (lead_unit = ANY (helper_units)))
);
CREATE UNIQUE INDEX dispatch_assignments_open_idx ON dispatch_assignments (incident_id) WHERE ended_at IS NULL;
CREATE INDEX dispatch_assignments_lead_idx ON dispatch_assignments (lead_unit) WHERE ended_at IS NULL;
CREATE INDEX dispatch_assignments_helpers_idx ON dispatch_assignments USING gin (helper_units) WHERE ended_at IS NULL;

-- A unit's progress records and its resolution note, with photo URLs.
CREATE TABLE progress_records (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  incident_id  uuid NOT NULL REFERENCES incidents (id),
  unit_code    text NOT NULL REFERENCES handling_units (code),
  kind         text NOT NULL CHECK (kind IN ('progress', 'resolve')),
  note         text NOT NULL,
  photo_urls   text[] NOT NULL DEFAULT '{}' CHECK (cardinality(photo_urls) <= 9),
  actor_id     bigint REFERENCES users (id),
  at           timestamptz NOT NULL
);
CREATE INDEX progress_records_incident_idx ON progress_records (incident_id, id);

-- The reporter's rating (评价), or a seat's on a follow-up call. A reopened
-- and closed-again item can be rated again: one row per rating.
CREATE TABLE ratings (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  incident_id  uuid NOT NULL REFERENCES incidents (id),
  score        integer NOT NULL CHECK (score BETWEEN 1 AND 5),
  comment      text,
  by_reporter  boolean NOT NULL,
  actor_id     bigint REFERENCES users (id),
  at           timestamptz NOT NULL
);
CREATE INDEX ratings_incident_idx ON ratings (incident_id);
