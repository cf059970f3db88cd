-- Accounts, roles, data scope, sessions, kiosk tokens and the audit log
-- (issue 3). Times that rules depend on (lockout, idle timeout) are written
-- by the application's clock, so tests can move it; audit times are the
-- database's own now(), which the application cannot set.

-- Handling units that incidents are dispatched to (the dispatch issue grows this).
CREATE TABLE handling_units (
  code     text PRIMARY KEY CHECK (code ~ '^[a-z][a-z0-9-]{1,31}$'),
  name     text NOT NULL,
  name_en  text NOT NULL,
  kind     text NOT NULL CHECK (kind IN ('government', 'police', 'utility', 'property'))
);

CREATE TABLE users (
  id                    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  username              text NOT NULL UNIQUE CHECK (username ~ '^[A-Za-z0-9][A-Za-z0-9._-]{2,63}$'),
  display_name          text NOT NULL,
  role                  text NOT NULL CHECK (role IN ('sysadmin', 'secadmin', 'auditor', 'district_duty', 'town_duty',
                          'liaison', 'leader', 'unit_member', 'field_worker', 'kiosk')),
  scope_level           text NOT NULL CHECK (scope_level IN ('district', 'town', 'community')),
  town_code             text REFERENCES towns (code),
  community_code        text REFERENCES communities (code),
  unit_code             text REFERENCES handling_units (code),
  grid_code             text REFERENCES grids (code),
  password_hash         text NOT NULL,
  password_changed_at   timestamptz NOT NULL,
  must_change_password  boolean NOT NULL DEFAULT true,
  -- The TOTP secret is a credential: encrypted like personal data.
  totp_secret_enc       text,
  totp_enabled          boolean NOT NULL DEFAULT false,
  totp_last_step        bigint,
  failed_attempts       integer NOT NULL DEFAULT 0,
  locked_until          timestamptz,
  disabled              boolean NOT NULL DEFAULT false,
  demo                  boolean NOT NULL DEFAULT false,
  created_at            timestamptz NOT NULL DEFAULT now(),
  updated_at            timestamptz NOT NULL DEFAULT now(),
  -- The scope is exactly one of: district (no codes), a town, a community (with its town).
  CHECK (
    (scope_level = 'district' AND town_code IS NULL AND community_code IS NULL) OR
    (scope_level = 'town' AND town_code IS NOT NULL AND community_code IS NULL) OR
    (scope_level = 'community' AND town_code IS NOT NULL AND community_code IS NOT NULL)
  ),
  CHECK ((role = 'unit_member') = (unit_code IS NOT NULL)),
  CHECK ((role = 'field_worker') = (grid_code IS NOT NULL))
);
CREATE INDEX users_town_code_idx ON users (town_code);

-- The last passwords of each account, for "not one of the last 5".
CREATE TABLE password_history (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id        bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  password_hash  text NOT NULL,
  created_at     timestamptz NOT NULL
);
CREATE INDEX password_history_user_idx ON password_history (user_id, id DESC);

CREATE TABLE kiosk_tokens (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name            text NOT NULL,
  -- sha256 of the token: a database read does not yield a usable token.
  token_hash      text NOT NULL UNIQUE,
  scope_level     text NOT NULL CHECK (scope_level IN ('district', 'town', 'community')),
  town_code       text REFERENCES towns (code),
  community_code  text REFERENCES communities (code),
  created_by      bigint NOT NULL REFERENCES users (id),
  created_at      timestamptz NOT NULL,
  revoked_at      timestamptz,
  revoked_by      bigint REFERENCES users (id),
  last_used_at    timestamptz,
  CHECK (
    (scope_level = 'district' AND town_code IS NULL AND community_code IS NULL) OR
    (scope_level = 'town' AND town_code IS NOT NULL AND community_code IS NULL) OR
    (scope_level = 'community' AND town_code IS NOT NULL AND community_code IS NOT NULL)
  )
);

-- A session belongs to a user (signed in with a password) or to a kiosk token.
CREATE TABLE sessions (
  id              uuid PRIMARY KEY,
  -- sha256 of the cookie value, for the same reason as kiosk tokens.
  token_hash      text NOT NULL UNIQUE,
  user_id         bigint REFERENCES users (id),
  kiosk_token_id  bigint REFERENCES kiosk_tokens (id),
  created_at      timestamptz NOT NULL,
  last_seen_at    timestamptz NOT NULL,
  ended_at        timestamptz,
  end_reason      text,
  source_ip       text,
  user_agent      text,
  CHECK ((user_id IS NULL) <> (kiosk_token_id IS NULL))
);
CREATE INDEX sessions_user_idx ON sessions (user_id) WHERE ended_at IS NULL;
CREATE INDEX sessions_kiosk_idx ON sessions (kiosk_token_id) WHERE ended_at IS NULL;
CREATE INDEX sessions_open_idx ON sessions (last_seen_at) WHERE ended_at IS NULL;

-- Residents' and staff phone numbers are stored encrypted (AES-256-GCM, key
-- outside the database) with a keyed hash for exact lookups.
ALTER TABLE staff ADD COLUMN phone_enc text, ADD COLUMN phone_hash text;
CREATE INDEX staff_phone_hash_idx ON staff (phone_hash);

-- The audit log: append-only. Who, role, scope, source address, what,
-- before/after, result, time (the database's). Rows are kept at least 180
-- days: the application has no deletion path at all; purging older rows is a
-- maintenance task for a separate role (docs/SECURITY.md).
CREATE TABLE audit_log (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at           timestamptz NOT NULL DEFAULT clock_timestamp(),
  actor_id     bigint,
  actor        text,
  role         text,
  scope        jsonb,
  source_ip    text,
  action       text NOT NULL,
  target_type  text,
  target_id    text,
  before       jsonb,
  after        jsonb,
  result       text NOT NULL CHECK (result IN ('success', 'failure', 'denied')),
  detail       text,
  -- Where the target lies, so scoped audit views are possible later.
  town_code       text,
  community_code  text
);
CREATE INDEX audit_log_at_idx ON audit_log (at);
CREATE INDEX audit_log_actor_idx ON audit_log (actor, id);
CREATE INDEX audit_log_action_idx ON audit_log (action, id);

-- Refuse UPDATE, DELETE and TRUNCATE whoever asks, the table owner included
-- (a trigger binds the owner, grants do not).
CREATE FUNCTION audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER audit_log_no_update_delete BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_is_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_is_append_only();
REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM PUBLIC;
