-- Live operations (issue 4): incidents, their append-only timeline, and the
-- change log that numbers every change (incident, camera status, alert) with
-- one global, gap-free sequence in commit order.
--
-- No foreign keys to towns/communities/grids/catalogue_items: those tables
-- are reloaded from the data file (rows may be replaced or removed), and an
-- incident keeps the codes it was filed under.

CREATE TABLE incidents (
  id                   uuid PRIMARY KEY,
  item_code            text NOT NULL,
  domain               text NOT NULL,
  level                integer NOT NULL CHECK (level BETWEEN 1 AND 3),
  lon                  double precision NOT NULL,
  lat                  double precision NOT NULL,
  grid_code            text NOT NULL,
  community_code       text NOT NULL,
  town_code            text NOT NULL,
  description          text NOT NULL,
  reporter_name        text,
  -- Residents' phone numbers: encrypted (AES-256-GCM, key outside the database) with a keyed hash for lookups.
  reporter_phone_enc   text,
  reporter_phone_hash  text,
  reporter_account_id  bigint REFERENCES users (id),
  channel              text NOT NULL CHECK (channel IN ('field', 'hotline_12345', 'qr_code', 'chat_robot', 'camera', 'sensor', 'open311')),
  photo_urls           text[] NOT NULL DEFAULT '{}',
  status               text NOT NULL DEFAULT 'reported' CHECK (status IN ('reported', 'accepted', 'dispatched', 'in_progress',
                         'resolved', 'verified', 'closed', 'rated', 'returned')),
  tier                 text NOT NULL CHECK (tier IN ('community', 'town', 'district')),
  unit_code            text,
  supervised           boolean NOT NULL DEFAULT false,
  overdue              boolean NOT NULL DEFAULT false,
  sensor_code          text,
  alert_ids            text[] NOT NULL DEFAULT '{}',
  version              integer NOT NULL DEFAULT 1 CHECK (version >= 1),
  -- sha256 of the report as first received: a retry with the same id must carry the same body.
  request_hash         text NOT NULL,
  reported_at          timestamptz NOT NULL,
  updated_at           timestamptz NOT NULL,
  -- The change-log seq of its last change.
  last_seq             bigint NOT NULL DEFAULT 0
);
-- Newest first, keyset-paged (reported_at, id), overall and per scope column.
CREATE INDEX incidents_reported_idx ON incidents (reported_at DESC, id DESC);
CREATE INDEX incidents_town_idx ON incidents (town_code, reported_at DESC, id DESC);
CREATE INDEX incidents_community_idx ON incidents (community_code, reported_at DESC, id DESC);
CREATE INDEX incidents_grid_idx ON incidents (grid_code, reported_at DESC);
CREATE INDEX incidents_status_idx ON incidents (status, reported_at DESC);
CREATE INDEX incidents_level_idx ON incidents (level, reported_at DESC);
CREATE INDEX incidents_reporter_idx ON incidents (reporter_account_id, reported_at DESC) WHERE reporter_account_id IS NOT NULL;
CREATE INDEX incidents_sensor_idx ON incidents (sensor_code, reported_at DESC) WHERE sensor_code IS NOT NULL;

-- What happened to an incident, step by step. Append-only like the audit log.
CREATE TABLE incident_timeline (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  incident_id  uuid NOT NULL REFERENCES incidents (id),
  at           timestamptz NOT NULL,
  actor_id     bigint,
  actor        text,
  role         text,
  action       text NOT NULL CHECK (action ~ '^[a-z][a-z0-9_.-]{0,63}$'),
  from_status  text,
  to_status    text,
  tier         text,
  note         text,
  data         jsonb,
  seq          bigint
);
CREATE INDEX incident_timeline_incident_idx ON incident_timeline (incident_id, id);

CREATE FUNCTION incident_timeline_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'incident_timeline is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER incident_timeline_no_update_delete BEFORE UPDATE OR DELETE ON incident_timeline
  FOR EACH ROW EXECUTE FUNCTION incident_timeline_is_append_only();
CREATE TRIGGER incident_timeline_no_truncate BEFORE TRUNCATE ON incident_timeline
  FOR EACH STATEMENT EXECUTE FUNCTION incident_timeline_is_append_only();
REVOKE UPDATE, DELETE, TRUNCATE ON incident_timeline FROM PUBLIC;

-- The sequence: one row, bumped by UPDATE inside the writing transaction.
-- The row lock is held until that transaction commits, so a later writer
-- waits and gets the next number: seqs are gap-free (a rollback undoes the
-- bump) and strictly ordered by commit. (A SEQUENCE would leave gaps on
-- rollback and hand out numbers out of commit order.) Writers append last,
-- just before COMMIT, to hold the lock briefly.
CREATE TABLE change_counter (
  only_row  boolean PRIMARY KEY DEFAULT true CHECK (only_row),
  last_seq  bigint NOT NULL CHECK (last_seq >= 0),
  -- Retention: every seq <= pruned_through has been deleted from change_log;
  -- a client with since < pruned_through must reload a snapshot (410).
  pruned_through bigint NOT NULL DEFAULT 0 CHECK (pruned_through >= 0)
);
INSERT INTO change_counter (only_row, last_seq) VALUES (true, 0);

CREATE TABLE change_log (
  seq             bigint PRIMARY KEY,
  kind            text NOT NULL CHECK (kind ~ '^[a-z]+:[a-z-]+$'),
  at              timestamptz NOT NULL DEFAULT clock_timestamp(),
  -- Where the change lies: what scopeSql() and roomsForArea() filter on.
  town_code       text NOT NULL,
  community_code  text,
  entity_id       text NOT NULL,
  -- The realtime event's payload (personal data masked: it is broadcast), without its seq (added on read).
  payload         jsonb NOT NULL
);
CREATE INDEX change_log_town_idx ON change_log (town_code, seq);
CREATE INDEX change_log_at_idx ON change_log (at);

-- Rows are written once; only retention (pruning old rows, which moves
-- pruned_through in the same transaction) may delete them.
CREATE FUNCTION change_log_no_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'change_log rows are immutable: UPDATE refused' USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER change_log_no_update BEFORE UPDATE ON change_log
  FOR EACH ROW EXECUTE FUNCTION change_log_no_update();

-- Each append notifies listeners (delivered only at COMMIT, in commit order):
-- the realtime layer then reads the new rows and pushes them.
CREATE FUNCTION change_log_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('change_log', NEW.seq::text);
  RETURN NULL;
END
$$;
CREATE TRIGGER change_log_notify AFTER INSERT ON change_log
  FOR EACH ROW EXECUTE FUNCTION change_log_notify();
