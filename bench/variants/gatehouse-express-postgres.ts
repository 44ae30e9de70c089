// gatehouse on Express with every store in PostgreSQL (a fresh schema, migrated first): a guarded
// request reads the session and then the user, two queries.
import pg from 'pg'
import { migrate, postgresStorage } from '../../adapters/postgres/index.js'
import { serviceUrls } from '../lib/service-check.js'
import { startGatehouseExpress } from './shared/gatehouse-express-app.js'

const schema = `gatehouse_bench_${process.pid}_${Date.now()}`
// The pool settings gatehouse's README recommends.
const pool = new pg.Pool({
  connectionString: serviceUrls.postgres,
  max: 10,
  connectionTimeoutMillis: 2000,
  query_timeout: 5000,
  statement_timeout: 5000,
})
pool.on('error', (error) => console.error(`pg pool: ${error.message}`))
await migrate(pool, { schema })

await startGatehouseExpress({
  credential: 'cookie',
  storage: postgresStorage(pool, { schema }),
  cleanup: async () => {
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
    await pool.end()
  },
})
