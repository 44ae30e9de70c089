// One process of the concurrent-migration test: connects, says 'ready' over IPC, waits for 'go',
// then runs migrate() once and exits, non-zero if it throws.
import { once } from 'node:events'
import { migrate } from '../../adapters/postgres/index.js'
import { createBoundedPool } from './bounded-clients.js'

const schema = process.env.GATEHOUSE_TEST_SCHEMA ?? ''
const migrationsDirectory = process.env.GATEHOUSE_TEST_MIGRATIONS_DIRECTORY ?? ''

// The test runner holds the IPC channel: if it dies before 'go', so does this process.
function exitOnOrphaned(): void {
  process.exit(1)
}
process.once('disconnect', exitOnOrphaned)

const pool = createBoundedPool()
// Connected before the start signal, so the migrate() calls overlap rather than the tsx start-ups.
await pool.query('SELECT 1')
const go = once(process, 'message')
process.send?.('ready')
await go
// An open IPC channel would keep this process alive after migrate().
process.off('disconnect', exitOnOrphaned)
process.disconnect()
try {
  await migrate(pool, { schema, migrationsDirectory })
} finally {
  await pool.end()
}
