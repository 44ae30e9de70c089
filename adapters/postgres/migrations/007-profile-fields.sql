-- Host-declared profile fields (`profileFields`): one JSON object per user, NULL for a user without any.

ALTER TABLE "{{schema}}"."{{prefix}}users" ADD COLUMN IF NOT EXISTS profile jsonb;
