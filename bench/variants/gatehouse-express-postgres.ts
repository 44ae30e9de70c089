// gatehouse on Express with every store in PostgreSQL (a fresh schema, migrated first): a guarded
// request reads the session and then the user. Skipped when adapters/postgres is not on this
// branch yet or PostgreSQL is unreachable.
import pg from 'pg'
import type { Storage } from '../../src/index.js'
import { serviceUrls } from '../lib/service-check.js'
import { startGatehouseExpress } from './shared/gatehouse-express-app.js'
import { importOptional } from './shared/import-optional.js'

/** The documented signatures (DESIGN.md section 5, the storage issue). */
interface PostgresAdapter {
  postgresStorage(pool: pg.Pool, options?: { schema?: string }): Storage
  migrate(pool: pg.Pool, options?: { schema?: string }): Promise<void>
}

const { postgresStorage, migrate } = await importOptional<PostgresAdapter>(
  new URL('../../adapters/postgres/index.js', import.meta.url),
  'adapters/postgres',
)
const schema = `gatehouse_bench_${process.pid}_${Date.now()}`
const pool = new pg.Pool({ connectionString: serviceUrls.postgres, max: 10, connectionTimeoutMillis: 2000, query_timeout: 5000 })
await migrate(pool, { schema })

await startGatehouseExpress({
  credential: 'cookie',
  storage: postgresStorage(pool, { schema }),
  cleanup: async () => {
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
    await pool.end()
  },
})
