-- Passkeys live in the factors store: a name the user gives them, their credential id and
-- transports (data), and when they last signed the user in.

ALTER TABLE "{{schema}}"."{{prefix}}factors" ADD COLUMN IF NOT EXISTS name text;
ALTER TABLE "{{schema}}"."{{prefix}}factors" ADD COLUMN IF NOT EXISTS data jsonb;
ALTER TABLE "{{schema}}"."{{prefix}}factors" ADD COLUMN IF NOT EXISTS last_used_at bigint;
