import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll } from 'vitest'
import { migrate, postgresAuditStore } from '../../adapters/postgres/index.js'
import { memoryAuditStore } from '../../src/index.js'
import { describeAuditStoreConformance } from '../../src/testing/index.js'
import { openPostgresPool } from '../support/server-connection.js'

describeAuditStoreConformance('memory', () => memoryAuditStore())

const pool = await openPostgresPool()

if (pool !== null) {
  const schema = `gatehouse_test_${randomBytes(6).toString('hex')}`
  beforeAll(() => migrate(pool, { schema }))
  afterAll(async () => {
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
    await pool.end()
  })
  describeAuditStoreConformance('postgres', () => postgresAuditStore(pool, { schema }))
}
