-- Per-workspace SAML2 SSO: one config per workspace, the e-mail domains it owns (a domain belongs to
-- one workspace: its primary key says so) and the SAML subjects linked to users. All belong to the
-- workspaces store, so they go with their workspace.

CREATE TABLE IF NOT EXISTS "{{schema}}"."{{prefix}}sso_configs" (
  workspace_id text PRIMARY KEY REFERENCES "{{schema}}"."{{prefix}}workspaces" (id) ON DELETE CASCADE,
  idp_entity_id text NOT NULL,
  idp_sso_url text NOT NULL,
  idp_certificates jsonb NOT NULL,
  domains jsonb NOT NULL,
  enabled boolean NOT NULL,
  attribute_mapping jsonb NOT NULL,
  allow_idp_initiated boolean NOT NULL,
  updated_at bigint NOT NULL
);

CREATE TABLE IF NOT EXISTS "{{schema}}"."{{prefix}}sso_domains" (
  domain text PRIMARY KEY,
  workspace_id text NOT NULL REFERENCES "{{schema}}"."{{prefix}}sso_configs" (workspace_id) ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS "{{prefix}}sso_domains_workspace_idx" ON "{{schema}}"."{{prefix}}sso_domains" (workspace_id);

CREATE TABLE IF NOT EXISTS "{{schema}}"."{{prefix}}saml_identities" (
  id text PRIMARY KEY,
  workspace_id text NOT NULL REFERENCES "{{schema}}"."{{prefix}}workspaces" (id) ON DELETE CASCADE,
  idp_entity_id text NOT NULL,
  name_id text NOT NULL,
  user_id text NOT NULL,
  linked_at bigint NOT NULL,
  UNIQUE (workspace_id, idp_entity_id, name_id)
);
CREATE INDEX IF NOT EXISTS "{{prefix}}saml_identities_user_idx" ON "{{schema}}"."{{prefix}}saml_identities" (user_id);
