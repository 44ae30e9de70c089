// Every store in PostgreSQL, a fresh schema migrated first, with the pool settings gatehouse's
// README recommends. A peer process opens the same schema (BENCH_SCHEMA) and does not migrate.
import pg from 'pg'
import { migrate, postgresStorage } from '../../../adapters/postgres/index.js'
import type { Storage } from '../../../src/index.js'
import { serviceUrls } from '../../lib/service-check.js'

export interface PostgresBench {
  pool: pg.Pool
  schema: string
  storage: Storage
  cleanup(): Promise<void>
}

export async function openPostgresBench(): Promise<PostgresBench> {
  const given = process.env['BENCH_SCHEMA']
  const schema = given ?? `gatehouse_bench_${process.pid}_${Date.now()}`
  const pool = new pg.Pool({ connectionString: serviceUrls.postgres, max: 10, connectionTimeoutMillis: 2000, query_timeout: 5000, statement_timeout: 5000 })
  pool.on('error', (error) => console.error(`pg pool: ${error.message}`))
  if (given === undefined) await migrate(pool, { schema })
  return {
    pool,
    schema,
    storage: postgresStorage(pool, { schema }),
    async cleanup() {
      await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
      await pool.end()
    },
  }
}
