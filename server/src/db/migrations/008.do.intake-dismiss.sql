-- Chat-group messages that need no action ("收到，谢谢", a greeting, a
-- forwarded notice) can be dismissed by a duty officer with a reason, so the
-- unclassified queue holds only what still waits for someone. The message is
-- kept (never deleted); classified_by / classified_at record who handled it
-- and when, whichever way.
ALTER TABLE intake_messages DROP CONSTRAINT intake_messages_status_check;
ALTER TABLE intake_messages ADD CONSTRAINT intake_messages_status_check
  CHECK (status IN ('filed', 'unclassified', 'classified', 'dismissed'));
ALTER TABLE intake_messages ADD COLUMN dismiss_reason text;
ALTER TABLE intake_messages ADD CONSTRAINT intake_messages_dismiss_reason_check
  CHECK ((status = 'dismissed') = (dismiss_reason IS NOT NULL));
-- A dismissed message has no incident and records who handled it.
ALTER TABLE intake_messages DROP CONSTRAINT intake_messages_check;
ALTER TABLE intake_messages DROP CONSTRAINT intake_messages_check1;
ALTER TABLE intake_messages ADD CONSTRAINT intake_messages_incident_check
  CHECK ((status IN ('unclassified', 'dismissed')) = (incident_id IS NULL));
ALTER TABLE intake_messages ADD CONSTRAINT intake_messages_handled_by_check
  CHECK ((status IN ('classified', 'dismissed')) = (classified_by IS NOT NULL));
