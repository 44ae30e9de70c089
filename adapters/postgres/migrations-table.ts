import type { PoolClient } from 'pg'
import { type PostgresNames, qualifyTable } from './postgres-names.js'

/** Where migrate() records the files that ran: one table per schema and table prefix. */
function qualifyMigrationsTable(names: PostgresNames): string {
  return qualifyTable(names, 'migrations')
}

/**
 * Creates the schema and the migrations table if missing. The schema comes first because the
 * table lives in it; same check as 001-initial.sql, as CREATE SCHEMA IF NOT EXISTS needs the
 * CREATE privilege even when the schema exists.
 */
export async function createMigrationsTable(client: PoolClient, names: PostgresNames): Promise<void> {
  await client.query(`
    DO $$
    BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = '${names.schema}') THEN
        CREATE SCHEMA "${names.schema}";
      END IF;
    END
    $$;
    CREATE TABLE IF NOT EXISTS ${qualifyMigrationsTable(names)} (
      name text PRIMARY KEY,
      applied_at timestamptz NOT NULL DEFAULT now()
    );
  `)
}

/** The names of the migration files that already ran. */
export async function readAppliedMigrations(client: PoolClient, names: PostgresNames): Promise<Set<string>> {
  const { rows } = await client.query<{ name: string }>(`SELECT name FROM ${qualifyMigrationsTable(names)}`)
  return new Set(rows.map((row) => row.name))
}

/** Records that a migration file ran; the primary key refuses a second record of the same name. */
export async function recordMigration(client: PoolClient, names: PostgresNames, name: string): Promise<void> {
  await client.query(`INSERT INTO ${qualifyMigrationsTable(names)} (name) VALUES ($1)`, [name])
}
