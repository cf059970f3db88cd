-- Machine clients and the chat-group intake (issue 4).
--
-- Integration keys: a 12345 hotline system, a public reporting app (Open311),
-- the chat robot, a device gateway each authenticate with a key a system
-- administrator issued for one scope and one channel. Like kiosk tokens, only
-- the key's sha256 is stored: a database read does not yield a usable key.
CREATE TABLE integration_keys (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name            text NOT NULL,
  key_hash        text NOT NULL UNIQUE,
  -- The first characters of the key, shown in the admin list to tell keys apart.
  hint            text NOT NULL,
  channel         text NOT NULL CHECK (channel IN ('field', 'hotline_12345', 'qr_code', 'chat_robot', 'camera', 'sensor', 'open311')),
  scope_level     text NOT NULL CHECK (scope_level IN ('district', 'town', 'community')),
  town_code       text REFERENCES towns (code),
  community_code  text REFERENCES communities (code),
  created_by      bigint NOT NULL REFERENCES users (id),
  created_at      timestamptz NOT NULL,
  expires_at      timestamptz,
  revoked_at      timestamptz,
  revoked_by      bigint REFERENCES users (id),
  last_used_at    timestamptz,
  CHECK (
    (scope_level = 'district' AND town_code IS NULL AND community_code IS NULL) OR
    (scope_level = 'town' AND town_code IS NOT NULL AND community_code IS NULL) OR
    (scope_level = 'community' AND town_code IS NOT NULL AND community_code IS NOT NULL)
  ),
  CHECK (expires_at IS NULL OR expires_at > created_at)
);

-- Chat-group messages ("water, electricity, gas, road" robot). Every message
-- is kept: a recognised one with the incident it was filed as, an
-- unrecognised one for a duty officer to classify (status 'unclassified').
-- No foreign key to communities: that table is reloaded from the data file,
-- and a message keeps the codes it came in under (as incidents do).
CREATE TABLE intake_messages (
  id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  -- The chat platform's id: the same message delivered twice is one row.
  message_id         text NOT NULL UNIQUE,
  -- sha256 of the message as first received: a reused id must carry the same message.
  request_hash       text NOT NULL,
  text               text NOT NULL,
  sender_name        text NOT NULL,
  -- Residents' phone numbers: encrypted (AES-256-GCM, key outside the database) with a keyed hash.
  sender_phone_enc   text,
  sender_phone_hash  text,
  community_code     text NOT NULL,
  town_code          text NOT NULL,
  sent_at            timestamptz,
  received_at        timestamptz NOT NULL,
  status             text NOT NULL CHECK (status IN ('filed', 'unclassified', 'classified')),
  item_code          text,
  -- The keywords the classifier went by (empty for an unrecognised message).
  matched            text[] NOT NULL DEFAULT '{}',
  -- The incident the report service filed it as (its id; no foreign key, so
  -- this migration does not depend on the order incidents' migration lands in).
  incident_id        uuid,
  submitted_by_key   bigint REFERENCES integration_keys (id),
  submitted_by_user  bigint REFERENCES users (id),
  classified_by      bigint REFERENCES users (id),
  classified_at      timestamptz,
  CHECK ((status = 'unclassified') = (incident_id IS NULL)),
  CHECK ((status = 'classified') = (classified_by IS NOT NULL))
);
-- The duty officer's queue: unclassified messages of a town / community, newest first.
CREATE INDEX intake_messages_queue_idx ON intake_messages (status, town_code, community_code, id DESC);
