import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Pool } from 'pg'
import { locateMigrationsDirectory } from './locate-migrations.js'
import { type PostgresNames, type PostgresStorageOptions, resolvePostgresNames } from './postgres-names.js'

export interface Migration {
  name: string
  sql: string
}

const MIGRATION_FILE_PATTERN = /^\d{3}-[a-z0-9-]+\.sql$/

function renderSql(template: string, names: PostgresNames): string {
  return template.replaceAll('{{schema}}', names.schema).replaceAll('{{prefix}}', names.tablePrefix)
}

/** The migration files in order, with schema and prefix filled in: for hosts that run SQL with their own tool. */
export async function renderMigrations(options: PostgresStorageOptions = {}): Promise<Migration[]> {
  const names = resolvePostgresNames(options)
  const directory = locateMigrationsDirectory()
  const files = (await readdir(directory)).filter((file) => MIGRATION_FILE_PATTERN.test(file)).sort()
  return Promise.all(
    files.map(async (name) => ({ name, sql: renderSql(await readFile(join(directory, name), 'utf8'), names) })),
  )
}

/**
 * Creates the schema, tables and indexes if missing. Safe to run on every start and from many
 * processes at once: every statement is idempotent and an advisory lock serialises the runs.
 */
export async function migrate(pool: Pool, options: PostgresStorageOptions = {}): Promise<void> {
  const names = resolvePostgresNames(options)
  const migrations = await renderMigrations(options)
  const client = await pool.connect()
  try {
    await client.query('BEGIN')
    // CREATE ... IF NOT EXISTS still races against a concurrent CREATE of the same name.
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
      `gatehouse:migrate:${names.schema}.${names.tablePrefix}`,
    ])
    for (const migration of migrations) await client.query(migration.sql)
    await client.query('COMMIT')
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined)
    throw error
  } finally {
    client.release()
  }
}
