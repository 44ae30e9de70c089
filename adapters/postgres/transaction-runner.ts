import type { Pool } from 'pg'
import { storageUnavailable } from '../../src/errors/auth-error.js'
import { isPostgresUnavailable } from './connection-failure.js'
import type { RunQuery } from './query-runner.js'

/** Runs `work` in one transaction on one connection; it commits when `work` resolves and rolls back when it rejects. */
export type RunTransaction = <T>(work: (runQuery: RunQuery) => Promise<T>) => Promise<T>

export function createTransactionRunner(pool: Pool): RunTransaction {
  return async (work) => {
    const client = await pool.connect().catch((error: unknown) => {
      throw isPostgresUnavailable(error) ? storageUnavailable(error) : error
    })
    let failed = false
    try {
      await client.query('BEGIN')
      const result = await work((text, values) => client.query(text, values))
      await client.query('COMMIT')
      return result
    } catch (error) {
      failed = true
      await client.query('ROLLBACK').catch(() => {})
      throw isPostgresUnavailable(error) ? storageUnavailable(error) : error
    } finally {
      // A connection that failed mid-transaction may be broken: the pool drops it rather than reuse it.
      client.release(failed)
    }
  }
}
