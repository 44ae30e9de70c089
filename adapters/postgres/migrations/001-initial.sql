-- gatehouse storage tables. migrate() substitutes {{schema}} and {{prefix}} after validating both
-- against ^[a-z_][a-z0-9_]{0,40}$, and runs this file once, recorded in {{prefix}}migrations. Every
-- statement stays idempotent: databases migrated before that table existed run it once more.
-- Times are milliseconds since the Unix epoch.
-- No foreign keys: a host may keep some stores elsewhere (sessions in Redis, say).

-- CREATE SCHEMA IF NOT EXISTS needs the CREATE privilege even when the schema exists.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = '{{schema}}') THEN
    CREATE SCHEMA "{{schema}}";
  END IF;
END
$$;

CREATE TABLE IF NOT EXISTS "{{schema}}"."{{prefix}}users" (
  id text PRIMARY KEY,
  email text NOT NULL,
  name text,
  password_hash text,
  email_verified_at bigint,
  created_at bigint NOT NULL,
  updated_at bigint NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS "{{prefix}}users_email_key" ON "{{schema}}"."{{prefix}}users" (email);

-- seq keeps creation order for listings, whatever the clock said.
CREATE TABLE IF NOT EXISTS "{{schema}}"."{{prefix}}sessions" (
  seq bigint GENERATED ALWAYS AS IDENTITY,
  id text PRIMARY KEY,
  token_hash text NOT NULL,
  user_id text NOT NULL,
  created_at bigint NOT NULL,
  last_seen_at bigint NOT NULL,
  expires_at bigint NOT NULL,
  idle_expires_at bigint NOT NULL,
  ip text,
  user_agent text,
  pending_second_factor boolean NOT NULL,
  factors jsonb NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS "{{prefix}}sessions_token_key" ON "{{schema}}"."{{prefix}}sessions" (token_hash);
CREATE INDEX IF NOT EXISTS "{{prefix}}sessions_user_idx" ON "{{schema}}"."{{prefix}}sessions" (user_id, seq);
CREATE INDEX IF NOT EXISTS "{{prefix}}sessions_expiry_idx" ON "{{schema}}"."{{prefix}}sessions" ((least(expires_at, idle_expires_at)));

CREATE TABLE IF NOT EXISTS "{{schema}}"."{{prefix}}limit_windows" (
  key text PRIMARY KEY,
  count integer NOT NULL,
  reset_at bigint NOT NULL
);
CREATE INDEX IF NOT EXISTS "{{prefix}}limit_windows_exp_idx" ON "{{schema}}"."{{prefix}}limit_windows" (reset_at);

CREATE TABLE IF NOT EXISTS "{{schema}}"."{{prefix}}limit_claims" (
  key text PRIMARY KEY,
  expires_at bigint NOT NULL
);
CREATE INDEX IF NOT EXISTS "{{prefix}}limit_claims_exp_idx" ON "{{schema}}"."{{prefix}}limit_claims" (expires_at);

CREATE TABLE IF NOT EXISTS "{{schema}}"."{{prefix}}tokens" (
  seq bigint GENERATED ALWAYS AS IDENTITY,
  id text PRIMARY KEY,
  user_id text NOT NULL,
  kind text NOT NULL,
  token_hash text NOT NULL,
  name text NOT NULL,
  scopes text[] NOT NULL,
  hint text NOT NULL,
  created_at bigint NOT NULL,
  last_used_at bigint,
  expires_at bigint
);
CREATE UNIQUE INDEX IF NOT EXISTS "{{prefix}}tokens_token_key" ON "{{schema}}"."{{prefix}}tokens" (token_hash);
CREATE INDEX IF NOT EXISTS "{{prefix}}tokens_user_idx" ON "{{schema}}"."{{prefix}}tokens" (user_id, seq);

-- One record per purpose and subject: a new secret supersedes the old one. Secret hashes are not
-- unique, because short codes are low-entropy and two subjects may draw the same one.
CREATE TABLE IF NOT EXISTS "{{schema}}"."{{prefix}}verifications" (
  id text PRIMARY KEY,
  purpose text NOT NULL,
  subject text NOT NULL,
  user_id text,
  secret_hash text NOT NULL,
  data jsonb,
  attempts integer NOT NULL,
  created_at bigint NOT NULL,
  expires_at bigint NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS "{{prefix}}verifications_subj_key" ON "{{schema}}"."{{prefix}}verifications" (purpose, subject);
CREATE INDEX IF NOT EXISTS "{{prefix}}verifications_hash_idx" ON "{{schema}}"."{{prefix}}verifications" (purpose, secret_hash);
CREATE INDEX IF NOT EXISTS "{{prefix}}verifications_user_idx" ON "{{schema}}"."{{prefix}}verifications" (user_id) WHERE user_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS "{{prefix}}verifications_exp_idx" ON "{{schema}}"."{{prefix}}verifications" (expires_at);

CREATE TABLE IF NOT EXISTS "{{schema}}"."{{prefix}}factors" (
  seq bigint GENERATED ALWAYS AS IDENTITY,
  id text PRIMARY KEY,
  user_id text NOT NULL,
  kind text NOT NULL,
  secret text NOT NULL,
  confirmed_at bigint,
  last_used_step bigint,
  created_at bigint NOT NULL
);
CREATE INDEX IF NOT EXISTS "{{prefix}}factors_user_idx" ON "{{schema}}"."{{prefix}}factors" (user_id, seq);
