-- Accounts at identity providers linked to users, keyed by (issuer, subject), never by e-mail.
-- seq keeps the order identities were linked in among those linked in the same millisecond.

CREATE TABLE IF NOT EXISTS "{{schema}}"."{{prefix}}identities" (
  seq bigint GENERATED ALWAYS AS IDENTITY,
  id text PRIMARY KEY,
  user_id text NOT NULL,
  provider text NOT NULL,
  issuer text NOT NULL,
  subject text NOT NULL,
  email text,
  linked_at bigint NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS "{{prefix}}identities_subject_key" ON "{{schema}}"."{{prefix}}identities" (issuer, subject);
CREATE INDEX IF NOT EXISTS "{{prefix}}identities_user_idx" ON "{{schema}}"."{{prefix}}identities" (user_id, linked_at, seq);
