-- Workspaces, their members and invitations. Members belong to the workspaces store, so they may
-- reference their workspace; invitations are a store of their own and do not.

CREATE TABLE IF NOT EXISTS "{{schema}}"."{{prefix}}workspaces" (
  id text PRIMARY KEY,
  name text NOT NULL,
  created_at bigint NOT NULL
);

-- seq keeps the order members were added in among those who joined in the same millisecond.
CREATE TABLE IF NOT EXISTS "{{schema}}"."{{prefix}}workspace_members" (
  seq bigint GENERATED ALWAYS AS IDENTITY,
  workspace_id text NOT NULL REFERENCES "{{schema}}"."{{prefix}}workspaces" (id) ON DELETE CASCADE,
  user_id text NOT NULL,
  role text NOT NULL,
  joined_at bigint NOT NULL,
  PRIMARY KEY (workspace_id, user_id)
);
CREATE INDEX IF NOT EXISTS "{{prefix}}workspace_members_user_idx" ON "{{schema}}"."{{prefix}}workspace_members" (user_id, joined_at, seq);

CREATE TABLE IF NOT EXISTS "{{schema}}"."{{prefix}}invitations" (
  seq bigint GENERATED ALWAYS AS IDENTITY,
  id text PRIMARY KEY,
  workspace_id text NOT NULL,
  email text NOT NULL,
  role text NOT NULL,
  token_hash text NOT NULL,
  sealed_token text NOT NULL,
  invited_by text NOT NULL,
  created_at bigint NOT NULL,
  expires_at bigint NOT NULL,
  accepted_at bigint
);
CREATE UNIQUE INDEX IF NOT EXISTS "{{prefix}}invitations_token_key" ON "{{schema}}"."{{prefix}}invitations" (token_hash);
CREATE INDEX IF NOT EXISTS "{{prefix}}invitations_workspace_idx" ON "{{schema}}"."{{prefix}}invitations" (workspace_id, created_at);
CREATE INDEX IF NOT EXISTS "{{prefix}}invitations_email_idx" ON "{{schema}}"."{{prefix}}invitations" (email, created_at);
CREATE INDEX IF NOT EXISTS "{{prefix}}invitations_inviter_idx" ON "{{schema}}"."{{prefix}}invitations" (invited_by);
