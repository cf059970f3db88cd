-- Overdue alerts follow the SLA stage: every step that ends a stage (accept,
-- resolve, close, escalate ...) looks for the item's overdue alerts still
-- open and clears them, in its own transaction. This keeps that look-up to
-- the few open ones instead of scanning every alert ever raised.
CREATE INDEX alerts_open_overdue_idx ON alerts (incident_id) WHERE kind = 'overdue' AND status <> 'cleared';
