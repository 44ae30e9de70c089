import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { migrate, postgresStorage, renderMigrations } from '../../adapters/postgres/index.js'
import { isAuthError } from '../../src/errors/auth-error.js'
import { describeStorageConformance } from '../../src/testing/index.js'
import { buildSession, buildVerification } from '../../src/testing/conformance-records.js'
import { TEST_HOST } from '../support/bounded-clients.js'
import { openPostgresPool } from '../support/server-connection.js'

const pool = await openPostgresPool()

if (pool !== null) {
  const schema = `gatehouse_test_${randomBytes(6).toString('hex')}`

  beforeAll(() => migrate(pool, { schema }))
  afterAll(async () => {
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
    await pool.end()
  })

  describeStorageConformance('postgres', () => postgresStorage(pool, { schema }))

  describe('postgres adapter', () => {
    it('migrates idempotently, also when processes race', async () => {
      await Promise.all([migrate(pool, { schema }), migrate(pool, { schema }), migrate(pool, { schema })])
      const { rows } = await pool.query<{ table_name: string }>(
        'SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name',
        [schema],
      )
      expect(rows.map((row) => row.table_name)).toEqual([
        'gatehouse_audit_events',
        'gatehouse_factors',
        'gatehouse_identities',
        'gatehouse_invitations',
        'gatehouse_limit_claims',
        'gatehouse_limit_windows',
        'gatehouse_migrations',
        'gatehouse_saml_identities',
        'gatehouse_sessions',
        'gatehouse_sso_configs',
        'gatehouse_sso_domains',
        'gatehouse_tokens',
        'gatehouse_users',
        'gatehouse_verifications',
        'gatehouse_workspace_members',
        'gatehouse_workspaces',
      ])
    })

    it('keeps apart stores with different table prefixes', async () => {
      await migrate(pool, { schema, tablePrefix: 'other_' })
      const first = postgresStorage(pool, { schema })
      const second = postgresStorage(pool, { schema, tablePrefix: 'other_' })
      const session = buildSession()
      await first.sessions.create(session)
      expect(await second.sessions.getById(session.id)).toBeNull()
      expect(await first.sessions.getById(session.id)).toEqual(session)
    })

    it('rejects schema and prefix names that are not plain identifiers', async () => {
      expect(() => postgresStorage(pool, { schema: 'public"; DROP TABLE x; --' })).toThrow(/schema must match/)
      expect(() => postgresStorage(pool, { tablePrefix: 'Gate' })).toThrow(/tablePrefix/)
      await expect(renderMigrations({ schema: 'a'.repeat(42) })).rejects.toThrow(/schema must match/)
      const [initial] = await renderMigrations({ schema: 'tenant_a', tablePrefix: '' })
      expect(initial?.sql).toContain('"tenant_a"."users"')
      expect(initial?.sql).not.toContain('{{')
    })

    it('purges sessions and verifications that ended before a newer one began', async () => {
      const storage = postgresStorage(pool, { schema })
      const start = Date.now()
      const ended = buildSession({ createdAt: start - 7_200_000, expiresAt: start - 3_600_000, idleExpiresAt: start - 3_600_000 })
      const stale = buildVerification({ createdAt: start - 7_200_000, expiresAt: start - 1 })
      await storage.sessions.create(ended)
      await storage.verifications.create(stale)
      await storage.sessions.create(buildSession())
      await storage.verifications.create(buildVerification())
      expect(await storage.sessions.getById(ended.id)).toBeNull()
      expect(await storage.verifications.delete(stale.id)).toBe(false)
    })

    it('answers STORAGE_UNAVAILABLE quickly when the server cannot be reached', async () => {
      const deadPool = new pg.Pool({ host: TEST_HOST, port: 1, connectionTimeoutMillis: 500 })
      try {
        const startedAt = performance.now()
        const error: unknown = await postgresStorage(deadPool, { schema }).sessions.getByTokenHash('x').catch((e) => e)
        expect(isAuthError(error) && error.code === 'STORAGE_UNAVAILABLE' && error.status === 503).toBe(true)
        expect(performance.now() - startedAt).toBeLessThan(2000)
      } finally {
        await deadPool.end()
      }
    })

    it('rethrows errors that are not about availability', async () => {
      const storage = postgresStorage(pool, { schema, tablePrefix: 'never_migrated_' })
      const error: unknown = await storage.users.getById('x').catch((e) => e)
      expect(isAuthError(error)).toBe(false)
      expect(error).toMatchObject({ code: '42P01' })
    })
  })
}
