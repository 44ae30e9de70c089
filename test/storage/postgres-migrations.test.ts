import { type ChildProcess, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { migrate, renderMigrations } from '../../adapters/postgres/index.js'
import { openPostgresPool } from '../support/server-connection.js'
import { settleWithin } from '../support/settle-within.js'

const SHIPPED_INITIAL = fileURLToPath(new URL('../../adapters/postgres/migrations/001-initial.sql', import.meta.url))
/** Every shipped migration file, in the order migrate() runs them. */
const SHIPPED_NAMES = ['001-initial.sql', '002-workspaces.sql', '003-passkeys.sql', '004-audit-events.sql', '005-identities.sql', '006-saml-sso.sql', '007-profile-fields.sql']
const MIGRATE_PROCESS = fileURLToPath(new URL('../support/migrate-process.ts', import.meta.url))
/** Starting node with tsx takes a few seconds on a busy machine; three at once take longer. */
const PROCESS_READY_TIMEOUT_MS = 30_000
const PROCESS_EXIT_TIMEOUT_MS = 15_000

// Not idempotent on purpose: a second run fails on the CREATE, so any double run shows.
const EXTRA_MIGRATION = `
CREATE TABLE "{{schema}}"."{{prefix}}test_extra" (id integer PRIMARY KEY);
INSERT INTO "{{schema}}"."{{prefix}}test_extra" (id) VALUES (1);
`
const FAILING_MIGRATION = `
CREATE TABLE "{{schema}}"."{{prefix}}test_extra" (id integer PRIMARY KEY);
SELECT * FROM "{{schema}}"."{{prefix}}no_such_table";
`

interface MigrateProcess {
  child: ChildProcess
  /** Resolves once the process is connected and waits for 'go'. */
  ready: Promise<void>
  exited: Promise<number | null>
  readOutput(): string
}

function startMigrateProcess(env: Record<string, string>): MigrateProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', MIGRATE_PROCESS], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  })
  let output = ''
  const collect = (chunk: Buffer) => {
    output += chunk.toString()
  }
  child.stdout?.on('data', collect)
  child.stderr?.on('data', collect)
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  const ready = new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve())
    child.once('error', reject)
    child.once('exit', (code) => reject(new Error(`migrate process exited with ${code} before it was ready:\n${output}`)))
  })
  return { child, ready, exited, readOutput: () => output }
}

const pool = await openPostgresPool()

