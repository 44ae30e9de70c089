import { readdir, readFile } from 'node:fs/promises'
import { isAbsolute, join } from 'node:path'
import type { Pool } from 'pg'
import { locateMigrationsDirectory } from './locate-migrations.js'
import { createMigrationsTable, readAppliedMigrations, recordMigration } from './migrations-table.js'
import { type PostgresNames, type PostgresStorageOptions, resolvePostgresNames } from './postgres-names.js'

export interface Migration {
  name: string
  sql: string
}

export interface MigrateOptions extends PostgresStorageOptions {
  /**
   * Absolute path of a directory of `NNN-name.sql` files to run instead of the shipped ones: for
   * tests, and for hosts that ship their own copies. It replaces the shipped directory, so it must
   * hold gatehouse's files too, under the same names.
   */
  migrationsDirectory?: string | undefined
}

const MIGRATION_FILE_PATTERN = /^\d{3}-[a-z0-9-]+\.sql$/

function renderSql(template: string, names: PostgresNames): string {
  return template.replaceAll('{{schema}}', names.schema).replaceAll('{{prefix}}', names.tablePrefix)
}

// Relative paths would depend on the process's working directory.
function chooseMigrationsDirectory(directory: string | undefined): string {
  if (directory === undefined) return locateMigrationsDirectory()
  if (typeof directory !== 'string' || !isAbsolute(directory)) {
    throw new TypeError(`gatehouse/postgres: migrationsDirectory must be an absolute path, got ${JSON.stringify(directory)}`)
  }
  return directory
}

// An empty list is a wrong path, not a database with nothing to do.
async function readMigrations(directory: string, names: PostgresNames): Promise<Migration[]> {
  const files = (await readdir(directory)).filter((file) => MIGRATION_FILE_PATTERN.test(file)).sort()
  if (files.length === 0) {
    throw new Error(`gatehouse/postgres: no migration files (${MIGRATION_FILE_PATTERN}) in ${directory}`)
  }
  return Promise.all(
    files.map(async (name) => ({ name, sql: renderSql(await readFile(join(directory, name), 'utf8'), names) })),
  )
}

/**
 * The migration files in order, with schema and prefix filled in: for hosts that run SQL with
 * their own tool. Those hosts own the bookkeeping: their tool must run each file once, and
 * migrate() does not see what it ran, so use one or the other.
 */
export async function renderMigrations(options: PostgresStorageOptions = {}): Promise<Migration[]> {
  return readMigrations(locateMigrationsDirectory(), resolvePostgresNames(options))
}

/**
 * Runs the migration files that have not run yet, in order, each recorded in the table
 * `<schema>.<prefix>migrations`. Safe on every start and from many processes at once: an
 * advisory lock serialises the runs, so a later one sees the earlier one's records.
 */
export async function migrate(pool: Pool, options: MigrateOptions = {}): Promise<void> {
  const names = resolvePostgresNames(options)
  const migrations = await readMigrations(chooseMigrationsDirectory(options.migrationsDirectory), names)
  const client = await pool.connect()
  try {
    // One transaction: a file and its record commit together, and a failing file leaves nothing behind.
    await client.query('BEGIN')
    // Also covers the migrations table: CREATE ... IF NOT EXISTS races against a concurrent CREATE.
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
      `gatehouse:migrate:${names.schema}.${names.tablePrefix}`,
    ])
    await createMigrationsTable(client, names)
    // A database migrated before the table existed has no records, so 001-initial.sql runs once
    // more and is recorded: harmless, as every statement in it is idempotent.
    const applied = await readAppliedMigrations(client, names)
    for (const migration of migrations.filter((candidate) => !applied.has(candidate.name))) {
      await client.query(migration.sql)
      await recordMigration(client, names, migration.name)
    }
    await client.query('COMMIT')
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined)
    throw error
  } finally {
    client.release()
  }
}
