-- Security events of the optional audit store (postgresAuditStore). seq orders events of the same
-- millisecond by when they were appended.

CREATE TABLE IF NOT EXISTS "{{schema}}"."{{prefix}}audit_events" (
  seq bigint GENERATED ALWAYS AS IDENTITY,
  id text PRIMARY KEY,
  type text NOT NULL,
  at bigint NOT NULL,
  user_id text,
  session_id text,
  workspace_id text,
  ip text,
  user_agent text,
  details jsonb NOT NULL
);
CREATE INDEX IF NOT EXISTS "{{prefix}}audit_events_user_idx" ON "{{schema}}"."{{prefix}}audit_events" (user_id, at DESC, seq DESC);
CREATE INDEX IF NOT EXISTS "{{prefix}}audit_events_workspace_idx" ON "{{schema}}"."{{prefix}}audit_events" (workspace_id, at DESC, seq DESC);
CREATE INDEX IF NOT EXISTS "{{prefix}}audit_events_at_idx" ON "{{schema}}"."{{prefix}}audit_events" (at DESC, seq DESC);