if (pool !== null) {
  const schemas: string[] = []
  const directories: string[] = []
  let initialSql = ''

  beforeAll(async () => {
    initialSql = await readFile(SHIPPED_INITIAL, 'utf8')
  })
  afterAll(async () => {
    for (const schema of schemas) await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
    await pool.end()
    await Promise.all(directories.map((directory) => rm(directory, { recursive: true, force: true })))
  })

  function createSchemaName(): string {
    const schema = `gatehouse_test_${randomBytes(6).toString('hex')}`
    schemas.push(schema)
    return schema
  }

  async function writeMigrationsDirectory(files: Record<string, string>): Promise<string> {
    const directory = await mkdtemp(join(tmpdir(), 'gatehouse-migrations-'))
    directories.push(directory)
    for (const [name, sql] of Object.entries(files)) await writeFile(join(directory, name), sql)
    return directory
  }

  function writeTwoFileDirectory(): Promise<string> {
    return writeMigrationsDirectory({ '001-initial.sql': initialSql, '002-test-extra.sql': EXTRA_MIGRATION })
  }

  // Arrow functions: a function declaration is hoisted out of the `pool !== null` narrowing.
  const readRecordedNames = async (schema: string): Promise<string[]> => {
    const { rows } = await pool.query<{ name: string }>(`SELECT name FROM "${schema}"."gatehouse_migrations" ORDER BY name`)
    return rows.map((row) => row.name)
  }

  const hasTable = async (schema: string, table: string): Promise<boolean> => {
    const { rows } = await pool.query<{ found: string | null }>('SELECT to_regclass($1) AS found', [`"${schema}"."${table}"`])
    return rows[0]?.found !== null
  }

  const countExtraRows = async (schema: string): Promise<number> => {
    const { rows } = await pool.query<{ count: string }>(`SELECT count(*) FROM "${schema}"."gatehouse_test_extra"`)
    return Number(rows[0]?.count)
  }

  describe('postgres migrations', () => {
    it('runs a file added since the last start, and each file only once', async () => {
      const schema = createSchemaName()
      await migrate(pool, { schema })
      expect(await readRecordedNames(schema)).toEqual(SHIPPED_NAMES)
      const directory = await writeTwoFileDirectory()
      await migrate(pool, { schema, migrationsDirectory: directory })
      await migrate(pool, { schema, migrationsDirectory: directory })
      expect(await readRecordedNames(schema)).toEqual([...SHIPPED_NAMES, '002-test-extra.sql'].sort())
      expect(await countExtraRows(schema)).toBe(1)
    })

    it('runs each file once when several processes start together', async () => {
      const schema = createSchemaName()
      const env = { GATEHOUSE_TEST_SCHEMA: schema, GATEHOUSE_TEST_MIGRATIONS_DIRECTORY: await writeTwoFileDirectory() }
      const processes = [startMigrateProcess(env), startMigrateProcess(env), startMigrateProcess(env)]
      try {
        await settleWithin(Promise.all(processes.map((each) => each.ready)), PROCESS_READY_TIMEOUT_MS, 'starting the migrate processes')
        for (const each of processes) each.child.send('go')
        const codes = await settleWithin(Promise.all(processes.map((each) => each.exited)), PROCESS_EXIT_TIMEOUT_MS, 'migrating')
        expect(codes, processes.map((each) => each.readOutput()).join('\n')).toEqual([0, 0, 0])
      } finally {
        for (const { child } of processes) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
      }
      // A second run of 002 would have failed its process; a second record of any file too (primary key).
      expect(await readRecordedNames(schema)).toEqual(['001-initial.sql', '002-test-extra.sql'])
      expect(await countExtraRows(schema)).toBe(1)
    }, 60_000)

    it('takes over a database the old code migrated, keeping its rows', async () => {
      const schema = createSchemaName()
      for (const migration of await renderMigrations({ schema })) await pool.query(migration.sql)
      await pool.query(
        `INSERT INTO "${schema}"."gatehouse_users" (id, email, created_at, updated_at) VALUES ('u1', 'old@example.test', 0, 0)`,
      )
      expect(await hasTable(schema, 'gatehouse_migrations')).toBe(false)
      await migrate(pool, { schema })
      expect(await readRecordedNames(schema)).toEqual(SHIPPED_NAMES)
      const { rows } = await pool.query<{ email: string }>(`SELECT email FROM "${schema}"."gatehouse_users"`)
      expect(rows).toEqual([{ email: 'old@example.test' }])
    })

    it('leaves nothing behind when a file fails, so the next start runs every file again', async () => {
      const schema = createSchemaName()
      const directory = await writeMigrationsDirectory({ '001-initial.sql': initialSql, '002-test-extra.sql': FAILING_MIGRATION })
      await expect(migrate(pool, { schema, migrationsDirectory: directory })).rejects.toMatchObject({ code: '42P01' })
      expect(await hasTable(schema, 'gatehouse_migrations')).toBe(false)
      expect(await hasTable(schema, 'gatehouse_users')).toBe(false)
      await writeFile(join(directory, '002-test-extra.sql'), EXTRA_MIGRATION)
      await migrate(pool, { schema, migrationsDirectory: directory })
      expect(await readRecordedNames(schema)).toEqual(['001-initial.sql', '002-test-extra.sql'])
    })

    it('refuses a migrations directory that is relative or holds no migration files', async () => {
      const schema = createSchemaName()
      await expect(migrate(pool, { schema, migrationsDirectory: 'adapters/postgres/migrations' })).rejects.toThrow(/absolute path/)
      const empty = await writeMigrationsDirectory({ 'notes.txt': 'not a migration' })
      await expect(migrate(pool, { schema, migrationsDirectory: empty })).rejects.toThrow(/no migration files/)
      expect(await hasTable(schema, 'gatehouse_migrations')).toBe(false)
    })
  })
}
